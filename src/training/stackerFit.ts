/**
 * Fitting the stacking meta-learner (src/model/stacking.ts holds the Stacker that inference applies).
 * Full-batch Adam on the mean NLL + l2/2 * ||theta - theta0||^2 for a fixed number of iterations
 * (deterministic: no sampling); the modes, defaults and regularisation are described in src/model/stacking.ts.
 */
import {
  STACKER_DEFAULTS, Stacker, flattenRow, initialWeights, rowsOf, stackLogits, type StackerOptions,
} from '../model/stacking';
import { Rng } from './random';

function checkBase(base: ArrayLike<ArrayLike<ArrayLike<number>>>, truth: ArrayLike<number>): { K: number; N: number; C: number } {
  const K = base.length;
  if (K < 1) throw new Error('fitStacker: no base models');
  const N = truth.length;
  if (N === 0) throw new Error('fitStacker: no examples');
  const C = base[0][0]?.length ?? 0;
  if (C < 2) throw new Error('fitStacker: need at least two classes');
  for (let m = 0; m < K; m++) {
    if (base[m].length !== N) throw new Error(`fitStacker: model ${m} has ${base[m].length} rows, truth has ${N}`);
    for (let i = 0; i < N; i++) if (base[m][i].length !== C) throw new Error(`fitStacker: model ${m} row ${i} has ${base[m][i].length} classes, expected ${C}`);
  }
  for (let i = 0; i < N; i++) if (!Number.isInteger(truth[i]) || truth[i] < 0 || truth[i] >= C) throw new Error(`fitStacker: label ${truth[i]} outside 0..${C - 1}`);
  return { K, N, C };
}

/**
 * Fits the stacker on base-model log-probabilities baseLogProbs[model][example][class] and truth labels.
 */
export function fitStacker(
  baseLogProbs: ArrayLike<ArrayLike<ArrayLike<number>>>,
  truth: ArrayLike<number>,
  options: StackerOptions = {},
): Stacker {
  const o = { ...STACKER_DEFAULTS, ...options };
  const { K, N, C } = checkBase(baseLogProbs, truth);
  const w0 = initialWeights(o.mode, K, C);
  const w = w0.slice();
  const b = new Float64Array(C);
  const P = w.length + C;
  const grad = new Float64Array(P);
  const m1 = new Float64Array(P);
  const m2 = new Float64Array(P);
  const z = new Float64Array(C);
  const r = new Float64Array(C);
  const D = K * C;
  const b1 = 0.9, b2 = 0.999, eps = 1e-8;
  // flatten and clip once: the loop below runs `iterations` times over all examples
  const X = new Float64Array(N * D);
  for (let i = 0; i < N; i++) flattenRow(rowsOf(baseLogProbs, i), K, C, X, i * D);
  for (let it = 1; it <= o.iterations; it++) {
    grad.fill(0);
    for (let i = 0; i < N; i++) {
      const off = i * D;
      stackLogits(o.mode, w, b, K, C, X, off, z);
      let mx = -Infinity;
      for (let c = 0; c < C; c++) mx = Math.max(mx, z[c]);
      let s = 0;
      for (let c = 0; c < C; c++) s += r[c] = Math.exp(z[c] - mx);
      for (let c = 0; c < C; c++) r[c] = (r[c] / s - (c === truth[i] ? 1 : 0)) / N;
      if (o.mode === 'scalar') {
        for (let m = 0; m < K; m++) {
          let acc = 0;
          for (let c = 0; c < C; c++) acc += r[c] * X[off + m * C + c];
          grad[m] += acc;
        }
      } else if (o.mode === 'classwise') {
        for (let j = 0; j < D; j++) grad[j] += r[j % C] * X[off + j];
      } else {
        for (let col = 0; col < D; col++) {
          const x = X[off + col];
          for (let c = 0; c < C; c++) grad[c * D + col] += r[c] * x;
        }
      }
      for (let c = 0; c < C; c++) grad[w.length + c] += r[c];
    }
    for (let j = 0; j < w.length; j++) grad[j] += o.l2 * (w[j] - w0[j]);
    const lr = o.lr * (1 - 0.9 * (it - 1) / o.iterations);
    const bc1 = 1 - Math.pow(b1, it), bc2 = 1 - Math.pow(b2, it);
    for (let j = 0; j < P; j++) {
      m1[j] = b1 * m1[j] + (1 - b1) * grad[j];
      m2[j] = b2 * m2[j] + (1 - b2) * grad[j] * grad[j];
      const step = (lr * (m1[j] / bc1)) / (Math.sqrt(m2[j] / bc2) + eps);
      if (j < w.length) w[j] -= step;
      else b[j - w.length] -= step;
    }
  }
  return new Stacker(o.mode, K, C, w, b);
}

