/** The training pipeline's stages on their own, with hand-made inputs (no data file, no training run). */
import { strict as assert } from 'node:assert';
import { targetsOf } from '../../../src/training/stages/targets';
import { featureAugmentFor } from '../../../src/training/stages/crossAttentionMember';
import { calibrateAndChoose, chooseMultiSource, meanBce, type MemberLogits } from '../../../src/training/stages/ensemble';
import { evaluateOnTest, manifestMetrics } from '../../../src/training/stages/bundleOut';
import { Rng } from '../../../src/training/random';
import type { NgramMemberOutput } from '../../../src/training/ngramMember';
import type { LabelSet } from '../../../src/training/labels';
import type { LabeledPaper } from '../../../src/model/types';

const paper = (id: string, primary: string, categories: string[]): LabeledPaper => ({ id, title: 't', abstract: 'a', primary, categories });

/** Logits [n][C] that put `margin` on the true class plus seeded noise; margin 0 = an uninformative member. */
function logits(y: Int32Array, C: number, margin: number, seed: number): Float32Array[] {
  const rng = new Rng(seed);
  return Array.from(y, (t) => Float32Array.from({ length: C }, (_, c) => (c === t ? margin : 0) + rng.normal()));
}

describe('training stages', () => {
  it('targetsOf: primary index (unknown -> other) and row-major multi-hot', () => {
    const labels: LabelSet = { primary: ['cs.CL', 'cs.CV', 'other'], multi: ['cs.CL', 'cs.LG'], minPrimary: 1, minListed: 1 };
    const t = targetsOf(labels, [paper('1', 'cs.CV', ['cs.CV', 'cs.LG']), paper('2', 'math.AG', ['math.AG', 'cs.CL'])]);
    assert.deepEqual(Array.from(t.y), [1, 2]);
    assert.deepEqual(Array.from(t.multi), [0, 1, 1, 0]);
  });

  it('featureAugmentFor: nothing asked -> undefined; SMOTE on below-median classes or the classes named', () => {
    const y = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 2, 3, 3, 3]);
    assert.equal(featureAugmentFor(undefined, y, ['a', 'b', 'c', 'd']), undefined);
    assert.equal(featureAugmentFor({ techniques: ['eda'] }, y, ['a', 'b', 'c', 'd']), undefined);
    assert.deepEqual(featureAugmentFor({ techniques: ['smote', 'mixup'] }, y, ['a', 'b', 'c', 'd']), {
      mixup: { alpha: 0.2 },
      smote: { classes: [2], ratio: 1.5 },
    });
    assert.deepEqual(featureAugmentFor({ techniques: ['smote'], targetClasses: ['d', 'zz', 'a'], ratio: 2 }, y, ['a', 'b', 'c', 'd']), {
      smote: { classes: [3, 0], ratio: 2 },
    });
  });

  describe('calibrateAndChoose', () => {
    const C = 4, M = 2, n = 200;
    const rng = new Rng(3);
    const valY = Int32Array.from({ length: n }, () => rng.randInt(C));
    const testY = Int32Array.from({ length: n }, () => rng.randInt(C));
    const valMulti = Uint8Array.from({ length: n * M }, () => rng.randInt(2));
    const xo = (margin: number): MemberLogits => ({
      val: { primary: logits(valY, C, margin, 1), multi: logits(valY, M, 0, 2) },
      test: { primary: logits(testY, C, margin, 4), multi: logits(testY, M, 0, 5) },
    });
    const ngramOf = (margin: number): NgramMemberOutput => ({
      json: { temperature: 1 },
      weights: new Uint8Array(0),
      outputs: {
        validation: { logits: logits(valY, C, margin, 6), multi: logits(valY, M, 0, 7).map((r) => r.map((z) => 1 / (1 + Math.exp(-z)))) },
        test: { logits: logits(testY, C, margin, 8), multi: [] },
      },
      seconds: 0,
      log: [],
    });
    const common = { primaryLabels: ['a', 'b', 'c', 'd'], numMulti: M, valY, testY, valMulti, keepEncoder: false, seed: 42 };

    it('one member: ships it, with its fitted temperature (stored in the n-gram json)', () => {
      const ng = ngramOf(3);
      const r = calibrateAndChoose({ ...common, ngram: ng });
      assert.equal(r.chosen, 'ngram');
      assert.equal(r.stacker, undefined);
      assert.ok(r.nT > 0 && r.nT !== 1);
      assert.equal((ng.json as { temperature: number }).temperature, r.nT);
      assert.deepEqual(Object.keys(r.members), ['ngram']);
      assert.equal(r.testFinal.length, n);
    });

    it('two members: a stacker is fitted, and an uninformative member is not what ships', () => {
      const r = calibrateAndChoose({ ...common, crossAttention: xo(4), ngram: ngramOf(0) });
      assert.ok(r.stacker);
      assert.deepEqual(Object.keys(r.members).sort(), ['cross-attention', 'ensemble', 'ngram']);
      assert.notEqual(r.chosen, 'ngram');
      assert.ok(r.members['cross-attention'].validation.macro_f1 > r.members.ngram.validation.macro_f1 + 0.3);
    });

    it('ships the member with the best validation macro-F1; a SciBERT run never ships the n-gram member alone', () => {
      const best = (r: ReturnType<typeof calibrateAndChoose>, skip?: string) =>
        Object.entries(r.members).filter(([k]) => k !== skip).sort((a, b) => b[1].validation.macro_f1 - a[1].validation.macro_f1)[0][0];
      const free = calibrateAndChoose({ ...common, crossAttention: xo(0), ngram: ngramOf(3) });
      const kept = calibrateAndChoose({ ...common, crossAttention: xo(0), ngram: ngramOf(3), keepEncoder: true });
      assert.equal(free.chosen, 'ngram', 'this data makes the n-gram member the best on validation');
      assert.equal(free.chosen, best(free));
      assert.equal(kept.chosen, best(kept, 'ngram'));
      assert.deepEqual(kept.members, free.members, 'keeping the encoder changes the choice, not the scores');
    });
  });

  it('chooseMultiSource: the shipped source with the lower validation log-loss', () => {
    const valMulti = Uint8Array.from([1, 0, 0, 1]);
    const good = [Float32Array.from([0.9, 0.1]), Float32Array.from([0.1, 0.9])];
    const bad = [Float32Array.from([0.2, 0.8]), Float32Array.from([0.7, 0.3])];
    const badLogits = bad.map((r) => r.map((p) => Math.log(p / (1 - p))));
    assert.ok(meanBce(good, valMulti, 2) < meanBce(bad, valMulti, 2));
    const base = { numMulti: 2, valMulti, xMT: 1 };
    assert.equal(chooseMultiSource({ ...base, chosen: 'ensemble', crossAttentionMulti: badLogits, ngramMulti: good }), 'ngram');
    assert.equal(chooseMultiSource({ ...base, chosen: 'cross-attention', crossAttentionMulti: badLogits, ngramMulti: good }), 'cross-attention');
    assert.equal(chooseMultiSource({ ...base, chosen: 'ngram', crossAttentionMulti: badLogits }), 'cross-attention');
  });

  it('manifestMetrics: headline keys, 4-class keys only when the four labels exist', () => {
    const probs = [Float32Array.from([0.7, 0.1, 0.1, 0.1]), Float32Array.from([0.1, 0.6, 0.2, 0.1])];
    const y = Int32Array.from([0, 2]);
    const four = manifestMetrics(evaluateOnTest(probs, y, ['cs.AI', 'cs.CL', 'cs.CV', 'cs.LG']), 12.6, 100);
    assert.deepEqual(Object.keys(four), ['test_n', 'test_top1', 'test_top3', 'test_ece', 'test_macro_f1_all', 'training_seconds', 'test_acc4', 'test_macro_f1_4', 'test_ai_recall_4', 'train_examples_per_sec']);
    assert.equal(four.test_top1, 0.5);
    assert.equal(four.training_seconds, 13);
    const other = manifestMetrics(evaluateOnTest(probs, y, ['a', 'b', 'c', 'd']), 1);
    assert.deepEqual(Object.keys(other), ['test_n', 'test_top1', 'test_top3', 'test_ece', 'test_macro_f1_all', 'training_seconds']);
  });
});
