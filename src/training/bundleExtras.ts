/**
 * Bundle stage run after training (and by `cli bundle-extras` on an existing bundle, from the same data and
 * split, so a shipped model gets them without retraining):
 * - the "papers like yours" index of the TRAINING split (src/model/neighbours), and
 * - the conformal prediction-set threshold calibrated on the VALIDATION split (src/model/predictionSet).
 * Both go into the bundle as files / manifest entries with SHA-256 like every other file.
 */
import { loadClassifier } from '../model/classifier';
import { readBundle, writeBundle, type BundleManifest } from '../model/bundle';
import { primaryIndex, type LabelSet } from './labels';
import { PaperIndex } from '../model/neighbours/paperIndex';
import { applyPca, makeVectorizer, ngramLogitDims, RANDOM_PROJECTION, type ProjectionSpec } from '../model/neighbours/paperVector';
import { fitPca } from './pcaFit';
import { NgramFeaturizer } from '../model/ngram/featurizer';
import { NgramModel } from '../model/ngram/model';
import { fitConformal, type ConformalCalibration } from '../model/predictionSet';
import { wordsForNgrams } from '../model/text/normalize';
import type { LabeledPaper } from '../model/types';

export const PREDICTION_SET_ALPHA = 0.1;
/** Dimensions of the index vectors (PCA of the n-gram member's 118 logits for the shipped model). */
export const PCA_DIMS = 64;
export const INDEX_FILES = { json: 'neighbours.json', weights: 'neighbours.bin' };

export interface ExtrasOptions {
  alpha?: number;
  projection?: ProjectionSpec;
  log?: (msg: string) => void;
}

export interface ExtrasResult {
  manifest: BundleManifest;
  indexPapers: number;
  indexBytes: number;
  conformal: ConformalCalibration;
  seconds: { index: number; calibration: number };
}

/** Adds (or replaces) the index and the prediction-set threshold in the bundle at modelDir. */
export async function addBundleExtras(modelDir: string, train: readonly LabeledPaper[], validation: readonly LabeledPaper[], o: ExtrasOptions = {}): Promise<ExtrasResult> {
  const log = o.log ?? (() => undefined);
  const alpha = o.alpha ?? PREDICTION_SET_ALPHA;
  if (train.length === 0) throw new Error('no training papers to index');
  if (validation.length === 0) throw new Error('no validation papers to calibrate prediction sets on');
  const classifier = await loadClassifier(modelDir);
  let conformal: ConformalCalibration;
  const t0 = Date.now();
  try {
    const m = classifier.manifestData;
    log(`Calibrating prediction sets (target ${(100 * (1 - alpha)).toFixed(0)}% coverage) on ${validation.length} validation papers…`);
    const labels: LabelSet = { primary: m.labels.primary.map((l) => l.code), multi: [], minPrimary: 0, minListed: 0 };
    const probs: Float32Array[] = [];
    for (let i = 0; i < validation.length; i += 128) {
      for (const out of await classifier.memberOutputs(validation.slice(i, i + 128))) probs.push(classifier.combine(out).primary);
    }
    conformal = fitConformal(probs, Int32Array.from(validation, (p) => primaryIndex(labels, p.primary)), alpha, 'validation');
    log(`Prediction-set threshold p >= ${conformal.threshold.toFixed(4)} (${conformal.method}, n = ${conformal.n}).`);
  } finally {
    classifier.dispose();
  }
  const t1 = Date.now();
  // The n-gram member's featurizer when the bundle has one; otherwise one fitted here and stored in the index.
  const bundle = readBundle(modelDir);
  const m = bundle.manifest;
  let index: PaperIndex;
  let projection: ProjectionSpec;
  if (m.ngram) {
    const ngram = NgramModel.deserialize(JSON.parse(bundle.file(m.ngram.json).toString('utf8')), bundle.file(m.ngram.weights));
    const base = ngramLogitDims(ngram);
    const raw = makeVectorizer({ kind: 'ngram-logits', dims: base }, ngram.featurizer, ngram);
    log(`Vectorising ${train.length} training papers (${base} n-gram logits each)…`);
    const rows = new Float32Array(train.length * base);
    train.forEach((p, i) => rows.set(raw(p), i * base));
    // PCA to PCA_DIMS: the index is about half the size (VSIX budget) and the scan twice as fast.
    const dims = Math.min(PCA_DIMS, base);
    const pca = fitPca(rows, train.length, base, dims);
    projection = { kind: 'ngram-logits', dims, pca };
    log(`Indexing them as ${dims}-dim int8 vectors (PCA of the logits)…`);
    index = PaperIndex.build((_p, i) => applyPca(rows.subarray(i * base, (i + 1) * base), pca), train, projection);
  } else {
    log('No n-gram member: fitting a TF-IDF featurizer for the index on the training split…');
    const featurizer = NgramFeaturizer.fit(train.map((p) => wordsForNgrams(p.title + ' . ' + p.abstract)), { maxFeatures: 50000, minDf: 2, ngramMax: 2 });
    projection = o.projection ?? RANDOM_PROJECTION;
    log(`Indexing ${train.length} training papers (${projection.kind}, ${projection.dims}-dim int8 vectors)…`);
    index = PaperIndex.build(makeVectorizer(projection, featurizer), train, projection, featurizer);
  }
  const files = index.files();
  const t2 = Date.now();

  const all: Record<string, Uint8Array | string> = {};
  for (const name of Object.keys(m.files)) if (name !== INDEX_FILES.json && name !== INDEX_FILES.weights) all[name] = bundle.file(name);
  all[INDEX_FILES.json] = files.json;
  all[INDEX_FILES.weights] = files.bin;
  // writeBundle sets format, version and the file hashes itself.
  const manifest = writeBundle(modelDir, {
    ...m,
    paperIndex: { ...INDEX_FILES, papers: index.size, dims: projection.dims },
    predictionSet: conformal,
  }, all);
  return {
    manifest,
    indexPapers: index.size,
    indexBytes: Buffer.byteLength(files.json) + files.bin.length,
    conformal,
    seconds: { index: (t2 - t1) / 1000, calibration: (t1 - t0) / 1000 },
  };
}
