import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initTfBackend } from '../../../src/model/tfBackend';
import { NgramFeaturizer, simpleTokens } from '../../../src/model/ngram/featurizer';
import { NgramModel } from '../../../src/model/ngram/model';
import { ngramEvidence } from '../../../src/model/explain/ngramEvidence';
import { gaussLegendre, integratedGradients, targetOfLogits } from '../../../src/model/explain/integratedGradients';
import { ngramWordSpans, pieceToWord } from '../../../src/model/explain/words';
import { explainDraft, wordScores } from '../../../src/model/explain/explain';
import { loadClassifier, defaultModelDir, type BundleClassifier } from '../../../src/model/classifier';
import { CrossAttentionModel } from '../../../src/model/crossAttention/model';
import { Rng } from '../../../src/training/random';
import { normalizeForModel, wordsForNgrams } from '../../../src/model/text/normalize';
import { WordPieceTokenizer } from '../../../src/model/text/tokenizer';
import { logSoftmax } from '../../../src/model/calibration';

function tinyNgram(): { model: NgramModel; docs: string[][] } {
  const texts = [
    'speech translation with neural networks',
    'image segmentation with convolutional networks',
    'speech recognition and machine translation',
    'graph neural networks for molecules',
    'image classification and object detection',
  ];
  const docs = texts.map(simpleTokens);
  const featurizer = NgramFeaturizer.fit(docs, { minDf: 1, maxFeatures: 100, ngramMax: 2 });
  const F = featurizer.numFeatures;
  const C = 4;
  const rng = new Rng(3);
  const rand = (n: number) => Float32Array.from({ length: n }, () => (rng.next() - 0.5) * 4);
  const model = new NgramModel({
    featurizer,
    labels: ['cs.CL', 'cs.CV', 'cs.LG', 'other'],
    multiLabels: ['cs.CL'],
    primaryW: rand(F * C),
    primaryB: rand(C),
    multiW: rand(F),
    multiB: rand(1),
    temperature: 1.3,
  });
  return { model, docs };
}

describe('n-gram evidence (exact contributions)', () => {
  const { model, docs } = tinyNgram();

  it('contributions + bias sum to the logit difference of the two classes (weights 1, T = 1)', () => {
    for (const doc of docs) {
      const x = model.featurize(doc);
      const l = model.predictLogits(x);
      for (const [t, r] of [[0, 1], [2, 3], [3, 0]]) {
        const ev = ngramEvidence(model, x, { top: t, runnerUp: r, wTop: 1, wRunnerUp: 1, temperature: 1, scale: 1 });
        const sum = ev.contributions.reduce((s, c) => s + c.contribution, 0) + ev.base;
        assert.ok(Math.abs(sum - (l[t] - l[r])) < 1e-5, `${sum} vs ${l[t] - l[r]}`);
        // each contribution is weight x feature
        for (const c of ev.contributions) {
          const C = model.labels.length;
          const w = model.primaryW[c.feature * C + t] - model.primaryW[c.feature * C + r];
          assert.ok(Math.abs(c.contribution - c.value * w) < 1e-6);
        }
      }
    }
  });

  it('with unequal stacker weights, contributions + base equal the member share scale*(w_t lp_t - w_r lp_r)', () => {
    const T = 1.3, wt = 0.7, wr = 0.35, scale = 1 / 0.9;
    for (const doc of docs) {
      const x = model.featurize(doc);
      const lp = logSoftmax(model.predictLogits(x), T);
      const ev = ngramEvidence(model, x, { top: 1, runnerUp: 2, wTop: wt, wRunnerUp: wr, temperature: T, scale });
      const want = scale * (wt * lp[1] - wr * lp[2]);
      const sum = ev.contributions.reduce((s, c) => s + c.contribution, 0) + ev.base;
      assert.ok(Math.abs(ev.total - want) < 1e-5, `total ${ev.total} vs ${want}`);
      assert.ok(Math.abs(sum - want) < 1e-5, `sum ${sum} vs ${want}`);
    }
  });

  it('a draft with no known term has only the base', () => {
    const x = model.featurize(['zzz', 'qqq']);
    const ev = ngramEvidence(model, x, { top: 0, runnerUp: 1, wTop: 1, wRunnerUp: 1, temperature: 1, scale: 1 });
    assert.equal(ev.contributions.length, 0);
    const l = model.predictLogits(x);
    assert.ok(Math.abs(ev.base - (l[0] - l[1])) < 1e-6);
  });
});

