/**
 * Stacking ensemble meta-learner: a small multinomial logistic regression fitted on validation-set
 * predictions of K base models (e.g. the n-gram model and the neural model).
 *
 * Input per example: the K base models' log-probability vectors over the same C labels (clipped at
 * LOGP_FLOOR so a zero probability cannot produce -Infinity). Output: C logits.
 *
 * Modes (parameter count, from most constrained to most flexible):
 *  - 'scalar':    z_c = sum_m w_m * logp_m[c] + b_c                (K + C): a weighted geometric mean.
 *  - 'classwise': z_c = sum_m w_{m,c} * logp_m[c] + b_c            (K*C + C): "trust model m for class c".
 *  - 'full':      z   = A [logp_1; ...; logp_K] + b, A is C x (K*C) (K*C*C + C): the textbook stacker on the
 *                 concatenated log-probabilities. Cost per iteration is N*C*K*C, so with C = 45 it is slow
 *                 and needs many validation examples not to overfit; prefer 'classwise' there.
 * All modes start from, and are L2-regularised towards, the plain average of the log-probabilities
 * (w = 1/K, A = [I/K ... I/K], b = 0) rather than towards zero: strong regularisation therefore yields the
 * geometric-mean ensemble, never a uniform prediction.
 *
 * Fitting (src/training/stackerFit.ts): full-batch Adam on the mean NLL + l2/2 * ||theta - theta0||^2 for a fixed number of iterations
 * (deterministic: no sampling). Defaults (150 iterations, lr 0.1) reached the same held-out NLL as 300
 * iterations at lr 0.05 on an 11k-example, 37-class, 2-model problem; 'classwise' costs ~3 s CPU per fit there. Because the stacker is fitted on the validation set, its score on that
 * set is optimistic: crossValidatedStacker() reports the k-fold held-out score of the stacker and of each
 * base model on the same folds, and returns a stacker refitted on all of the validation data.
 */
export type StackerMode = 'scalar' | 'classwise' | 'full';

export const LOGP_FLOOR = -30;
export const STACKER_FORMAT = 'arxiv-classifier/stacker';

export interface StackerOptions {
  mode?: StackerMode;
  /** strength of the pull towards the averaging ensemble */
  l2?: number;
  iterations?: number;
  lr?: number;
}

export interface StackerJson {
  format: string;
  version: 1;
  mode: StackerMode;
  numModels: number;
  numClasses: number;
  weights: number[];
  bias: number[];
}

export const STACKER_DEFAULTS: Required<StackerOptions> = { mode: 'classwise', l2: 1e-3, iterations: 150, lr: 0.1 };

export function paramCount(mode: StackerMode, K: number, C: number): number {
  return mode === 'scalar' ? K : mode === 'classwise' ? K * C : C * K * C;
}

/** Starting point of fitting and the averaging ensemble: w = 1/K (A = [I/K ... I/K] in 'full'). */
export function initialWeights(mode: StackerMode, K: number, C: number): Float64Array {
  const w = new Float64Array(paramCount(mode, K, C));
  if (mode === 'full') {
    const D = K * C;
    for (let c = 0; c < C; c++) for (let m = 0; m < K; m++) w[c * D + m * C + c] = 1 / K;
  } else w.fill(1 / K);
  return w;
}

export class Stacker {
  constructor(
    readonly mode: StackerMode,
    readonly numModels: number,
    readonly numClasses: number,
    readonly weights: Float64Array,
    readonly bias: Float64Array,
  ) {
    if (weights.length !== paramCount(mode, numModels, numClasses) || bias.length !== numClasses) {
      throw new Error(`Stacker: parameter shapes do not match mode ${mode} with ${numModels} models and ${numClasses} classes`);
    }
  }

  /** The averaging ensemble (what an untrained or infinitely regularised stacker predicts). */
  static average(numModels: number, numClasses: number, mode: StackerMode = 'classwise'): Stacker {
    return new Stacker(mode, numModels, numClasses, initialWeights(mode, numModels, numClasses), new Float64Array(numClasses));
  }

