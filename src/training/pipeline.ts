/**
 * The whole training job: read data -> deterministic split -> label set -> vocabulary -> (optional
 * augmentation of the training split) -> n-gram member (worker thread) and cross-attention member (main
 * thread) in parallel -> temperature scaling -> stacking meta-learner on validation -> choose the best
 * combination on validation -> evaluate on test -> write the bundle (+ report.json) atomically.
 */
import { createHash } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { readPapers } from './data/readPapers';
import { splitPapers, DEFAULT_SPLIT } from './data/split';
import { buildLabelSet, primaryIndex, multiHot, type LabelSet } from './labels';
import { categoryName } from '../model/arxivTaxonomy';
import { normalizeForModel } from '../model/text/normalize';
import { WordPieceTokenizer } from '../model/text/tokenizer';
import { formatVocabTxt, parseVocabTxt } from '../model/text/vocabTxt';
import { learnWordPieceVocab } from './vocabBuilder';
import { trainCrossAttention, TokenIdSource, predictAll, type CrossAttentionTrainOptions, type BatchSource } from './crossAttentionTrainer';
import { openOnnxFeatures, type OnnxFeatureSet } from './onnxFeatures';
import type { CrossAttentionConfig } from '../model/crossAttention/config';
import { autoClassWeights } from './crossAttention/losses';
import { trainNgramInBackground } from './runInWorker';
import type { NgramMemberOutput } from './ngramMember';
import { logSoftmax, softmaxWithTemperature, sigmoid } from '../model/calibration';
import { fitTemperature, fitBinaryTemperature } from './calibrationFit';
import type { Stacker } from '../model/stacking';
import { crossValidatedStacker } from './stackerFit';
import { evaluate, evaluateOnSubset, macroF1, topKAccuracy, type EvaluationReport } from './eval/metrics';
import { FOUR_CLASSES, headline } from './eval/headline';
import { writeBundle, readBundle, type BundleManifest } from '../model/bundle';
import { encodeForCompact } from '../model/classifier';
import { float32ToBytes, bytesToFloat32 } from '../model/fsAtomic';
import { sha256File } from '../shared/hash';
import { initTfBackend } from '../model/tfBackend';
import { augmentTrainingSet } from './augmentStage';
import type { EpochMetrics, TrainEvent, TrainRequest } from './protocol';
import type { LabeledPaper } from '../model/types';

export interface PipelineOptions extends TrainRequest {
  name: string;
  description?: string;
  members: ('cross-attention' | 'ngram')[];
  minPrimary: number;
  minListed: number;
  vocabSize: number;
  model: Pick<CrossAttentionConfig, 'hidden' | 'heads' | 'titleLen' | 'abstractLen' | 'poolDim' | 'mlp' | 'dropout' | 'embedDropout'>;
  xattn: Omit<CrossAttentionTrainOptions, 'onEvent' | 'signal' | 'checkpointDir' | 'resume' | 'seed' | 'epochs' | 'loss'> & { multiWeight: number };
  ngram: { maxFeatures: number; minDf: number; epochs: number; lr: number; l2: number; batchSize: number; classWeights: 'balanced' | 'sqrt' | 'none'; patience: number };
  /** Record how the bundle was made (shown in the manifest). */
  command?: string;
  /** Where the ONNX feature cache lives (default: .feature-cache next to outDir). */
  featureCacheDir?: string;
}

export interface PipelineResult {
  modelDir: string;
  manifest: BundleManifest;
  report: TrainingReport;
}

export interface TrainingReport {
  labels: string[];
  history: EpochMetrics[];
  ngramLog: string[];
  test: { all: EvaluationReport; fourClass: EvaluationReport | null };
  members: Record<string, { validation: { accuracy: number; macro_f1: number }; test: Record<string, number> }>;
  chosen: string;
  dataReport: unknown;
  timings: Record<string, number>;
}

function selectPapers(papers: LabeledPaper[], o: PipelineOptions): LabeledPaper[] {
  let out = papers;
  if (o.labels && o.labels.length) {
    const keep = new Set(o.labels);
    out = out.filter((p) => keep.has(p.primary));
  }
  if (o.maxPapers && out.length > o.maxPapers) {
    // Deterministic subsample by id hash, independent of file order.
    const key = (id: string) => createHash('sha1').update('subsample:' + id).digest().readUInt32BE(0);
    out = [...out].sort((a, b) => key(a.id) - key(b.id)).slice(0, o.maxPapers);
  }
  return out;
}

