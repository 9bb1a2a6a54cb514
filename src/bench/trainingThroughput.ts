/**
 * Training throughput with the shipped model's configuration on real training papers: cross-attention
 * training steps (examples/s, after warm-up) and n-gram model training (documents/s for one epoch).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BundleManifest } from '../model/bundle';
import { CrossAttentionModel } from '../model/crossAttention/model';
import { AdamW } from '../training/crossAttention/adamw';
import { primaryLoss, multiLabelLoss } from '../training/crossAttention/losses';
import { WordPieceTokenizer } from '../model/text/tokenizer';
import { learnWordPieceVocab } from '../training/vocabBuilder';
import { normalizeForModel, wordsForNgrams } from '../model/text/normalize';
import { NgramFeaturizer } from '../model/ngram/featurizer';
import { trainNgramModel } from '../training/ngram/train';
import { initTfBackend } from '../model/tfBackend';
import { encodeForCompact } from '../model/classifier';
import type { LabeledPaper } from '../model/types';

export async function measureTrainingThroughput(man: BundleManifest, papers: LabeledPaper[]): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = {};
  const labels = man.labels.primary.map((l) => l.code);
  const y = Int32Array.from(papers, (p) => Math.max(0, labels.indexOf(p.primary)));
  if (man.crossAttention && man.crossAttention.config.encoder === 'compact') {
    out.tf_backend = await initTfBackend();
    const c = man.crossAttention.config;
    const vocab = learnWordPieceVocab(papers.map((p) => normalizeForModel(p.abstract)), { size: Math.min(c.vocabSize, 8000) });
    const tok = WordPieceTokenizer.fromVocab(vocab);
    const cfg = { ...c, vocabSize: vocab.length };
    const model = new CrossAttentionModel(cfg, 1);
    const opt = new AdamW({ lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, warmupSteps: 5, totalSteps: 100, clipNorm: 1, noDecay: () => false });
    const B = 64;
    const steps = 12;
    const batchPapers = papers.slice(0, B * steps);
    const { titleIds, abstractIds } = encodeForCompact(tok, batchPapers, c.titleLen, c.abstractLen);
    const multi = new Uint8Array(B * c.numMulti);
    let t0 = 0;
    for (let s = 0; s < steps; s++) {
      if (s === 2) t0 = performance.now(); // first steps compile kernels
      const t = titleIds.subarray(s * B * c.titleLen, (s + 1) * B * c.titleLen);
      const a = abstractIds.subarray(s * B * c.abstractLen, (s + 1) * B * c.abstractLen);
      const labelsB = y.subarray(s * B, (s + 1) * B);
      const { value, grads } = tf.variableGrads(() =>
        tf.tidy(() => {
          const o = model.forward({
            titleIds: tf.tensor2d(t, [B, c.titleLen], 'int32'),
            abstractIds: tf.tensor2d(a, [B, c.abstractLen], 'int32'),
            titleMask: Float32Array.from(t, (x) => (x ? 1 : 0)),
            abstractMask: Float32Array.from(a, (x) => (x ? 1 : 0)),
          }, true);
          return tf.add(primaryLoss(o.primaryLogits, labelsB, { kind: 'ce', labelSmoothing: 0.1, gamma: 2 }), tf.mul(multiLabelLoss(o.multiLogits, multi), 0.5)) as tf.Scalar;
        }),
      );
      opt.apply(model.params, grads);
      value.dispose();
      Object.values(grads).forEach((g) => g.dispose());
    }
    out.xattn_train_examples_per_sec = ((steps - 2) * B * 1000) / (performance.now() - t0);
    opt.dispose();
    model.dispose();
  }
  const docs = papers.map((p) => wordsForNgrams(p.title + ' . ' + p.abstract));
  const t1 = performance.now();
  const featurizer = NgramFeaturizer.fit(docs, { maxFeatures: 60000, minDf: 2, ngramMax: 2 });
  const feats = docs.map((d) => featurizer.transform(d));
  trainNgramModel({ features: feats, primary: y }, { featurizer, labels, multiLabels: [], epochs: 1, seed: 1 });
  out.ngram_train_examples_per_sec = (papers.length * 1000) / (performance.now() - t1);
  return out;
}
