/**
 * Stage 4: the cross-attention member on the main thread. Its inputs are token ids of a learned (or the base
 * model's) WordPiece vocabulary, or frozen SciBERT states from the ONNX feature cache; then training with
 * feature-space augmentation, and its raw outputs on validation and test.
 */
import { dirname, join, resolve } from 'node:path';
import { normalizeForModel } from '../../model/text/normalize';
import { WordPieceTokenizer } from '../../model/text/tokenizer';
import { parseVocabTxt } from '../../model/text/vocabTxt';
import type { CrossAttentionConfig } from '../../model/crossAttention/config';
import { encodeForCompact } from '../../model/classifier';
import { bytesToFloat32 } from '../../model/fsAtomic';
import { initTfBackend } from '../../model/tfBackend';
import type { LoadedBundle } from '../../model/bundle';
import type { LabeledPaper } from '../../model/types';
import { DEFAULT_EPOCHS } from '../defaults';
import { learnWordPieceVocab } from '../vocabBuilder';
import {
  trainCrossAttention, TokenIdSource, predictAll, type BatchSource, type FeatureAugmentOptions, type TrainedCrossAttention,
} from '../crossAttentionTrainer';
import { openOnnxFeatures, type OnnxFeatureSet } from '../onnxFeatures';
import { autoClassWeights } from '../crossAttention/losses';
import type { LabelSet } from '../labels';
import type { SplitName } from '../data/split';
import type { TrainEvent } from '../protocol';
import type { PipelineOptions } from '../pipeline';
import type { Targets } from './targets';

export interface CrossAttentionMemberInput {
  options: PipelineOptions;
  labels: LabelSet;
  /** the training split after augmentation; validation and test as split */
  papers: Record<SplitName, LabeledPaper[]>;
  targets: Targets;
  base?: LoadedBundle;
  seed: number;
  emit: (e: TrainEvent) => void;
  signal?: AbortSignal;
  /** seconds per step (vocab, encode, crossAttention) are added here */
  timings: Record<string, number>;
}

type Outputs = ReturnType<typeof predictAll>;

export interface CrossAttentionMember {
  trained: TrainedCrossAttention;
  config: CrossAttentionConfig;
  /** the WordPiece vocabulary (compact encoder) */
  vocab?: string[];
  /** the ONNX encoder and its features (SciBERT path) */
  onnx?: OnnxFeatureSet;
  /** raw logits of both heads on validation and test */
  outputs: { val: Outputs; test: Outputs };
}

interface MemberInputs {
  sources: Record<SplitName, BatchSource>;
  config: CrossAttentionConfig;
  vocab?: string[];
  onnx?: OnnxFeatureSet;
}

async function memberInputs(inp: CrossAttentionMemberInput, backend: string): Promise<MemberInputs> {
  const { options: o, labels, papers, targets, base, emit, signal, timings } = inp;
  const phase = (p: string, message: string) => emit({ type: 'phase', phase: p, message });
  const m = o.model;
  const M = labels.multi.length;
  if (o.onnxEncoderDir) {
    // SciBERT path: frozen ONNX encoder, features computed once through the on-disk cache.
    phase('encode', `Encoding titles and abstracts with the ONNX encoder in ${o.onnxEncoderDir} (cached on disk)`);
    const te = Date.now();
    const onnx = await openOnnxFeatures(resolve(o.onnxEncoderDir), o.featureCacheDir ?? join(dirname(resolve(o.outDir)), '.feature-cache'), m.titleLen, m.abstractLen, emit, signal);
    const sources = {
      train: await onnx.make(papers.train, targets.train.y, targets.train.multi, M, 'train'),
      validation: await onnx.make(papers.validation, targets.validation.y, targets.validation.multi, M, 'validation'),
      test: await onnx.make(papers.test, targets.test.y, targets.test.multi, M, 'test'),
    };
    timings.encode = (Date.now() - te) / 1000;
    return { sources, onnx, config: { encoder: 'states', vocabSize: 0, inputDim: onnx.hidden, numPrimary: labels.primary.length, numMulti: M, ...m } };
  }
  const tv = Date.now();
  const normTrain = papers.train.map((p) => ({ title: normalizeForModel(p.title), abstract: normalizeForModel(p.abstract) }));
  let vocab: string[];
  if (base) {
    phase('vocab', `Fine-tuning ${base.manifest.name}: using its vocabulary (TensorFlow.js backend: ${backend})`);
    vocab = parseVocabTxt(base.file(base.manifest.tokenizer!.file).toString('utf8'), base.manifest.tokenizer!.file);
  } else {
    phase('vocab', `Learning a ${o.vocabSize}-token WordPiece vocabulary (TensorFlow.js backend: ${backend})`);
    vocab = learnWordPieceVocab(
      (function* () {
        for (const p of normTrain) {
          yield p.title;
          yield p.abstract;
        }
      })(),
      { size: o.vocabSize },
    );
  }
  const tokenizer = WordPieceTokenizer.fromVocab(vocab, { lowercase: true });
  if (tokenizer.padId !== 0) throw new Error('learned vocabulary must put [PAD] at id 0');
  timings.vocab = (Date.now() - tv) / 1000;
  phase('tokenize', 'Tokenizing');
  const encode = (ps: { title: string; abstract: string }[]) => {
    const e = encodeForCompact(tokenizer, ps, m.titleLen, m.abstractLen, true);
    return { t: e.titleIds, a: e.abstractIds };
  };
  const norm = (ps: LabeledPaper[]) => ps.map((p) => ({ title: normalizeForModel(p.title), abstract: normalizeForModel(p.abstract) }));
  const etr = encode(normTrain), eva = encode(norm(papers.validation)), ete = encode(norm(papers.test));
  const src = (e: { t: Int32Array; a: Int32Array }, t: { y: Int32Array; multi: Uint8Array }) =>
    new TokenIdSource(t.y.length, e.t, e.a, m.titleLen, m.abstractLen, t.y, t.multi, M);
  return {
    sources: { train: src(etr, targets.train), validation: src(eva, targets.validation), test: src(ete, targets.test) },
    vocab,
    config: { encoder: 'compact', vocabSize: vocab.length, inputDim: m.hidden, numPrimary: labels.primary.length, numMulti: M, ...m },
  };
}

