import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs-core';
import { initTfBackend } from '../../../src/model/tfBackend';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { attentionBackwardJs, attentionForwardJs, maskedAttention } from '../../../src/model/crossAttention/attentionOp';
import {
  wasmAttentionAvailable, wasmAttentionBackward, wasmAttentionForward, wasmExp,
} from '../../../src/model/crossAttention/attentionWasm';
import { ATTENTION_WASM_BASE64 } from '../../../src/model/crossAttention/attentionWasm.generated';

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

// The original contract tests, run on both kernel sets (the JS loops remain the fallback).
for (const kernel of ['js', 'wasm'] as const)
describe(`maskedAttention (hand-written gradient, ${kernel} kernels)`, () => {
  const attention = (q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, m: Float32Array) => maskedAttention(q, k, v, m, kernel);
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
    const ours = attention(q, k, v, mask);
    const ref = reference(q, k, v, mask);
    assert.ok(maxAbsDiff(ours, ref) < 1e-5, `forward differs by ${maxAbsDiff(ours, ref)}`);
    // Changing the values of padded keys must not change the output.
    const v2 = v.bufferSync();
    v2.set(99, 0, 0, 4, 0);
    assert.ok(maxAbsDiff(attention(q, k, v2.toTensor() as tf.Tensor4D, mask), ours) < 1e-6);
  });

  it('matches the reference gradients for q, k and v', () => {
    const loss = (f: typeof reference) => (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.sum(tf.mul(f(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D, mask), w));
    const ours = tf.grads(loss(attention))([q, k, v]);
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
    const out = attention(q, k, v, allPad).arraySync() as number[][][][];
    assert.deepEqual(out[0][0][0], [0, 0, 0, 0]);
    assert.notDeepEqual(out[1][0][0], [0, 0, 0, 0]);
  });
});

