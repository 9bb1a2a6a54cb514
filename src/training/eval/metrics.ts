/**
 * Classification metrics for the primary-category softmax. Pure functions over probability rows
 * (one Float32Array / number[] per example) and integer truth labels.
 *
 * Conventions (documented because libraries differ):
 * - confusion[t][p] counts examples with truth t predicted as p (rows = truth).
 * - Precision of a class that is never predicted is 0 (sklearn's zero_division=0); same for recall of
 *   a class with no support.
 * - macro-F1 averages F1 over the classes that occur in the truth or in the predictions (sklearn's
 *   default when `labels` is not given), so a class that never occurs and is never predicted does not
 *   drag the mean down, but a class that occurs and is never predicted counts with F1 = 0.
 * - ECE is the top-label ECE with `bins` equal-width bins; bin b holds confidences in (b/B, (b+1)/B]
 *   (confidence exactly 0 goes to bin 0).
 * - argmax ties go to the lowest index.
 */

export type ProbRow = ArrayLike<number>;
export type Truth = ArrayLike<number>;

export interface ClassPRF {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvaluationReport {
  n: number;
  accuracy: number;
  macro_f1: number;
  top3: number;
  ece: number;
  per_class: Record<string, ClassPRF>;
  /** confusion[truth][predicted], rows and columns in `labels` order. */
  confusion: number[][];
}

export function argmax(row: ProbRow): number {
  let best = 0;
  let bestV = -Infinity;
  for (let i = 0; i < row.length; i++) {
    if (row[i] > bestV) {
      bestV = row[i];
      best = i;
    }
  }
  return best;
}

function checkShapes(probs: ArrayLike<ProbRow>, truth: Truth): void {
  if (probs.length !== truth.length) {
    throw new Error(`metrics: ${probs.length} prediction rows but ${truth.length} truth labels`);
  }
}

function inferNumClasses(probs: ArrayLike<ProbRow>, truth: Truth): number {
  let k = probs.length > 0 ? probs[0].length : 0;
  for (let i = 0; i < truth.length; i++) k = Math.max(k, truth[i] + 1);
  return k;
}

export function predictions(probs: ArrayLike<ProbRow>): Int32Array {
  const out = new Int32Array(probs.length);
  for (let i = 0; i < probs.length; i++) out[i] = argmax(probs[i]);
  return out;
}

export function accuracy(probs: ArrayLike<ProbRow>, truth: Truth): number {
  checkShapes(probs, truth);
  if (truth.length === 0) return NaN;
  let ok = 0;
  for (let i = 0; i < truth.length; i++) if (argmax(probs[i]) === truth[i]) ok++;
  return ok / truth.length;
}

/** confusion[t][p]; numClasses defaults to the row width (or the largest label + 1). */
export function confusionMatrix(probs: ArrayLike<ProbRow>, truth: Truth, numClasses?: number): number[][] {
  checkShapes(probs, truth);
  const k = numClasses ?? inferNumClasses(probs, truth);
  const m: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    if (t < 0 || t >= k) throw new Error(`metrics: truth label ${t} outside 0..${k - 1}`);
    m[t][argmax(probs[i])]++;
  }
  return m;
}

function prfFromConfusion(m: number[][]): ClassPRF[] {
  const k = m.length;
  const out: ClassPRF[] = [];
  for (let c = 0; c < k; c++) {
    const tp = m[c][c];
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < k; j++) {
      support += m[c][j];
      predicted += m[j][c];
    }
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    out.push({ precision, recall, f1, support });
  }
  return out;
}

/** Precision, recall, F1 and support per class (index order). */
export function perClassPRF(probs: ArrayLike<ProbRow>, truth: Truth, numClasses?: number): ClassPRF[] {
  return prfFromConfusion(confusionMatrix(probs, truth, numClasses));
}

function macroF1FromConfusion(m: number[][]): number {
  const prf = prfFromConfusion(m);
  let sum = 0;
  let count = 0;
  for (let c = 0; c < m.length; c++) {
    let predicted = 0;
    for (let j = 0; j < m.length; j++) predicted += m[j][c];
    if (prf[c].support === 0 && predicted === 0) continue;
    sum += prf[c].f1;
    count++;
  }
  return count > 0 ? sum / count : NaN;
}

export function macroF1(probs: ArrayLike<ProbRow>, truth: Truth, numClasses?: number): number {
  return macroF1FromConfusion(confusionMatrix(probs, truth, numClasses));
}

