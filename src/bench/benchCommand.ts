/**
 * `npm run bench`: the shipped model against its members and baselines on the project's own test split, in
 * one run: 4-class accuracy / macro-F1 / cs.AI recall, all-category top-1 / top-3, ECE, classify latency
 * per draft in a server-like child process (p50/p95) with its peak RSS, training throughput, and (unless
 * --quick) the SciBERT-shaped ONNX encoder's latency and memory. Prints a table and writes JSON.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadClassifier, defaultModelDir } from '../model/classifier';
import { readPapers } from '../training/data/readPapers';
import { splitOf } from '../training/data/split';
import { primaryIndex, type LabelSet } from '../training/labels';
import { headline, FOUR_CLASSES } from '../training/eval/headline';
import { fasttextAvailable, runFasttext } from './fasttextBaseline';
import { measureTrainingThroughput } from './trainingThroughput';
import { parse } from '../cli/args';
import type { LabeledPaper, Prediction } from '../model/types';
import { benchInsights, printInsights } from './insightsBench';

export const TARGETS: Record<string, { target: number; higherIsBetter: boolean; label: string }> = {
  macro_f1_4: { target: 0.8, higherIsBetter: true, label: '4-class macro-F1' },
  acc4: { target: 0.82, higherIsBetter: true, label: '4-class accuracy' },
  ai_recall_4: { target: 0.65, higherIsBetter: true, label: 'cs.AI recall (4-class)' },
  top1: { target: 0.75, higherIsBetter: true, label: 'all-category top-1' },
  top3: { target: 0.94, higherIsBetter: true, label: 'all-category top-3' },
  ece: { target: 0.03, higherIsBetter: false, label: 'ECE (all categories)' },
  classify_p50_ms: { target: 15, higherIsBetter: false, label: 'classify p50 (ms/draft)' },
  peak_rss_mb: { target: 300, higherIsBetter: false, label: 'server-side peak RSS (MB)' },
};

function pct(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/**
 * Child process: load the model like the server does, classify drafts one by one, report latency + peak RSS.
 * It reads only a small file of drafts, so its peak RSS is the model's and the runtime's, not the data set's.
 */
export async function latencyChild(modelDir: string, draftsFile: string): Promise<void> {
  const drafts = JSON.parse(readFileSync(draftsFile, 'utf8')) as { title: string; abstract: string }[];
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const model = await loadClassifier(modelDir);
  const loadMs = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const s = performance.now();
    await model.classify(drafts[i]);
    if (i >= 10) times.push(performance.now() - s); // the first 10 warm up the JIT and the wasm backend
  }
  process.send!({ loadMs, times, peakRssMb: process.resourceUsage().maxRSS / 1024, rssBeforeLoadMb: rssBefore / 1048576 });
}

async function measureLatency(modelDir: string, drafts: { title: string; abstract: string }[]): Promise<{ p50: number; p95: number; mean: number; loadMs: number; peakRssMb: number }> {
  const cli = join(__dirname, 'cli.js');
  if (!existsSync(cli)) throw new Error('latency benchmark needs the bundled CLI (run "npm run build")');
  const draftsFile = join(mkdtempSync(join(tmpdir(), 'bench-drafts-')), 'drafts.json');
  writeFileSync(draftsFile, JSON.stringify(drafts));
  return new Promise((resolvePromise, reject) => {
    const child = fork(cli, ['bench-latency-child', modelDir, draftsFile], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', (m: { loadMs: number; times: number[]; peakRssMb: number }) => {
      const mean = m.times.reduce((a, b) => a + b, 0) / m.times.length;
      resolvePromise({ p50: pct(m.times, 0.5), p95: pct(m.times, 0.95), mean, loadMs: m.loadMs, peakRssMb: m.peakRssMb });
    });
    child.once('exit', (code) => code !== 0 && reject(new Error(`latency child exited with ${code}`)));
  });
}