/**
 * Feature-space augmentation (mixup, SMOTE-style oversampling) inside the training batches. SMOTE targets the
 * classes asked for, else those with fewer training papers than the median class.
 */
export function featureAugmentFor(
  augment: PipelineOptions['augment'],
  trainY: Int32Array,
  primaryLabels: readonly string[],
): FeatureAugmentOptions | undefined {
  const tech = augment?.techniques ?? [];
  const counts = new Map<number, number>();
  for (const y of trainY) counts.set(y, (counts.get(y) ?? 0) + 1);
  const sorted = [...counts.values()].sort((x, y) => x - y);
  const medianCount = sorted[sorted.length >> 1] ?? 0;
  const smoteClasses = augment?.targetClasses?.length
    ? augment.targetClasses.map((c) => primaryLabels.indexOf(c)).filter((i) => i >= 0)
    : [...counts].filter(([, n]) => n < medianCount).map(([c]) => c);
  const featureAugment = {
    ...(tech.includes('mixup') ? { mixup: { alpha: 0.2 } } : {}),
    ...(tech.includes('smote') ? { smote: { classes: smoteClasses, ratio: augment?.ratio ?? 1.5 } } : {}),
  };
  return Object.keys(featureAugment).length ? featureAugment : undefined;
}

export async function trainCrossAttentionMember(inp: CrossAttentionMemberInput): Promise<CrossAttentionMember> {
  const { options: o, labels, targets, base, seed, emit, signal, timings } = inp;
  const backend = await initTfBackend();
  const { sources, config, vocab, onnx } = await memberInputs(inp, backend);
  emit({ type: 'phase', phase: 'cross-attention', message: `Training the cross-attention model (${o.epochs ?? DEFAULT_EPOCHS} epochs max)` });
  const tx = Date.now();
  const baseX = base?.manifest.crossAttention;
  const trained = await trainCrossAttention(config, sources.train, sources.validation, {
    ...o.xattn,
    featureAugment: featureAugmentFor(o.augment, targets.train.y, labels.primary),
    initialWeights: base && baseX ? { index: baseX.index, data: bytesToFloat32(base.file(baseX.weights)) } : undefined,
    frozen: base && o.freezeEncoder ? (name: string) => name.startsWith('emb/') : undefined,
    epochs: o.epochs ?? DEFAULT_EPOCHS,
    seed,
    loss: {
      kind: o.loss?.kind ?? 'ce',
      gamma: o.loss?.gamma ?? 2,
      labelSmoothing: o.loss?.labelSmoothing ?? 0.1,
      // Square-root inverse-frequency weights (capped): full inverse weights over-predict the rare classes.
      classWeights: (o.loss?.classWeights ?? 'auto') === 'auto' ? autoClassWeights(targets.train.y, labels.primary.length) : undefined,
    },
    checkpointDir: o.checkpointDir ?? o.outDir + '.ckpt',
    resume: o.resume ?? true,
    onEvent: emit,
    signal,
  });
  // A resumed run counts the training its killed predecessors did, not only the part after the resume.
  timings.crossAttention = (Date.now() - tx) / 1000 + trained.resumedSeconds;
  if (trained.resumedSeconds > 0) {
    timings.resumedSeconds = trained.resumedSeconds;
    emit({ type: 'log', level: 'info', message: `Training time includes ${trained.resumedSeconds.toFixed(0)} s spent before the resume.` });
  }
  return { trained, config, vocab, onnx, outputs: { val: predictAll(trained.model, sources.validation), test: predictAll(trained.model, sources.test) } };
}
