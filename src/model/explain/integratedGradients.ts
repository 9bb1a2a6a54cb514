/**
 * Integrated gradients (Sundararajan et al., 2017) for the compact cross-attention member, on its token
 * embeddings (the rows of emb/token looked up for the draft's WordPiece ids, before position/segment
 * embeddings and LayerNorm). Baseline: all-zero token embeddings with the same mask, i.e. "the same number of
 * tokens, carrying no word" (positions and segments are kept). For a scalar output g,
 *     IG_i = x_i * integral_0^1 dg/dx_i (alpha x) d alpha,
 * approximated with Gauss-Legendre quadrature over `steps` points (exact for polynomials of degree
 * 2 * steps - 1 along the path; the model's ReLUs make the integrand only piecewise smooth, so the gap is
 * measured in `npm run bench:explain`), all run as one batch with the baseline (one forward and one backward pass). Completeness: sum_i IG_i ->
 * g(x) - g(0) as steps grow; the remaining gap is returned, not hidden.
 * Per-token attributions are summed over the embedding dimensions.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CrossAttentionModel } from '../crossAttention/model';
import { LOGP_FLOOR } from '../stacking';
import { embeddingGradient, param as embeddingParam } from './xattnGradient';

/** Scalar output explained: scale * (wTop * lp[top] - wRunnerUp * lp[runnerUp]), lp = logSoftmax(logits / T). */
export interface LogOddsTarget {
  top: number;
  runnerUp: number;
  wTop: number;
  wRunnerUp: number;
  temperature: number;
  scale: number;
}

export interface TokenAttribution {
  /** per WordPiece position (length = titleLen / abstractLen; padding positions are 0) */
  title: Float32Array;
  abstract: Float32Array;
  /** g at the draft and at the baseline */
  fx: number;
  fBaseline: number;
  /** (sum of attributions) - (fx - fBaseline): the midpoint rule's error */
  gap: number;
}

function targetOf(logits: tf.Tensor2D, t: LogOddsTarget): tf.Tensor1D {
  const lp = tf.logSoftmax(tf.div(logits, t.temperature));
  const B = logits.shape[0];
  const pick = (c: number) => tf.maximum(lp.slice([0, c], [B, 1]).reshape([B]), LOGP_FLOOR);
  return tf.mul(tf.sub(tf.mul(pick(t.top), t.wTop), tf.mul(pick(t.runnerUp), t.wRunnerUp)), t.scale) as tf.Tensor1D;
}

function repeatMask(mask: Float32Array, times: number): Float32Array {
  const out = new Float32Array(mask.length * times);
  for (let i = 0; i < times; i++) out.set(mask, i * mask.length);
  return out;
}

/** Gauss-Legendre nodes and weights on [0, 1] (weights sum to 1), by Newton's method on P_n. */
export function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 1;
    for (let it = 0; it < 100; it++) {
      let p0 = 1, p1 = x;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k];
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-15) break;
    }
    nodes[i] = (1 - x) / 2;
    weights[i] = 1 / ((1 - x * x) * dp * dp);
  }
  return { nodes, weights };
}

/** g for one row of primary logits, in plain JS (the same maths as targetOf). */
export function targetOfLogits(logits: ArrayLike<number>, t: LogOddsTarget): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] / t.temperature);
  let z = 0;
  for (let i = 0; i < logits.length; i++) z += Math.exp(logits[i] / t.temperature - max);
  const lp = (c: number) => Math.max(logits[c] / t.temperature - max - Math.log(z), LOGP_FLOOR);
  return t.scale * (t.wTop * lp(t.top) - t.wRunnerUp * lp(t.runnerUp));
}

/** 'manual': the hand-written pass of xattnGradient.ts (fast); 'tape': tfjs autodiff (the reference). */
export type IgEngine = 'manual' | 'tape';

function realPositions(mask: Float32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) out.push(i);
  return out;
}

/**
 * IG of `target` for one draft given as compact-encoder ids (0 = padding). steps >= 1.
 * One batch of steps + 1 rows (the quadrature points plus the all-zero baseline; + 1 more for the draft
 * itself unless `logitsAtX`, the primary logits the classifier already computed for these ids, is given),
 * one forward and one backward pass. Per-row outputs are read inside the taped function, so no second
 * forward pass is needed for f(x) and f(baseline).
 */
