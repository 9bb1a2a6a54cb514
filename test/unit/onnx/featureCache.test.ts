import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn } from 'child_process';
import { encodePapers, encodePapersToArray, FeatureCache, padBatch, type FeatureEncoder } from '../../../src/training/onnx/featureCache';
import { decodeStates, encodeStates, floatToHalf, halfToFloat } from '../../../src/training/onnx/stateCodec';
import { OnnxBertEncoder } from '../../../src/model/onnx/onnxBertEncoder';
import type { EncodedText, PaperText, TokenStates } from '../../../src/model/types';

/** Deterministic stand-in encoder: counts how many texts it really encodes. */
class FakeEncoder implements FeatureEncoder {
  readonly hiddenSize = 24;
  encodedTexts = 0;
  constructor(readonly fingerprint: string) {}
  tokenize(text: string, maxLen: number): EncodedText {
    const words = text.toLowerCase().split(/\s+/).filter(Boolean).slice(0, maxLen - 2);
    const ids = new Int32Array(maxLen);
    ids[0] = 2;
    words.forEach((w, i) => { ids[i + 1] = 5 + ([...w].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 9973, 7)); });
    ids[words.length + 1] = 3;
    return { ids, length: words.length + 2 };
  }
  async encodeTokens(items: EncodedText[]): Promise<TokenStates> {
    this.encodedTexts += items.length;
    const seqLen = Math.max(...items.map((x) => x.length));
    const h = this.hiddenSize;
    const states = new Float32Array(items.length * seqLen * h);
    const mask = new Uint8Array(items.length * seqLen);
    items.forEach((it, b) => {
      for (let t = 0; t < it.length; t++) {
        mask[b * seqLen + t] = 1;
        // A few large channels, like BERT's outlier dimensions.
        for (let c = 0; c < h; c++) states[(b * seqLen + t) * h + c] = Math.sin(it.ids[t] * 0.1 + c * 0.37 + t * 0.01) * (c % 7 === 0 ? 8 : 1);
      }
    });
    return { batch: items.length, seqLen, hidden: h, states, mask };
  }
}

const FP_A = 'a'.repeat(64);
const FP_B = 'b'.repeat(64);

function papers(n: number): PaperText[] {
  return Array.from({ length: n }, (_, i) => ({
    title: `Paper number ${i} on spin chains`,
    abstract: `We study model ${i} ` + 'and its phase transitions in two dimensions '.repeat(1 + (i % 4)),
  }));
}

function relErr(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += a[i] ** 2;
  }
  return Math.sqrt(num / den);
}

function shardFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.tsc') && !f.startsWith('.')).map((f) => path.join(dir, f));
}

describe('stateCodec', () => {
  it('converts float16 exactly for representable values and rounds to nearest', () => {
    assert.equal(floatToHalf(1), 0x3c00);
    assert.equal(floatToHalf(-2), 0xc000);
    assert.equal(floatToHalf(65504), 0x7bff);
    assert.equal(floatToHalf(1e6), 0x7c00); // overflow -> Inf
    assert.equal(floatToHalf(2 ** -24), 0x0001); // smallest subnormal
    assert.equal(floatToHalf(1 + 2 ** -11), 0x3c00); // tie -> even
    assert.equal(floatToHalf(1 + 3 * 2 ** -11), 0x3c02);
    for (const v of [0.1, -3.75, 1234.5, 6.1e-5, 1e-7]) assert.ok(Math.abs(halfToFloat(floatToHalf(v)) - v) <= Math.abs(v) * 2 ** -11 + 2 ** -25, `${v}`);
  });

  it('round-trips states in f16 and int8 with small error', () => {
    const tokens = 7;
    const hidden = 16;
    const x = Float32Array.from({ length: tokens * hidden }, (_, i) => Math.sin(i * 1.3) * (i % 16 === 3 ? 10 : 1));
    const f16 = decodeStates(encodeStates(x, tokens, hidden, 'f16'), tokens, hidden, 'f16');
    assert.ok(relErr(x, f16) < 1e-3);
    const q = encodeStates(x, tokens, hidden, 'int8');
    assert.equal(q.length, hidden * 4 + tokens * hidden);
    const i8 = decodeStates(q, tokens, hidden, 'int8');
    assert.ok(relErr(x, i8) < 0.01, `int8 rel err ${relErr(x, i8)}`);
    assert.throws(() => decodeStates(q.subarray(1), tokens, hidden, 'int8'), RangeError);
  });
});

