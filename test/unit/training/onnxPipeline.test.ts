/** SciBERT path end to end with the committed tiny BERT-shaped ONNX fixture: train -> save -> load -> classify. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeSyntheticPapers } from '../server/helpers/syntheticPapers';
import { runPipeline, type PipelineOptions } from '../../../src/training/pipeline';
import { pipelineOptions } from '../../../src/training/defaults';
import { loadClassifier } from '../../../src/model/classifier';
import { readBundle } from '../../../src/model/bundle';

const fixture = resolve(__dirname, '../../fixtures/onnx/tiny-bert');

describe('SciBERT (ONNX) path: head trained on frozen encoder features', function () {
  this.timeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'onnx-pipeline-'));
  const data = join(dir, 'papers.jsonl');
  const out = join(dir, 'model');
  const cache = join(dir, 'cache');
  const phases: string[] = [];

  before(async () => {
    writeSyntheticPapers(data, 40, 3);
    const opts = pipelineOptions({
      dataPath: data, outDir: out, name: 'tiny-onnx-head', epochs: 4, minPrimary: 5, minListed: 5,
      members: ['cross-attention'], onnxEncoderDir: fixture, featureCacheDir: cache,
      model: { hidden: 32, heads: 8, titleLen: 12, abstractLen: 48, poolDim: 8, mlp: [32], dropout: 0.1, embedDropout: 0 },
      xattn: { batchSize: 16, lr: 5e-3, weightDecay: 0.01, warmupFraction: 0.1, clipNorm: 1, patience: 4, multiWeight: 0.5, trainEvalSample: 40 },
    } as PipelineOptions);
    await runPipeline(opts, (e) => e.type === 'progress' && phases.push(e.phase));
  });

  it('records the encoder folder and fingerprint, and no vocabulary of its own', () => {
    const m = readBundle(out).manifest;
    assert.equal(m.crossAttention?.config.encoder, 'states');
    assert.equal(m.crossAttention?.config.inputDim, 64, 'tiny-bert hidden size');
    assert.equal(m.crossAttention?.onnxEncoderDir, fixture);
    assert.match(m.crossAttention?.onnxFingerprint ?? '', /^[0-9a-f]{64}$/);
    assert.equal(m.tokenizer, undefined);
    assert.ok(phases.some((p) => p.startsWith('encode train')), 'feature extraction reports progress');
    assert.ok(readdirSync(cache).length > 0, 'features were cached on disk');
  });

  it('loads with its ONNX encoder and classifies held-out style text', async () => {
    const clf = await loadClassifier(out);
    assert.equal(clf.info.encoder, 'onnx');
    const p = await clf.classify({ title: 'neurons in the cortex', abstract: 'spiking neurons and synaptic firing in the hippocampus and the brain cortex' });
    assert.equal(p.primary.length, 4);
    assert.ok(Math.abs(p.primary.reduce((a, c) => a + c.p, 0) - 1) < 1e-4);
    const report = JSON.parse(readBundle(out).file('report.json').toString());
    assert.ok(report.test.all.accuracy > 0.5, `test accuracy ${report.test.all.accuracy} on a separable 4-class task`);
    clf.dispose();
  });

  it('a second run reuses the cached features (no encoder work)', async () => {
    const seen: { phase: string; step: number; steps: number }[] = [];
    const logs: string[] = [];
    const opts = pipelineOptions({
      dataPath: data, outDir: join(dir, 'model2'), name: 'again', epochs: 1, minPrimary: 5, minListed: 5,
      members: ['cross-attention'], onnxEncoderDir: fixture, featureCacheDir: cache,
      model: { hidden: 32, heads: 8, titleLen: 12, abstractLen: 48, poolDim: 8, mlp: [32], dropout: 0.1, embedDropout: 0 },
    } as PipelineOptions);
    const t0 = Date.now();
    await runPipeline(opts, (e) => {
      if (e.type === 'progress') seen.push(e);
      if (e.type === 'log') logs.push(e.message);
    });
    assert.ok(seen.some((e) => e.phase.startsWith('encode train') && e.step === e.steps));
    const trainLog = logs.find((l) => l.startsWith('SciBERT features for train'));
    assert.match(trainLog ?? '', /: 0 texts encoded, \d+ read from the cache/);
    assert.ok(Date.now() - t0 < 60_000);
  });

  it('with the n-gram member too, the bundle keeps the encoder it was asked to train on', async () => {
    const out3 = join(dir, 'model3');
    const opts = pipelineOptions({
      dataPath: data, outDir: out3, name: 'both', epochs: 1, minPrimary: 5, minListed: 5,
      members: ['cross-attention', 'ngram'], onnxEncoderDir: fixture, featureCacheDir: cache,
      model: { hidden: 32, heads: 8, titleLen: 12, abstractLen: 48, poolDim: 8, mlp: [32], dropout: 0.1, embedDropout: 0 },
    } as PipelineOptions);
    const { report } = await runPipeline(opts, () => undefined);
    assert.notEqual(report.chosen, 'ngram', 'a SciBERT run never ships the n-gram model alone');
    assert.equal(readBundle(out3).manifest.crossAttention?.onnxEncoderDir, fixture);
  });
});
