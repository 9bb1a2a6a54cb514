import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import { initTfBackend } from '../../../src/model/tfBackend';
import { integratedGradients, type TokenAttribution } from '../../../src/model/explain/integratedGradients';
import { primaryLogits, releaseGradientCaches } from '../../../src/model/explain/xattnGradient';
import * as tf from '@tensorflow/tfjs-core';
import { loadClassifier, defaultModelDir, encodeForCompact, type BundleClassifier } from '../../../src/model/classifier';
import { CrossAttentionModel } from '../../../src/model/crossAttention/model';
import { setDefaultAttentionKernel } from '../../../src/model/crossAttention/attentionOp';

/** Manual and taped IG must agree per token: |a - b| <= tol * (largest |attribution|), and in f(x), f(0). */
function assertSame(manual: TokenAttribution, tape: TokenAttribution, tol: number): void {
  const all = [...tape.title, ...tape.abstract];
  const big = Math.max(...all.map(Math.abs));
  assert.ok(big > 1e-4, 'attributions must not all vanish');
  for (const side of ['title', 'abstract'] as const) {
    assert.equal(manual[side].length, tape[side].length);
    for (let i = 0; i < tape[side].length; i++) {
      const d = Math.abs(manual[side][i] - tape[side][i]);
      assert.ok(d <= tol * big, `${side}[${i}]: manual ${manual[side][i]} vs tape ${tape[side][i]} (max |a| ${big})`);
      if (tape[side][i] === 0) assert.equal(manual[side][i], 0, `${side}[${i}] is padding`);
    }
  }
  for (const k of ['fx', 'fBaseline', 'gap'] as const) assert.ok(Math.abs(manual[k] - tape[k]) <= tol * Math.max(1, Math.abs(tape.fx)), `${k}: ${manual[k]} vs ${tape[k]}`);
}

describe('hand-written IG gradient pass (xattnGradient.ts) equals the tfjs tape', () => {
  before(async () => {
    await initTfBackend('wasm');
  });

  describe('tiny random model', () => {
    let model: CrossAttentionModel;
    before(() => {
      model = new CrossAttentionModel({
        encoder: 'compact', vocabSize: 50, hidden: 16, inputDim: 16, heads: 2, titleLen: 6, abstractLen: 13,
        poolDim: 8, mlp: [16, 8], dropout: 0.1, embedDropout: 0.1, numPrimary: 3, numMulti: 4,
      }, 11);
    });
    after(() => model.dispose());
    const target = { top: 1, runnerUp: 2, wTop: 0.6, wRunnerUp: 0.4, temperature: 0.8, scale: 1.1 };

    for (const kernel of ['wasm', 'js'] as const) {
      it(`with the ${kernel} attention kernels, padding at the end and in the middle, 1 / 3 / 8 steps`, () => {
        setDefaultAttentionKernel(kernel);
        try {
          const cases: [number[], number[]][] = [
            [[5, 9, 13, 2, 0, 0], [7, 8, 21, 33, 4, 41, 17, 0, 0, 0, 0, 0, 0]],
            [[5, 0, 13, 0, 6, 1], [7, 0, 21, 33, 0, 41, 17, 3, 9, 9, 2, 44, 30]],
            [[49, 0, 0, 0, 0, 0], [12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
          ];
          for (const [t, a] of cases) {
            for (const steps of [1, 3, 8]) {
              const ti = Int32Array.from(t), ai = Int32Array.from(a);
              assertSame(integratedGradients(model, ti, ai, target, steps, undefined, 'manual'), integratedGradients(model, ti, ai, target, steps, undefined, 'tape'), 1e-4);
            }
          }
        } finally {
          setDefaultAttentionKernel('auto');
        }
      });
    }

    it('a disposed model leaves no cached backend tensors behind (hot-swap)', () => {
      const m2 = new CrossAttentionModel({
        encoder: 'compact', vocabSize: 50, hidden: 16, inputDim: 16, heads: 2, titleLen: 6, abstractLen: 13,
        poolDim: 8, mlp: [16, 8], dropout: 0.1, embedDropout: 0.1, numPrimary: 3, numMulti: 4,
      }, 12);
      const ti = Int32Array.from([5, 9, 13, 2, 0, 0]), ai = Int32Array.from([7, 8, 21, 33, 4, 41, 17, 0, 0, 0, 0, 0, 0]);
      integratedGradients(m2, ti, ai, target, 2, undefined, 'manual'); // fills the caches
      const before = tf.memory().numTensors;
      integratedGradients(m2, ti, ai, target, 2, undefined, 'manual');
      assert.equal(tf.memory().numTensors, before, 'a second call reuses the cached tensors');
      releaseGradientCaches(m2);
      const released = before - tf.memory().numTensors;
      assert.ok(released > 0, 'the caches held derived tensors, and releasing frees them');
      m2.dispose();
    });

    it('a side with no real tokens falls back to the tape (pooling over padding)', () => {
      const ti = new Int32Array(6), ai = Int32Array.from([7, 8, 21, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      const m = integratedGradients(model, ti, ai, target, 4, undefined, 'manual');
      const t = integratedGradients(model, ti, ai, target, 4, undefined, 'tape');
      assert.deepEqual(Array.from(m.abstract), Array.from(t.abstract));
    });
  });

  describe('shipped model', () => {
    let classifier: BundleClassifier;
    before(async function () {
      this.timeout(60_000);
      classifier = await loadClassifier(defaultModelDir(resolve(__dirname, '../../..')));
    });
    after(() => classifier?.dispose());

    it('8-point IG of top vs runner-up agrees on real drafts', async function () {
      this.timeout(60_000);
      const { xattn, tokenizer } = classifier.members;
      const c = xattn!.config;
      const papers = [
        { title: 'End-to-end speech translation with transformers', abstract: 'We propose a neural model for speech translation that translates spoken language directly into text in another language, trained on a parallel corpus; it improves BLEU by 2 points.' },
        { title: 'Dark matter halos', abstract: 'We measure the mass function of dark matter halos in cosmological N-body simulations and compare it with weak lensing data. '.repeat(8) },
      ];
      for (const paper of papers) {
        const { titleIds, abstractIds } = encodeForCompact(tokenizer!, [paper], c.titleLen, c.abstractLen);
        const [out] = await classifier.memberOutputs([paper]);
        const l = out.xattnLogits!;
        const order = Array.from(l.keys()).sort((a, b) => l[b] - l[a]);
        const target = { top: order[0], runnerUp: order[1], wTop: 0.5, wRunnerUp: 0.7, temperature: 0.78, scale: 1 };
        const manual = integratedGradients(xattn!, titleIds, abstractIds, target, 8, l, 'manual');
        const tape = integratedGradients(xattn!, titleIds, abstractIds, target, 8, l, 'tape');
        assertSame(manual, tape, 1e-3);
        // the forward pass alone gives the classifier's logits (explainDraft uses them for top / runner-up)
        const fwd = primaryLogits(xattn!, titleIds, abstractIds)!;
        assert.equal(fwd.length, l.length);
        for (let i = 0; i < l.length; i++) assert.ok(Math.abs(fwd[i] - l[i]) < 1e-4, `logit ${i}: ${fwd[i]} vs ${l[i]}`);
      }
      const empty = encodeForCompact(tokenizer!, [{ title: '', abstract: 'some words' }], c.titleLen, c.abstractLen);
      assert.equal(primaryLogits(xattn!, empty.titleIds, empty.abstractIds), undefined, 'an empty side is left to the tfjs forward');
    });
  });
});
