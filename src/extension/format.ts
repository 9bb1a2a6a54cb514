/** Number formatting shared by the status bar, messages and the webviews (pure, no vscode). */

export { formatPercent, formatPercentBelow } from '../shared/format';

/** Seconds -> "1h 02m", "3m 05s", "12s". */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '?';
  const s = Math.round(sec);
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Metric keys as people read them. */
const METRIC_LABELS: Record<string, string> = {
  accuracy: 'accuracy',
  test_accuracy: 'accuracy',
  test_top1: 'accuracy',
  test_top3: 'top-3 accuracy',
  test_macro_f1_all: 'macro-F1',
  test_ece: 'calibration error (ECE)',
  test_n: 'test papers',
  test_acc4: '4-class accuracy',
  test_macro_f1_4: '4-class macro-F1',
  macro_f1: 'macro-F1',
  test_macro_f1: 'macro-F1',
  top3: 'top-3 accuracy',
  ece: 'calibration error (ECE)',
  n: 'test papers',
};

export function metricLabel(key: string): string {
  return METRIC_LABELS[key] ?? key.replace(/_/g, ' ');
}

/** Fractions as percentages, counts as integers, the rest with 3 decimals. */
export function formatMetric(key: string, value: number | string | undefined): string {
  if (value === undefined) return '–';
  if (typeof value === 'string') return value;
  if (key === 'n' || key.endsWith('_n') || key.endsWith('count') || (Number.isInteger(value) && value > 1)) return String(value);
  if (key.includes('ece') || key.includes('loss')) return value.toFixed(3);
  if (value >= 0 && value <= 1) return `${(value * 100).toFixed(1)}%`;
  return value.toFixed(3);
}

/** The headline metrics of a model, in display order, skipping absent ones. */
export function headlineMetrics(metrics: Record<string, number | string | undefined>): { key: string; label: string; text: string }[] {
  const order = [
    'accuracy', 'test_accuracy', 'test_top1',
    'macro_f1', 'test_macro_f1', 'test_macro_f1_all',
    'top3', 'test_top3',
    'ece', 'test_ece',
    'test_acc4', 'test_macro_f1_4',
    'n', 'test_n',
  ];
  const seen = new Set<string>();
  const out: { key: string; label: string; text: string }[] = [];
  for (const key of order) {
    const v = metrics[key];
    if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) continue;
    const label = metricLabel(key);
    if (seen.has(label)) continue;
    seen.add(label);
    out.push({ key, label, text: formatMetric(key, v) });
  }
  return out;
}
