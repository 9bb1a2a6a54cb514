/**
 * Trainer for the n-gram linear model: mini-batch AdamW on sparse TF-IDF features.
 *
 * Both heads share one row-major weight matrix [numFeatures][C + M] during training, so one pass over a
 * document's non-zero features serves the softmax (C primary labels) and the sigmoid head (M labels).
 * Only the rows of features present in the batch are updated ("lazy" Adam, as in TF's LazyAdam); the
 * decoupled weight decay (AdamW's, coefficient `l2`) of untouched rows is applied exactly but lazily via
 * a running log-product of the per-step decay factors. The learning rate decays linearly to 10% of `lr`
 * over the planned steps. Shuffling is seeded; with a validation set the weights of the epoch with the
 * lowest validation NLL are kept (early stopping with `patience`).
 *
 * Loss per example: w_y * CE(softmax(z_p), smoothed one-hot) + multiLossWeight * (sum of the BCE of the
 * M sigmoid labels), averaged over the batch.
 */
import { Rng } from '../random';
import type { NgramFeaturizer, SparseVector } from '../../model/ngram/featurizer';
import { NgramModel } from '../../model/ngram/model';

export interface NgramTrainData {
  features: SparseVector[];
  /** primary label index per example (0..labels.length-1) */
  primary: Int32Array | number[];
  /**
   * multi labels per example: a Uint8Array of length multiLabels.length (0/1 indicators), or a plain
   * array of the indices of the labels that are listed. May be omitted when there are no multi labels.
   */
  multi?: (Uint8Array | number[])[];
}

export interface EpochInfo {
  epoch: number;
  trainLoss: number;
  valLoss?: number;
  valAccuracy?: number;
  /** wall-clock seconds of the epoch */
  seconds: number;
  /** CPU seconds (user + system) of this process during the epoch, when measurable */
  cpuSeconds?: number;
}

export interface NgramTrainOptions {
  featurizer: NgramFeaturizer;
  labels: string[];
  multiLabels: string[];
  epochs?: number;
  lr?: number;
  /** decoupled weight decay per unit learning rate (AdamW) */
  l2?: number;
  batchSize?: number;
  /** explicit per-class weights, 'balanced' (n / (C * count)), 'sqrt' (square root of balanced), or none */
  classWeights?: ArrayLike<number> | 'balanced' | 'sqrt';
  /** epsilon of label smoothing for the softmax head (0 = none) */
  labelSmoothing?: number;
  /** weight of the sigmoid head's loss relative to the softmax head's */
  multiLossWeight?: number;
  seed?: number;
  /** validation set for early stopping (and the EpochInfo val numbers) */
  validation?: NgramTrainData;
  /** stop after this many epochs without a better validation NLL */
  patience?: number;
  onEpoch?: (info: EpochInfo) => void;
}

/** Defaults chosen on the arXiv validation split (see src/model/ngram/README.md). */
const DEFAULTS = {
  epochs: 3,
  lr: 0.02,
  l2: 1e-4,
  batchSize: 512,
  labelSmoothing: 0,
  multiLossWeight: 1,
  seed: 1,
  patience: 1,
};

function multiIndicator(m: Uint8Array | number[] | undefined, M: number): Uint8Array {
  if (m === undefined) return new Uint8Array(M);
  if (m instanceof Uint8Array) {
    if (m.length !== M) throw new Error(`multi indicator has length ${m.length}, expected ${M}`);
    return m;
  }
  const out = new Uint8Array(M);
  for (const j of m) {
    if (!Number.isInteger(j) || j < 0 || j >= M) throw new Error(`multi label index ${j} outside 0..${M - 1}`);
    out[j] = 1;
  }
  return out;
}

export function computeClassWeights(primary: ArrayLike<number>, C: number, mode: 'balanced' | 'sqrt'): Float32Array {
  const counts = new Float64Array(C);
  for (let i = 0; i < primary.length; i++) counts[primary[i]]++;
  const w = new Float32Array(C);
  let mean = 0;
  let present = 0;
  for (let c = 0; c < C; c++) {
    if (counts[c] === 0) continue;
    const b = primary.length / (C * counts[c]);
    w[c] = mode === 'balanced' ? b : Math.sqrt(b);
    mean += w[c] * counts[c];
    present += counts[c];
  }
  // normalise so the average example weight is 1 (keeps lr and l2 comparable across modes)
  mean /= Math.max(1, present);
  for (let c = 0; c < C; c++) w[c] = counts[c] > 0 ? w[c] / mean : 1;
  return w;
}