  /** Logits from one example's per-model log-probabilities (perModelLogProbs[m] has numClasses entries). */
  predictLogits(perModelLogProbs: ArrayLike<ArrayLike<number>>): Float32Array {
    const K = this.numModels, C = this.numClasses;
    if (perModelLogProbs.length !== K) throw new Error(`Stacker: expected ${K} models' log-probabilities, got ${perModelLogProbs.length}`);
    for (let m = 0; m < K; m++) {
      if (perModelLogProbs[m].length !== C) throw new Error(`Stacker: model ${m} gave ${perModelLogProbs[m].length} log-probabilities, expected ${C}`);
    }
    const z = new Float64Array(C);
    const x = new Float64Array(K * C);
    flattenRow(perModelLogProbs, K, C, x, 0);
    stackLogits(this.mode, this.weights, this.bias, K, C, x, 0, z);
    return Float32Array.from(z);
  }

  toJSON(): StackerJson {
    return {
      format: STACKER_FORMAT,
      version: 1,
      mode: this.mode,
      numModels: this.numModels,
      numClasses: this.numClasses,
      weights: Array.from(this.weights),
      bias: Array.from(this.bias),
    };
  }

  static fromJSON(json: unknown): Stacker {
    const j = json as StackerJson;
    const bad = (msg: string): never => {
      throw new Error(`Corrupt or incompatible stacker: ${msg}`);
    };
    if (!j || typeof j !== 'object') bad('not an object');
    if (j.format !== STACKER_FORMAT || j.version !== 1) bad(`unknown format ${JSON.stringify(j.format)} v${j.version}`);
    if (!['scalar', 'classwise', 'full'].includes(j.mode)) bad(`unknown mode ${JSON.stringify(j.mode)}`);
    if (!Number.isInteger(j.numModels) || j.numModels < 1 || !Number.isInteger(j.numClasses) || j.numClasses < 2) bad('bad model/class counts');
    if (!Array.isArray(j.weights) || !Array.isArray(j.bias)) bad('weights/bias missing');
    if (![...j.weights, ...j.bias].every((x) => typeof x === 'number' && Number.isFinite(x))) bad('non-finite parameter');
    if (j.weights.length !== paramCount(j.mode, j.numModels, j.numClasses) || j.bias.length !== j.numClasses) bad('parameter count does not match');
    return new Stacker(j.mode, j.numModels, j.numClasses, Float64Array.from(j.weights), Float64Array.from(j.bias));
  }
}

function clipLogp(x: number): number {
  return x >= LOGP_FLOOR ? x : LOGP_FLOOR; // also maps NaN to the floor
}

/** Clipped log-probabilities of one example, models concatenated: x[m * C + c]. */
export function flattenRow(lp: ArrayLike<ArrayLike<number>>, K: number, C: number, out: Float64Array, off: number): void {
  for (let m = 0; m < K; m++) for (let c = 0; c < C; c++) out[off + m * C + c] = clipLogp(lp[m][c]);
}

/** z = stacker logits of the example stored at X[off .. off + K*C). */
export function stackLogits(
  mode: StackerMode, w: Float64Array, b: Float64Array, K: number, C: number,
  X: Float64Array, off: number, z: Float64Array,
): void {
  for (let c = 0; c < C; c++) z[c] = b[c];
  if (mode === 'scalar') {
    for (let m = 0; m < K; m++) for (let c = 0; c < C; c++) z[c] += w[m] * X[off + m * C + c];
  } else if (mode === 'classwise') {
    for (let m = 0; m < K; m++) for (let c = 0; c < C; c++) z[c] += w[m * C + c] * X[off + m * C + c];
  } else {
    const D = K * C;
    for (let col = 0; col < D; col++) {
      const x = X[off + col];
      if (x === 0) continue;
      for (let c = 0; c < C; c++) z[c] += w[c * D + col] * x;
    }
  }
}

/** Gathers example i's per-model rows. */
export function rowsOf(base: ArrayLike<ArrayLike<ArrayLike<number>>>, i: number): ArrayLike<number>[] {
  const out: ArrayLike<number>[] = [];
  for (let m = 0; m < base.length; m++) out.push(base[m][i]);
  return out;
}
