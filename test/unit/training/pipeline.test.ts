/**
 * End to end on a small separable data set: train both members -> bundle -> load -> classify; checkpoint
 * resume reproduces an uninterrupted run exactly; a tampered bundle is refused with a clear message.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticPapers } from '../server/helpers/syntheticPapers';
import { runPipeline, type PipelineOptions } from '../../../src/training/pipeline';
import { pipelineOptions } from '../../../src/training/defaults';
import { loadClassifier } from '../../../src/model/classifier';
import { readBundle } from '../../../src/model/bundle';
import { trainCrossAttention, TokenIdSource } from '../../../src/training/crossAttentionTrainer';
import type { TrainEvent } from '../../../src/training/protocol';

const dir = mkdtempSync(join(tmpdir(), 'pipeline-test-'));
const data = join(dir, 'papers.jsonl');
writeSyntheticPapers(data, 60, 11);

const small = (outDir: string, extra: Partial<PipelineOptions> = {}): PipelineOptions =>
  pipelineOptions({
    dataPath: data,
    outDir,
    name: 'tiny-test-model',
    epochs: 3,
    minPrimary: 5,
    minListed: 5,
    vocabSize: 400,
    model: { hidden: 16, heads: 8, titleLen: 8, abstractLen: 48, poolDim: 8, mlp: [32, 16], dropout: 0.1, embedDropout: 0.05 },
    xattn: { batchSize: 16, lr: 5e-3, weightDecay: 0.01, warmupFraction: 0.1, clipNorm: 1, patience: 3, multiWeight: 0.5, trainEvalSample: 50 },
    ngram: { maxFeatures: 2000, minDf: 1, epochs: 4, lr: 0.05, l2: 1e-4, batchSize: 32, classWeights: 'sqrt', patience: 2 },
    ...extra,
  } as PipelineOptions);

describe('training pipeline (small synthetic data)', function () {
  this.timeout(180_000);
  const outDir = join(dir, 'model');
  const events: TrainEvent[] = [];

  before(async () => {
    await runPipeline(small(outDir), (e) => events.push(e));
  });

  it('writes a verified bundle with manifest, hashes, metrics and report', () => {
    const b = readBundle(outDir);
    const m = b.manifest;
    assert.equal(m.name, 'tiny-test-model');
    assert.ok(['ensemble', 'cross-attention', 'ngram'].includes(m.kind));
    assert.deepEqual(m.labels.primary.map((l) => l.code), ['cs.CL', 'cs.CV', 'math.AG', 'q-bio.NC']);
    assert.equal(m.labels.primary[0].name, 'Computation and Language');
    assert.match(String(m.training.dataSha256), /^[0-9a-f]{64}$/);
    assert.equal(m.training.seed, 42);
    assert.ok(Object.keys(m.files).length >= 2);
    for (const h of Object.values(m.files)) assert.match(h, /^[0-9a-f]{64}$/);
    const report = JSON.parse(b.file('report.json').toString());
    assert.equal(report.history.length, 3, 'one entry per epoch');
    assert.ok(report.test.all.n > 0);
    assert.ok(typeof m.metrics.test_top1 === 'number');
  });

  it('streams progress, epoch metrics and a done event', () => {
    assert.ok(events.some((e) => e.type === 'progress' && e.phase === 'cross-attention'));
    const epochs = events.filter((e) => e.type === 'epoch');
    assert.equal(epochs.length, 3);
    assert.ok(events.some((e) => e.type === 'done'));
  });

  it('classifies on-topic text correctly with calibrated, sorted probabilities', async () => {
    const clf = await loadClassifier(outDir);
    const p = await clf.classify({ title: 'image segmentation and object detection', abstract: 'we propose a convolutional method for image segmentation and video object detection from camera pixels' });
    assert.equal(p.primary[0].category, 'cs.CV');
    assert.ok(p.primary[0].p > 0.5, `p=${p.primary[0].p}`);
    const sum = p.primary.reduce((a, c) => a + c.p, 0);
    assert.ok(Math.abs(sum - 1) < 1e-4);
    for (let i = 1; i < p.primary.length; i++) assert.ok(p.primary[i - 1].p >= p.primary[i].p);
    assert.ok(p.crosslists.every((c) => c.category !== 'cs.CV'), 'the predicted primary is not suggested as a cross-list');
    const q = await clf.classify({ title: 'sheaf cohomology of projective varieties', abstract: 'we study the moduli of curves and divisors on algebraic varieties via cohomology' });
    assert.equal(q.primary[0].category, 'math.AG');
    clf.dispose();
  });

  it('refuses a corrupt weight file and a wrong format version', () => {
    const b = readBundle(outDir);
    const weightFile = Object.keys(b.manifest.files).find((f) => f.endsWith('.bin'))!;
    const copy = join(dir, 'corrupt');
    cpSync(outDir, copy, { recursive: true });
    const buf = readFileSync(join(copy, weightFile));
    buf[10] ^= 0xff;
    writeFileSync(join(copy, weightFile), buf);
    assert.throws(() => readBundle(copy), /is corrupt \(SHA-256/);
    const bad = join(dir, 'badversion');
    cpSync(outDir, bad, { recursive: true });
    const man = JSON.parse(readFileSync(join(bad, 'manifest.json'), 'utf8'));
    man.formatVersion = 99;
    writeFileSync(join(bad, 'manifest.json'), JSON.stringify(man));
    assert.throws(() => readBundle(bad), /format version 99 is not supported/);
    writeFileSync(join(bad, 'manifest.json'), '{"format": ');
    assert.throws(() => readBundle(bad), /not valid JSON/);
    assert.throws(() => readBundle(join(dir, 'no-such-model')), /Model folder not found/);
  });
});

describe('small user datasets', function () {
  this.timeout(120_000);
  it('lowers the label thresholds (with a warning) when no category has 100 papers, instead of failing', async () => {
    const logs: string[] = [];
    const res = await runPipeline(small(join(dir, 'small-thresholds'), { minPrimary: 100, minListed: 100, members: ['ngram'] }), (e) => e.type === 'log' && logs.push(e.message));
    assert.ok(logs.some((l) => /Fewer than two categories have 100 training papers/.test(l)), logs.join('\n'));
    assert.deepEqual(res.report.labels, ['cs.CL', 'cs.CV', 'math.AG', 'q-bio.NC']);
  });
});

describe('fine-tuning from a base model', function () {
  this.timeout(180_000);
  it('keeps the base vocabulary and labels; --freeze-encoder leaves the embeddings untouched', async () => {
    const baseDir = join(dir, 'base');
    await runPipeline(small(baseDir, { members: ['cross-attention'], epochs: 1 }), () => undefined);
    const tunedDir = join(dir, 'tuned');
    await runPipeline(small(tunedDir, { members: ['cross-attention'], epochs: 1, baseModelDir: baseDir, freezeEncoder: true, seed: 7 }), () => undefined);
    const b = readBundle(baseDir), t = readBundle(tunedDir);
    assert.deepEqual(t.file('vocab.txt'), b.file('vocab.txt'));
    assert.deepEqual(t.manifest.labels, b.manifest.labels);
    const weights = (x: typeof b, name: string) => {
      const ca = x.manifest.crossAttention!;
      const e = ca.index.find((i) => i.name === name)!;
      const all = new Float32Array(new Uint8Array(x.file(ca.weights)).buffer);
      return Array.from(all.subarray(e.offset, e.offset + e.shape.reduce((p, q) => p * q, 1)));
    };
    assert.deepEqual(weights(t, 'emb/token'), weights(b, 'emb/token'), 'frozen embeddings unchanged');
    assert.notDeepEqual(weights(t, 't2a/wq'), weights(b, 't2a/wq'), 'the attention layers were trained');
  });
});

describe('cross-attention checkpoints', function () {
  this.timeout(120_000);
  // 40 examples of 2 classes with distinct token ranges
  const n = 40, T = 6, A = 12;
  const title = new Int32Array(n * T), abs = new Int32Array(n * A), y = new Int32Array(n), multi = new Uint8Array(n * 2);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    multi[i * 2 + y[i]] = 1;
    for (let j = 0; j < T; j++) title[i * T + j] = 5 + y[i] * 10 + ((i + j) % 10);
    for (let j = 0; j < A - 2; j++) abs[i * A + j] = 5 + y[i] * 10 + ((i * 3 + j) % 10);
  }
  const src = new TokenIdSource(n, title, abs, T, A, y, multi, 2);
  const config = { encoder: 'compact' as const, vocabSize: 30, hidden: 16, inputDim: 16, heads: 8, titleLen: T, abstractLen: A, poolDim: 8, mlp: [16], dropout: 0.2, embedDropout: 0.1, numPrimary: 2, numMulti: 2 };
  const opts = { batchSize: 8, lr: 1e-2, weightDecay: 0.01, warmupFraction: 0.1, clipNorm: 1, patience: 5, seed: 3, loss: { kind: 'ce' as const, labelSmoothing: 0.1, gamma: 2 }, multiWeight: 0.5, trainEvalSample: 20 };

  it('a run stopped after epoch 1 and resumed ends with exactly the weights of an uninterrupted run', async () => {
    const full = await trainCrossAttention(config, src, src, { ...opts, epochs: 4 });
    const ck = join(dir, 'ckpt');
    const first = await trainCrossAttention(config, src, src, { ...opts, epochs: 4, checkpointDir: ck, resume: true, signal: AbortSignal.timeout(60_000), timeBudgetSec: 0.0001 });
    // timeBudget stops it after its first epoch; resume continues from the checkpoint
    assert.equal(first.history.length, 1);
    assert.equal(first.stoppedBy, 'time-budget');
    assert.ok(existsSync(join(ck, 'checkpoint.json')));
    const recorded = (JSON.parse(readFileSync(join(ck, 'checkpoint.json'), 'utf8')) as { seconds: number }).seconds;
    const logs: string[] = [];
    const resumed = await trainCrossAttention(config, src, src, { ...opts, epochs: 4, checkpointDir: ck, resume: true, onEvent: (e) => e.type === 'log' && logs.push(e.message) });
    assert.ok(logs.some((l) => /Resumed from checkpoint after epoch 1/.test(l)), logs.join('\n'));
    // Training time covers the whole run: the first (stopped) part is carried over from the checkpoint.
    assert.equal(first.resumedSeconds, 0);
    assert.ok(recorded > 0 && recorded <= first.seconds, `checkpoint seconds ${recorded}, first run ${first.seconds}`);
    assert.equal(resumed.resumedSeconds, recorded, 'the stopped part is counted as the checkpoint recorded it');
    assert.ok(resumed.seconds > recorded, 'the resumed run reports the whole training time, not only its own part');
    assert.equal(resumed.history.length, 4);
    assert.deepEqual(resumed.history.map((h) => h.valMacroF1), full.history.map((h) => h.valMacroF1));
    const a = full.model.exportWeights().data, b = resumed.model.exportWeights().data;
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    assert.ok(maxDiff < 1e-6, `weights differ by ${maxDiff}`);
    assert.ok(full.history[3].valAccuracy > 0.9, `learned the toy task: ${full.history[3].valAccuracy}`);
  });
});
