/**
 * The whole training job: read data -> deterministic split -> label set -> vocabulary -> (optional
 * augmentation of the training split) -> n-gram member (worker thread) and cross-attention member (main
 * thread) in parallel -> temperature scaling -> stacking meta-learner on validation -> choose the best
 * combination on validation -> evaluate on test -> write the bundle (+ report.json) atomically.
 * The stages live in src/training/stages (data, targets, crossAttentionMember, ensemble, bundleOut);
 * runPipeline runs them in order and owns the timings and progress phases.
 */
import { augmentTrainingSet } from './augmentStage';
import { trainNgramInBackground } from './runInWorker';
import type { NgramMemberOutput } from './ngramMember';
import type { CrossAttentionConfig } from '../model/crossAttention/config';
import type { CrossAttentionTrainOptions } from './crossAttentionTrainer';
import type { EvaluationReport } from './eval/metrics';
import type { BundleManifest } from '../model/bundle';
import type { EpochMetrics, TrainEvent, TrainRequest } from './protocol';
import { prepareData } from './stages/data';
import { addBundleExtras } from './bundleExtras';
import { ngramText, targetsOf, type Targets } from './stages/targets';
import { trainCrossAttentionMember, type CrossAttentionMember } from './stages/crossAttentionMember';
import { calibrateAndChoose, chooseMultiSource } from './stages/ensemble';
import { evaluateOnTest, manifestMetrics, writeModelBundle } from './stages/bundleOut';

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

/** The job, stage by stage (src/training/stages); each stage's inputs and outputs are typed. */
export async function runPipeline(options: PipelineOptions, emit: (e: TrainEvent) => void, signal?: AbortSignal): Promise<PipelineResult> {
  const timings: Record<string, number> = {};
  const t0 = Date.now();
  const phase = (p: string, message: string) => emit({ type: 'phase', phase: p, message });
  const seed = options.seed ?? 42;

  const data = await prepareData(options, emit);
  const { options: o, split, labels } = data;
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
  const targets: Targets = { train: targetsOf(labels, train), validation: targetsOf(labels, split.validation), test: targetsOf(labels, split.test) };

  // n-gram member on the second core.
  let ngramPromise: Promise<NgramMemberOutput> | undefined;
  if (o.members.includes('ngram')) {
    phase('ngram', 'Training the n-gram model (second core)');
    ngramPromise = trainNgramInBackground({
      labels: labels.primary,
      multiLabels: labels.multi,
      train: { texts: train.map(ngramText), primary: targets.train.y, multi: targets.train.multi },
      validation: { texts: split.validation.map(ngramText), primary: targets.validation.y, multi: targets.validation.multi },
      score: { test: split.test.map(ngramText) },
      options: { ...o.ngram, labelSmoothing: o.loss?.labelSmoothing ?? 0.1, seed },
    });
  }

  // Cross-attention member on this thread.
  let xattn: CrossAttentionMember | undefined;
  if (o.members.includes('cross-attention')) {
    xattn = await trainCrossAttentionMember({
      options: o, labels, papers: { ...split, train }, targets, base: data.base, seed, emit, signal, timings,
    });
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
  const ensemble = calibrateAndChoose({
    primaryLabels: labels.primary,
    numMulti: labels.multi.length,
    valY: targets.validation.y,
    testY: targets.test.y,
    valMulti: targets.validation.multi,
    crossAttention: xattn?.outputs,
    ngram,
    keepEncoder: xattn?.onnx !== undefined,
    seed,
  });
  const { members, chosen } = ensemble;
  emit({ type: 'log', level: 'info', message: `Validation macro-F1: ${Object.entries(members).map(([k, v]) => `${k} ${v.validation.macro_f1.toFixed(4)}`).join(', ')}; shipping ${chosen}.` });
  const multiSource = chooseMultiSource({
    chosen,
    numMulti: labels.multi.length,
    valMulti: targets.validation.multi,
    crossAttentionMulti: xattn?.outputs.val.multi,
    xMT: ensemble.xMT,
    ngramMulti: ngram?.outputs.validation.multi,
  });

  const test = evaluateOnTest(ensemble.testFinal, targets.test.y, labels.primary);
  timings.total = (Date.now() - t0) / 1000 + (timings.resumedSeconds ?? 0);
  const metrics = manifestMetrics(test, timings.total, xattn?.trained.examplesPerSec);

  const report: TrainingReport = {
    labels: labels.primary,
    history: xattn?.trained.history ?? [],
    ngramLog: ngram?.log ?? [],
    test: { all: test.all, fourClass: test.fourClass },
    members,
    chosen,
    dataReport: data.dataReport,
    timings,
  };

  phase('save', `Writing the model to ${o.outDir}`);
  writeModelBundle({
    options: o,
    labels,
    seed,
    dataSha256: data.dataSha256,
    sizes: { train: split.train.length, trainAugmented: train.length, validation: split.validation.length, test: split.test.length },
    crossAttention: xattn,
    ngram,
    ensemble,
    multiSource,
    metrics,
    report,
    timings,
  });
  xattn?.trained.model.dispose();
  // "Papers like yours" index (training split) and prediction-set threshold (validation split): bundleExtras.ts.
  phase('extras', 'Indexing the training papers and calibrating prediction sets on validation');
  const extras = await addBundleExtras(o.outDir, split.train, split.validation, { log: (message) => emit({ type: 'log', level: 'info', message }) });
  await xattn?.onnx?.encoder.dispose();
  emit({ type: 'done', modelDir: o.outDir, metrics: Object.fromEntries(Object.entries(metrics).filter(([, v]) => typeof v === 'number')) as Record<string, number> });
  return { modelDir: o.outDir, manifest: extras.manifest, report };
}