export async function benchCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values } = parse(argv, {
    json: { type: 'boolean' },
    out: { type: 'string' },
    model: { type: 'string' },
    data: { type: 'string' },
    quick: { type: 'boolean' },
    'latency-drafts': { type: 'string' },
    'insights-only': { type: 'boolean' },
  });
  // --insights-only: just the shipped model's scores and the honest-views section (no baselines, latency, ONNX).
  const insightsOnly = values['insights-only'] === true;
  const log = err; // progress always goes to stderr; stdout carries the table or the one JSON object
  const modelDir = resolve(values.model ?? defaultModelDir());
  const model = await loadClassifier(modelDir);
  const man = model.manifestData;
  const dataPath = resolve(values.data ?? join(__dirname, '..', '..', 'shared', 'data', 'arxiv_papers.jsonl.gz'));
  log(`Benchmark of ${man.name} (${modelDir}) on the test split of ${dataPath}`);
  const { papers } = await readPapers(dataPath);
  const split = { train: [] as LabeledPaper[], test: [] as LabeledPaper[] };
  for (const p of papers) {
    const s = splitOf(p.id);
    if (s === 'train') split.train.push(p);
    else if (s === 'test') split.test.push(p);
  }
  const labels = man.labels.primary.map((l) => l.code);
  const ls: LabelSet = { primary: labels, multi: [], minPrimary: 0, minListed: 0 };
  const truth = Int32Array.from(split.test, (p) => primaryIndex(ls, p.primary));
  log(`Scoring ${split.test.length} test papers…`);
  const rows: Record<string, Record<string, number>> = {};
  const shipped: Float32Array[] = [], xOnly: Float32Array[] = [], nOnly: Float32Array[] = [];
  const predictions: Prediction[] = [];
  for (let i = 0; i < split.test.length; i += 128) {
    const outs = await model.memberOutputs(split.test.slice(i, i + 128));
    for (const o of outs) {
      const probs = model.combine(o);
      shipped.push(probs.primary);
      predictions.push(model.toPrediction(probs));
      const mp = model.memberProbs(o);
      if (mp.crossAttention) xOnly.push(mp.crossAttention);
      if (mp.ngram) nOnly.push(mp.ngram);
    }
  }
  rows[`shipped (${man.kind})`] = headline(shipped, truth, labels);
  if (xOnly.length === shipped.length && man.kind !== 'cross-attention') rows['cross-attention alone'] = headline(xOnly, truth, labels);
  if (nOnly.length === shipped.length && man.kind !== 'ngram') rows['n-gram alone'] = headline(nOnly, truth, labels);
  const insights = await benchInsights(model, split.test, shipped, predictions, truth, log);
  if (insightsOnly) {
    model.dispose();
    const result = { model: man.name, modelDir, data: dataPath, test_n: split.test.length, shipped: rows[`shipped (${man.kind})`], insights };
    const outFile = resolve(values.out ?? 'bench-results/insights.json');
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
    if (values.json) out(JSON.stringify(result));
    else {
      printInsights(insights, out);
      out(`\nJSON written to ${outFile}`);
    }
    return 0;
  }
  if (await fasttextAvailable()) {
    log('Training the fastText baseline (word bigrams) on the same training split…');
    const ft = await runFasttext(
      split.train.map((p) => ({ text: p.title + ' . ' + p.abstract, label: primaryIndex(ls, p.primary) })).filter((x) => x.label >= 0),
      split.test.map((p) => p.title + ' . ' + p.abstract),
      labels.length,
    );
    rows['fastText (bigrams)'] = { ...headline(ft.probs, truth, labels), train_examples_per_sec: ft.examplesPerSec };
  } else {
    log('fastText not installed (apt-get install fasttext): baseline skipped.');
  }
  model.dispose();

  const result: Record<string, unknown> = { model: man.name, modelDir, data: dataPath, test_n: split.test.length, rows, insights };
  const shippedRow = rows[`shipped (${man.kind})`];
  if (existsSync(join(__dirname, 'cli.js'))) {
    const n = Number(values['latency-drafts'] ?? 200);
    log(`Measuring classify latency over ${n} drafts in a separate (server-like) process…`);
    const lat = await measureLatency(modelDir, split.test.slice(0, n + 10).map((p) => ({ title: p.title, abstract: p.abstract })));
    Object.assign(result, { classify_p50_ms: lat.p50, classify_p95_ms: lat.p95, classify_mean_ms: lat.mean, model_load_ms: lat.loadMs, peak_rss_mb: lat.peakRssMb });
  }
  log('Measuring training throughput (cross-attention steps and n-gram epochs on real training papers)…');
  const thr = await measureTrainingThroughput(man, split.train.slice(0, 4000));
  Object.assign(result, thr);
  if (!values.quick) {
    try {
      const { runOnnxBench } = await import('./onnxBench');
      log('SciBERT-shaped ONNX encoder (random weights, fp32 and int8): latency and memory…');
      const onnx = await runOnnxBench({ dataFile: dataPath, log, childCommand: [process.execPath, join(__dirname, 'cli.js'), 'bench-onnx-child'] });
      result.scibert_onnx = onnx;
    } catch (e) {
      log(`SciBERT ONNX benchmark skipped: ${(e as Error).message}`);
      result.scibert_onnx = { skipped: (e as Error).message };
    }
  }
  // Targets
  const checks: Record<string, { value: number; target: number; met: boolean }> = {};
  for (const [k, t] of Object.entries(TARGETS)) {
    const v = (k in shippedRow ? shippedRow[k] : (result[k] as number | undefined));
    if (typeof v !== 'number') continue;
    checks[k] = { value: v, target: t.target, met: t.higherIsBetter ? v >= t.target : v <= t.target };
  }
  result.targets = checks;
  const outFile = resolve(values.out ?? 'bench-results/bench.json');
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');

  if (values.json) {
    out(JSON.stringify(result));
    return 0;
  }
  const cols = ['acc4', 'macro_f1_4', 'ai_recall_4', 'top1', 'top3', 'ece'];
  out('');
  out(`Test split: ${split.test.length} papers (${shippedRow.n4 ?? 0} with a primary in ${FOUR_CLASSES.join('/')})`);
  out(`${'model'.padEnd(28)} ${cols.map((c) => c.padStart(11)).join(' ')}`);
  for (const [name, r] of Object.entries(rows)) out(`${name.padEnd(28)} ${cols.map((c) => (r[c] === undefined ? '-' : r[c].toFixed(4)).padStart(11)).join(' ')}`);
  out('');
  out(`${'target'.padEnd(30)} ${'value'.padStart(10)} ${'target'.padStart(10)}  met`);
  for (const [k, c] of Object.entries(checks)) out(`${TARGETS[k].label.padEnd(30)} ${c.value.toFixed(4).padStart(10)} ${String(c.target).padStart(10)}  ${c.met ? 'yes' : 'NO'}`);
  out('');
  for (const k of ['classify_p50_ms', 'classify_p95_ms', 'model_load_ms', 'peak_rss_mb', 'xattn_train_examples_per_sec', 'ngram_train_examples_per_sec']) {
    if (typeof result[k] === 'number') out(`${k.padEnd(32)} ${(result[k] as number).toFixed(1)}`);
  }
  printInsights(insights, out);
  out(`\nJSON written to ${outFile}`);
  return 0;
}
