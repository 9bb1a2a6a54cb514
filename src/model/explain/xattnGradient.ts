/**
 * Forward and backward pass of the compact cross-attention member written out by hand, for integrated
 * gradients: the gradient of the explained scalar with respect to the token embeddings of a batch of rows
 * that share one draft's ids (the quadrature points of integratedGradients.ts).
 *
 * Why: the model is small (hidden 64), so under the tfjs gradient tape almost all of an explanation's time
 * was per-op overhead (~770 kernels for one 8-point batch). Here the dense layers are single tfjs matMuls
 * (the backend's fast SIMD kernel), attention runs the existing kernels (attention.wat or their JS twins),
 * and the rest are plain loops. Only gradients with respect to the inputs are formed (never the weights),
 * and the multi-label head is skipped.
 *
 * Padding positions are dropped before the pass: they are masked as keys and get pooling weight exactly 0,
 * so they never reach the output (both sides need at least one real token; the caller checks).
 * Must agree with CrossAttentionModel.forward (model.ts); test/unit/model/xattnGradient.test.ts compares them.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CrossAttentionModel } from '../crossAttention/model';
import { attentionBackwardJs, attentionForwardJs } from '../crossAttention/attentionOp';
import { wasmAttentionAvailable, wasmAttentionBackward, wasmAttentionForward } from '../crossAttention/attentionWasm';
import { LOGP_FLOOR } from '../stacking';
import type { LogOddsTarget } from './integratedGradients';

const LN_EPS = 1e-5;

/**
 * Backend tensors derived from the weights (transposes, concatenations), kept across calls: the backend's
 * matMul packs its right operand once per tensor, and a transposed matMul costs an extra transpose per call.
 * Rebuilt when a source variable was reassigned; the old tensor is disposed then.
 */
const derivedCache = new WeakMap<CrossAttentionModel, Map<string, { ids: object[]; t: tf.Tensor }>>();
function derived(model: CrossAttentionModel, key: string, sources: string[], build: () => tf.Tensor): tf.Tensor {
  let m = derivedCache.get(model);
  if (!m) derivedCache.set(model, (m = new Map()));
  const ids = sources.map((n) => model.p(n).dataId);
  const hit = m.get(key);
  if (hit && hit.ids.every((id, i) => id === ids[i])) return hit.t;
  hit?.t.dispose();
  const t = tf.tidy(build);
  m.set(key, { ids, t });
  return t;
}

/** y = x W (+ b) for x [rows, k] and the model's weight W [k, m]; or x W^T when `transposed` (backward). */
function dense(model: CrossAttentionModel, x: Float32Array, rows: number, w: string, b?: string, transposed = false, tanh = false): Float32Array {
  // Not tf.tidy: tidy walks its return value element by element looking for tensors (~0.3 us per float).
  const W = (transposed ? derived(model, `T:${w}`, [w], () => tf.transpose(model.p(w))) : model.p(w)) as tf.Tensor2D;
  const xt = tf.tensor2d(x, [rows, W.shape[0]]);
  const y = tf.matMul(xt, W);
  const yb = b ? tf.add(y, model.p(b)) : y;
  const ya = tanh ? tf.tanh(yb) : yb;
  const out = ya.dataSync() as Float32Array;
  tf.dispose([xt, y, yb, ya]);
  return out;
}

/** Frees what the caches hold for `model` (its derived backend tensors): called when a model is disposed (hot-swap). */
export function releaseGradientCaches(model: CrossAttentionModel): void {
  for (const { t } of derivedCache.get(model)?.values() ?? []) t.dispose();
  derivedCache.delete(model);
  paramCache.delete(model);
}

/** Parameter values as Float32Arrays, re-read only when a variable was reassigned (importWeights). */
const paramCache = new WeakMap<CrossAttentionModel, Map<string, { dataId: object; data: Float32Array }>>();
export function param(model: CrossAttentionModel, name: string): Float32Array {
  let m = paramCache.get(model);
  if (!m) paramCache.set(model, (m = new Map()));
  const v = model.p(name);
  const hit = m.get(name);
  if (hit && hit.dataId === v.dataId) return hit.data;
  const data = v.dataSync() as Float32Array;
  m.set(name, { dataId: v.dataId, data });
  return data;
}

interface LnSaved {
  xhat: Float32Array;
  rstd: Float32Array;
}

