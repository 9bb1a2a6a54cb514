import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { initTfBackend } from '../../../src/model/tfBackend';
import { maskedAttention } from '../../../src/model/crossAttention/attentionOp';

/** Reference attention from plain tfjs ops (slow on wasm, but obviously right). */
function reference(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, mask: Float32Array): tf.Tensor4D {
  const [B, , , dh] = q.shape;
  const Tk = k.shape[2];
  const bias = tf.tensor(Array.from(mask, (m) => (m > 0 ? 0 : -1e9)), [B, 1, 1, Tk]);
  const s = tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(dh)), bias);
  return tf.matMul(tf.softmax(s), v) as tf.Tensor4D;
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
}

describe('maskedAttention (hand-written gradient)', () => {
  before(async () => {
    await initTfBackend('wasm');
  });

  const B = 2, H = 2, Tq = 3, Tk = 5, dh = 4;
  const mask = new Float32Array([1, 1, 1, 0, 0, 1, 1, 1, 1, 1]);
  const q = tf.randomNormal([B, H, Tq, dh], 0, 1, 'float32', 1) as tf.Tensor4D;
  const k = tf.randomNormal([B, H, Tk, dh], 0, 1, 'float32', 2) as tf.Tensor4D;
  const v = tf.randomNormal([B, H, Tk, dh], 0, 1, 'float32', 3) as tf.Tensor4D;
  const w = tf.randomNormal([B, H, Tq, dh], 0, 1, 'float32', 4);

  it('matches the reference forward pass, padding keys get no weight', () => {
    const ours = maskedAttention(q, k, v, mask);
    const ref = reference(q, k, v, mask);
    assert.ok(maxAbsDiff(ours, ref) < 1e-5, `forward differs by ${maxAbsDiff(ours, ref)}`);
    // Changing the values of padded keys must not change the output.
    const v2 = v.bufferSync();
    v2.set(99, 0, 0, 4, 0);
    assert.ok(maxAbsDiff(maskedAttention(q, k, v2.toTensor() as tf.Tensor4D, mask), ours) < 1e-6);
  });

  it('matches the reference gradients for q, k and v', () => {
    const loss = (f: typeof reference) => (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.sum(tf.mul(f(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D, mask), w));
    const ours = tf.grads(loss(maskedAttention))([q, k, v]);
    const ref = tf.grads(loss(reference))([q, k, v]);
    ours.forEach((g, i) => {
      const d = maxAbsDiff(g, ref[i]);
      assert.ok(d < 1e-4, `gradient ${'qkv'[i]} differs by ${d}`);
    });
    assert.ok(tf.sum(tf.abs(ours[2])).dataSync()[0] > 0, 'gradient of v is not all zero');
  });

  it('outputs zeros for a query whose keys are all padding', () => {
    const allPad = new Float32Array(B * Tk);
    allPad.fill(1, Tk); // first example has no real keys
    const out = maskedAttention(q, k, v, allPad).arraySync() as number[][][][];
    assert.deepEqual(out[0][0][0], [0, 0, 0, 0]);
    assert.notDeepEqual(out[1][0][0], [0, 0, 0, 0]);
  });
});
