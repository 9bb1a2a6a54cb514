/** Losses for the two heads. All return a scalar mean over the batch. */
import * as tf from '@tensorflow/tfjs-core';
import '../../model/tfBackend'; // registers chained ops and the cpu backend

export interface PrimaryLossOptions {
  kind: 'ce' | 'focal' | 'dice';
  labelSmoothing: number;
  /** focal loss focusing parameter */
  gamma: number;
  /** per-class weights [C] or undefined */
  classWeights?: Float32Array;
}

/** Soft targets for interpolated rows (mixup/SMOTE): lambda * onehot(y[a]) + (1 - lambda) * onehot(y[b]). */
export interface SoftTargets {
  labelsB: Int32Array;
  lambda: Float32Array;
}

/**
 * Cross-entropy with label smoothing and class weights; focal loss; or soft dice loss.
 * With `soft`, row r's target mixes labels[r] and soft.labelsB[r] (class weights of the first label).
 */
export function primaryLoss(logits: tf.Tensor2D, labels: Int32Array, opts: PrimaryLossOptions, soft?: SoftTargets): tf.Scalar {
  return tf.tidy(() => {
    const C = logits.shape[1];
    let y = tf.oneHot(tf.tensor1d(labels, 'int32'), C).toFloat();
    if (soft) {
      const lam = tf.tensor2d(soft.lambda, [soft.lambda.length, 1]);
      y = tf.add(tf.mul(y, lam), tf.mul(tf.oneHot(tf.tensor1d(soft.labelsB, 'int32'), C).toFloat(), tf.sub(1, lam)));
    }
    const target = opts.labelSmoothing > 0 ? tf.add(tf.mul(y, 1 - opts.labelSmoothing), opts.labelSmoothing / C) : y;
    const logp = tf.logSoftmax(logits);
    let perExample: tf.Tensor;
    if (opts.kind === 'dice') {
      const p = tf.exp(logp);
      const inter = tf.sum(tf.mul(p, target), 0);
      const denom = tf.add(tf.sum(p, 0), tf.sum(target, 0));
      return tf.sub(1, tf.mean(tf.div(tf.add(tf.mul(inter, 2), 1), tf.add(denom, 1)))) as tf.Scalar;
    } else if (opts.kind === 'focal') {
      const p = tf.exp(logp);
      const mod = tf.pow(tf.sub(1, p), opts.gamma);
      perExample = tf.neg(tf.sum(tf.mul(tf.mul(target, mod), logp), 1));
    } else {
      perExample = tf.neg(tf.sum(tf.mul(target, logp), 1));
    }
    if (opts.classWeights) {
      const w = tf.gather(tf.tensor1d(opts.classWeights), tf.tensor1d(labels, 'int32'));
      return tf.div(tf.sum(tf.mul(perExample, w)), tf.sum(w)) as tf.Scalar;
    }
    return tf.mean(perExample) as tf.Scalar;
  });
}

/** Binary cross-entropy for the multi-label (cross-list) head; targets [B*M] in [0, 1]. */
export function multiLabelLoss(logits: tf.Tensor2D, targets: Uint8Array | Float32Array): tf.Scalar {
  return tf.tidy(() => {
    const y = tf.tensor2d(Float32Array.from(targets), logits.shape);
    return tf.losses.sigmoidCrossEntropy(y, logits) as tf.Scalar;
  });
}

/** Class weights inversely proportional to frequency, normalised to mean 1, capped to avoid exploding rare classes. */
export function autoClassWeights(labels: Int32Array, C: number, power = 0.5, cap = 10): Float32Array {
  const counts = new Float64Array(C);
  for (const l of labels) counts[l]++;
  const n = labels.length;
  const w = new Float32Array(C);
  for (let c = 0; c < C; c++) w[c] = counts[c] > 0 ? Math.min(cap, (n / (C * counts[c])) ** power) : 0;
  let mean = 0;
  for (const l of labels) mean += w[l];
  mean /= n;
  for (let c = 0; c < C; c++) w[c] /= mean;
  return w;
}
