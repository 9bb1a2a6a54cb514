/**
 * Trains the cross-attention model: AdamW with warmup + cosine decay, label smoothing, class weights,
 * dropout, gradient clipping, early stopping on validation macro-F1, per-epoch train/validation metrics,
 * and an atomic checkpoint after every epoch from which a killed run resumes.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../model/tfBackend'; // registers chained ops and the cpu backend
import { existsSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CrossAttentionModel, type ModelInputs } from '../model/crossAttention/model';
import type { CrossAttentionConfig } from '../model/crossAttention/config';
import { AdamW } from './crossAttention/adamw';
import { primaryLoss, multiLabelLoss, type PrimaryLossOptions, type SoftTargets } from './crossAttention/losses';
import { sampleBeta } from './augment/featureSpace';
import { atomicWriteFile, bytesToFloat32, float32ToBytes } from '../model/fsAtomic';
import { macroF1, accuracy } from './eval/metrics';
import { Rng, shuffle } from './random';
import type { EpochMetrics, TrainEvent } from './protocol';

/** Where batches come from: token ids (compact encoder) or cached token states (ONNX encoder). */
export interface BatchSource {
  readonly n: number;
  readonly primary: Int32Array;
  /** n * numMulti, 0/1 */
  readonly multi: Uint8Array;
  readonly numMulti: number;
  /** Builds model inputs for these example indices (tensors are disposed by the caller's tidy). */
  inputs(indices: ArrayLike<number>): ModelInputs;
  /** Similarity of two examples (for SMOTE's nearest neighbour); higher is closer. */
  similarity?(i: number, j: number): number;
}

/** Token-id batches for the compact encoder. Padding id is 0. */
export class TokenIdSource implements BatchSource {
  constructor(
    readonly n: number,
    private readonly titleIds: Int32Array,
    private readonly abstractIds: Int32Array,
    private readonly titleLen: number,
    private readonly abstractLen: number,
    readonly primary: Int32Array,
    readonly multi: Uint8Array,
    readonly numMulti: number,
  ) {}

  /** Jaccard overlap of the abstracts' token sets: a cheap bag-of-words neighbourhood for SMOTE. */
  similarity(i: number, j: number): number {
    const L = this.abstractLen;
    const a = new Set(this.abstractIds.subarray(i * L, (i + 1) * L));
    const b = new Set(this.abstractIds.subarray(j * L, (j + 1) * L));
    a.delete(0);
    b.delete(0);
    let inter = 0;
    for (const x of a) if (b.has(x)) inter++;
    return inter / Math.max(1, a.size + b.size - inter);
  }

  inputs(indices: ArrayLike<number>): ModelInputs {
    const B = indices.length;
    const gatherRows = (src: Int32Array, L: number) => {
      const ids = new Int32Array(B * L);
      const mask = new Float32Array(B * L);
      for (let b = 0; b < B; b++) {
        ids.set(src.subarray(indices[b] * L, indices[b] * L + L), b * L);
        for (let j = 0; j < L; j++) mask[b * L + j] = ids[b * L + j] !== 0 ? 1 : 0;
      }
      return { ids, mask };
    };
    const t = gatherRows(this.titleIds, this.titleLen);
    const a = gatherRows(this.abstractIds, this.abstractLen);
    return {
      titleIds: tf.tensor2d(t.ids, [B, this.titleLen], 'int32'),
      abstractIds: tf.tensor2d(a.ids, [B, this.abstractLen], 'int32'),
      titleMask: t.mask,
      abstractMask: a.mask,
    };
  }
}

export interface CrossAttentionTrainOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  warmupFraction: number;
  clipNorm: number;
  patience: number;
  seed: number;
  loss: PrimaryLossOptions;
  /** Weight of the cross-list (sigmoid) loss relative to the primary loss. */
  multiWeight: number;
  checkpointDir?: string;
  resume?: boolean;
  /** Stop starting new epochs after this many seconds (the best checkpoint is kept). */
  timeBudgetSec?: number;
  /** Evaluate train metrics on at most this many training examples per epoch (cheap overfitting check). */
  trainEvalSample?: number;
  onEvent?: (e: TrainEvent) => void;
  signal?: AbortSignal;
  /** Feature-space augmentation of training batches (see planFeatureMix). */
  featureAugment?: FeatureAugmentOptions;
  /** Fine-tuning: start from these weights (same configuration) instead of a fresh initialisation. */
  initialWeights?: { index: { name: string; shape: number[]; offset: number }[]; data: Float32Array };
  /** Parameters that stay frozen (e.g. the compact encoder's embeddings when fine-tuning). */
  frozen?: (name: string) => boolean;
}