/** Fraction of examples whose true label is among the k highest probabilities. */
export function topKAccuracy(probs: ArrayLike<ProbRow>, truth: Truth, k: number): number {
  checkShapes(probs, truth);
  if (truth.length === 0) return NaN;
  let ok = 0;
  for (let i = 0; i < truth.length; i++) {
    const row = probs[i];
    const pt = row[truth[i]];
    // rank = number of classes strictly better, plus ties at lower index (consistent with argmax)
    let better = 0;
    for (let j = 0; j < row.length; j++) {
      if (row[j] > pt || (row[j] === pt && j < truth[i])) better++;
    }
    if (better < k) ok++;
  }
  return ok / truth.length;
}

/** Top-label expected calibration error with equal-width bins. */
export function expectedCalibrationError(probs: ArrayLike<ProbRow>, truth: Truth, bins = 15): number {
  checkShapes(probs, truth);
  if (truth.length === 0) return NaN;
  const count = new Float64Array(bins);
  const confSum = new Float64Array(bins);
  const correctSum = new Float64Array(bins);
  for (let i = 0; i < truth.length; i++) {
    const pred = argmax(probs[i]);
    const conf = probs[i][pred];
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(conf * bins) - 1));
    count[b]++;
    confSum[b] += conf;
    if (pred === truth[i]) correctSum[b]++;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    ece += (count[b] / truth.length) * Math.abs(correctSum[b] / count[b] - confSum[b] / count[b]);
  }
  return ece;
}

/** Mean negative log-likelihood of the true class (probabilities clipped at eps). */
export function logLoss(probs: ArrayLike<ProbRow>, truth: Truth, eps = 1e-15): number {
  checkShapes(probs, truth);
  if (truth.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < truth.length; i++) s -= Math.log(Math.max(eps, probs[i][truth[i]]));
  return s / truth.length;
}

/** All headline metrics in the JSON shape the CLI prints. */
export function evaluate(probs: ArrayLike<ProbRow>, truth: Truth, labels: string[]): EvaluationReport {
  checkShapes(probs, truth);
  const confusion = confusionMatrix(probs, truth, labels.length);
  const prf = prfFromConfusion(confusion);
  const per_class: Record<string, ClassPRF> = {};
  labels.forEach((l, i) => (per_class[l] = prf[i]));
  return {
    n: truth.length,
    accuracy: accuracy(probs, truth),
    macro_f1: macroF1FromConfusion(confusion),
    top3: topKAccuracy(probs, truth, 3),
    ece: expectedCalibrationError(probs, truth),
    per_class,
    confusion,
  };
}

/**
 * Keeps only the columns `labelIdx` of each probability row and renormalises them to sum to 1
 * (uniform if they are all zero). Column j of the result is label labelIdx[j].
 */
export function restrictToLabels(probs: ArrayLike<ProbRow>, labelIdx: ArrayLike<number>): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; i < probs.length; i++) {
    const row = new Float32Array(labelIdx.length);
    let s = 0;
    for (let j = 0; j < labelIdx.length; j++) {
      const v = probs[i][labelIdx[j]];
      row[j] = v;
      s += v;
    }
    if (s > 0) for (let j = 0; j < row.length; j++) row[j] /= s;
    else row.fill(1 / Math.max(1, row.length));
    out.push(row);
  }
  return out;
}

/**
 * Maps full-label truth to positions in `labelIdx` (-1 when the true label is not in the subset).
 * Use with restrictToLabels: keep the examples whose mapped truth is >= 0.
 */
export function mapTruthToSubset(truth: Truth, labelIdx: ArrayLike<number>): Int32Array {
  const pos = new Map<number, number>();
  for (let j = 0; j < labelIdx.length; j++) pos.set(labelIdx[j], j);
  const out = new Int32Array(truth.length);
  for (let i = 0; i < truth.length; i++) out[i] = pos.get(truth[i]) ?? -1;
  return out;
}

/**
 * Evaluation restricted to a label subset (e.g. the 4 main cs classes): examples whose truth is outside
 * the subset are dropped, predictions are renormalised over the subset.
 */
export function evaluateOnSubset(
  probs: ArrayLike<ProbRow>,
  truth: Truth,
  labels: string[],
  subset: string[],
): EvaluationReport {
  checkShapes(probs, truth);
  const idx = subset.map((l) => {
    const i = labels.indexOf(l);
    if (i < 0) throw new Error(`evaluateOnSubset: label ${l} is not one of the model's labels`);
    return i;
  });
  const mapped = mapTruthToSubset(truth, idx);
  const keptProbs: ProbRow[] = [];
  const keptTruth: number[] = [];
  for (let i = 0; i < mapped.length; i++) {
    if (mapped[i] < 0) continue;
    keptProbs.push(probs[i]);
    keptTruth.push(mapped[i]);
  }
  return evaluate(restrictToLabels(keptProbs, idx), keptTruth, subset);
}
