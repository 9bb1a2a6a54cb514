/**
 * Reads a model bundle's evaluation report (report.json, written by training) into the shape the
 * report webview draws. The file comes from disk and may be old, partial or hand-edited, so every field
 * is checked and what is missing is listed instead of throwing. Pure: used by the webview bundle.
 */

export interface ClassRow {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EpochRow {
  epoch: number;
  trainLoss?: number;
  valLoss?: number;
  trainAccuracy?: number;
  valAccuracy?: number;
  valMacroF1?: number;
}

export interface NormalizedReport {
  /** Headline numbers (accuracy, macro_f1, top3, ece, n...) that are finite numbers. */
  summary: { key: string; value: number }[];
  classes: ClassRow[];
  /** Labels of the confusion matrix rows/columns, in order. */
  confusionLabels: string[];
  /** confusion[truth][predicted]. */
  confusion: number[][];
  history: EpochRow[];
  /** What could not be read, for the user. */
  missing: string[];
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const SUMMARY_KEYS = ['accuracy', 'macro_f1', 'top3', 'ece', 'n', 'crosslist_micro_f1', 'crosslist_f1'];

/** Finds the evaluation part: the report itself, or under `test`/`evaluation`/`eval`. */
function evaluationPart(root: Rec): Rec {
  const looksLikeEval = (v: unknown): v is Rec => isRec(v) && (isRec(v.per_class) || Array.isArray(v.confusion));
  for (const k of ['test', 'evaluation', 'eval']) {
    const v = root[k];
    if (looksLikeEval(v)) return v;
    // Bundles written by the training pipeline: { test: { all: report, fourClass: report } }.
    if (isRec(v) && looksLikeEval(v.all)) return v.all;
  }
  return root;
}

function readClasses(ev: Rec): ClassRow[] {
  const pc = ev.per_class ?? ev.perClass;
  const rows: ClassRow[] = [];
  const push = (label: string, v: unknown): void => {
    if (!isRec(v)) return;
    const precision = num(v.precision);
    const recall = num(v.recall);
    const f1 = num(v.f1);
    if (precision === undefined || recall === undefined || f1 === undefined) return;
    rows.push({ label, precision, recall, f1, support: num(v.support) ?? 0 });
  };
  if (isRec(pc)) for (const [label, v] of Object.entries(pc)) push(label, v);
  else if (Array.isArray(pc)) for (const v of pc) if (isRec(v) && typeof v.label === 'string') push(v.label, v);
  return rows;
}

function readMatrix(v: unknown): number[][] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const rows: number[][] = [];
  for (const r of v) {
    if (!Array.isArray(r) || r.length !== v.length) return undefined;
    const row = r.map(num);
    if (row.some((x) => x === undefined)) return undefined;
    rows.push(row as number[]);
  }
  return rows;
}

function readHistory(root: Rec): EpochRow[] {
  const h = root.history ?? root.epochs ?? (isRec(root.training) ? root.training.history : undefined);
  if (!Array.isArray(h)) return [];
  const out: EpochRow[] = [];
  h.forEach((v, i) => {
    if (!isRec(v)) return;
    out.push({
      epoch: num(v.epoch) ?? i + 1,
      trainLoss: num(v.trainLoss ?? v.train_loss),
      valLoss: num(v.valLoss ?? v.val_loss),
      trainAccuracy: num(v.trainAccuracy ?? v.train_accuracy),
      valAccuracy: num(v.valAccuracy ?? v.val_accuracy),
      valMacroF1: num(v.valMacroF1 ?? v.val_macro_f1),
    });
  });
  return out;
}

export function normalizeReport(raw: unknown): NormalizedReport {
  const missing: string[] = [];
  if (!isRec(raw)) {
    return { summary: [], classes: [], confusionLabels: [], confusion: [], history: [], missing: ['the report is not a JSON object'] };
  }
  const ev = evaluationPart(raw);
  const summary: { key: string; value: number }[] = [];
  for (const k of SUMMARY_KEYS) {
    const v = num(ev[k]);
    if (v !== undefined) summary.push({ key: k, value: v });
  }
  const classes = readClasses(ev);
  if (classes.length === 0) missing.push('per-class precision/recall/F1');

  let confusion = readMatrix(ev.confusion) ?? [];
  const labels = ev.labels ?? raw.labels;
  let confusionLabels: string[];
  if (Array.isArray(labels) && labels.every((l) => typeof l === 'string')) confusionLabels = labels as string[];
  else confusionLabels = classes.map((c) => c.label);
  if (confusion.length === 0) missing.push('confusion matrix');
  else if (confusionLabels.length !== confusion.length) {
    missing.push(`confusion matrix labels (${confusion.length} rows, ${confusionLabels.length} labels)`);
    confusionLabels = confusion.map((_, i) => `#${i}`);
  }
  const history = readHistory(raw);
  if (history.length === 0) missing.push('training curves (no per-epoch history in the report)');
  if (confusion.length > 0 && confusion.length > 60) {
    missing.push(`confusion matrix too large to draw (${confusion.length} classes)`);
    confusion = [];
  }
  return { summary, classes, confusionLabels, confusion, history, missing };
}
