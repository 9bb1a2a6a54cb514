/**
 * Post-hoc calibration fitted on a validation set (the fitting lives in src/training/calibrationFit.ts).
 * - Softmax head: temperature scaling (one scalar T, p = softmax(z / T)), found by golden-section search
 *   on log T in [log 0.05, log 20] minimising the mean NLL. The NLL is convex in 1/T, hence unimodal in
 *   log T, so golden section finds the global minimum (to ~1e-6 in log T).
 * - Sigmoid (multi-label) head: one shared temperature over all labels (fitBinaryTemperature), or
 *   Platt scaling p = sigmoid(a z + b) with one (a, b) shared by all labels (fitPlatt, Newton's method).
 */

/** Numerically stable softmax of logits / T. */
export function softmaxWithTemperature(logits: ArrayLike<number>, T = 1): Float32Array {
  if (!(T > 0)) throw new RangeError(`temperature must be > 0, got ${T}`);
  const out = new Float32Array(logits.length);
  let m = -Infinity;
  for (let i = 0; i < logits.length; i++) m = Math.max(m, logits[i]);
  let s = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp((logits[i] - m) / T);
    out[i] = e;
    s += e;
  }
  for (let i = 0; i < out.length; i++) out[i] /= s;
  return out;
}

export function softmax(logits: ArrayLike<number>): Float32Array {
  return softmaxWithTemperature(logits, 1);
}

/** log softmax(logits / T), stable. */
export function logSoftmax(logits: ArrayLike<number>, T = 1): Float32Array {
  const out = new Float32Array(logits.length);
  let m = -Infinity;
  for (let i = 0; i < logits.length; i++) m = Math.max(m, logits[i]);
  let s = 0;
  for (let i = 0; i < logits.length; i++) s += Math.exp((logits[i] - m) / T);
  const lse = Math.log(s);
  for (let i = 0; i < logits.length; i++) out[i] = (logits[i] - m) / T - lse;
  return out;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}