export interface FeatureAugmentOptions {
  /** In-batch mixup of embedded title/abstract sequences with Beta(alpha, alpha) weights. */
  mixup?: { alpha: number };
  /** SMOTE-style: extra rows interpolating a minority-class example with its nearest same-class batch neighbour. */
  smote?: { classes: number[]; ratio: number };
}

/**
 * Decides the interpolated rows of one batch. Rows 0..B-1 are the batch itself (mixed with a permutation
 * under mixup, else unchanged); SMOTE appends, for target-class examples (each with probability ratio - 1,
 * at least one extra row per example when ratio >= 2), a row between the example and its most similar
 * same-class example in the batch, with lambda ~ U(0, 1).
 */
export function planFeatureMix(
  batch: ArrayLike<number>,
  labels: Int32Array,
  opts: FeatureAugmentOptions,
  rng: Rng,
  similarity: ((i: number, j: number) => number) | undefined,
): { a: Int32Array; b: Int32Array; lambda: Float32Array } | undefined {
  if (!opts.mixup && !opts.smote) return undefined;
  const B = batch.length;
  const a: number[] = [], b: number[] = [], lam: number[] = [];
  if (opts.mixup) {
    const perm = shuffle(Int32Array.from({ length: B }, (_, i) => i), rng);
    const l = sampleBeta(rng, opts.mixup.alpha, opts.mixup.alpha);
    for (let i = 0; i < B; i++) {
      a.push(i);
      b.push(perm[i]);
      lam.push(Math.max(l, 1 - l)); // keep the first row dominant so its hard label stays meaningful
    }
  } else {
    for (let i = 0; i < B; i++) {
      a.push(i);
      b.push(i);
      lam.push(1);
    }
  }
  if (opts.smote) {
    const target = new Set(opts.smote.classes);
    for (let i = 0; i < B; i++) {
      if (!target.has(labels[i])) continue;
      let extra = Math.floor(opts.smote.ratio - 1);
      if (rng.next() < opts.smote.ratio - 1 - extra) extra++;
      if (extra <= 0) continue;
      let best = -1, bestSim = -Infinity;
      for (let j = 0; j < B; j++) {
        if (j === i || labels[j] !== labels[i]) continue;
        const sim = similarity ? similarity(batch[i], batch[j]) : rng.next();
        if (sim > bestSim) {
          bestSim = sim;
          best = j;
        }
      }
      if (best < 0) continue;
      for (let e = 0; e < extra; e++) {
        a.push(i);
        b.push(best);
        lam.push(rng.next());
      }
    }
  }
  return { a: Int32Array.from(a), b: Int32Array.from(b), lambda: Float32Array.from(lam) };
}

export interface TrainedCrossAttention {
  model: CrossAttentionModel;
  history: EpochMetrics[];
  bestEpoch: number;
  examplesPerSec: number;
  stoppedBy: 'epochs' | 'early-stopping' | 'time-budget' | 'cancelled';
  /** Seconds of training done by earlier (killed) runs this one resumed from; 0 for a fresh run. */
  resumedSeconds: number;
  /** Seconds of training of the whole run, earlier runs included (what "training time" means to the user). */
  seconds: number;
}

export class CancelledError extends Error {
  constructor() {
    super('Training was cancelled.');
  }
}

/** Logits of both heads for a whole source, in batches, without dropout. */
export function predictAll(
  model: CrossAttentionModel,
  src: BatchSource,
  batchSize = 128,
  indices?: ArrayLike<number>,
): { primary: Float32Array[]; multi: Float32Array[] } {
  const idx = indices ?? Int32Array.from({ length: src.n }, (_, i) => i);
  const primary: Float32Array[] = [];
  const multi: Float32Array[] = [];
  for (let s = 0; s < idx.length; s += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, idx.length - s) }, (_, i) => idx[s + i]);
    const [p, m] = tf.tidy(() => {
      const out = model.forward(src.inputs(batch), false);
      return [out.primaryLogits.dataSync() as Float32Array, out.multiLogits.dataSync() as Float32Array];
    });
    const C = p.length / batch.length;
    const M = m.length / batch.length;
    for (let b = 0; b < batch.length; b++) {
      primary.push(p.slice(b * C, (b + 1) * C));
      multi.push(m.slice(b * M, (b + 1) * M));
    }
  }
  return { primary, multi };
}