function probsFromLogits(rows: Float32Array[], T: number): Float32Array[] {
  return rows.map((r) => softmaxWithTemperature(r, T));
}

/**
 * The label set for a run. A user's small dataset may have no category with minPrimary (100) papers: then the
 * thresholds drop to what the data supports (at least 5 papers) and the log says so, instead of failing.
 */
function labelSetFor(train: LabeledPaper[], o: PipelineOptions, emit: (e: TrainEvent) => void): LabelSet {
  let ls = buildLabelSet(train, o.minPrimary, o.minListed, o.labels);
  const real = ls.primary.filter((c) => c !== 'other');
  if (real.length < 2 && !o.labels?.length) {
    const minPrimary = Math.max(5, Math.floor(train.length / 50));
    ls = buildLabelSet(train, Math.min(o.minPrimary, minPrimary), Math.min(o.minListed, minPrimary), o.labels);
    emit({ type: 'log', level: 'warn', message: `Fewer than two categories have ${o.minPrimary} training papers; using categories with at least ${ls.minPrimary} papers instead (${ls.primary.length} labels).` });
  }
  if (ls.primary.filter((c) => c !== 'other').length < 2) {
    throw new Error(`The training data needs at least two categories with ${ls.minPrimary} or more papers each (found: ${real.join(', ') || 'none'}).`);
  }
  return ls;
}

/** The architecture fields of a cross-attention config that a fine-tuned model must share with its base. */
function pickModelShape(c: CrossAttentionConfig): PipelineOptions['model'] {
  return { hidden: c.hidden, heads: c.heads, titleLen: c.titleLen, abstractLen: c.abstractLen, poolDim: c.poolDim, mlp: c.mlp, dropout: c.dropout, embedDropout: c.embedDropout };
}

