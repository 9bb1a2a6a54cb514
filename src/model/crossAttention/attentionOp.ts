/**
 * Masked scaled dot-product attention as one TensorFlow.js op with a hand-written gradient.
 *
 * Why not tf.matMul: tfjs-backend-wasm runs batched matmuls of many small matrices (batch x heads of
 * [T, d_head]) about 100x below its large-matmul speed (measured: [512,160,8]x[512,8,32] ~200 ms), which made
 * cross-attention the whole training cost. Plain loops over Float32Arrays do the same work in a few ms, and
 * the same loops in f32x4 SIMD WebAssembly (attention.wat via attentionWasm.ts) several times faster again.
 *
 * Shapes: q [B,H,Tq,dh], k [B,H,Tk,dh], v [B,H,Tk,dh]; keyMask [B,Tk] (1 = real token, 0 = padding).
 * Output [B,H,Tq,dh]. A query row whose keys are all padding outputs zeros.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../tfBackend'; // registers chained ops and the cpu backend
import { wasmAttentionAvailable, wasmAttentionBackward, wasmAttentionForward, type WasmAttentionSaved } from './attentionWasm';

/**
 * Which kernels run the loops: 'wasm' = f32x4 SIMD WebAssembly (attention.wat, several times faster),
 * 'js' = the plain loops below (reference, and fallback when the engine has no WebAssembly SIMD),
 * 'auto' = wasm when available.
 */
export type AttentionKernel = 'auto' | 'wasm' | 'js';

let defaultKernel: AttentionKernel = 'auto';

/** Sets the kernel `maskedAttention` uses when the caller names none (benchmarks compare 'js' and 'wasm'). */
export function setDefaultAttentionKernel(kernel: AttentionKernel): void {
  defaultKernel = kernel;
}

// Keys and values come in transposed ([B,H,dh,Tk]) so every inner loop runs over the Tk keys of one
// feature: long, contiguous loops that V8 optimises well (3-5x faster than looping over d_head = 8).
export function attentionForwardJs(
  qa: Float32Array, kT: Float32Array, vT: Float32Array, mask: Float32Array,
  B: number, H: number, Tq: number, Tk: number, dh: number,
): { out: Float32Array; P: Float32Array } {
  const scale = 1 / Math.sqrt(dh);
  const out = new Float32Array(B * H * Tq * dh);
  const P = new Float32Array(B * H * Tq * Tk);
  const s = new Float32Array(Tk);
  for (let b = 0; b < B; b++) {
    const mOff = b * Tk;
    let anyKey = false;
    for (let j = 0; j < Tk; j++) if (mask[mOff + j] !== 0) anyKey = true;
    if (!anyKey) continue; // no real keys: zeros
    for (let h = 0; h < H; h++) {
      const bh = b * H + h;
      const kBase = bh * dh * Tk;
      for (let i = 0; i < Tq; i++) {
        const qi = (bh * Tq + i) * dh;
        s.fill(0);
        for (let d = 0; d < dh; d++) {
          const qd = qa[qi + d] * scale;
          const row = kBase + d * Tk;
          for (let j = 0; j < Tk; j++) s[j] += qd * kT[row + j];
        }
        let max = -Infinity;
        for (let j = 0; j < Tk; j++) if (mask[mOff + j] !== 0 && s[j] > max) max = s[j];
        const pBase = (bh * Tq + i) * Tk;
        let sum = 0;
        for (let j = 0; j < Tk; j++) {
          const e = mask[mOff + j] !== 0 ? Math.exp(s[j] - max) : 0;
          P[pBase + j] = e;
          sum += e;
        }
        const inv = 1 / sum;
        for (let j = 0; j < Tk; j++) P[pBase + j] *= inv;
        for (let d = 0; d < dh; d++) {
          const row = kBase + d * Tk;
          let acc = 0;
          for (let j = 0; j < Tk; j++) acc += P[pBase + j] * vT[row + j];
          out[qi + d] = acc;
        }
      }
    }
  }
  return { out, P };
}

