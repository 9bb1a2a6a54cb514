import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createHash } from 'crypto';
import * as ort from 'onnxruntime-node';
import { OnnxBertEncoder } from '../../../src/model/onnx/onnxBertEncoder';
import type { TokenStates } from '../../../src/model/types';

const FIX = path.resolve(__dirname, '../../fixtures/onnx');
const TINY = path.join(FIX, 'tiny-bert');
const TINY_INT8 = path.join(FIX, 'tiny-bert-int8');
const TINY_NO_TT = path.join(FIX, 'tiny-bert-no-tt');

const SHORT = 'Quantum entanglement of qubits.';
const LONG = 'We propose a novel deep learning method for the classification of galaxy images, '
  + 'and show that the model improves accuracy on two large benchmark datasets compared with previous work.';

interface Reference {
  input_ids: number[][];
  attention_mask: number[][];
  token_type_ids: number[][] | null;
  shape: number[];
  last_hidden_state: number[];
}

function readReference(dir: string): Reference {
  return JSON.parse(fs.readFileSync(path.join(dir, 'reference.json'), 'utf8')) as Reference;
}

/** States of row b, real tokens only. */
function rowStates(s: TokenStates, b: number, tokens: number): Float32Array {
  const start = b * s.seqLen * s.hidden;
  return s.states.subarray(start, start + tokens * s.hidden);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

function tempCopy(src: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-enc-'));
  for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(dir, f));
  return dir;
}