describe('maskedAttention: WebAssembly SIMD kernels', () => {
  before(async () => {
    await initTfBackend('wasm');
  });

  /** Deterministic pseudo-random floats in [-2, 2). */
  function rand(n: number, seed: number): Float32Array {
    let s = seed >>> 0;
    return Float32Array.from({ length: n }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return (s / 2 ** 32) * 4 - 2;
    });
  }

  function maxDiff(a: Float32Array, b: Float32Array): number {
    assert.equal(a.length, b.length);
    let m = 0;
    for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }

  interface Case { B: number; H: number; Tq: number; Tk: number; dh: number }
  const cases: Case[] = [
    { B: 3, H: 2, Tq: 5, Tk: 7, dh: 6 }, // odd Tk (one padded vector lane group), dh = 6
    { B: 2, H: 3, Tq: 4, Tk: 13, dh: 8 },
    { B: 4, H: 2, Tq: 9, Tk: 1, dh: 8 }, // a single key
    { B: 2, H: 8, Tq: 24, Tk: 128, dh: 8 }, // the model's shapes
    { B: 2, H: 8, Tq: 128, Tk: 24, dh: 6 },
  ];

  /** A padded mask (example b keeps its first Tk - b keys) whose first example has no real keys at all. */
  function paddedMask(B: number, Tk: number): Float32Array {
    const m = new Float32Array(B * Tk);
    for (let b = 1; b < B; b++) m.fill(1, b * Tk, b * Tk + Math.max(1, Tk - b));
    return m;
  }

  it('the engine supports WebAssembly SIMD here (else every test below would only exercise the fallback)', () => {
    assert.equal(wasmAttentionAvailable(), true);
  });

  for (const c of cases) {
    const { B, H, Tq, Tk, dh } = c;
    it(`forward and backward equal the JS kernels, B=${B} H=${H} Tq=${Tq} Tk=${Tk} dh=${dh}`, () => {
      const q = rand(B * H * Tq * dh, 11), kT = rand(B * H * dh * Tk, 12), vT = rand(B * H * dh * Tk, 13);
      const g = rand(B * H * Tq * dh, 14);
      const mask = paddedMask(B, Tk);
      const js = attentionForwardJs(q, kT, vT, mask, B, H, Tq, Tk, dh);
      const w = wasmAttentionForward(q, kT, vT, mask, B, H, Tq, Tk, dh);
      assert.ok(maxDiff(w.out, js.out) < 1e-5, `forward differs by ${maxDiff(w.out, js.out)}`);
      // Example 0 has no real keys: its outputs are exactly zero.
      const perExample = H * Tq * dh;
      assert.ok(w.out.subarray(0, perExample).every((x) => x === 0), 'fully masked rows must output zeros');
      assert.ok(w.out.subarray(perExample).some((x) => x !== 0));
      const jsG = attentionBackwardJs(g, q, kT, vT, js.P, B, H, Tq, Tk, dh);
      const wG = wasmAttentionBackward(g, w.saved);
      jsG.forEach((ref, i) => {
        const d = maxDiff(wG[i], ref);
        assert.ok(d < 1e-5, `gradient ${['q', 'kT', 'vT'][i]} differs by ${d}`);
        // With a single key the softmax is constant (weight 1), so only v gets a gradient.
        if (Tk > 1 || i === 2) assert.ok(ref.some((x) => x !== 0), 'reference gradient is not all zero');
      });
      // Padded keys (beyond each example's real ones) get no gradient for their values.
      const lastReal = Math.max(1, Tk - 1); // example 1 keeps keys [0, Tk - 1)
      if (lastReal < Tk) {
        for (let h = 0; h < H; h++) for (let d = 0; d < dh; d++) {
          assert.equal(wG[2][((1 * H + h) * dh + d) * Tk + Tk - 1], 0);
        }
      }
    });
  }

  it('matches the tf.matMul reference (forward and gradients) through maskedAttention, odd Tk, dh = 6', () => {
    const B = 3, H = 2, Tq = 4, Tk = 9, dh = 6;
    const mask = paddedMask(B, Tk);
    const q = tf.randomNormal([B, H, Tq, dh], 0, 1, 'float32', 21) as tf.Tensor4D;
    const k = tf.randomNormal([B, H, Tk, dh], 0, 1, 'float32', 22) as tf.Tensor4D;
    const v = tf.randomNormal([B, H, Tk, dh], 0, 1, 'float32', 23) as tf.Tensor4D;
    const w = tf.randomNormal([B, H, Tq, dh], 0, 1, 'float32', 24);
    // The reference softmax gives a fully masked row uniform weights; ours gives zeros: compare examples 1..B-1.
    const real = (t: tf.Tensor) => t.slice([1, 0, 0, 0], [B - 1, H, -1, -1]);
    const ours = maskedAttention(q, k, v, mask, 'wasm');
    const d = maxAbsDiff(real(ours), real(reference(q, k, v, mask)));
    assert.ok(d < 1e-5, `forward differs by ${d}`);
    const loss = (f: (a: tf.Tensor4D, b: tf.Tensor4D, c: tf.Tensor4D) => tf.Tensor4D) => (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.sum(tf.mul(real(f(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D)), real(w)));
    const gw = tf.grads(loss((a, b, c) => maskedAttention(a, b, c, mask, 'wasm')))([q, k, v]);
    const gr = tf.grads(loss((a, b, c) => reference(a, b, c, mask)))([q, k, v]);
    gw.forEach((g, i) => {
      const diff = maxAbsDiff(g, gr[i]);
      assert.ok(diff < 1e-4, `gradient ${'qkv'[i]} differs by ${diff}`);
    });
    const gj = tf.grads(loss((a, b, c) => maskedAttention(a, b, c, mask, 'js')))([q, k, v]);
    gw.forEach((g, i) => assert.ok(maxAbsDiff(g, gj[i]) < 1e-5));
  });

  it('gradient check: wasm gradient of q matches central finite differences', () => {
    const B = 2, H = 1, Tq = 2, Tk = 5, dh = 6;
    const mask = new Float32Array([1, 1, 1, 0, 0, 1, 1, 1, 1, 1]);
    const q0 = rand(B * H * Tq * dh, 31), kT = rand(B * H * dh * Tk, 32), vT = rand(B * H * dh * Tk, 33);
    const g = rand(B * H * Tq * dh, 34);
    const loss = (q: Float32Array) => {
      const { out } = wasmAttentionForward(q, kT, vT, mask, B, H, Tq, Tk, dh);
      let s = 0;
      for (let i = 0; i < out.length; i++) s += out[i] * g[i];
      return s;
    };
    const [dq] = wasmAttentionBackward(g, wasmAttentionForward(q0, kT, vT, mask, B, H, Tq, Tk, dh).saved);
    const eps = 1e-2;
    for (let i = 0; i < q0.length; i++) {
      const qp = q0.slice(), qm = q0.slice();
      qp[i] += eps;
      qm[i] -= eps;
      const numeric = (loss(qp) - loss(qm)) / (2 * eps);
      assert.ok(Math.abs(numeric - dq[i]) < 2e-3, `dq[${i}]: analytic ${dq[i]}, numeric ${numeric}`);
    }
  });

  it('the SIMD exp has relative error < 1e-6 on [-88, 0] and exp(0) = 1', () => {
    const n = 200003;
    const xs = Float32Array.from({ length: n }, (_, i) => -88 + (88 * i) / (n - 1));
    const e = wasmExp(xs);
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(e[i] - Math.exp(xs[i])) / Math.exp(xs[i]));
    assert.ok(worst < 1e-6, `max relative error ${worst}`);
    assert.equal(e[n - 1], 1);
    assert.equal(wasmExp(new Float32Array([-200]))[0], 0);
  });

  it('the committed attentionWasm.generated.ts is the current attention.wat compiled by wabt', () => {
    const root = path.join(__dirname, '../../..');
    const fresh = execFileSync(process.execPath, [path.join(root, 'scripts/build-wasm.mjs'), '--print-base64', 'attention'], {
      encoding: 'utf8',
    }).trim();
    assert.ok(fresh.length > 100);
    assert.equal(fresh, ATTENTION_WASM_BASE64, 'attention.wat changed: run `node scripts/build-wasm.mjs` and commit');
  });
});
