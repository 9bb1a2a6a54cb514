/**
 * `bundle-extras [--model DIR] [--data FILE]`: runs the bundle stage that training ends with (papers-like-yours
 * index of the training split, prediction-set threshold on the validation split) on an existing bundle, from
 * the data and split it was trained on, so a shipped model gets them without retraining.
 */
import { basename, join, resolve } from 'node:path';
import { defaultModelDir } from '../model/classifier';
import { readBundle } from '../model/bundle';
import { readPapers } from '../training/data/readPapers';
import { splitPapers, DEFAULT_SPLIT } from '../training/data/split';
import { selectPapers } from '../training/stages/data';
import { sha256File } from '../shared/hash';
import { addBundleExtras } from '../training/bundleExtras';
import { parse, UsageError } from './args';

export async function bundleExtrasCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values } = parse(argv, { model: { type: 'string' }, data: { type: 'string' }, json: { type: 'boolean' } });
  const modelDir = resolve(values.model ?? defaultModelDir());
  const m = readBundle(modelDir).manifest;
  const t = m.training as { dataFile?: string; dataSha256?: string; split?: { test?: number; validation?: number }; labelsRestrictedTo?: string[] | null; maxPapers?: number | null };
  const dataPath = resolve(values.data ?? join(__dirname, '..', '..', 'shared', 'data', t.dataFile ?? 'arxiv_papers.jsonl.gz'));
  if (t.split && (t.split.test !== DEFAULT_SPLIT.test || t.split.validation !== DEFAULT_SPLIT.validation)) {
    throw new UsageError(`${modelDir} was trained with a different split (${JSON.stringify(t.split)}); this command uses ${JSON.stringify(DEFAULT_SPLIT)}.`);
  }
  err(`Checking that ${dataPath} is the data ${basename(modelDir)} was trained on…`);
  const sha = await sha256File(dataPath);
  if (t.dataSha256 && sha !== t.dataSha256) {
    throw new UsageError(`${dataPath} is not the data this model was trained on (SHA-256 ${sha.slice(0, 12)}…, the manifest says ${t.dataSha256.slice(0, 12)}…): pass --data with the training file.`);
  }
  const { papers } = await readPapers(dataPath);
  const split = splitPapers(selectPapers(papers, { labels: t.labelsRestrictedTo ?? undefined, maxPapers: t.maxPapers ?? undefined }));
  const r = await addBundleExtras(modelDir, split.train, split.validation, { log: err });
  const summary = {
    modelDir,
    indexPapers: r.indexPapers,
    indexMB: Math.round((r.indexBytes / 1048576) * 10) / 10,
    predictionSet: r.conformal,
    seconds: r.seconds,
  };
  if (values.json) out(JSON.stringify(summary));
  else {
    out(`Index: ${r.indexPapers} training papers, ${summary.indexMB} MiB (${r.seconds.index.toFixed(1)} s)`);
    out(`Prediction sets: p >= ${r.conformal.threshold.toFixed(4)} for ${(100 * (1 - r.conformal.alpha)).toFixed(0)}% coverage, calibrated on ${r.conformal.n} validation papers (${r.seconds.calibration.toFixed(1)} s)`);
    out(`Written to ${modelDir}`);
  }
  return 0;
}
