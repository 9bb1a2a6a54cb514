/**
 * Measures the n-gram linear model on the real data set.
 *   npx tsx scripts/experiments/ngramExperiment.ts [--maxFeatures=50000] [--minDf=2] [--epochs=3] [--lr=0.02]
 *        [--l2=1e-4] [--batchSize=512] [--classWeights=sqrt|none|balanced] [--labelSmoothing=0]
 *        [--grid="l2=0.03,0.1;lr=0.02,0.05"] [--select=nll|f1]
 *        [--limit=N] [--out=DIR] [--data=PATH] [--stack=true]
 * --stack=true also trains a unigram-only model and stacks the two (a smoke run of src/model/stacking.ts
 * at real scale; the product stacks the n-gram model with the neural model).
 * Split (for this measurement only): FNV-1a 32-bit hash of the id mod 100: test < 10, validation 10-19,
 * train the rest. Labels: primaries with >= 100 training papers, others -> "other". Multi labels:
 * categories listed (anywhere) on >= 100 training papers. Text: title + " " + abstract, lower-cased and
 * split on non-alphanumerics.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { NgramFeaturizer, simpleTokens, type SparseVector } from '../../src/model/ngram/featurizer';
import { NgramModel } from '../../src/model/ngram/model';
import { trainNgramModel } from '../../src/training/ngram/train';
import { evaluate, evaluateOnSubset, logLoss, topKAccuracy } from '../../src/training/eval/metrics';
import { logSoftmax, softmaxWithTemperature, sigmoid } from '../../src/model/calibration';
import { fitPlatt, fitTemperature } from '../../src/training/calibrationFit';
import { crossValidatedStacker } from '../../src/training/stackerFit';

interface Row {
  id: string;
  title: string;
  abstract: string;
  primary: string;
  categories: string[];
}

function fnv1a(s: string): number {
  let h = 2166136261 >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

function args(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of process.argv.slice(2)) {
    const m = /^--([^=]+)=(.*)$/.exec(a);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

function loadRows(file: string, limit: number): Row[] {
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  const rows: Row[] = [];
  let bad = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line);
      if (typeof r.id !== 'string' || typeof r.primary !== 'string') { bad++; continue; }
      rows.push({ id: r.id, title: String(r.title ?? ''), abstract: String(r.abstract ?? ''), primary: r.primary, categories: Array.isArray(r.categories) ? r.categories : [r.primary] });
    } catch {
      bad++;
    }
    if (rows.length >= limit) break;
  }
  if (bad) console.error(`skipped ${bad} malformed rows`);
  return rows;
}

/** CPU seconds (user + system) since `from`: the machine is shared, so wall time overstates cost. */
const cpuSince = (from: NodeJS.CpuUsage) => { const u = process.cpuUsage(from); return (u.user + u.system) / 1e6; };

const fmt = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