/** LayerNorm over the last axis (width D), population variance as tf.moments. */
function layerNorm(x: Float32Array, D: number, g: Float32Array, b: Float32Array): { y: Float32Array; s: LnSaved } {
  const n = x.length / D;
  const y = new Float32Array(x.length);
  const xhat = new Float32Array(x.length);
  const rstd = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const o = r * D;
    let mean = 0;
    for (let d = 0; d < D; d++) mean += x[o + d];
    mean /= D;
    let v = 0;
    for (let d = 0; d < D; d++) v += (x[o + d] - mean) ** 2;
    const rs = 1 / Math.sqrt(v / D + LN_EPS);
    rstd[r] = rs;
    for (let d = 0; d < D; d++) {
      const h = (x[o + d] - mean) * rs;
      xhat[o + d] = h;
      y[o + d] = h * g[d] + b[d];
    }
  }
  return { y, s: { xhat, rstd } };
}

function layerNormBackward(dy: Float32Array, D: number, g: Float32Array, s: LnSaved): Float32Array {
  const n = dy.length / D;
  const dx = new Float32Array(dy.length);
  for (let r = 0; r < n; r++) {
    const o = r * D;
    let m1 = 0, m2 = 0;
    for (let d = 0; d < D; d++) {
      const dh = dy[o + d] * g[d];
      m1 += dh;
      m2 += dh * s.xhat[o + d];
    }
    m1 /= D;
    m2 /= D;
    for (let d = 0; d < D; d++) dx[o + d] = s.rstd[r] * (dy[o + d] * g[d] - m1 - s.xhat[o + d] * m2);
  }
  return dx;
}

/**
 * Head split: columns [offset, offset + H*dh) of x [B,T,stride] -> [B,H,T,dh] (transposed = false) or
 * [B,H,dh,T] (transposed = true). With `into` ([B,T,stride]) the inverse: x is split, written back there.
 */
function heads(x: Float32Array, B: number, T: number, H: number, dh: number, transposed: boolean, stride = H * dh, offset = 0, into?: Float32Array): Float32Array {
  const out = into ?? new Float32Array(B * T * H * dh);
  const inverse = into !== undefined;
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let t = 0; t < T; t++) {
        const flat = (b * T + t) * stride + offset + h * dh;
        // element d of this (b, t, h) sits at split + d * step
        const split = transposed ? (b * H + h) * dh * T + t : ((b * H + h) * T + t) * dh;
        const step = transposed ? T : 1;
        if (inverse) for (let d = 0; d < dh; d++) out[flat + d] = x[split + d * step];
        else for (let d = 0; d < dh; d++) out[split + d * step] = x[flat + d];
      }
  return out;
}

/**
 * One matMul for all three projections that read a side: [its own queries | the other direction's keys |
 * values]. Title: t2a/wq, a2t/wk, a2t/wv; abstract: a2t/wq, t2a/wk, t2a/wv. W [D, 3D], b [3D], W^T [3D, D].
 */
function sideProjection(model: CrossAttentionModel, own: string, other: string): { w: tf.Tensor2D; b: tf.Tensor1D; wT: tf.Tensor2D } {
  const ws = [`${own}/wq`, `${other}/wk`, `${other}/wv`];
  const bs = [`${own}/bq`, `${other}/bk`, `${other}/bv`];
  const w = derived(model, `proj:${own}`, ws, () => tf.concat(ws.map((n) => model.p(n)), 1)) as tf.Tensor2D;
  return {
    w,
    b: derived(model, `projb:${own}`, bs, () => tf.concat(bs.map((n) => model.p(n)), 0)) as tf.Tensor1D,
    wT: derived(model, `projT:${own}`, ws, () => tf.transpose(tf.concat(ws.map((n) => model.p(n)), 1))) as tf.Tensor2D,
  };
}

/** y = x W (+ b) for a backend weight tensor W [k, m]. */
function denseWith(x: Float32Array, rows: number, W: tf.Tensor2D, b?: tf.Tensor1D): Float32Array {
  const xt = tf.tensor2d(x, [rows, W.shape[0]]);
  const y = tf.matMul(xt, W);
  const yb = b ? tf.add(y, b) : y;
  const out = yb.dataSync() as Float32Array;
  tf.dispose([xt, y, yb]);
  return out;
}

interface MhSaved {
  back: (dOut: Float32Array) => [Float32Array, Float32Array, Float32Array];
}

/**
 * Attention of direction `dir` given the side projections: queries are columns [0, D) of yq [B,Tq,3D],
 * keys and values columns [D, 2D) and [2D, 3D) of ykv [B,Tk,3D]. Returns the output projection [B,Tq,D].
 */
