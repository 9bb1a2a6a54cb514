/** Evaluation report webview: summary, per-class table, confusion heatmap, training curves (inline SVG). */
import { formatMetric, metricLabel } from '../extension/format';
import { el, svg, vscodeApi } from './dom';
import { normalizeReport, type EpochRow, type NormalizedReport } from './evaluationReport';
import type { ReportToExtension } from './messages';

const root = document.getElementById('root') as HTMLElement;
const send = (m: ReportToExtension): void => vscodeApi.postMessage(m);
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

function summary(r: NormalizedReport): HTMLElement {
  // One card per metric so a label never wraps away from its value.
  return el('div', { class: 'summary' }, ...r.summary.map((s) => el('div', { class: 'metric' }, el('div', { class: 'label' }, metricLabel(s.key)), el('div', { class: 'value' }, formatMetric(s.key, s.value)))));
}

function classTable(r: NormalizedReport): HTMLElement {
  const head = el('tr', {}, ...['Category', 'Precision', 'Recall', 'F1', 'Support'].map((h) => el('th', {}, h)));
  const rows = [...r.classes]
    .sort((a, b) => b.support - a.support)
    .map((c) => el('tr', {}, el('td', { class: 'code' }, c.label), el('td', {}, pct(c.precision)), el('td', {}, pct(c.recall)), f1Cell(c.f1), el('td', {}, String(c.support))));
  return el('table', { class: 'per-class', id: 'per-class' }, el('thead', {}, head), el('tbody', {}, ...rows));
}

function f1Cell(f1: number): HTMLElement {
  const td = el('td', { class: 'f1' }, pct(f1));
  td.style.setProperty('--level', f1.toFixed(3));
  return td;
}

function confusionTable(r: NormalizedReport): HTMLElement {
  const head = el('tr', {}, el('th', { class: 'corner', title: 'rows: true category, columns: predicted' }, 'true ↓ / predicted →'), ...r.confusionLabels.map((l) => el('th', { class: 'col' }, l)));
  const rows = r.confusion.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return el(
      'tr',
      {},
      el('th', { class: 'row' }, r.confusionLabels[i]),
      ...row.map((n, j) => {
        const share = total > 0 ? n / total : 0;
        const td = el('td', { class: i === j ? 'cell diag' : 'cell', title: `true ${r.confusionLabels[i]}, predicted ${r.confusionLabels[j]}: ${n} (${pct(share)} of the row)` }, n ? String(n) : '');
        td.style.setProperty('--level', share.toFixed(3));
        return td;
      }),
    );
  });
  return el('table', { class: 'confusion', id: 'confusion' }, el('thead', {}, head), el('tbody', {}, ...rows));
}

interface Series {
  name: string;
  cls: string;
  points: [number, number][];
}

/** A small line chart: epochs on x, one line per series; colours come from the theme via CSS classes. */
function lineChart(title: string, series: Series[], yFormat: (v: number) => string): HTMLElement | undefined {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return undefined;
  const W = 420, H = 220, L = 48, R = 12, T = 12, B = 32;
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs);
  let y0 = Math.min(...ys), y1 = Math.max(...ys);
  if (y1 - y0 < 1e-9) { y0 -= 0.5; y1 += 0.5; }
  const pad = (y1 - y0) * 0.08;
  y0 = Math.max(0, y0 - pad); y1 += pad;
  const sx = (x: number): number => L + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * (W - L - R);
  const sy = (y: number): number => T + (1 - (y - y0) / (y1 - y0)) * (H - T - B);
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title });
  for (let i = 0; i <= 4; i++) {
    const v = y0 + ((y1 - y0) * i) / 4;
    chart.append(svg('line', { x1: L, x2: W - R, y1: sy(v), y2: sy(v), class: 'grid' }), svg('text', { x: L - 6, y: sy(v) + 4, class: 'tick', 'text-anchor': 'end' }, yFormat(v)));
  }
  const epochs = [...new Set(xs)].sort((a, b) => a - b);
  const step = Math.max(1, Math.ceil(epochs.length / 10));
  epochs.filter((_, i) => i % step === 0).forEach((e) => chart.append(svg('text', { x: sx(e), y: H - B + 16, class: 'tick', 'text-anchor': 'middle' }, String(e))));
  chart.append(svg('text', { x: (L + W - R) / 2, y: H - 4, class: 'axis-label', 'text-anchor': 'middle' }, 'epoch'));
  for (const s of series) {
    if (!s.points.length) continue;
    chart.append(svg('polyline', { points: s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' '), class: `line ${s.cls}` }));
    for (const [x, y] of s.points) chart.append(svg('circle', { cx: sx(x), cy: sy(y), r: 3, class: `dot ${s.cls}` }));
  }
  const legend = el('div', { class: 'legend' }, ...series.filter((s) => s.points.length).map((s) => el('span', { class: `key ${s.cls}` }, s.name)));
  return el('figure', { class: 'chart-box' }, el('figcaption', {}, title), chart, legend);
}

function points(h: EpochRow[], key: keyof EpochRow): [number, number][] {
  return h.filter((r) => typeof r[key] === 'number').map((r) => [r.epoch, r[key] as number]);
}

function curves(r: NormalizedReport): HTMLElement | undefined {
  const loss = lineChart('Loss', [{ name: 'train', cls: 'train', points: points(r.history, 'trainLoss') }, { name: 'validation', cls: 'val', points: points(r.history, 'valLoss') }], (v) => v.toFixed(2));
  const acc = lineChart('Accuracy', [{ name: 'train', cls: 'train', points: points(r.history, 'trainAccuracy') }, { name: 'validation', cls: 'val', points: points(r.history, 'valAccuracy') }], (v) => `${Math.round(v * 100)}%`);
  if (!loss && !acc) return undefined;
  return el('div', { class: 'charts', id: 'curves' }, loss, acc);
}

function render(raw: unknown, modelName: string, modelDir: string): void {
  const r = normalizeReport(raw);
  const refresh = el('button', { class: 'action' }, 'Refresh');
  refresh.addEventListener('click', () => send({ type: 'refresh' }));
  root.replaceChildren(
    el('header', {}, el('h1', {}, `Evaluation report — ${modelName}`), el('p', { class: 'muted', title: modelDir }, modelDir), refresh),
    ...(r.summary.length ? [el('h2', {}, 'Held-out test set'), summary(r)] : []),
    ...(r.classes.length ? [el('h2', {}, 'Per category'), classTable(r)] : []),
    ...(r.confusion.length ? [el('h2', {}, 'Confusion matrix'), el('p', { class: 'muted' }, 'Rows: true category; columns: predicted. Shading: share of the row.'), el('div', { class: 'scroll' }, confusionTable(r))] : []),
    ...(r.history.length ? [el('h2', {}, 'Training curves'), curves(r) ?? el('p', { class: 'muted' }, 'No loss or accuracy values per epoch.')] : []),
    ...(r.missing.length ? [el('p', { class: 'muted note' }, `Not in this report: ${r.missing.join('; ')}.`)] : []),
  );
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as { type?: unknown; report?: unknown; modelName?: unknown; modelDir?: unknown; message?: unknown };
  if (!m || typeof m !== 'object') return;
  if (m.type === 'report') render(m.report, typeof m.modelName === 'string' ? m.modelName : 'model', typeof m.modelDir === 'string' ? m.modelDir : '');
  else if (m.type === 'error' && typeof m.message === 'string') root.replaceChildren(el('p', { class: 'notice' }, m.message));
});
send({ type: 'ready' });