export async function runPipeline(o: PipelineOptions, emit: (e: TrainEvent) => void, signal?: AbortSignal): Promise<PipelineResult> {
  const timings: Record<string, number> = {};
  const t0 = Date.now();
  const phase = (p: string, message: string) => emit({ type: 'phase', phase: p, message });
  const seed = o.seed ?? 42;

  phase('data', `Reading ${o.dataPath}`);
  const { papers: all, report: dataReport } = await readPapers(o.dataPath);
  if (dataReport.skipped > 0) {
    emit({ type: 'log', level: 'warn', message: `Skipped ${dataReport.skipped} bad rows: ${Object.entries(dataReport.reasons).map(([r, n]) => `${n} ${r}`).join(', ')}` });
  }
  const papers = selectPapers(all, o);
  const split = splitPapers(papers, DEFAULT_SPLIT);
  if (split.train.length < 20 || split.validation.length < 5) throw new Error(`Too few papers to train (${split.train.length} train, ${split.validation.length} validation).`);
  // Fine-tuning keeps the base model's labels, vocabulary and architecture.
  const base = o.baseModelDir ? readBundle(o.baseModelDir) : undefined;
  const baseX = base?.manifest.crossAttention;
  if (base && (!baseX || baseX.config.encoder !== 'compact' || !base.manifest.tokenizer)) {
    throw new Error(`Fine-tuning needs a model with a compact cross-attention member; ${base.dir} has none.`);
  }
  const labels: LabelSet = base
    ? { primary: base.manifest.labels.primary.map((l) => l.code), multi: base.manifest.labels.multi.map((l) => l.code), minPrimary: base.manifest.labels.minPrimary, minListed: base.manifest.labels.minListed }
    : labelSetFor(split.train, o, emit);
  if (base) {
    // Papers whose primary the base model cannot predict (and no fallback label) cannot be used.
    for (const k of ['train', 'validation', 'test'] as const) split[k] = split[k].filter((p) => primaryIndex(labels, p.primary) >= 0);
    if (baseX) o = { ...o, model: { ...o.model, ...pickModelShape(baseX.config) } };
  }
  emit({ type: 'log', level: 'info', message: `${papers.length} papers (${split.train.length} train / ${split.validation.length} validation / ${split.test.length} test), ${labels.primary.length} primary labels, ${labels.multi.length} cross-list labels.` });
  const dataSha256 = await sha256File(o.dataPath);
  timings.data = (Date.now() - t0) / 1000;

  // Augmented copies come from, and go to, the training split only.
  let train = split.train;
  if (o.augment && o.augment.techniques.some((t) => t === 'backtranslation' || t === 'synonyms' || t === 'eda')) {
    phase('augment', `Augmenting the training split (${o.augment.techniques.join(', ')})`);
    const ta = Date.now();
    const heldOut = new Set([...split.validation, ...split.test].map((p) => p.id));
    train = await augmentTrainingSet(split.train, o.augment, { seed, heldOutIds: heldOut, emit, signal });
    timings.augment = (Date.now() - ta) / 1000;
  }

  const truthOf = (ps: LabeledPaper[]) => Int32Array.from(ps, (p) => primaryIndex(labels, p.primary));
  const multiOf = (ps: LabeledPaper[]) => {
    const M = labels.multi.length;
    const out = new Uint8Array(ps.length * M);
    ps.forEach((p, i) => out.set(multiHot(labels, p.categories), i * M));
    return out;
  };
  const trainY = truthOf(train), valY = truthOf(split.validation), testY = truthOf(split.test);
  const trainM = multiOf(train), valM = multiOf(split.validation), testM = multiOf(split.test);
  const textOf = (p: LabeledPaper) => p.title + ' . ' + p.abstract;

  // n-gram member on the second core.
  let ngramPromise: Promise<NgramMemberOutput> | undefined;
  if (o.members.includes('ngram')) {
    phase('ngram', 'Training the n-gram model (second core)');
    ngramPromise = trainNgramInBackground({
      labels: labels.primary,
      multiLabels: labels.multi,
      train: { texts: train.map(textOf), primary: trainY, multi: trainM },
      validation: { texts: split.validation.map(textOf), primary: valY, multi: valM },
      score: { test: split.test.map(textOf) },
      options: { ...o.ngram, labelSmoothing: o.loss?.labelSmoothing ?? 0.1, seed },
    });
  }

  // Cross-attention member on this thread.
  let xattn: Awaited<ReturnType<typeof trainCrossAttention>> | undefined;
  let tokenizer: WordPieceTokenizer | undefined;
  let vocab: string[] | undefined;
  let xConfig: CrossAttentionConfig | undefined;
  let onnx: OnnxFeatureSet | undefined;
  /** The cross-attention member's raw outputs on validation and test. */
  let xo: { val: ReturnType<typeof predictAll>; test: ReturnType<typeof predictAll> } | undefined;
  if (o.members.includes('cross-attention')) {
    const backend = await initTfBackend();
    const m = o.model;
    const M = labels.multi.length;
    let trainSrc: BatchSource, valSrc: BatchSource, testSrc: BatchSource;
    if (o.onnxEncoderDir) {
      // SciBERT path: frozen ONNX encoder, features computed once through the on-disk cache.
      phase('encode', `Encoding titles and abstracts with the ONNX encoder in ${o.onnxEncoderDir} (cached on disk)`);
      const te = Date.now();
      onnx = await openOnnxFeatures(resolve(o.onnxEncoderDir), o.featureCacheDir ?? join(dirname(resolve(o.outDir)), '.feature-cache'), m.titleLen, m.abstractLen, emit, signal);
      trainSrc = await onnx.make(train, trainY, trainM, M, 'train');
      valSrc = await onnx.make(split.validation, valY, valM, M, 'validation');
      testSrc = await onnx.make(split.test, testY, testM, M, 'test');
      timings.encode = (Date.now() - te) / 1000;
      xConfig = { encoder: 'states', vocabSize: 0, inputDim: onnx.hidden, numPrimary: labels.primary.length, numMulti: M, ...m };
    } else {
      const tv = Date.now();
      const normTrain = train.map((p) => ({ title: normalizeForModel(p.title), abstract: normalizeForModel(p.abstract) }));
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
      tokenizer = WordPieceTokenizer.fromVocab(vocab, { lowercase: true });
      if (tokenizer.padId !== 0) throw new Error('learned vocabulary must put [PAD] at id 0');
      timings.vocab = (Date.now() - tv) / 1000;
      phase('tokenize', 'Tokenizing');
      const encode = (ps: { title: string; abstract: string }[]) => {
        const e = encodeForCompact(tokenizer!, ps, m.titleLen, m.abstractLen, true);
        return { t: e.titleIds, a: e.abstractIds };
      };
      const norm = (ps: LabeledPaper[]) => ps.map((p) => ({ title: normalizeForModel(p.title), abstract: normalizeForModel(p.abstract) }));
      const etr = encode(normTrain), eva = encode(norm(split.validation)), ete = encode(norm(split.test));
      const src = (e: { t: Int32Array; a: Int32Array }, y: Int32Array, mm: Uint8Array) =>
        new TokenIdSource(y.length, e.t, e.a, m.titleLen, m.abstractLen, y, mm, M);
      trainSrc = src(etr, trainY, trainM);
      valSrc = src(eva, valY, valM);
      testSrc = src(ete, testY, testM);
      xConfig = { encoder: 'compact', vocabSize: vocab.length, inputDim: m.hidden, numPrimary: labels.primary.length, numMulti: M, ...m };
    }
    phase('cross-attention', `Training the cross-attention model (${o.epochs ?? 6} epochs max)`);
    const tx = Date.now();
    // Feature-space augmentation (mixup, SMOTE-style oversampling) happens inside the training batches.
    const tech = o.augment?.techniques ?? [];
    const counts = new Map<number, number>();
    for (const y of trainY) counts.set(y, (counts.get(y) ?? 0) + 1);
    const sorted = [...counts.values()].sort((x, y) => x - y);
    const medianCount = sorted[sorted.length >> 1] ?? 0;
    const smoteClasses = o.augment?.targetClasses?.length
      ? o.augment.targetClasses.map((c) => labels.primary.indexOf(c)).filter((i) => i >= 0)
      : [...counts].filter(([, n]) => n < medianCount).map(([c]) => c);
    const featureAugment = {
      ...(tech.includes('mixup') ? { mixup: { alpha: 0.2 } } : {}),
      ...(tech.includes('smote') ? { smote: { classes: smoteClasses, ratio: o.augment?.ratio ?? 1.5 } } : {}),
    };
    xattn = await trainCrossAttention(xConfig, trainSrc, valSrc, {
      ...o.xattn,
      featureAugment: Object.keys(featureAugment).length ? featureAugment : undefined,
      initialWeights: base && baseX ? { index: baseX.index, data: bytesToFloat32(base.file(baseX.weights)) } : undefined,
      frozen: base && o.freezeEncoder ? (name: string) => name.startsWith('emb/') : undefined,
      epochs: o.epochs ?? 6,
      seed,
      loss: {
        kind: o.loss?.kind ?? 'ce',
        gamma: o.loss?.gamma ?? 2,
        labelSmoothing: o.loss?.labelSmoothing ?? 0.1,
        // Square-root inverse-frequency weights (capped): full inverse weights over-predict the rare classes.
        classWeights: (o.loss?.classWeights ?? 'auto') === 'auto' ? autoClassWeights(trainY, labels.primary.length) : undefined,
      },
      checkpointDir: o.checkpointDir ?? o.outDir + '.ckpt',
      resume: o.resume ?? true,
      onEvent: emit,
      signal,
    });
    // A resumed run counts the training its killed predecessors did, not only the part after the resume.
    timings.crossAttention = (Date.now() - tx) / 1000 + xattn.resumedSeconds;
    if (xattn.resumedSeconds > 0) {
      timings.resumedSeconds = xattn.resumedSeconds;
      emit({ type: 'log', level: 'info', message: `Training time includes ${xattn.resumedSeconds.toFixed(0)} s spent before the resume.` });
    }
    xo = { val: predictAll(xattn.model, valSrc), test: predictAll(xattn.model, testSrc) };
  }

  let ngram: NgramMemberOutput | undefined;
  if (ngramPromise) {
    phase('ngram', 'Waiting for the n-gram model');
    ngram = await ngramPromise;
    timings.ngram = ngram.seconds;
    for (const l of ngram.log) emit({ type: 'log', level: 'info', message: l });
  }
  if (signal?.aborted) throw new Error('cancelled');

  phase('calibrate', 'Calibrating and fitting the stacking ensemble on validation');
  const members: TrainingReport['members'] = {};
  const C = labels.primary.length;
  let xT = 1, xMT = 1;
  let valX: Float32Array[] | undefined, testX: Float32Array[] | undefined;
  if (xo) {
    xT = fitTemperature(xo.val.primary, valY);
    const valTargets = Array.from({ length: valY.length }, (_, i) => valM.subarray(i * labels.multi.length, (i + 1) * labels.multi.length));
    xMT = fitBinaryTemperature(xo.val.multi, valTargets);
    valX = probsFromLogits(xo.val.primary, xT);
    testX = probsFromLogits(xo.test.primary, xT);
    members['cross-attention'] = { validation: { accuracy: headline(valX, valY, labels.primary).top1, macro_f1: macroF1(valX, valY, C) }, test: headline(testX, testY, labels.primary) };
  }
  let nT = 1;
  let valN: Float32Array[] | undefined, testN: Float32Array[] | undefined;
  if (ngram) {
    nT = fitTemperature(ngram.outputs.validation.logits, valY);
    (ngram.json as { temperature: number }).temperature = nT;
    valN = probsFromLogits(ngram.outputs.validation.logits, nT);
    testN = probsFromLogits(ngram.outputs.test.logits, nT);
    members.ngram = { validation: { accuracy: headline(valN, valY, labels.primary).top1, macro_f1: macroF1(valN, valY, C) }, test: headline(testN, testY, labels.primary) };
  }
  let stacker: Stacker | undefined;
  let stackT = 1;
  let chosen = (xo ? 'cross-attention' : 'ngram') as 'ensemble' | 'cross-attention' | 'ngram';
  let testFinal = (testX ?? testN)!;
  if (xo && ngram) {
    const base = [xo.val.primary.map((z) => logSoftmax(z, xT)), ngram.outputs.validation.logits.map((z) => logSoftmax(z, nT))];
    const cv = crossValidatedStacker(base, valY, { mode: 'classwise', seed });
    stacker = cv.stacker;
    // Temperature of the stacker, fitted on its out-of-fold outputs (not on what it was fitted to).
    stackT = fitTemperature(cv.outOfFoldLogits, valY);
    const oofProbs = probsFromLogits(cv.outOfFoldLogits, stackT);
    const stackF1 = macroF1(oofProbs, valY, C);
    const testStack = xo.test.primary.map((z, i) =>
      softmaxWithTemperature(stacker!.predictLogits([logSoftmax(z, xT), logSoftmax(ngram!.outputs.test.logits[i], nT)]), stackT),
    );
    members.ensemble = { validation: { accuracy: cv.heldOut.accuracy, macro_f1: stackF1 }, test: headline(testStack, testY, labels.primary) };
    // Choose on validation (out-of-fold for the stacker), never on test.
    const valF1: Partial<Record<typeof chosen, number>> = { ensemble: stackF1, 'cross-attention': members['cross-attention'].validation.macro_f1, ngram: members.ngram.validation.macro_f1 };
    // A run on a SciBERT encoder was asked for that encoder: the bundle keeps it (ensemble or alone).
    if (onnx) delete valF1.ngram;
    chosen = (Object.entries(valF1).sort((a, b) => b[1] - a[1])[0][0]) as typeof chosen;
    testFinal = chosen === 'ensemble' ? testStack : chosen === 'ngram' ? testN! : testX!;
  } else if (ngram) {
    chosen = 'ngram';
  }
  emit({ type: 'log', level: 'info', message: `Validation macro-F1: ${Object.entries(members).map(([k, v]) => `${k} ${v.validation.macro_f1.toFixed(4)}`).join(', ')}; shipping ${chosen}.` });

  // Cross-list head: choose the source with the lower validation log-loss.
  const M = labels.multi.length;
  const bce = (probs: Float32Array[], mm: Uint8Array) => {
    let s = 0;
    probs.forEach((row, i) => row.forEach((p, j) => {
      const y = mm[i * M + j];
      const q = Math.min(1 - 1e-7, Math.max(1e-7, p));
      s -= y ? Math.log(q) : Math.log(1 - q);
    }));
    return s / Math.max(1, probs.length * M);
  };
  const xMultiVal = xo?.val.multi.map((r) => Float32Array.from(r, (z) => sigmoid(z / xMT)));
  const candidates: [BundleManifest['multiSource'], number][] = [];
  if (xMultiVal && chosen !== 'ngram') candidates.push(['cross-attention', bce(xMultiVal, valM)]);
  if (ngram && chosen !== 'cross-attention') candidates.push(['ngram', bce(ngram.outputs.validation.multi, valM)]);
  if (xMultiVal && ngram && chosen === 'ensemble') candidates.push(['average', bce(xMultiVal.map((r, i) => r.map((p, j) => (p + ngram!.outputs.validation.multi[i][j]) / 2)), valM)]);
  const multiSource = candidates.sort((a, b) => a[1] - b[1])[0]?.[0] ?? 'cross-attention';

  const testAll = evaluate(testFinal, testY, labels.primary);
  const fourOk = FOUR_CLASSES.every((c) => labels.primary.includes(c));
  const testFour = fourOk ? evaluateOnSubset(testFinal, testY, labels.primary, FOUR_CLASSES) : null;
  timings.total = (Date.now() - t0) / 1000 + (timings.resumedSeconds ?? 0);

  const metrics: Record<string, number | string> = {
    test_n: testAll.n,
    test_top1: testAll.accuracy,
    test_top3: topKAccuracy(testFinal, testY, 3),
    test_ece: testAll.ece,
    test_macro_f1_all: testAll.macro_f1,
    training_seconds: Math.round(timings.total),
  };
  if (testFour) {
    metrics.test_acc4 = testFour.accuracy;
    metrics.test_macro_f1_4 = testFour.macro_f1;
    metrics.test_ai_recall_4 = testFour.per_class['cs.AI'].recall;
  }
  if (xattn) metrics.train_examples_per_sec = xattn.examplesPerSec;

  const report: TrainingReport = {
    labels: labels.primary,
    history: xattn?.history ?? [],
    ngramLog: ngram?.log ?? [],
    test: { all: testAll, fourClass: testFour },
    members,
    chosen,
    dataReport,
    timings,
  };

  phase('save', `Writing the model to ${o.outDir}`);
  const files: Record<string, Uint8Array | string> = { 'report.json': JSON.stringify(report) };
  const keepX = chosen !== 'ngram' && xattn && xConfig && (vocab || onnx);
  const keepN = chosen !== 'cross-attention' && ngram;
  let crossAttention: BundleManifest['crossAttention'];
  if (keepX) {
    const w = xattn!.model.exportWeights();
    files['xattn.bin'] = float32ToBytes(w.data);
    if (vocab) files['vocab.txt'] = formatVocabTxt(vocab);
    crossAttention = {
      config: xConfig!,
      weights: 'xattn.bin',
      index: w.index,
      temperature: xT,
      multiTemperature: xMT,
      ...(onnx ? { onnxEncoderDir: resolve(o.onnxEncoderDir!), onnxFingerprint: onnx.encoder.fingerprint } : {}),
    };
  }
  if (keepN) {
    files['ngram.json'] = JSON.stringify(ngram!.json);
    files['ngram.bin'] = ngram!.weights;
  }
  const manifest = writeBundle(
    o.outDir,
    {
      name: o.name,
      description: o.description ?? '',
      createdAt: new Date().toISOString(),
      kind: chosen,
      labels: {
        primary: labels.primary.map((c) => ({ code: c, name: categoryName(c) })),
        multi: labels.multi.map((c) => ({ code: c, name: categoryName(c) })),
        minPrimary: labels.minPrimary,
        minListed: labels.minListed,
        fallback: 'other',
      },
      tokenizer: keepX && vocab ? { type: 'wordpiece', file: 'vocab.txt', lowercase: true } : undefined,
      crossAttention,
      ngram: keepN ? { json: 'ngram.json', weights: 'ngram.bin' } : undefined,
      stacker: chosen === 'ensemble' && stacker ? { json: stacker.toJSON(), temperature: stackT } : undefined,
      multiSource,
      training: {
        dataFile: basename(o.dataPath),
        dataSha256,
        seed,
        split: { by: 'sha1("split:" + id)', ...DEFAULT_SPLIT },
        sizes: { train: split.train.length, trainAugmented: train.length, validation: split.validation.length, test: split.test.length },
        labelsRestrictedTo: o.labels ?? null,
        maxPapers: o.maxPapers ?? null,
        augment: o.augment ?? null,
        loss: o.loss ?? { kind: 'ce', labelSmoothing: 0.1 },
        epochsRun: xattn?.history.length ?? 0,
        bestEpoch: xattn?.bestEpoch ?? 0,
        stoppedBy: xattn?.stoppedBy ?? null,
        command: o.command ?? null,
        timings,
        memberValidation: Object.fromEntries(Object.entries(members).map(([k, v]) => [k, v.validation])),
      },
      metrics,
    },
    files,
  );
  xattn?.model.dispose();
  await onnx?.encoder.dispose();
  emit({ type: 'done', modelDir: o.outDir, metrics: Object.fromEntries(Object.entries(metrics).filter(([, v]) => typeof v === 'number')) as Record<string, number> });
  return { modelDir: o.outDir, manifest, report };
}