function softmaxRows(rows: Float32Array[]): Float32Array[] {
  return rows.map((r) => {
    let max = -Infinity;
    for (const x of r) if (x > max) max = x;
    const e = r.map((x) => Math.exp(x - max));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / s);
  });
}

function meanNll(probs: Float32Array[], truth: Int32Array | number[]): number {
  let s = 0;
  probs.forEach((p, i) => (s -= Math.log(Math.max(1e-12, p[truth[i]]))));
  return s / Math.max(1, probs.length);
}

interface CheckpointMeta {
  version: 1;
  epoch: number; // last completed epoch (1-based)
  history: EpochMetrics[];
  bestEpoch: number;
  bestF1: number;
  badEpochs: number;
  optimizerStep: number;
  optimizerNames: string[];
  weightIndex: { name: string; shape: number[]; offset: number }[];
  config: CrossAttentionConfig;
  /** Training seconds up to the end of this epoch, across resumed runs (absent in older checkpoints). */
  seconds?: number;
}

function saveCheckpoint(dir: string, meta: CheckpointMeta, model: CrossAttentionModel, best: Float32Array, opt: AdamW): void {
  mkdirSync(dir, { recursive: true });
  const w = model.exportWeights();
  const st = opt.exportState();
  const flat = (arrs: Float32Array[]) => {
    const out = new Float32Array(arrs.reduce((a, x) => a + x.length, 0));
    let o = 0;
    for (const a of arrs) {
      out.set(a, o);
      o += a.length;
    }
    return out;
  };
  // Data files first, the meta file last: a kill in between leaves the previous meta pointing at... the new
  // data. So every file carries the epoch in its name and old ones are only removed after the meta is written.
  const tag = `e${meta.epoch}`;
  atomicWriteFile(join(dir, `weights-${tag}.bin`), float32ToBytes(w.data));
  atomicWriteFile(join(dir, `best-${tag}.bin`), float32ToBytes(best));
  atomicWriteFile(join(dir, `adam-m-${tag}.bin`), float32ToBytes(flat(st.m)));
  atomicWriteFile(join(dir, `adam-v-${tag}.bin`), float32ToBytes(flat(st.v)));
  atomicWriteFile(join(dir, 'checkpoint.json'), JSON.stringify({ ...meta, optimizerStep: st.step, optimizerNames: st.names, weightIndex: w.index }, null, 1));
  const prev = `e${meta.epoch - 1}`;
  for (const f of [`weights-${prev}.bin`, `best-${prev}.bin`, `adam-m-${prev}.bin`, `adam-v-${prev}.bin`]) {
    try {
      rmSync(join(dir, f), { force: true });
    } catch {
      /* best effort */
    }
  }
}

function loadCheckpoint(dir: string, model: CrossAttentionModel, opt: AdamW): { meta: CheckpointMeta; best: Float32Array } | undefined {
  const metaPath = join(dir, 'checkpoint.json');
  if (!existsSync(metaPath)) return undefined;
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as CheckpointMeta;
  if (meta.version !== 1) throw new Error(`Checkpoint in ${dir} has unknown version ${meta.version}`);
  if (JSON.stringify(meta.config) !== JSON.stringify(model.config)) {
    throw new Error(`Checkpoint in ${dir} was made for a different model configuration; delete it or change --out.`);
  }
  const tag = `e${meta.epoch}`;
  const weights = bytesToFloat32(readFileSync(join(dir, `weights-${tag}.bin`)));
  const best = bytesToFloat32(readFileSync(join(dir, `best-${tag}.bin`)));
  model.importWeights(meta.weightIndex, weights);
  const m = bytesToFloat32(readFileSync(join(dir, `adam-m-${tag}.bin`)));
  const v = bytesToFloat32(readFileSync(join(dir, `adam-v-${tag}.bin`)));
  const split = (flat: Float32Array) => {
    const out: Float32Array[] = [];
    let o = 0;
    for (const n of meta.optimizerNames) {
      const size = model.p(n).size;
      out.push(flat.slice(o, o + size));
      o += size;
    }
    return out;
  };
  opt.importState({ step: meta.optimizerStep, names: meta.optimizerNames, m: split(m), v: split(v) }, model.params);
  return { meta, best };
}