function multiHead(model: CrossAttentionModel, dir: string, yq: Float32Array, Tq: number, ykv: Float32Array, Tk: number, B: number): { y: Float32Array; s: MhSaved } {
  const { heads: H, hidden: D } = model.config;
  const dh = D / H;
  const q = heads(yq, B, Tq, H, dh, false, 3 * D, 0);
  const kT = heads(ykv, B, Tk, H, dh, true, 3 * D, D);
  const vT = heads(ykv, B, Tk, H, dh, true, 3 * D, 2 * D);
  const mask = new Float32Array(B * Tk).fill(1);
  let out: Float32Array;
  let back: MhSaved['back'];
  if (wasmAttentionAvailable()) {
    const r = wasmAttentionForward(q, kT, vT, mask, B, H, Tq, Tk, dh);
    out = r.out;
    back = (dOut) => wasmAttentionBackward(dOut, r.saved);
  } else {
    const r = attentionForwardJs(q, kT, vT, mask, B, H, Tq, Tk, dh);
    out = r.out;
    back = (dOut) => attentionBackwardJs(dOut, q, kT, vT, r.P, B, H, Tq, Tk, dh);
  }
  const y = dense(model, heads(out, B, Tq, H, dh, false, D, 0, new Float32Array(B * Tq * D)), B * Tq, `${dir}/wo`, `${dir}/bo`);
  return { y, s: { back } };
}

/** Adds the gradients of the attention inputs into dyq / dykv (layout of multiHead's yq / ykv). */
function multiHeadBackward(model: CrossAttentionModel, dir: string, dy: Float32Array, s: MhSaved, Tq: number, Tk: number, B: number, dyq: Float32Array, dykv: Float32Array): void {
  const { heads: H, hidden: D } = model.config;
  const dh = D / H;
  // dy covers the first rows only (the rest have no gradient): zero-pad to the B rows the kernel saved
  const dyo = new Float32Array(B * Tq * D);
  dyo.set(dense(model, dy, dy.length / D, `${dir}/wo`, undefined, true));
  const dOut = heads(dyo, B, Tq, H, dh, false);
  const [dq, dkT, dvT] = s.back(dOut);
  heads(dq, B, Tq, H, dh, false, 3 * D, 0, dyq);
  heads(dkT, B, Tk, H, dh, true, 3 * D, D, dykv);
  heads(dvT, B, Tk, H, dh, true, 3 * D, 2 * D, dykv);
}

interface PoolSaved {
  x: Float32Array;
  h: Float32Array;
  w: Float32Array;
}

/** Attention pooling over T positions (all real): h = tanh(x W + b), w = softmax(h u), out = sum w x. */
function pool(model: CrossAttentionModel, side: string, x: Float32Array, B: number, T: number): { y: Float32Array; s: PoolSaved } {
  const D = model.config.hidden;
  const P = model.config.poolDim;
  const h = dense(model, x, B * T, `pool_${side}/w`, `pool_${side}/b`, false, true);
  const u = param(model, `pool_${side}/u`);
  const w = new Float32Array(B * T);
  const y = new Float32Array(B * D);
  for (let b = 0; b < B; b++) {
    let max = -Infinity;
    for (let t = 0; t < T; t++) {
      let s = 0;
      const o = (b * T + t) * P;
      for (let p = 0; p < P; p++) s += h[o + p] * u[p];
      w[b * T + t] = s;
      if (s > max) max = s;
    }
    let z = 0;
    for (let t = 0; t < T; t++) z += w[b * T + t] = Math.exp(w[b * T + t] - max);
    for (let t = 0; t < T; t++) {
      const wt = (w[b * T + t] /= z);
      for (let d = 0; d < D; d++) y[b * D + d] += wt * x[(b * T + t) * D + d];
    }
  }
  return { y, s: { x, h, w } };
}

function poolBackward(model: CrossAttentionModel, side: string, dy: Float32Array, s: PoolSaved, B: number, T: number): Float32Array {
  const D = model.config.hidden;
  const P = model.config.poolDim;
  const u = param(model, `pool_${side}/u`);
  const dx = new Float32Array(B * T * D);
  const dpre = new Float32Array(B * T * P);
  const dw = new Float32Array(T);
  for (let b = 0; b < B; b++) {
    let wdw = 0;
    for (let t = 0; t < T; t++) {
      const wt = s.w[b * T + t];
      let acc = 0;
      for (let d = 0; d < D; d++) {
        const g = dy[b * D + d];
        dx[(b * T + t) * D + d] = wt * g;
        acc += s.x[(b * T + t) * D + d] * g;
      }
      dw[t] = acc;
      wdw += wt * acc;
    }
    for (let t = 0; t < T; t++) {
      const ds = s.w[b * T + t] * (dw[t] - wdw);
      const o = (b * T + t) * P;
      for (let p = 0; p < P; p++) dpre[o + p] = ds * u[p] * (1 - s.h[o + p] * s.h[o + p]);
    }
  }
  const dxh = dense(model, dpre, B * T, `pool_${side}/w`, undefined, true);
  for (let i = 0; i < dx.length; i++) dx[i] += dxh[i];
  return dx;
}

