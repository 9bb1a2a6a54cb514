/**
 * Trains the n-gram member (TF-IDF uni+bigrams, logistic regression) and returns its serialised model and
 * its raw outputs on validation and test. Runs in a worker thread during default training so both cores work
 * (the cross-attention model trains on the main thread), or inline when no bundled worker file exists.
 */
import { NgramFeaturizer, type SparseVector } from '../model/ngram/featurizer';
import { trainNgramModel } from './ngram/train';
import { wordsForNgrams } from '../model/text/normalize';
import { fitPlatt } from './calibrationFit';

export interface NgramMemberInput {
  labels: string[];
  multiLabels: string[];
  train: { texts: string[]; primary: Int32Array; multi: Uint8Array };
  validation: { texts: string[]; primary: Int32Array; multi: Uint8Array };
  /** Extra sets to score (e.g. test) */
  score: Record<string, string[]>;
  options: { maxFeatures: number; minDf: number; epochs: number; lr: number; l2: number; batchSize: number; classWeights: 'balanced' | 'sqrt' | 'none'; labelSmoothing: number; seed: number; patience: number };
}

export interface NgramMemberOutput {
  json: unknown;
  weights: Uint8Array;
  /** logits [n][C] and sigmoid probabilities [n][M] for validation and each scored set */
  outputs: Record<string, { logits: Float32Array[]; multi: Float32Array[] }>;
  seconds: number;
  log: string[];
}

export function trainNgramMember(inp: NgramMemberInput): NgramMemberOutput {
  const t0 = Date.now();
  const log: string[] = [];
  const M = inp.multiLabels.length;
  const trainDocs = inp.train.texts.map(wordsForNgrams);
  const featurizer = NgramFeaturizer.fit(trainDocs, { maxFeatures: inp.options.maxFeatures, minDf: inp.options.minDf, ngramMax: 2, sublinearTf: true });
  const feats = (docs: string[][]): SparseVector[] => docs.map((d) => featurizer.transform(d));
  const rows = (multi: Uint8Array, n: number) => Array.from({ length: n }, (_, i) => multi.subarray(i * M, (i + 1) * M));
  const valDocs = inp.validation.texts.map(wordsForNgrams);
  const model = trainNgramModel(
    { features: feats(trainDocs), primary: inp.train.primary, multi: rows(inp.train.multi, inp.train.texts.length) },
    {
      featurizer,
      labels: inp.labels,
      multiLabels: inp.multiLabels,
      epochs: inp.options.epochs,
      lr: inp.options.lr,
      l2: inp.options.l2,
      batchSize: inp.options.batchSize,
      classWeights: inp.options.classWeights === 'none' ? undefined : inp.options.classWeights,
      labelSmoothing: inp.options.labelSmoothing,
      seed: inp.options.seed,
      patience: inp.options.patience,
      validation: { features: feats(valDocs), primary: inp.validation.primary, multi: rows(inp.validation.multi, inp.validation.texts.length) },
      onEpoch: (e) => log.push(`n-gram epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)}, val loss ${e.valLoss?.toFixed(4)}, val acc ${e.valAccuracy?.toFixed(4)} (${e.seconds.toFixed(1)} s)`),
    },
  );
  // Calibrate the sigmoid (cross-list) head on validation before saving.
  const valFeats = valDocs.map((d) => featurizer.transform(d));
  model.multiCalibration = fitPlatt(valFeats.map((x) => model.predictMultiLogits(x)), rows(inp.validation.multi, inp.validation.texts.length));
  const ser = model.serialize('int8');
  const outputs: NgramMemberOutput['outputs'] = {};
  const scoreSet = (docs: string[][]) => {
    const logits: Float32Array[] = [];
    const multi: Float32Array[] = [];
    for (const d of docs) {
      const x = featurizer.transform(d);
      logits.push(model.predictLogits(x));
      multi.push(model.predictMulti(x));
    }
    return { logits, multi };
  };
  outputs.validation = scoreSet(valDocs);
  for (const [name, texts] of Object.entries(inp.score)) outputs[name] = scoreSet(texts.map(wordsForNgrams));
  return { json: ser.json, weights: new Uint8Array(ser.weights), outputs, seconds: (Date.now() - t0) / 1000, log };
}
