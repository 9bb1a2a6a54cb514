import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { headsForEncoder, isOnnxExport } from '../../../src/extension/trainedModels';

const fixtures = path.resolve(__dirname, '../../fixtures/onnx');

describe('SciBERT encoders in model selection', () => {
  let tmp: string;
  beforeEach(() => (tmp = mkdtempSync(path.join(tmpdir(), 'arxiv-onnx-models-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('recognises an ONNX export folder, and nothing else', () => {
    assert.ok(isOnnxExport(path.join(fixtures, 'tiny-bert')));
    assert.ok(!isOnnxExport(path.resolve(__dirname, '../../../models/default')), 'a trained bundle is not an export');
    assert.ok(!isOnnxExport(tmp), 'an empty folder');
    writeFileSync(path.join(tmp, 'model.onnx'), 'x');
    assert.ok(!isOnnxExport(tmp), 'model.onnx without a vocabulary');
    writeFileSync(path.join(tmp, 'tokenizer.json'), '{}');
    assert.ok(isOnnxExport(tmp), 'model.onnx + tokenizer.json');
  });

  it('finds the heads trained on an encoder, newest first, skipping others and broken folders', () => {
    const enc = path.join(fixtures, 'tiny-bert');
    const bundle = (name: string, manifest: unknown, mtime: number) => {
      const dir = path.join(tmp, name);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'manifest.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
      utimesSync(dir, mtime, mtime);
      return dir;
    };
    const older = bundle('older', { name: 'head-1', crossAttention: { onnxEncoderDir: enc } }, 1_000_000);
    const newer = bundle('newer', { name: 'head-2', crossAttention: { onnxEncoderDir: enc } }, 2_000_000);
    bundle('compact', { name: 'compact', crossAttention: { config: {} } }, 3_000_000);
    bundle('other-encoder', { name: 'x', crossAttention: { onnxEncoderDir: path.join(fixtures, 'tiny-bert-int8') } }, 3_000_000);
    bundle('broken', '{not json', 3_000_000);
    bundle('run.ckpt', { name: 'ckpt', crossAttention: { onnxEncoderDir: enc } }, 3_000_000);
    assert.deepEqual(headsForEncoder(tmp, enc + path.sep).map((h) => [h.name, h.dir]), [['head-2', newer], ['head-1', older]]);
    assert.deepEqual(headsForEncoder(path.join(tmp, 'missing'), enc), []);
  });
});