export function integratedGradients(
  model: CrossAttentionModel,
  titleIds: Int32Array,
  abstractIds: Int32Array,
  target: LogOddsTarget,
  steps: number,
  logitsAtX?: ArrayLike<number>,
  engine: IgEngine = 'manual',
): TokenAttribution {
  const c = model.config;
  if (c.encoder !== 'compact') throw new Error('integrated gradients needs the compact encoder');
  if (!(Number.isInteger(steps) && steps >= 1)) throw new RangeError(`steps must be an integer >= 1, got ${steps}`);
  const tMask = Float32Array.from(titleIds, (x) => (x !== 0 ? 1 : 0));
  const aMask = Float32Array.from(abstractIds, (x) => (x !== 0 ? 1 : 0));
  const q = gaussLegendre(steps);
  // rows: the quadrature nodes, then the baseline (alpha 0), then the draft (alpha 1) if needed
  const alphaList = [...q.nodes, 0, ...(logitsAtX ? [] : [1])];
  const n = alphaList.length;
  const realT = realPositions(tMask);
  const realA = realPositions(aMask);
  // an all-padding side pools over padding (uniform weights): only the taped path follows the model there
  if (engine === 'manual' && realT.length > 0 && realA.length > 0) {
    const rowWeight = Float64Array.from({ length: n }, (_, i) => (i < steps ? q.weights[i] : 0));
    const g = embeddingGradient(model, { title: titleIds, abstract: abstractIds }, { title: realT, abstract: realA }, alphaList, rowWeight, target);
    const E = embeddingParam(model, 'emb/token');
    const D = c.hidden;
    const attribute = (ids: Int32Array, at: number[], grad: Float32Array) => {
      const out = new Float32Array(ids.length);
      for (let j = 0; j < at.length; j++) {
        let s = 0;
        const e = ids[at[j]] * D;
        for (let d = 0; d < D; d++) s += E[e + d] * grad[j * D + d];
        out[at[j]] = s;
      }
      return out;
    };
    const title = attribute(titleIds, realT, g.title);
    const abstract = attribute(abstractIds, realA, g.abstract);
    const fBaseline = g.values[steps];
    const fx = logitsAtX ? targetOfLogits(logitsAtX, target) : g.values[steps + 1];
    let sum = 0;
    for (const v of title) sum += v;
    for (const v of abstract) sum += v;
    return { title, abstract, fx, fBaseline, gap: sum - (fx - fBaseline) };
  }
  let rowValues: Float32Array | undefined;
  return tf.tidy(() => {
    const emb = model.p('emb/token');
    const xt = tf.gather(emb, tf.tensor2d(titleIds, [1, c.titleLen], 'int32')) as tf.Tensor3D;
    const xa = tf.gather(emb, tf.tensor2d(abstractIds, [1, c.abstractLen], 'int32')) as tf.Tensor3D;
    const alphas = tf.tensor3d(Float32Array.from(alphaList), [n, 1, 1]);
    // quadrature weights; 0 for the baseline/draft rows, whose gradients are not used
    const weights = tf.tensor3d(Float32Array.from({ length: n }, (_, i) => (i < steps ? q.weights[i] : 0)), [n, 1, 1]);
    const f = (et: tf.Tensor, ea: tf.Tensor) => {
      const logits = model.forward(
        { titleTokenEmbeddings: et as tf.Tensor3D, abstractTokenEmbeddings: ea as tf.Tensor3D, titleMask: repeatMask(tMask, n), abstractMask: repeatMask(aMask, n) },
        false,
      ).primaryLogits;
      const g = targetOf(logits, target);
      rowValues = g.dataSync() as Float32Array;
      return tf.sum(g.slice([0], [steps]));
    };
    const [gt, ga] = tf.grads(f)([tf.mul(xt, alphas), tf.mul(xa, alphas)]);
    const attrib = (grad: tf.Tensor, x: tf.Tensor3D) => tf.sum(tf.mul(tf.sum(tf.mul(grad, weights), 0), x.reshape(x.shape.slice(1) as [number, number])), 1).dataSync() as Float32Array;
    const title = Float32Array.from(attrib(gt, xt));
    const abstract = Float32Array.from(attrib(ga, xa));
    const fBaseline = rowValues![steps];
    const fx = logitsAtX ? targetOfLogits(logitsAtX, target) : rowValues![steps + 1];
    let sum = 0;
    for (let i = 0; i < title.length; i++) sum += title[i] *= tMask[i];
    for (let i = 0; i < abstract.length; i++) sum += abstract[i] *= aMask[i];
    return { title, abstract, fx, fBaseline, gap: sum - (fx - fBaseline) };
  });
}