export interface EmbeddingGradient {
  /** g per row */
  values: Float32Array;
  /** primary logits per row [B, numPrimary] */
  logits: Float32Array;
  /** sum over rows of rowWeight[r] * dg_r/d(token embedding), per real position: [Lt, D] and [La, D] */
  title: Float32Array;
  abstract: Float32Array;
}

/**
 * Rows r = 0..B-1 use token embeddings alpha[r] * E[id] at the real positions `titlePos` / `abstractPos`
 * (indices into the padded sequences, whose ids are `titleIds` / `abstractIds`). Returns g per row and the
 * rowWeight-weighted sum of the gradients with respect to the (scaled) token embeddings.
 */
export function embeddingGradient(
  model: CrossAttentionModel,
  ids: { title: Int32Array; abstract: Int32Array },
  pos: { title: number[]; abstract: number[] },
  alpha: ArrayLike<number>,
  rowWeight: ArrayLike<number>,
  target: LogOddsTarget,
): EmbeddingGradient {
  const c = model.config;
  const D = c.hidden;
  const B = alpha.length;
  const Lt = pos.title.length;
  const La = pos.abstract.length;
  if (Lt === 0 || La === 0) throw new Error('embeddingGradient needs real tokens on both sides');
  const E = param(model, 'emb/token');
  const posE = param(model, 'emb/position');
  const seg = param(model, 'emb/segment');
  const lnG = param(model, 'emb/ln_g');
  const lnB = param(model, 'emb/ln_b');
  const embed = (sideIds: Int32Array, at: number[], s: number) => {
    const L = at.length;
    const x = new Float32Array(B * L * D);
    for (let b = 0; b < B; b++)
      for (let j = 0; j < L; j++) {
        const e = sideIds[at[j]] * D, p = at[j] * D, o = (b * L + j) * D;
        for (let d = 0; d < D; d++) x[o + d] = alpha[b] * E[e + d] + posE[p + d] + seg[s * D + d];
      }
    return layerNorm(x, D, lnG, lnB);
  };
  const t = embed(ids.title, pos.title, 0);
  const a = embed(ids.abstract, pos.abstract, 1);
  const residualLn = (x: Float32Array, y: Float32Array, dir: string) => {
    const s = new Float32Array(x.length);
    for (let i = 0; i < s.length; i++) s[i] = x[i] + y[i];
    return layerNorm(s, D, param(model, `${dir}/ln_g`), param(model, `${dir}/ln_b`));
  };
  const projT = sideProjection(model, 't2a', 'a2t');
  const projA = sideProjection(model, 'a2t', 't2a');
  const yT = denseWith(t.y, B * Lt, projT.w, projT.b);
  const yA = denseWith(a.y, B * La, projA.w, projA.b);
  const mT = multiHead(model, 't2a', yT, Lt, yA, La, B);
  const mA = multiHead(model, 'a2t', yA, La, yT, Lt, B);
  const t2 = residualLn(t.y, mT.y, 't2a');
  const a2 = residualLn(a.y, mA.y, 'a2t');
  const pT = pool(model, 'title', t2.y, B, Lt);
  const pA = pool(model, 'abstract', a2.y, B, La);
  let f: Float32Array = new Float32Array(B * 2 * D);
  for (let b = 0; b < B; b++) {
    f.set(pT.y.subarray(b * D, (b + 1) * D), b * 2 * D);
    f.set(pA.y.subarray(b * D, (b + 1) * D), b * 2 * D + D);
  }
  const acts: Float32Array[] = [];
  for (let i = 0; i < c.mlp.length; i++) {
    f = dense(model, f, B, `mlp/w${i}`, `mlp/b${i}`);
    for (let k = 0; k < f.length; k++) if (f[k] < 0) f[k] = 0;
    acts.push(f);
  }
  const logits = dense(model, f, B, 'head/primary_w', 'head/primary_b');

  // g per row and dg/dlogits (weighted by rowWeight), as targetOf in integratedGradients.ts
  const C = c.numPrimary;
  const values = new Float32Array(B);
  const dl = new Float32Array(B * C);
  for (let b = 0; b < B; b++) {
    const o = b * C;
    let max = -Infinity;
    for (let k = 0; k < C; k++) max = Math.max(max, logits[o + k] / target.temperature);
    let z = 0;
    for (let k = 0; k < C; k++) z += Math.exp(logits[o + k] / target.temperature - max);
    const lz = max + Math.log(z);
    const lp = (k: number) => logits[o + k] / target.temperature - lz;
    const lpT = lp(target.top), lpR = lp(target.runnerUp);
    values[b] = target.scale * (target.wTop * Math.max(lpT, LOGP_FLOOR) - target.wRunnerUp * Math.max(lpR, LOGP_FLOOR));
    // tfjs passes the gradient of maximum(a, floor) to a where a >= floor
    const gT = lpT >= LOGP_FLOOR ? target.scale * target.wTop * rowWeight[b] : 0;
    const gR = lpR >= LOGP_FLOOR ? -target.scale * target.wRunnerUp * rowWeight[b] : 0;
    if (gT === 0 && gR === 0) continue;
    for (let k = 0; k < C; k++) {
      const p = Math.exp(lp(k));
      dl[o + k] = (-(gT + gR) * p + (k === target.top ? gT : 0) + (k === target.runnerUp ? gR : 0)) / target.temperature;
    }
  }

  // backward, over the rows that have a gradient weight (a prefix: the baseline/draft rows come last)
  let Bb = B;
  while (Bb > 0 && rowWeight[Bb - 1] === 0) Bb--;
  if (Bb === 0) return { values, logits, title: new Float32Array(Lt * D), abstract: new Float32Array(La * D) };
  let df = dense(model, dl.subarray(0, Bb * C), Bb, 'head/primary_w', undefined, true);
  for (let i = c.mlp.length - 1; i >= 0; i--) {
    const act = acts[i];
    for (let k = 0; k < df.length; k++) if (act[k] <= 0) df[k] = 0;
    df = dense(model, df, Bb, `mlp/w${i}`, undefined, true);
  }
  const dpT = new Float32Array(Bb * D);
  const dpA = new Float32Array(Bb * D);
  for (let b = 0; b < Bb; b++) {
    dpT.set(df.subarray(b * 2 * D, b * 2 * D + D), b * D);
    dpA.set(df.subarray(b * 2 * D + D, (b + 1) * 2 * D), b * D);
  }
  const dt2 = layerNormBackward(poolBackward(model, 'title', dpT, pT.s, Bb, Lt), D, param(model, 't2a/ln_g'), t2.s);
  const da2 = layerNormBackward(poolBackward(model, 'abstract', dpA, pA.s, Bb, La), D, param(model, 'a2t/ln_g'), a2.s);
  // t2 = LN(t + mT(t, a)), a2 = LN(a + mA(a, t))
  const dyT = new Float32Array(yT.length);
  const dyA = new Float32Array(yA.length);
  multiHeadBackward(model, 't2a', dt2, mT.s, Lt, La, B, dyT, dyA);
  multiHeadBackward(model, 'a2t', da2, mA.s, La, Lt, B, dyA, dyT);
  const dt = denseWith(dyT.subarray(0, Bb * Lt * 3 * D), Bb * Lt, projT.wT);
  for (let i = 0; i < dt.length; i++) dt[i] += dt2[i];
  const da = denseWith(dyA.subarray(0, Bb * La * 3 * D), Bb * La, projA.wT);
  for (let i = 0; i < da.length; i++) da[i] += da2[i];
  const dxt = layerNormBackward(dt, D, lnG, t.s);
  const dxa = layerNormBackward(da, D, lnG, a.s);
  const sumRows = (dx: Float32Array, L: number) => {
    const out = new Float32Array(L * D);
    for (let b = 0; b < Bb; b++) for (let i = 0; i < L * D; i++) out[i] += dx[b * L * D + i];
    return out;
  };
  return { values, logits, title: sumRows(dxt, Lt), abstract: sumRows(dxa, La) };
}

/**
 * The member's primary logits for one draft by the same hand-written forward pass (no tfjs graph: a few ms
 * less than CrossAttentionModel.forward for one row). Undefined when a side has no real token (the model then
 * pools over padding, which only the tfjs forward follows).
 */
export function primaryLogits(model: CrossAttentionModel, titleIds: Int32Array, abstractIds: Int32Array): Float32Array | undefined {
  const real = (ids: Int32Array) => Array.from(ids.keys()).filter((i) => ids[i] !== 0);
  const pos = { title: real(titleIds), abstract: real(abstractIds) };
  if (model.config.encoder !== 'compact' || pos.title.length === 0 || pos.abstract.length === 0) return undefined;
  const target = { top: 0, runnerUp: 0, wTop: 0, wRunnerUp: 0, temperature: 1, scale: 0 };
  return embeddingGradient(model, { title: titleIds, abstract: abstractIds }, pos, [1], [0], target).logits;
}