describe('FeatureCache / encodePapers', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'feat-cache-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  for (const format of ['f16', 'int8'] as const) {
    it(`computes once, then serves hits (${format}); stores real tokens only`, async () => {
      const enc = new FakeEncoder(FP_A);
      const ps = papers(10);
      const progress: number[] = [];
      const first = await encodePapersToArray(enc, ps, root, { titleLen: 8, abstractLen: 40, batchSize: 4, format, onProgress: (p) => progress.push(p.done) });
      assert.equal(enc.encodedTexts, 20);
      assert.deepEqual(progress, [4, 8, 10]);
      const second: typeof first = [];
      let last = { cachedTexts: -1, computedTexts: -1 };
      for await (const f of encodePapers(enc, ps, root, { titleLen: 8, abstractLen: 40, batchSize: 4, format, onProgress: (p) => { last = p; } })) second.push(f);
      assert.equal(enc.encodedTexts, 20, 'second run must not encode');
      assert.equal(last.cachedTexts, 20);
      assert.equal(last.computedTexts, 0);
      for (let i = 0; i < ps.length; i++) {
        const t = enc.tokenize(ps[i].abstract, 40);
        assert.equal(first[i].abstractTokens, t.length);
        assert.equal(first[i].abstract.length, t.length * 24);
        assert.deepEqual(second[i].abstract, first[i].abstract);
        assert.deepEqual(second[i].title, first[i].title);
        const exact = (await enc.encodeTokens([t])).states;
        assert.ok(relErr(exact, first[i].abstract) < (format === 'f16' ? 1e-3 : 0.01));
      }
      const cache = await FeatureCache.open(root, FP_A, 24);
      const s = cache.stats();
      assert.equal(s.entries, 20);
      assert.equal(s.ignoredShards, 0);
      const payload = first.reduce((n, f) => n + (format === 'f16' ? 2 * 24 * (f.titleTokens + f.abstractTokens) : 24 * (f.titleTokens + f.abstractTokens) + 2 * 24 * 4), 0);
      assert.ok(s.bytesOnDisk >= payload && s.bytesOnDisk < payload + 20 * 200, `${s.bytesOnDisk} vs payload ${payload}`);
      await cache.close();
    });
  }

  it('keys change with the text and the model; unchanged texts still hit', async () => {
    const enc = new FakeEncoder(FP_A);
    const ps = papers(4);
    await encodePapersToArray(enc, ps, root);
    assert.equal(enc.encodedTexts, 8);
    const changed = ps.map((p, i) => (i === 2 ? { ...p, abstract: p.abstract + ' with disorder' } : p));
    await encodePapersToArray(enc, changed, root);
    assert.equal(enc.encodedTexts, 9, 'only the changed abstract is recomputed');
    const t = enc.tokenize('same text', 32);
    assert.notEqual(FeatureCache.key(FP_A, 'same text', t), FeatureCache.key(FP_B, 'same text', t));
    assert.notEqual(FeatureCache.key(FP_A, 'same text', t), FeatureCache.key(FP_A, 'same text!', t));
    assert.notEqual(FeatureCache.key(FP_A, 'same text', t), FeatureCache.key(FP_A, 'same text', enc.tokenize('other text', 32)));
    const other = new FakeEncoder(FP_B);
    await encodePapersToArray(other, ps, root);
    assert.equal(other.encodedTexts, 8, 'another model never reuses entries');
  });

  it('ignores a truncated shard and a leftover temp file, and recomputes', async () => {
    const enc = new FakeEncoder(FP_A);
    const ps = papers(6);
    const good = await encodePapersToArray(enc, ps, root, { format: 'f16' });
    const dir = path.join(root, FP_A.slice(0, 16));
    const [shard] = shardFiles(dir);
    const size = fs.statSync(shard).size;
    fs.truncateSync(shard, size - 100); // as if the copy / disk write was cut off
    fs.writeFileSync(path.join(dir, '.tmp-shard-zz-1-0.tsc'), Buffer.alloc(50)); // killed before rename
    const cache = await FeatureCache.open(root, FP_A, 24, { format: 'f16' });
    assert.equal(cache.stats().entries, 0);
    assert.equal(cache.stats().ignoredShards, 1);
    await cache.close();
    const again = await encodePapersToArray(enc, ps, root, { format: 'f16' });
    assert.equal(enc.encodedTexts, 24);
    assert.deepEqual(again[5].abstract, good[5].abstract);
  });

  it('treats an entry with damaged bytes as a miss (CRC)', async () => {
    const enc = new FakeEncoder(FP_A);
    const ps = papers(2);
    await encodePapersToArray(enc, ps, root, { format: 'int8' });
    const [shard] = shardFiles(path.join(root, FP_A.slice(0, 16)));
    const bytes = fs.readFileSync(shard);
    bytes[bytes.length - 5] ^= 0xff; // inside the last entry's payload
    fs.writeFileSync(shard, bytes);
    let last = { cachedTexts: 0, computedTexts: 0 };
    await encodePapersToArray(enc, ps, root, { format: 'int8', onProgress: (p) => { last = p; } });
    assert.equal(last.computedTexts, 1);
    assert.equal(last.cachedTexts, 3);
  });

  it('survives a run killed mid-way: completed shards are kept', async () => {
    const enc = new FakeEncoder(FP_A);
    const ps = papers(12);
    // Tiny shards: every few entries are written; stop consuming after 5 papers (like a kill).
    const cache = await FeatureCache.open(root, FP_A, 24, { shardBytes: 1 });
    for (let i = 0; i < 5; i++) {
      const t = enc.tokenize(ps[i].title, 32);
      await cache.put(FeatureCache.key(FP_A, ps[i].title, t), (await enc.encodeTokens([t])).states, t.length);
    }
    // No close(): buffered data would be lost, written shards must be readable.
    enc.encodedTexts = 0;
    await encodePapersToArray(enc, ps, root, { titleLen: 32 });
    assert.equal(enc.encodedTexts, 24 - 5);
  });

  it('a writer killed with SIGKILL leaves only readable shards', async function () {
    this.timeout(30000);
    const fp = 'c'.repeat(64);
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'helpers', 'cacheWriterChild.ts'), root, fp], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(); });
      child.on('exit', (code) => reject(new Error(`writer exited early (${code})`)));
    });
    await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 300))); // kill at a random point
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    const cache = await FeatureCache.open(root, fp, 32, { format: 'f16' });
    const st = cache.stats();
    assert.equal(st.ignoredShards, 0, 'atomic renames leave no partial shard');
    assert.ok(st.entries >= 20, `entries ${st.entries}`);
    // Every indexed entry decodes to what the writer stored (within f16 precision).
    let checked = 0;
    for (let i = 0; i < st.entries + 100; i++) {
      const got = cache.get(`k${i}`);
      if (!got) continue;
      const want = Float32Array.from({ length: got.tokens * 32 }, (_, j) => Math.sin(i + j * 0.01));
      assert.equal(got.tokens, 5 + (i % 50));
      assert.ok(relErr(want, got.states) < 1e-3);
      checked++;
    }
    assert.equal(checked, st.entries);
    assert.equal(cache.stats().corruptEntries, 0);
    await cache.close();
  });

  it('padBatch packs texts into a zero-padded batch with a mask', () => {
    const a = Float32Array.from({ length: 3 * 2 }, (_, i) => i + 1);
    const b = Float32Array.from({ length: 5 * 2 }, (_, i) => -(i + 1));
    const out = padBatch([{ states: a, tokens: 3 }, { states: b, tokens: 5 }], 2, 4);
    assert.deepEqual([out.batch, out.seqLen, out.hidden], [2, 4, 2]);
    assert.deepEqual([...out.mask], [1, 1, 1, 0, 1, 1, 1, 1]);
    assert.deepEqual([...out.states.subarray(0, 8)], [1, 2, 3, 4, 5, 6, 0, 0]);
    assert.deepEqual([...out.states.subarray(8)], [-1, -2, -3, -4, -5, -6, -7, -8]);
  });

  it('works with the real ONNX encoder (tiny fixture)', async () => {
    const enc = await OnnxBertEncoder.load(path.resolve(__dirname, '../../fixtures/onnx/tiny-bert'), { intraOpThreads: 1 });
    try {
      const ps = papers(3);
      const feats = await encodePapersToArray(enc, ps, root, { titleLen: 16, abstractLen: 64, format: 'f16' });
      const direct = await enc.encode([ps[1].abstract], 64);
      assert.equal(feats[1].abstractTokens, direct.seqLen);
      assert.equal(feats[1].hidden, 64);
      assert.ok(relErr(direct.states, feats[1].abstract) < 1e-3);
    } finally {
      await enc.dispose();
    }
  });
});