describe('integrated gradients (cross-attention member)', () => {
  let model: CrossAttentionModel;
  before(async () => {
    await initTfBackend('wasm');
    model = new CrossAttentionModel({
      encoder: 'compact', vocabSize: 50, hidden: 16, inputDim: 16, heads: 2, titleLen: 6, abstractLen: 12,
      poolDim: 8, mlp: [16, 8], dropout: 0.1, embedDropout: 0.1, numPrimary: 3, numMulti: 4,
    }, 7);
  });
  after(() => model.dispose());

  const titleIds = Int32Array.from([5, 9, 13, 2, 0, 0]);
  const abstractIds = Int32Array.from([7, 8, 21, 33, 4, 41, 17, 0, 0, 0, 0, 0]);
  const target = { top: 0, runnerUp: 2, wTop: 0.6, wRunnerUp: 0.4, temperature: 0.8, scale: 1.1 };

  it('completeness: attributions sum to f(x) - f(baseline) within 1% with enough steps', () => {
    const few = integratedGradients(model, titleIds, abstractIds, target, 1);
    const ig = integratedGradients(model, titleIds, abstractIds, target, 256);
    const diff = ig.fx - ig.fBaseline;
    assert.ok(Math.abs(diff) > 1e-2, 'the test function must not be flat');
    // one point is far off (the function is not linear along the path), so the check below can fail
    assert.ok(Math.abs(few.gap) > 0.1 * Math.abs(diff), `1-step gap ${few.gap} vs ${diff}`);
    assert.ok(Math.abs(ig.gap) < 0.01 * Math.abs(diff), `gap ${ig.gap} vs f(x)-f(0) ${diff}`);
    const sum = [...ig.title, ...ig.abstract].reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - diff - ig.gap) < 1e-5, 'gap is reported as sum - (f(x) - f(0))');
  });

  it('Gauss-Legendre nodes integrate polynomials of degree 2n-1 exactly', () => {
    const q = gaussLegendre(3);
    const integral = q.nodes.reduce((s, x, i) => s + q.weights[i] * x ** 5, 0);
    assert.ok(Math.abs(integral - 1 / 6) < 1e-12);
    assert.ok(Math.abs(q.weights.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  });

  it('f(x) is the member output used by the ensemble: scale * (w_t lp_t - w_r lp_r)', () => {
    const ig = integratedGradients(model, titleIds, abstractIds, target, 4);
    const logits = tf.tidy(() => model.forward({
      titleIds: tf.tensor2d(titleIds, [1, 6], 'int32'), abstractIds: tf.tensor2d(abstractIds, [1, 12], 'int32'),
      titleMask: Float32Array.from(titleIds, (x) => (x ? 1 : 0)), abstractMask: Float32Array.from(abstractIds, (x) => (x ? 1 : 0)),
    }, false).primaryLogits.dataSync() as Float32Array);
    const lp = logSoftmax(logits, target.temperature);
    const want = target.scale * (target.wTop * lp[0] - target.wRunnerUp * lp[2]);
    assert.ok(Math.abs(ig.fx - want) < 1e-4, `${ig.fx} vs ${want}`);
  });

  it('reusing the classifier\'s logits for f(x) gives the same attributions, f(x), f(baseline) and gap', () => {
    const own = integratedGradients(model, titleIds, abstractIds, target, 8);
    const logits = tf.tidy(() => model.forward({
      titleIds: tf.tensor2d(titleIds, [1, 6], 'int32'), abstractIds: tf.tensor2d(abstractIds, [1, 12], 'int32'),
      titleMask: Float32Array.from(titleIds, (x) => (x ? 1 : 0)), abstractMask: Float32Array.from(abstractIds, (x) => (x ? 1 : 0)),
    }, false).primaryLogits.dataSync() as Float32Array);
    const reused = integratedGradients(model, titleIds, abstractIds, target, 8, logits);
    assert.ok(Math.abs(own.fx - targetOfLogits(logits, target)) < 1e-5, `${own.fx} vs ${targetOfLogits(logits, target)}`);
    for (const k of ['fx', 'fBaseline', 'gap'] as const) assert.ok(Math.abs(own[k] - reused[k]) < 1e-5, `${k}: ${own[k]} vs ${reused[k]}`);
    // the baseline row shares the batch with the quadrature points: it must not change their gradients
    for (let i = 0; i < 12; i++) assert.ok(Math.abs(own.abstract[i] - reused.abstract[i]) < 1e-6);
    assert.ok(Math.abs(own.fBaseline - own.fx) > 1e-3, 'baseline and draft rows must differ');
  });

  it('padding positions get no attribution', () => {
    const ig = integratedGradients(model, titleIds, abstractIds, target, 4);
    assert.deepEqual(Array.from(ig.title.slice(4)), [0, 0]);
    assert.ok(ig.abstract.slice(7).every((v) => v === 0));
    assert.ok(ig.abstract.slice(0, 7).some((v) => v !== 0));
  });
});