export interface HeldOutScore {
  accuracy: number;
  nll: number;
}

export interface CrossValidatedStacker {
  /** refitted on all examples: the one to ship */
  stacker: Stacker;
  /** k-fold out-of-fold score of the stacker */
  heldOut: HeldOutScore;
  /** score of each base model alone on the same examples (it was not fitted on them) */
  baseScores: HeldOutScore[];
  /** score of the plain average of log-probabilities on the same examples */
  averageScore: HeldOutScore;
  /** out-of-fold stacker logits per example */
  outOfFoldLogits: Float32Array[];
}

function score(logits: ArrayLike<ArrayLike<number>>, truth: ArrayLike<number>): HeldOutScore {
  let ok = 0, nll = 0;
  for (let i = 0; i < truth.length; i++) {
    const z = logits[i];
    let mx = -Infinity, am = 0;
    for (let c = 0; c < z.length; c++) if (z[c] > mx) { mx = z[c]; am = c; }
    let s = 0;
    for (let c = 0; c < z.length; c++) s += Math.exp(z[c] - mx);
    nll += Math.log(s) + mx - z[truth[i]];
    if (am === truth[i]) ok++;
  }
  return { accuracy: ok / truth.length, nll: nll / truth.length };
}

/**
 * k-fold cross-validation of the stacker on the validation predictions (seeded fold assignment), so
 * its reported score is not measured on the examples it was fitted on.
 */
export function crossValidatedStacker(
  baseLogProbs: ArrayLike<ArrayLike<ArrayLike<number>>>,
  truth: ArrayLike<number>,
  options: StackerOptions & { folds?: number; seed?: number } = {},
): CrossValidatedStacker {
  const { K, N, C } = checkBase(baseLogProbs, truth);
  const folds = Math.max(2, Math.min(options.folds ?? 5, N));
  const perm = new Rng(options.seed ?? 7).permutation(N);
  const foldOf = new Int32Array(N);
  perm.forEach((ex, p) => (foldOf[ex] = p % folds));
  const oof: Float32Array[] = new Array(N);
  for (let f = 0; f < folds; f++) {
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    for (let i = 0; i < N; i++) (foldOf[i] === f ? testIdx : trainIdx).push(i);
    const sub = (idx: number[]) => Array.from({ length: K }, (_, m) => idx.map((i) => baseLogProbs[m][i]));
    const s = fitStacker(sub(trainIdx), trainIdx.map((i) => truth[i]), options);
    for (const i of testIdx) oof[i] = s.predictLogits(rowsOf(baseLogProbs, i));
  }
  const baseScores: HeldOutScore[] = [];
  for (let m = 0; m < K; m++) baseScores.push(score(Array.from({ length: N }, (_, i) => baseLogProbs[m][i]), truth));
  const avg = Stacker.average(K, C, 'scalar');
  const averageScore = score(Array.from({ length: N }, (_, i) => avg.predictLogits(rowsOf(baseLogProbs, i))), truth);
  return {
    stacker: fitStacker(baseLogProbs, truth, options),
    heldOut: score(oof, truth),
    baseScores,
    averageScore,
    outOfFoldLogits: oof,
  };
}