function main(): void {
  const a = args();
  const dataPath = a.data ?? path.resolve(__dirname, '../../../shared/data/arxiv_papers.jsonl.gz');
  const limit = a.limit ? Number(a.limit) : Infinity;
  const t0 = Date.now();
  const rows = loadRows(dataPath, limit);
  const split = rows.map((r) => {
    const b = fnv1a(r.id) % 100;
    return b < 10 ? 'test' : b < 20 ? 'val' : 'train';
  });
  const trainRows = rows.filter((_, i) => split[i] === 'train');
  const primCount = new Map<string, number>();
  const catCount = new Map<string, number>();
  for (const r of trainRows) {
    primCount.set(r.primary, (primCount.get(r.primary) ?? 0) + 1);
    for (const c of new Set(r.categories)) catCount.set(c, (catCount.get(c) ?? 0) + 1);
  }
  const labels = [...primCount].filter(([, n]) => n >= 100).map(([l]) => l).sort();
  labels.push('other');
  const labelIdx = new Map(labels.map((l, i) => [l, i]));
  const multiLabels = [...catCount].filter(([, n]) => n >= 100).map(([l]) => l).sort();
  const multiIdx = new Map(multiLabels.map((l, i) => [l, i]));
  const tokens = rows.map((r) => simpleTokens(r.title + ' ' + r.abstract));
  const primary = rows.map((r) => labelIdx.get(r.primary) ?? labelIdx.get('other')!);
  const multi = rows.map((r) => [...new Set(r.categories)].map((c) => multiIdx.get(c)).filter((x): x is number => x !== undefined));
  const tLoad = (Date.now() - t0) / 1000;
  const sel = (s: string) => rows.map((_, i) => i).filter((i) => split[i] === s);
  const [trI, vaI, teI] = [sel('train'), sel('val'), sel('test')];
  console.log(`rows ${rows.length} train ${trI.length} val ${vaI.length} test ${teI.length}; ${labels.length} primary labels, ${multiLabels.length} multi labels; load+tokenise ${tLoad.toFixed(1)} s`);

  const t1 = Date.now();
  const c1 = process.cpuUsage();
  const featurizer = NgramFeaturizer.fit(trI.map((i) => tokens[i]), {
    maxFeatures: Number(a.maxFeatures ?? 50000),
    minDf: Number(a.minDf ?? 2),
    ngramMax: 2,
    sublinearTf: (a.sublinearTf ?? 'true') === 'true',
    maxDfRatio: Number(a.maxDfRatio ?? 1),
  });
  const X: SparseVector[] = tokens.map((t) => featurizer.transform(t));
  const tFeat = (Date.now() - t1) / 1000;
  console.log(`featurizer: ${featurizer.numFeatures} features, fit+transform ${tFeat.toFixed(1)} s wall, ${cpuSince(c1).toFixed(1)} s CPU`);

  const pick = (idx: number[]) => ({ features: idx.map((i) => X[i]), primary: Int32Array.from(idx.map((i) => primary[i])), multi: idx.map((i) => multi[i]) });
  const train = pick(trI), val = pick(vaI), test = pick(teI);
  // Hyper-parameter grid (selected on validation only): --grid="l2=0.03,0.1;lr=0.02,0.05"
  const base: Record<string, string> = {
    epochs: a.epochs ?? '3', lr: a.lr ?? '0.02', l2: a.l2 ?? '1e-4', batchSize: a.batchSize ?? '512',
    classWeights: a.classWeights ?? 'sqrt', labelSmoothing: a.labelSmoothing ?? '0',
  };
  let configs: Record<string, string>[] = [base];
  for (const axis of (a.grid ?? '').split(';').filter(Boolean)) {
    const [key, vals] = axis.split('=');
    configs = configs.flatMap((c) => vals.split(',').map((v) => ({ ...c, [key]: v })));
  }
  const four = ['cs.AI', 'cs.CL', 'cs.CV', 'cs.LG'];
  let best: { model: NgramModel; cfg: Record<string, string>; score: number; cpu: number; wall: number } | undefined;
  for (const cfg of configs) {
    const cw = cfg.classWeights !== 'none' ? (cfg.classWeights as 'balanced' | 'sqrt') : undefined;
    const t2 = Date.now();
    const c2 = process.cpuUsage();
    console.log(`config ${JSON.stringify(cfg)}`);
    const model = trainNgramModel(train, {
      featurizer, labels, multiLabels,
      epochs: Number(cfg.epochs), lr: Number(cfg.lr), l2: Number(cfg.l2), batchSize: Number(cfg.batchSize),
      classWeights: cw, labelSmoothing: Number(cfg.labelSmoothing), seed: 1, validation: val, patience: 1,
      onEpoch: (e) => console.log(`  epoch ${e.epoch}: val NLL ${fmt(e.valLoss ?? NaN)} val acc ${fmt(e.valAccuracy ?? NaN)} (${e.seconds.toFixed(1)} s wall, ${(e.cpuSeconds ?? NaN).toFixed(1)} s CPU)`),
    });
    const wall = (Date.now() - t2) / 1000;
    const cpu = cpuSince(c2);
    const vLogits = val.features.map((x) => model.predictLogits(x));
    const vProbs = vLogits.map((z) => softmaxWithTemperature(z, 1));
    const vAll = evaluate(vProbs, val.primary, labels);
    const vFour = evaluateOnSubset(vProbs, val.primary, labels, four);
    const vNll = logLoss(vProbs, val.primary);
    console.log(`  -> ${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU, best epoch ${model.training.bestEpoch}; val NLL ${fmt(vNll)} top1 ${fmt(vAll.accuracy)} | 4-class acc ${fmt(vFour.accuracy)} macroF1 ${fmt(vFour.macro_f1)} cs.AI recall ${fmt(vFour.per_class['cs.AI'].recall)}`);
    const score = (a.select ?? 'nll') === 'f1' ? -vFour.macro_f1 : vNll;
    if (!best || score < best.score) best = { model, cfg, score, cpu, wall };
  }
  const model = best!.model;
  console.log(`selected on validation: ${JSON.stringify(best!.cfg)} (training ${best!.wall.toFixed(1)} s wall, ${best!.cpu.toFixed(1)} s CPU)`);

  // serialise (int8), measure size, reload: the reported numbers are those of the model that ships
  const outDir = a.out ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ngram-'));
  fs.mkdirSync(outDir, { recursive: true });
  const ser = model.serialize('int8');
  fs.writeFileSync(path.join(outDir, 'ngram.json'), JSON.stringify(ser.json));
  fs.writeFileSync(path.join(outDir, 'ngram.bin'), ser.weights);
  const size = fs.statSync(path.join(outDir, 'ngram.json')).size + fs.statSync(path.join(outDir, 'ngram.bin')).size;
  const tl = process.hrtime.bigint();
  const shipped = NgramModel.deserialize(JSON.parse(fs.readFileSync(path.join(outDir, 'ngram.json'), 'utf8')), fs.readFileSync(path.join(outDir, 'ngram.bin')));
  const loadMs = Number(process.hrtime.bigint() - tl) / 1e6;
  const tp = process.hrtime.bigint();
  const sample = teI.slice(0, 1000);
  for (const i of sample) {
    const x = shipped.featurize(tokens[i]);
    shipped.predictProbs(x);
    shipped.predictMulti(x);
  }
  const perDocMs = Number(process.hrtime.bigint() - tp) / 1e6 / sample.length;
  console.log(`load (parse + dequantise) ${loadMs.toFixed(0)} ms; featurize + both heads ${perDocMs.toFixed(3)} ms per paper`);
  console.log(`model size on disk ${(size / 1048576).toFixed(2)} MiB (json ${(fs.statSync(path.join(outDir, 'ngram.json')).size / 1048576).toFixed(2)} MiB) in ${outDir}`);

  const report = (m: NgramModel, name: string) => {
    const valLogits = val.features.map((x) => m.predictLogits(x));
    const T = fitTemperature(valLogits, val.primary);
    const testLogits = test.features.map((x) => m.predictLogits(x));
    const raw = testLogits.map((z) => softmaxWithTemperature(z, 1));
    const cal = testLogits.map((z) => softmaxWithTemperature(z, T));
    const all = evaluate(cal, test.primary, labels);
    const four = evaluateOnSubset(cal, test.primary, labels, ['cs.AI', 'cs.CL', 'cs.CV', 'cs.LG']);
    const eceRaw = evaluate(raw, test.primary, labels).ece;
    // multi-label head: Platt fitted on validation, micro-F1 at 0.5 on test
    const vz = val.features.map((x) => m.predictMultiLogits(x));
    const vy = val.multi.map((l) => { const y = new Float32Array(multiLabels.length); l.forEach((j) => (y[j] = 1)); return y; });
    const platt = fitPlatt(vz, vy);
    let tp = 0, fp = 0, fn = 0;
    test.features.forEach((x, i) => {
      const z = m.predictMultiLogits(x);
      const truth = new Set(test.multi[i]);
      for (let j = 0; j < z.length; j++) {
        const p = sigmoid(platt.a * z[j] + platt.b) >= 0.5;
        if (p && truth.has(j)) tp++; else if (p) fp++; else if (truth.has(j)) fn++;
      }
    });
    console.log(`\n[${name}] test n=${all.n}`);
    console.log(`  all categories: top1 ${fmt(all.accuracy)} top3 ${fmt(all.top3)} macroF1 ${fmt(all.macro_f1)} NLL raw ${fmt(logLoss(raw, test.primary))} -> ${fmt(logLoss(cal, test.primary))}`);
    console.log(`  ECE raw ${fmt(eceRaw)} -> temperature-scaled ${fmt(all.ece)} (T = ${fmt(T, 3)})`);
    console.log(`  4-class (n=${four.n}): accuracy ${fmt(four.accuracy)} macroF1 ${fmt(four.macro_f1)} cs.AI recall ${fmt(four.per_class['cs.AI'].recall)} ` +
      `(CL ${fmt(four.per_class['cs.CL'].recall, 3)} CV ${fmt(four.per_class['cs.CV'].recall, 3)} LG ${fmt(four.per_class['cs.LG'].recall, 3)}) ECE ${fmt(four.ece)}`);
    console.log(`  multi-label head: Platt a=${fmt(platt.a, 3)} b=${fmt(platt.b, 3)} micro-F1@0.5 ${fmt((2 * tp) / (2 * tp + fp + fn))}`);
    return { T, all, four };
  };
  if (a.stack === 'true') {
    const c3 = process.cpuUsage();
    const fz1 = NgramFeaturizer.fit(trI.map((i) => tokens[i]), { maxFeatures: 20000, minDf: 2, ngramMax: 1 });
    const X1 = (idx: number[]) => idx.map((i) => fz1.transform(tokens[i]));
    const uni = trainNgramModel({ features: X1(trI), primary: train.primary }, { featurizer: fz1, labels, multiLabels: [], epochs: 2, classWeights: 'sqrt', seed: 2 });
    const baseVal = [val.features.map((x) => logSoftmax(shipped.predictLogits(x))), X1(vaI).map((x) => logSoftmax(uni.predictLogits(x)))];
    const t3 = Date.now();
    const cv = crossValidatedStacker(baseVal, val.primary, { mode: 'classwise', folds: 5 });
    const stackSec = (Date.now() - t3) / 1000;
    const baseTest = [test.features.map((x) => logSoftmax(shipped.predictLogits(x))), X1(teI).map((x) => logSoftmax(uni.predictLogits(x)))];
    const stackedTest = test.features.map((_, i) => softmaxWithTemperature(cv.stacker.predictLogits([baseTest[0][i], baseTest[1][i]])));
    const accOf = (rows: ArrayLike<number>[]) => evaluate(rows, test.primary, labels).accuracy;
    console.log(`\n[stacking smoke run: bigram model + unigram-only model, classwise, 5-fold on validation, ${stackSec.toFixed(1)} s; total extra CPU ${cpuSince(c3).toFixed(1)} s]`);
    console.log(`  validation out-of-fold: stacker acc ${fmt(cv.heldOut.accuracy)} NLL ${fmt(cv.heldOut.nll)}; base ${cv.baseScores.map((b) => `acc ${fmt(b.accuracy)} NLL ${fmt(b.nll)}`).join(' | ')}; average acc ${fmt(cv.averageScore.accuracy)}`);
    console.log(`  test: stacker top1 ${fmt(accOf(stackedTest))} vs bigram ${fmt(accOf(baseTest[0]))} unigram ${fmt(accOf(baseTest[1]))}`);
  }
  report(model, 'float32 (in memory)');
  const r = report(shipped, 'int8 (serialised, as shipped)');
  void r;
  void topKAccuracy;
}

main();