function validate(data: NgramTrainData, F: number, C: number, M: number, what: string): Uint8Array[] {
  const n = data.features.length;
  if (data.primary.length !== n) throw new Error(`${what}: ${n} feature rows but ${data.primary.length} primary labels`);
  if (data.multi && data.multi.length !== n) throw new Error(`${what}: ${n} feature rows but ${data.multi.length} multi-label rows`);
  for (let i = 0; i < n; i++) {
    const y = data.primary[i];
    if (!Number.isInteger(y) || y < 0 || y >= C) throw new Error(`${what}: primary label ${y} of example ${i} outside 0..${C - 1}`);
    const x = data.features[i];
    if (x.indices.length !== x.values.length) throw new Error(`${what}: example ${i} has mismatched indices/values`);
    for (let k = 0; k < x.indices.length; k++) {
      if (x.indices[k] < 0 || x.indices[k] >= F) throw new Error(`${what}: feature index ${x.indices[k]} of example ${i} outside 0..${F - 1}`);
    }
  }
  return data.features.map((_, i) => multiIndicator(data.multi?.[i], M));
}

export function trainNgramModel(data: NgramTrainData, options: NgramTrainOptions): NgramModel {
  const o = { ...DEFAULTS, ...options };
  const F = o.featurizer.numFeatures;
  const C = o.labels.length;
  const M = o.multiLabels.length;
  const K = C + M;
  const n = data.features.length;
  if (n === 0) throw new Error('trainNgramModel: no training examples');
  if (C < 2) throw new Error('trainNgramModel: need at least two primary labels');
  const multiY = validate(data, F, C, M, 'training data');
  const val = o.validation;
  const valMulti = val ? validate(val, F, C, M, 'validation data') : undefined;
  void valMulti;

  let classW: Float32Array;
  if (o.classWeights === undefined) classW = new Float32Array(C).fill(1);
  else if (o.classWeights === 'balanced' || o.classWeights === 'sqrt') classW = computeClassWeights(data.primary, C, o.classWeights);
  else {
    if (o.classWeights.length !== C) throw new Error(`classWeights has ${o.classWeights.length} entries, expected ${C}`);
    classW = Float32Array.from(o.classWeights);
  }

  const W = new Float32Array(F * K);
  const bias = new Float32Array(K);
  // start the biases at the log priors: the first epoch then spends its steps on the features
  {
    const cnt = new Float64Array(K);
    for (let i = 0; i < n; i++) {
      cnt[data.primary[i]]++;
      const y = multiY[i];
      for (let j = 0; j < M; j++) cnt[C + j] += y[j];
    }
    for (let c = 0; c < C; c++) bias[c] = Math.log((cnt[c] + 1) / (n + C));
    for (let j = 0; j < M; j++) {
      const p = (cnt[C + j] + 1) / (n + 2);
      bias[C + j] = Math.log(p / (1 - p));
    }
  }
  const mW = new Float32Array(F * K);
  const vW = new Float32Array(F * K);
  const mB = new Float32Array(K);
  const vB = new Float32Array(K);
  const G = new Float32Array(F * K);
  const gB = new Float64Array(K);
  const lastDecay = new Int32Array(F); // step up to which a row's weight decay has been applied
  const touchedStamp = new Int32Array(F).fill(-1);
  const touched = new Int32Array(F);

  const b1 = 0.9, b2 = 0.999, eps = 1e-8;
  const B = Math.max(1, Math.floor(o.batchSize));
  const stepsPerEpoch = Math.ceil(n / B);
  const totalSteps = stepsPerEpoch * o.epochs;
  const cumLogDecay = new Float64Array(totalSteps + 1);
  const lrAt = (t: number) => o.lr * (1 - 0.9 * Math.min(1, (t - 1) / Math.max(1, totalSteps)));
  const smooth = o.labelSmoothing;
  const rng = new Rng(o.seed);
  const z = new Float64Array(K);
  const g = new Float32Array(K);

  const catchUpDecay = (f: number, t: number) => {
    const last = lastDecay[f];
    if (last === t) return;
    scaleRow(W, f * K, K, Math.exp(cumLogDecay[t] - cumLogDecay[last]));
    lastDecay[f] = t;
  };
  const flushDecay = (t: number) => {
    for (let f = 0; f < F; f++) catchUpDecay(f, t);
  };

  const forward = (x: SparseVector, out: Float64Array) => linearForward(x, W, bias, K, out);

  /** mean primary NLL and accuracy on a data set with the current weights (after flushDecay) */
  const evalSet = (d: NgramTrainData) => {
    let loss = 0, ok = 0;
    const zz = new Float64Array(K);
    for (let i = 0; i < d.features.length; i++) {
      forward(d.features[i], zz);
      let m = -Infinity, am = 0;
      for (let c = 0; c < C; c++) if (zz[c] > m) { m = zz[c]; am = c; }
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(zz[c] - m);
      loss += Math.log(s) + m - zz[d.primary[i]];
      if (am === d.primary[i]) ok++;
    }
    return { loss: loss / Math.max(1, d.features.length), accuracy: ok / Math.max(1, d.features.length) };
  };

  let step = 0;
  let best: { W: Float32Array; bias: Float32Array; epoch: number; loss: number } | undefined;
  let sinceBest = 0;
  const history: EpochInfo[] = [];
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;

  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const t0 = Date.now();
    const cpu0 = cpuNow();
    rng.shuffle(order);
    let lossSum = 0;
    for (let start = 0; start < n; start += B) {
      const end = Math.min(n, start + B);
      const bs = end - start;
      step++;
      const lr = lrAt(step);
      cumLogDecay[step] = cumLogDecay[step - 1] + Math.log(Math.max(1e-12, 1 - lr * o.l2));
      let nTouched = 0;
      gB.fill(0);
      for (let p = start; p < end; p++) {
        const i = order[p];
        const x = data.features[i];
        const y = data.primary[i];
        const yM = multiY[i];
        forward(x, z);
        // softmax head
        let m = -Infinity;
        for (let c = 0; c < C; c++) if (z[c] > m) m = z[c];
        let s = 0;
        for (let c = 0; c < C; c++) s += Math.exp(z[c] - m);
        const lse = Math.log(s) + m;
        const wy = classW[y] / bs;
        let ce = 0;
        for (let c = 0; c < C; c++) {
          const target = (c === y ? 1 - smooth : 0) + smooth / C;
          const pc = Math.exp(z[c] - lse);
          if (target > 0) ce -= target * (z[c] - lse);
          g[c] = wy * (pc - target);
        }
        lossSum += classW[y] * ce;
        // sigmoid head
        const wm = o.multiLossWeight / bs;
        for (let j = 0; j < M; j++) {
          const u = z[C + j];
          const pj = u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u));
          g[C + j] = wm * (pj - yM[j]);
          lossSum += o.multiLossWeight * ((u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u))) - yM[j] * u);
        }
        for (let k = 0; k < K; k++) gB[k] += g[k];
        const idx = x.indices, vals = x.values;
        for (let q = 0; q < idx.length; q++) {
          const f = idx[q];
          if (touchedStamp[f] !== step) {
            touchedStamp[f] = step;
            touched[nTouched++] = f;
          }
          axpy(G, f * K, vals[q], g, K);
        }
      }
      // AdamW update of the touched rows and the biases
      const bc1 = 1 - Math.pow(b1, step);
      const bc2 = 1 - Math.pow(b2, step);
      const stepSize = lr / bc1;
      const invSqrtBc2 = 1 / Math.sqrt(bc2);
      for (let tI = 0; tI < nTouched; tI++) {
        const f = touched[tI];
        catchUpDecay(f, step);
        adamRow(W, mW, vW, G, f * K, K, stepSize, invSqrtBc2, b1, b2, eps);
      }
      for (let k = 0; k < K; k++) {
        const gr = gB[k];
        mB[k] = b1 * mB[k] + (1 - b1) * gr;
        vB[k] = b2 * vB[k] + (1 - b2) * gr * gr;
        bias[k] -= (stepSize * mB[k]) / (Math.sqrt(vB[k]) * invSqrtBc2 + eps); // no decay on biases
      }
    }
    flushDecay(step);
    const info: EpochInfo = { epoch, trainLoss: lossSum / n, seconds: (Date.now() - t0) / 1000 };
    if (cpu0 !== undefined) info.cpuSeconds = cpuNow()! - cpu0;
    if (val && val.features.length > 0) {
      const r = evalSet(val);
      info.valLoss = r.loss;
      info.valAccuracy = r.accuracy;
      if (!best || r.loss < best.loss) {
        best = { W: W.slice(), bias: bias.slice(), epoch, loss: r.loss };
        sinceBest = 0;
      } else sinceBest++;
    }
    history.push(info);
    o.onEpoch?.(info);
    if (best && sinceBest >= o.patience) break;
  }

  const finalW = best ? best.W : W;
  const finalB = best ? best.bias : bias;
  const primaryW = new Float32Array(F * C);
  const multiW = new Float32Array(F * M);
  for (let f = 0; f < F; f++) {
    primaryW.set(finalW.subarray(f * K, f * K + C), f * C);
    multiW.set(finalW.subarray(f * K + C, f * K + K), f * M);
  }
  return new NgramModel({
    featurizer: o.featurizer,
    labels: o.labels,
    multiLabels: o.multiLabels,
    primaryW,
    primaryB: finalB.slice(0, C),
    multiW,
    multiB: finalB.slice(C, K),
    training: {
      epochs: o.epochs,
      epochsRun: history.length,
      bestEpoch: best?.epoch ?? history.length,
      lr: o.lr,
      l2: o.l2,
      batchSize: B,
      labelSmoothing: smooth,
      classWeights: typeof o.classWeights === 'string' ? o.classWeights : o.classWeights ? 'explicit' : 'none',
      seed: o.seed,
      history,
    },
  });
}