describe('word units shared by the members', () => {
  it('n-gram word spans are the words wordsForNgrams reads, at their offsets', () => {
    for (const raw of ['GPT-4 and $k$-means on the model\'s data, e.g. 0.5 F1 (see \\url{http://x.org}).', 'Speech   translation: end-to-end!']) {
      const norm = normalizeForModel(raw);
      const spans = ngramWordSpans(norm);
      assert.deepEqual(spans.map((s) => s.word), wordsForNgrams(raw));
      for (const s of spans) assert.equal(norm.toLowerCase().slice(s.start, s.end), s.word);
    }
  });

  it('maps WordPiece pieces to the n-gram word containing them; punctuation maps to -1', () => {
    const tok = WordPieceTokenizer.fromVocab(['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'gpt', '-', '4', 'speech', 'trans', '##lation', ',', 'x']);
    const norm = normalizeForModel('GPT-4, speech translation');
    const words = ngramWordSpans(norm);
    assert.deepEqual(words.map((w) => w.word), ['gpt-4', 'speech', 'translation']);
    // pieces: gpt - 4 , speech trans ##lation
    assert.deepEqual(Array.from(pieceToWord(tok, norm, words, 20)), [0, 0, 0, -1, 1, 2, 2]);
    assert.deepEqual(Array.from(pieceToWord(tok, norm, words, 3)), [0, 0, 0]);
  });

  it('word scores split a phrase evenly between its words', () => {
    const s = wordScores({ terms: [{ term: 'speech translation', weight: 1, ngram: 1, crossAttention: 0 }, { term: 'speech', weight: 0.5, ngram: 0.25, crossAttention: 0.25 }] });
    assert.equal(s.get('speech'), 1);
    assert.equal(s.get('translation'), 0.5);
  });
});

describe('explainDraft on the shipped model', () => {
  let classifier: BundleClassifier;
  before(async function () {
    this.timeout(60_000);
    classifier = await loadClassifier(defaultModelDir(resolve(__dirname, '../../..')));
  });
  after(() => classifier?.dispose());

  it('the evidence, base, punctuation and IG gap add up to the ensemble log-odds of top vs runner-up', async function () {
    this.timeout(60_000);
    const paper = {
      title: 'End-to-end speech translation with transformers',
      abstract: 'We propose a neural model for speech translation that translates spoken language directly into text in another language, trained on a parallel corpus; it improves BLEU by 2 points.',
    };
    const e = await explainDraft(classifier, paper, { steps: 4, maxTerms: Infinity });
    const pred = await classifier.classify(paper);
    assert.equal(e.top, pred.primary[0].category);
    assert.equal(e.runnerUp, pred.primary[1].category);
    assert.ok(Math.abs(e.logOdds - Math.log(pred.primary[0].p / pred.primary[1].p)) < 1e-4);
    const sum = e.terms.reduce((s, t) => s + t.weight, 0) + e.base + e.nonWord - e.igGap;
    assert.ok(Math.abs(sum - e.logOdds) < 1e-3, `${sum} vs ${e.logOdds}`);
    assert.equal(e.top, 'cs.CL');
    const speech = e.terms.find((t) => t.term === 'speech');
    assert.ok(speech && speech.weight > 0 && speech.ngram !== 0 && speech.crossAttention !== 0, JSON.stringify(speech));
    assert.ok(e.terms.some((t) => t.term === 'speech translation' && t.crossAttention === 0), 'phrases carry only the n-gram part');
  });
});
