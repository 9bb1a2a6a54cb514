import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { OnnxBertEncoder } from '../../../src/model/onnx/onnxBertEncoder';

const ROOT = path.resolve(__dirname, '../../..');
const PY = '/usr/bin/python3';

function hasPython(modules: string): boolean {
  try {
    execFileSync(PY, ['-c', `import ${modules}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('scripts/onnx/quantize_int8.py', function () {
  it('reproduces the committed int8 fixture byte for byte (skipped without python3-onnx)', function () {
    if (!hasPython('onnx, numpy')) this.skip();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'q8-'));
    try {
      const log = execFileSync(PY, [path.join(ROOT, 'scripts/onnx/quantize_int8.py'), '--in', path.join(ROOT, 'test/fixtures/onnx/tiny-bert/model.onnx'),
        '--out', path.join(out, 'model.onnx'), '--copy-assets'], { encoding: 'utf8' });
      assert.match(log, /quantized 12 MatMul and 3 Gather nodes/);
      assert.ok(fs.readFileSync(path.join(out, 'model.onnx')).equals(fs.readFileSync(path.join(ROOT, 'test/fixtures/onnx/tiny-bert-int8/model.onnx'))));
      for (const f of ['vocab.txt', 'config.json']) assert.ok(fs.existsSync(path.join(out, f)), f);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('refuses a model without constant-weight MatMuls (skipped without python3-onnx)', function () {
    if (!hasPython('onnx, numpy')) this.skip();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'q8-'));
    try {
      // The int8 fixture has no float MatMul left.
      assert.throws(() => execFileSync(PY, [path.join(ROOT, 'scripts/onnx/quantize_int8.py'), '--in', path.join(ROOT, 'test/fixtures/onnx/tiny-bert-int8/model.onnx'),
        '--out', path.join(out, 'model.onnx')], { stdio: 'pipe' }), /no constant-weight MatMul/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('scripts/onnx/make_bert_onnx.py', function () {
  it('writes a folder the encoder loads, matching its torch reference (skipped without python3-torch)', async function () {
    this.timeout(120000);
    if (!hasPython('torch, onnx')) this.skip();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-bert-'));
    try {
      execFileSync(PY, [path.join(ROOT, 'scripts/onnx/make_bert_onnx.py'), '--layers', '1', '--hidden', '16', '--heads', '2', '--max-position', '32',
        '--seed', '5', '--out', out, '--reference', path.join(out, 'reference.json')], { stdio: 'pipe' });
      const cfg = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
      assert.equal(cfg.hidden_size, 16);
      assert.equal(cfg.vocab_size, fs.readFileSync(path.join(out, 'vocab.txt'), 'utf8').trim().split('\n').length);
      const ref = JSON.parse(fs.readFileSync(path.join(out, 'reference.json'), 'utf8'));
      const enc = await OnnxBertEncoder.load(out, { intraOpThreads: 1 });
      try {
        assert.ok(enc.inputNames.includes('token_type_ids'));
        const n = (ref.attention_mask[0] as number[]).reduce((a, b) => a + b, 0);
        const s = await enc.encodeTokens([{ ids: Int32Array.from(ref.input_ids[0]), length: n }]);
        let d = 0;
        for (let i = 0; i < n * 16; i++) d = Math.max(d, Math.abs(s.states[i] - ref.last_hidden_state[i]));
        assert.ok(d < 1e-4, `max diff ${d}`);
      } finally {
        await enc.dispose();
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