/** CPU seconds used by this process (undefined outside Node). */
function cpuNow(): number | undefined {
  if (typeof process === 'undefined' || typeof process.cpuUsage !== 'function') return undefined;
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

// Hot kernels as top-level functions with array parameters: V8 keeps their locals in registers,
// whereas variables captured by closures are re-read from the context object on every iteration.

/** out = b + W^T x for row-major W [F][K] (float64 accumulation). */
function linearForward(x: SparseVector, W: Float32Array, b: Float32Array, K: number, out: Float64Array): void {
  for (let k = 0; k < K; k++) out[k] = b[k];
  const idx = x.indices;
  const vals = x.values;
  for (let q = 0; q < idx.length; q++) {
    const v = vals[q];
    const base = idx[q] * K;
    // unrolled by 4 (~25% faster in V8); per-k summation order is unchanged, so results are identical
    let k = 0;
    for (; k + 3 < K; k += 4) {
      out[k] += v * W[base + k];
      out[k + 1] += v * W[base + k + 1];
      out[k + 2] += v * W[base + k + 2];
      out[k + 3] += v * W[base + k + 3];
    }
    for (; k < K; k++) out[k] += v * W[base + k];
  }
}

/** G[base .. base+K) += v * g */
function axpy(G: Float32Array, base: number, v: number, g: Float32Array, K: number): void {
  let k = 0;
  for (; k + 3 < K; k += 4) {
    G[base + k] += v * g[k];
    G[base + k + 1] += v * g[k + 1];
    G[base + k + 2] += v * g[k + 2];
    G[base + k + 3] += v * g[k + 3];
  }
  for (; k < K; k++) G[base + k] += v * g[k];
}

function scaleRow(W: Float32Array, base: number, K: number, factor: number): void {
  for (let k = 0; k < K; k++) W[base + k] *= factor;
}

/** Adam step on one row; consumes (zeroes) the accumulated gradient. */
function adamRow(
  W: Float32Array, mW: Float32Array, vW: Float32Array, G: Float32Array, base: number, K: number,
  stepSize: number, invSqrtBc2: number, b1: number, b2: number, eps: number,
): void {
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = base, end = base + K; i < end; i++) {
    const gr = G[i];
    G[i] = 0;
    const mm = b1 * mW[i] + c1 * gr;
    const vv = b2 * vW[i] + c2 * gr * gr;
    mW[i] = mm;
    vW[i] = vv;
    W[i] -= (stepSize * mm) / (Math.sqrt(vv) * invSqrtBc2 + eps);
  }
}