describe('OnnxBertEncoder', function () {
  let enc: OnnxBertEncoder;
  const temps: string[] = [];

  before(async () => {
    enc = await OnnxBertEncoder.load(TINY, { intraOpThreads: 1 });
  });
  after(async () => {
    await enc.dispose();
    for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
  });

  it('reads hidden size, inputs and a SHA-256 fingerprint of model.onnx', () => {
    assert.equal(enc.kind, 'onnx-bert');
    assert.equal(enc.hiddenSize, 64);
    assert.deepEqual([...enc.inputNames].sort(), ['attention_mask', 'input_ids', 'token_type_ids']);
    const sha = createHash('sha256').update(fs.readFileSync(path.join(TINY, 'model.onnx'))).digest('hex');
    assert.equal(enc.fingerprint, sha);
  });

  it('returns [batch, longest, hidden] states with dynamic padding and a matching mask', async () => {
    const a = enc.tokenize(SHORT, 64);
    const b = enc.tokenize(LONG, 64);
    assert.ok(a.length >= 4 && b.length > a.length, `lengths ${a.length} ${b.length}`);
    const s = await enc.encode([SHORT, LONG], 64);
    assert.equal(s.batch, 2);
    assert.equal(s.seqLen, b.length);
    assert.equal(s.hidden, 64);
    assert.equal(s.states.length, 2 * b.length * 64);
    assert.equal(s.mask.length, 2 * b.length);
    assert.equal(s.mask.slice(0, s.seqLen).reduce((x, y) => x + y, 0), a.length);
    assert.equal(s.mask.slice(s.seqLen).reduce((x, y) => x + y, 0), b.length);
    assert.ok(s.states.every(Number.isFinite));
  });

  it('caps sequences at maxLen (keeping [SEP])', async () => {
    const s = await enc.encode([LONG], 8);
    assert.equal(s.seqLen, 8);
    const t = enc.tokenize(LONG, 8);
    assert.equal(t.length, 8);
    assert.equal(t.ids[7], enc.tokenizer.sepId);
  });

  it('padding does not change the states of real tokens', async () => {
    const alone = await enc.encode([SHORT], 64);
    const inBatch = await enc.encode([LONG, SHORT], 64);
    const n = enc.tokenize(SHORT, 64).length;
    assert.equal(alone.seqLen, n);
    assert.ok(inBatch.seqLen > n);
    const d = maxAbsDiff(rowStates(alone, 0, n), rowStates(inBatch, 1, n));
    assert.ok(d < 1e-4, `max diff ${d}`);
  });

  it('onnxruntime matches the torch reference within 1e-4', async () => {
    const ref = readReference(TINY);
    const [batch, seq] = [ref.input_ids.length, ref.input_ids[0].length];
    const t = (rows: number[][]) => new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [batch, seq]);
    const session = await ort.InferenceSession.create(path.join(TINY, 'model.onnx'));
    try {
      const out = await session.run({ input_ids: t(ref.input_ids), attention_mask: t(ref.attention_mask), token_type_ids: t(ref.token_type_ids!) });
      const y = out.last_hidden_state;
      assert.deepEqual(y.dims, ref.shape);
      const d = maxAbsDiff(y.data as Float32Array, ref.last_hidden_state);
      assert.ok(d < 1e-4, `max diff ${d}`);
    } finally {
      await session.release();
    }
    // The encoder's own feeds (token types all 0, like reference row 0) give the same states.
    const n = ref.attention_mask[0].reduce((x, y) => x + y, 0);
    const s = await enc.encodeTokens([{ ids: Int32Array.from(ref.input_ids[0]), length: n }]);
    const d0 = maxAbsDiff(rowStates(s, 0, n), ref.last_hidden_state.slice(0, n * 64));
    assert.ok(d0 < 1e-4, `encoder vs torch max diff ${d0}`);
  });

  it('runs a model exported without token_type_ids', async () => {
    const e2 = await OnnxBertEncoder.load(TINY_NO_TT, { intraOpThreads: 1 });
    try {
      assert.ok(!e2.inputNames.includes('token_type_ids'));
      assert.equal(e2.hiddenSize, 32);
      const ref = readReference(TINY_NO_TT);
      assert.equal(ref.token_type_ids, null);
      const items = ref.input_ids.map((row, b) => ({ ids: Int32Array.from(row), length: ref.attention_mask[b].reduce((x, y) => x + y, 0) }));
      const s = await e2.encodeTokens(items);
      assert.deepEqual([s.batch, s.seqLen, s.hidden], ref.shape);
      // Compare real tokens only (padding rows are not meaningful).
      for (let b = 0; b < s.batch; b++) {
        const n = items[b].length;
        const start = b * s.seqLen * 32;
        const d = maxAbsDiff(rowStates(s, b, n), ref.last_hidden_state.slice(start, start + n * 32));
        assert.ok(d < 1e-4, `row ${b} max diff ${d}`);
      }
      const t = await e2.encode([SHORT, LONG], 32);
      assert.equal(t.hidden, 32);
    } finally {
      await e2.dispose();
    }
  });

  it('int8 fixture (scripts/onnx/quantize_int8.py) stays within cosine 0.99 of fp32', async () => {
    const q = await OnnxBertEncoder.load(TINY_INT8, { intraOpThreads: 1 });
    try {
      assert.notEqual(q.fingerprint, enc.fingerprint);
      const texts = [SHORT, LONG, 'A survey of convex optimization methods for signal processing.'];
      const a = await enc.encode(texts, 64);
      const b = await q.encode(texts, 64);
      assert.deepEqual([b.batch, b.seqLen, b.hidden], [a.batch, a.seqLen, a.hidden]);
      for (let i = 0; i < texts.length; i++) {
        const n = enc.tokenize(texts[i], 64).length;
        const c = cosine(rowStates(a, i, n), rowStates(b, i, n));
        assert.ok(c >= 0.99, `text ${i}: cosine ${c}`);
      }
    } finally {
      await q.dispose();
    }
  });

  it('gives clear errors for a missing folder, model, tokenizer, and a corrupt model', async () => {
    await assert.rejects(OnnxBertEncoder.load(path.join(FIX, 'does-not-exist')), /folder not found/);
    const noModel = tempCopy(TINY);
    temps.push(noModel);
    fs.unlinkSync(path.join(noModel, 'model.onnx'));
    await assert.rejects(OnnxBertEncoder.load(noModel), /No model\.onnx/);
    const noVocab = tempCopy(TINY);
    temps.push(noVocab);
    fs.unlinkSync(path.join(noVocab, 'vocab.txt'));
    await assert.rejects(OnnxBertEncoder.load(noVocab), /tokenizer/i);
    const corrupt = tempCopy(TINY);
    temps.push(corrupt);
    const bytes = fs.readFileSync(path.join(corrupt, 'model.onnx'));
    fs.writeFileSync(path.join(corrupt, 'model.onnx'), bytes.subarray(0, Math.floor(bytes.length / 3)));
    await assert.rejects(OnnxBertEncoder.load(corrupt), /Cannot load ONNX model .*corrupt/);
    fs.writeFileSync(path.join(corrupt, 'model.onnx'), 'this is not an onnx file');
    await assert.rejects(OnnxBertEncoder.load(corrupt), /Cannot load ONNX model .*corrupt/);
  });

  it('loads an optimum-quantized folder (model_quantized.onnx)', async () => {
    const dir = tempCopy(TINY_INT8);
    temps.push(dir);
    fs.renameSync(path.join(dir, 'model.onnx'), path.join(dir, 'model_quantized.onnx'));
    const q = await OnnxBertEncoder.load(dir, { intraOpThreads: 1 });
    try {
      assert.equal(path.basename(q.modelPath), 'model_quantized.onnx');
      const sha = createHash('sha256').update(fs.readFileSync(path.join(dir, 'model_quantized.onnx'))).digest('hex');
      assert.equal(q.fingerprint, sha);
      assert.equal((await q.encode([SHORT], 16)).hidden, 64);
    } finally {
      await q.dispose();
    }
  });

  it('takes the hidden size from the model when config.json is missing, and rejects a bad config.json', async () => {
    const dir = tempCopy(TINY_NO_TT);
    temps.push(dir);
    fs.unlinkSync(path.join(dir, 'config.json'));
    const e2 = await OnnxBertEncoder.load(dir, { intraOpThreads: 1 });
    try {
      assert.equal(e2.hiddenSize, 32);
      assert.equal((await e2.encode([SHORT], 16)).hidden, 32);
    } finally {
      await e2.dispose();
    }
    fs.writeFileSync(path.join(dir, 'config.json'), '{"hidden_size": 64');
    await assert.rejects(OnnxBertEncoder.load(dir), /config\.json is not valid JSON/);
    fs.writeFileSync(path.join(dir, 'config.json'), '{"hidden_size": 48}');
    await assert.rejects(OnnxBertEncoder.load(dir), /hidden_size 48 disagrees with the model output \(32\)/);
  });

  it('rejects a bad maxLen and use after dispose', async () => {
    const e2 = await OnnxBertEncoder.load(TINY, { intraOpThreads: 1 });
    await assert.rejects(e2.encode([SHORT], 1), RangeError);
    await e2.dispose();
    await assert.rejects(e2.encode([SHORT], 16), /disposed/);
  });
});
