/** Stage 6: headline test metrics of what ships, and the bundle (+ report.json) written atomically. */
import { basename, resolve } from 'node:path';
import { categoryName } from '../../model/arxivTaxonomy';
import { writeBundle, type BundleManifest } from '../../model/bundle';
import { float32ToBytes } from '../../model/fsAtomic';
import { formatVocabTxt } from '../../model/text/vocabTxt';
import { DEFAULT_SPLIT } from '../data/split';
import { evaluate, evaluateOnSubset, topKAccuracy, type EvaluationReport } from '../eval/metrics';
import { FOUR_CLASSES } from '../eval/headline';
import type { LabelSet } from '../labels';
import type { NgramMemberOutput } from '../ngramMember';
import type { PipelineOptions, TrainingReport } from '../pipeline';
import type { CrossAttentionMember } from './crossAttentionMember';
import type { EnsembleChoice } from './ensemble';

export interface TestEvaluation {
  all: EvaluationReport;
  /** restricted to cs.AI/cs.CL/cs.CV/cs.LG when all four are labels */
  fourClass: EvaluationReport | null;
  top3: number;
}

export function evaluateOnTest(testFinal: Float32Array[], testY: Int32Array, primaryLabels: string[]): TestEvaluation {
  const all = evaluate(testFinal, testY, primaryLabels);
  const fourOk = FOUR_CLASSES.every((c) => primaryLabels.includes(c));
  const fourClass = fourOk ? evaluateOnSubset(testFinal, testY, primaryLabels, FOUR_CLASSES) : null;
  return { all, fourClass, top3: topKAccuracy(testFinal, testY, 3) };
}

/** The manifest's metrics (what the sidebar and the CLI show). */
export function manifestMetrics(ev: TestEvaluation, totalSeconds: number, examplesPerSec?: number): Record<string, number | string> {
  const metrics: Record<string, number | string> = {
    test_n: ev.all.n,
    test_top1: ev.all.accuracy,
    test_top3: ev.top3,
    test_ece: ev.all.ece,
    test_macro_f1_all: ev.all.macro_f1,
    training_seconds: Math.round(totalSeconds),
  };
  if (ev.fourClass) {
    metrics.test_acc4 = ev.fourClass.accuracy;
    metrics.test_macro_f1_4 = ev.fourClass.macro_f1;
    metrics.test_ai_recall_4 = ev.fourClass.per_class['cs.AI'].recall;
  }
  if (examplesPerSec !== undefined) metrics.train_examples_per_sec = examplesPerSec;
  return metrics;
}

export interface BundleInput {
  options: PipelineOptions;
  labels: LabelSet;
  seed: number;
  dataSha256: string;
  sizes: { train: number; trainAugmented: number; validation: number; test: number };
  crossAttention?: CrossAttentionMember;
  ngram?: NgramMemberOutput;
  ensemble: EnsembleChoice;
  multiSource: BundleManifest['multiSource'];
  metrics: Record<string, number | string>;
  report: TrainingReport;
  timings: Record<string, number>;
}

/** Writes the members that ship (and only those) with the manifest; returns the manifest written. */
export function writeModelBundle(inp: BundleInput): BundleManifest {
  const { options: o, labels, ensemble: ens, crossAttention: x, ngram } = inp;
  const chosen = ens.chosen;
  const files: Record<string, Uint8Array | string> = { 'report.json': JSON.stringify(inp.report) };
  const keepX = chosen !== 'ngram' && x && (x.vocab || x.onnx);
  const keepN = chosen !== 'cross-attention' && ngram;
  let crossAttention: BundleManifest['crossAttention'];
  if (keepX) {
    const w = x.trained.model.exportWeights();
    files['xattn.bin'] = float32ToBytes(w.data);
    if (x.vocab) files['vocab.txt'] = formatVocabTxt(x.vocab);
    crossAttention = {
      config: x.config,
      weights: 'xattn.bin',
      index: w.index,
      temperature: ens.xT,
      multiTemperature: ens.xMT,
      ...(x.onnx ? { onnxEncoderDir: resolve(o.onnxEncoderDir!), onnxFingerprint: x.onnx.encoder.fingerprint } : {}),
    };
  }
  if (keepN) {
    files['ngram.json'] = JSON.stringify(ngram.json);
    files['ngram.bin'] = ngram.weights;
  }
  const xattn = x?.trained;
  return writeBundle(
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
      tokenizer: keepX && x.vocab ? { type: 'wordpiece', file: 'vocab.txt', lowercase: true } : undefined,
      crossAttention,
      ngram: keepN ? { json: 'ngram.json', weights: 'ngram.bin' } : undefined,
      stacker: chosen === 'ensemble' && ens.stacker ? { json: ens.stacker.toJSON(), temperature: ens.stackT } : undefined,
      multiSource: inp.multiSource,
      training: {
        dataFile: basename(o.dataPath),
        dataSha256: inp.dataSha256,
        seed: inp.seed,
        split: { by: 'sha1("split:" + id)', ...DEFAULT_SPLIT },
        sizes: inp.sizes,
        labelsRestrictedTo: o.labels ?? null,
        maxPapers: o.maxPapers ?? null,
        augment: o.augment ?? null,
        loss: o.loss ?? { kind: 'ce', labelSmoothing: 0.1 },
        epochsRun: xattn?.history.length ?? 0,
        bestEpoch: xattn?.bestEpoch ?? 0,
        stoppedBy: xattn?.stoppedBy ?? null,
        command: o.command ?? null,
        timings: inp.timings,
        memberValidation: Object.fromEntries(Object.entries(inp.report.members).map(([k, v]) => [k, v.validation])),
      },
      metrics: inp.metrics,
    },
    files,
  );
}