export function attentionBackwardJs(
  dOut: Float32Array, qa: Float32Array, kT: Float32Array, vT: Float32Array, P: Float32Array,
  B: number, H: number, Tq: number, Tk: number, dh: number,
): [Float32Array, Float32Array, Float32Array] {
  const scale = 1 / Math.sqrt(dh);
  const dq = new Float32Array(qa.length);
  const dkT = new Float32Array(kT.length);
  const dvT = new Float32Array(vT.length);
  const dP = new Float32Array(Tk);
  for (let bh = 0; bh < B * H; bh++) {
    const kBase = bh * dh * Tk;
    for (let i = 0; i < Tq; i++) {
      const qi = (bh * Tq + i) * dh;
      const pBase = (bh * Tq + i) * Tk;
      dP.fill(0);
      for (let d = 0; d < dh; d++) {
        const g = dOut[qi + d];
        if (g === 0) continue;
        const row = kBase + d * Tk;
        for (let j = 0; j < Tk; j++) {
          dP[j] += g * vT[row + j];
          dvT[row + j] += g * P[pBase + j];
        }
      }
      let rowDot = 0;
      for (let j = 0; j < Tk; j++) rowDot += P[pBase + j] * dP[j];
      // dS = P * (dP - rowDot) * scale, kept in dP
      for (let j = 0; j < Tk; j++) dP[j] = P[pBase + j] * (dP[j] - rowDot) * scale;
      for (let d = 0; d < dh; d++) {
        const row = kBase + d * Tk;
        const qd = qa[qi + d];
        let acc = 0;
        for (let j = 0; j < Tk; j++) {
          acc += dP[j] * kT[row + j];
          dkT[row + j] += dP[j] * qd;
        }
        dq[qi + d] = acc;
      }
    }
  }
  return [dq, dkT, dvT];
}

/**
 * Attention with a differentiable output w.r.t. q, k and v. `keyMask` is data (not differentiated).
 * `kernel` picks the implementation (tests and benchmarks); results agree within float rounding.
 */
export function maskedAttention(
  q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, keyMask: Float32Array, kernel: AttentionKernel = defaultKernel,
): tf.Tensor4D {
  const [B, H, Tq, dh] = q.shape;
  const Tk = k.shape[2];
  if (keyMask.length !== B * Tk) throw new Error(`keyMask has ${keyMask.length} entries, expected ${B * Tk}`);
  const useWasm = kernel === 'wasm' || (kernel === 'auto' && wasmAttentionAvailable());
  const op = tf.customGrad(((qt: tf.Tensor, kTt: tf.Tensor, vTt: tf.Tensor) => {
    const qa = qt.dataSync() as Float32Array;
    const kT = kTt.dataSync() as Float32Array;
    const vT = vTt.dataSync() as Float32Array;
    let out: Float32Array;
    let back: (dOut: Float32Array) => [Float32Array, Float32Array, Float32Array];
    if (useWasm) {
      let saved: WasmAttentionSaved;
      ({ out, saved } = wasmAttentionForward(qa, kT, vT, keyMask, B, H, Tq, Tk, dh));
      back = (dOut) => wasmAttentionBackward(dOut, saved);
    } else {
      let P: Float32Array;
      ({ out, P } = attentionForwardJs(qa, kT, vT, keyMask, B, H, Tq, Tk, dh));
      const weights = P;
      back = (dOut) => attentionBackwardJs(dOut, qa, kT, vT, weights, B, H, Tq, Tk, dh);
    }
    return {
      value: tf.tensor4d(out, [B, H, Tq, dh]),
      gradFunc: (dy: tf.Tensor) => {
        const [dq, dkT, dvT] = back(dy.dataSync() as Float32Array);
        return [tf.tensor4d(dq, [B, H, Tq, dh]), tf.tensor4d(dkT, [B, H, dh, Tk]), tf.tensor4d(dvT, [B, H, dh, Tk])];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  // Transposing in tfjs (fast) lets the loops run over contiguous keys.
  return op(q, k.transpose([0, 1, 3, 2]), v.transpose([0, 1, 3, 2])) as tf.Tensor4D;
}