export async function trainCrossAttention(
  config: CrossAttentionConfig,
  train: BatchSource,
  val: BatchSource,
  o: CrossAttentionTrainOptions,
): Promise<TrainedCrossAttention> {
  const emit = o.onEvent ?? (() => undefined);
  const model = new CrossAttentionModel(config, o.seed);
  if (o.initialWeights) model.importWeights(o.initialWeights.index, o.initialWeights.data);
  // Frozen parameters get no gradient at all (cheaper than computing and dropping it).
  const trainable = o.frozen ? [...model.params].filter(([n]) => !o.frozen!(n)).map(([, v]) => v) : undefined;
  const stepsPerEpoch = Math.ceil(train.n / o.batchSize);
  const totalSteps = stepsPerEpoch * o.epochs;
  const opt = new AdamW({
    lr: o.lr,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: o.weightDecay,
    warmupSteps: Math.max(1, Math.round(totalSteps * o.warmupFraction)),
    totalSteps,
    clipNorm: o.clipNorm,
    noDecay: (n) => !/\/(w\w*|proj|u)$/.test(n) || n.startsWith('emb/token'),
  });
  let history: EpochMetrics[] = [];
  let bestEpoch = 0;
  let bestF1 = -1;
  let badEpochs = 0;
  let startEpoch = 1;
  let resumedSeconds = 0;
  let best = model.exportWeights().data;
  if (o.checkpointDir && o.resume) {
    const ck = loadCheckpoint(o.checkpointDir, model, opt);
    if (ck) {
      ({ history, bestEpoch, bestF1, badEpochs } = ck.meta);
      best = ck.best;
      startEpoch = ck.meta.epoch + 1;
      resumedSeconds = ck.meta.seconds ?? 0;
      emit({ type: 'log', level: 'info', message: `Resumed from checkpoint after epoch ${ck.meta.epoch} (best macro-F1 ${bestF1.toFixed(4)} at epoch ${bestEpoch}).` });
    }
  }
  const started = Date.now();
  let examplesSeen = 0;
  let trainTime = 0;
  let stoppedBy: TrainedCrossAttention['stoppedBy'] = 'epochs';
  if (badEpochs >= o.patience) stoppedBy = 'early-stopping';
  for (let epoch = startEpoch; epoch <= o.epochs && stoppedBy === 'epochs'; epoch++) {
    if (o.timeBudgetSec && epoch > startEpoch && (Date.now() - started) / 1000 > o.timeBudgetSec) {
      stoppedBy = 'time-budget';
      break;
    }
    // The order of epoch e depends only on (seed, e): a resumed run sees the same batches.
    const order = shuffle(Int32Array.from({ length: train.n }, (_, i) => i), new Rng(o.seed * 7919 + epoch));
    const mixRng = new Rng(o.seed * 104729 + epoch);
    let lossSum = 0;
    let lossCount = 0;
    const epochStart = Date.now();
    for (let s = 0; s < stepsPerEpoch; s++) {
      if (o.signal?.aborted) throw new CancelledError();
      const batch = order.subarray(s * o.batchSize, Math.min(train.n, (s + 1) * o.batchSize));
      const labels = Int32Array.from(batch, (i) => train.primary[i]);
      const multi = new Uint8Array(batch.length * train.numMulti);
      batch.forEach((i, b) => multi.set(train.multi.subarray(i * train.numMulti, (i + 1) * train.numMulti), b * train.numMulti));
      model.setSeedBase((o.seed * 1000 + epoch) * 100_000 + s * 16);
      const mix = o.featureAugment ? planFeatureMix(batch, labels, o.featureAugment, mixRng, train.similarity?.bind(train)) : undefined;
      let rowLabels = labels;
      let soft: SoftTargets | undefined;
      let rowMulti: Uint8Array | Float32Array = multi;
      if (mix) {
        const M = train.numMulti;
        rowLabels = Int32Array.from(mix.a, (r) => labels[r]);
        soft = { labelsB: Int32Array.from(mix.b, (r) => labels[r]), lambda: mix.lambda };
        const mm = new Float32Array(mix.a.length * M);
        for (let r = 0; r < mix.a.length; r++) {
          const l = mix.lambda[r];
          for (let k = 0; k < M; k++) mm[r * M + k] = l * multi[mix.a[r] * M + k] + (1 - l) * multi[mix.b[r] * M + k];
        }
        rowMulti = mm;
      }
      const { value, grads } = tf.variableGrads(() =>
        tf.tidy(() => {
          const inputs = train.inputs(batch);
          const out = model.forward(mix ? { ...inputs, mix } : inputs, true);
          const lp = primaryLoss(out.primaryLogits, rowLabels, o.loss, soft);
          return (o.multiWeight > 0 ? tf.add(lp, tf.mul(multiLabelLoss(out.multiLogits, rowMulti), o.multiWeight)) : lp) as tf.Scalar;
        }),
        trainable,
      );
      opt.apply(model.params, grads);
      const loss = (value.dataSync() as Float32Array)[0];
      value.dispose();
      for (const g of Object.values(grads)) g.dispose();
      if (Number.isFinite(loss)) {
        lossSum += loss;
        lossCount++;
      }
      examplesSeen += batch.length;
      if (s % 10 === 0 || s === stepsPerEpoch - 1) {
        const elapsed = (Date.now() - epochStart) / 1000;
        const eps = ((s + 1) * o.batchSize) / Math.max(1e-3, elapsed);
        const remainingSteps = (o.epochs - epoch) * stepsPerEpoch + (stepsPerEpoch - s - 1);
        emit({
          type: 'progress', phase: 'cross-attention', epoch, epochs: o.epochs, step: s + 1, steps: stepsPerEpoch,
          loss: lossSum / Math.max(1, lossCount), examplesPerSec: eps, etaSec: (remainingSteps * o.batchSize) / Math.max(1e-3, eps),
        });
        // Let IPC messages (progress, cancel) through.
        await new Promise((r) => setImmediate(r));
      }
    }
    trainTime += (Date.now() - epochStart) / 1000;
    // Per-epoch metrics on validation and on a fixed sample of train (to see the overfitting gap).
    const valOut = softmaxRows(predictAll(model, val).primary);
    const trainSample = Int32Array.from({ length: Math.min(train.n, o.trainEvalSample ?? 3000) }, (_, i) => Math.floor((i * train.n) / Math.min(train.n, o.trainEvalSample ?? 3000)));
    const trOut = softmaxRows(predictAll(model, train, 128, trainSample).primary);
    const trTruth = Array.from(trainSample, (i) => train.primary[i]);
    const m: EpochMetrics = {
      epoch,
      trainLoss: lossSum / Math.max(1, lossCount),
      trainAccuracy: accuracy(trOut, trTruth),
      valLoss: meanNll(valOut, val.primary),
      valAccuracy: accuracy(valOut, val.primary),
      valMacroF1: macroF1(valOut, val.primary, config.numPrimary),
    };
    history.push(m);
    emit({ type: 'epoch', metrics: m });
    if (m.valMacroF1 > bestF1) {
      bestF1 = m.valMacroF1;
      bestEpoch = epoch;
      badEpochs = 0;
      best = model.exportWeights().data;
    } else {
      badEpochs++;
    }
    if (o.checkpointDir) {
      const seconds = resumedSeconds + (Date.now() - started) / 1000;
      saveCheckpoint(o.checkpointDir, { version: 1, epoch, history, bestEpoch, bestF1, badEpochs, optimizerStep: 0, optimizerNames: [], weightIndex: [], config, seconds }, model, best, opt);
    }
    if (badEpochs >= o.patience) stoppedBy = 'early-stopping';
  }
  if (o.signal?.aborted) stoppedBy = 'cancelled';
  // Restore the best epoch's weights.
  model.importWeights(model.exportWeights().index, best);
  opt.dispose();
  return {
    model,
    history,
    bestEpoch,
    examplesPerSec: trainTime > 0 ? examplesSeen / trainTime : 0,
    stoppedBy,
    resumedSeconds,
    seconds: resumedSeconds + (Date.now() - started) / 1000,
  };
}
