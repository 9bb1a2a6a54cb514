import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { readBundle } from '../../../src/model/bundle';
import { NgramModel } from '../../../src/model/ngram/model';
import { NgramFeaturizer } from '../../../src/model/ngram/featurizer';
import { PaperIndex, majorityPrimary } from '../../../src/model/neighbours/paperIndex';
import { makeVectorizer, ngramLogitDims, paperTokens, RANDOM_PROJECTION } from '../../../src/model/neighbours/paperVector';
import { Rng } from '../../../src/training/random';
import { arxivAbsUrl, isArxivId } from '../../../src/shared/arxivId';
import { INT8DOT_WASM_BASE64 } from '../../../src/model/neighbours/int8dotWasm.generated';
import { Int8DotScanner } from '../../../src/model/neighbours/int8Dot';
import { execFileSync } from 'node:child_process';

const TOPICS: Record<string, string[]> = {
  'cs.CL': ['language', 'translation', 'speech', 'parsing', 'tokens', 'corpus', 'dialogue', 'sentiment', 'summarization', 'lexical'],
  'cs.CV': ['image', 'segmentation', 'pixels', 'detection', 'camera', 'video', 'depth', 'convolutional', 'scene', 'pose'],
  'astro-ph.GA': ['galaxies', 'stellar', 'halo', 'redshift', 'dust', 'spectroscopy', 'milky', 'clusters', 'luminosity', 'star'],
  'math.CO': ['graphs', 'combinatorial', 'permutations', 'vertices', 'coloring', 'enumeration', 'partitions', 'matroid', 'bijection', 'hypergraph'],
};
const FILLER = ['we', 'propose', 'a', 'new', 'method', 'for', 'the', 'study', 'of', 'and', 'show', 'results', 'on'];

function corpus(n: number, seed: number) {
  const rng = new Rng(seed);
  const cats = Object.keys(TOPICS);
  return Array.from({ length: n }, (_, i) => {
    const primary = cats[i % cats.length];
    const words = TOPICS[primary];
    const pick = (k: number, from: string[]) => Array.from({ length: k }, () => from[Math.floor(rng.next() * from.length)]);
    return {
      id: `2101.${String(10000 + i)}`,
      title: pick(5, words).join(' '),
      abstract: Array.from({ length: 30 }, () => (rng.next() < 0.5 ? pick(1, words)[0] : pick(1, FILLER)[0])).join(' '),
      primary,
      categories: [primary, ...(i % 3 === 0 ? ['stat.ML'] : [])],
    };
  });
}

describe('papers like yours: the index', function () {
  const papers = corpus(80, 7);

  it("a training paper's nearest neighbours include itself (shipped n-gram projection)", function () {
    const b = readBundle(path.join(__dirname, '../../../models/default'));
    const ng = NgramModel.deserialize(JSON.parse(b.file('ngram.json').toString('utf8')), b.file('ngram.bin'));
    const spec = { kind: 'ngram-logits' as const, dims: ngramLogitDims(ng) };
    const vec = makeVectorizer(spec, ng.featurizer, ng);
    const index = PaperIndex.build(vec, papers, spec);
    for (const p of papers) {
      const ns = index.nearestTo(vec, p, 5);
      assert.equal(ns.length, 5);
      assert.ok(ns.some((n) => n.id === p.id), `${p.id} is not among its own 5 nearest`);
      assert.ok(ns[0].similarity >= 0.98, `best similarity ${ns[0].similarity}`);
      for (let i = 1; i < ns.length; i++) assert.ok(ns[i - 1].similarity >= ns[i].similarity, 'sorted by similarity');
    }
  });

  it('finds itself first and the right topic with a fitted featurizer (random projection), and survives a file round trip', function () {
    const featurizer = NgramFeaturizer.fit(papers.map(paperTokens), { maxFeatures: 5000, minDf: 1, ngramMax: 2 });
    const vec = makeVectorizer(RANDOM_PROJECTION, featurizer);
    const built = PaperIndex.build(vec, papers, RANDOM_PROJECTION, featurizer);
    const files = built.files();
    const index = PaperIndex.load(files.json, files.bin);
    assert.equal(index.size, papers.length);
    assert.ok(index.json.featurizer, 'own featurizer stored');
    let majorityRight = 0;
    for (const p of papers) {
      const ns = index.nearestTo(vec, p, 5);
      assert.equal(ns[0].id, p.id);
      if (majorityPrimary(ns) === p.primary) majorityRight++;
    }
    assert.ok(majorityRight >= 0.9 * papers.length, `majority primary right for ${majorityRight}/${papers.length}`);
    const q = index.paper(0);
    assert.deepEqual(q.crosslists, ['stat.ML']);
    assert.equal(index.primaryCounts().get('cs.CL'), 20);
  });

  it('refuses corrupt index files and empty queries give no neighbours', function () {
    const featurizer = NgramFeaturizer.fit(papers.map(paperTokens), { maxFeatures: 500, minDf: 1, ngramMax: 1 });
    const vec = makeVectorizer(RANDOM_PROJECTION, featurizer);
    const files = PaperIndex.build(vec, papers.slice(0, 10), RANDOM_PROJECTION).files();
    assert.throws(() => PaperIndex.load(files.json, files.bin.subarray(0, 100)), /bytes, expected/);
    assert.throws(() => PaperIndex.load(JSON.stringify({ format: 'x' }), files.bin), /not a paper index/);
    const index = PaperIndex.load(files.json, files.bin);
    assert.deepEqual(index.nearestTo(vec, { title: 'zzzz qqqq', abstract: '' }, 5), []);
  });

  it('opens only real arXiv ids', function () {
    for (const id of ['2101.01234', '2101.01234v3', '0704.0002', 'hep-th/9901001', 'math.GT/0309136']) assert.ok(isArxivId(id), id);
    for (const id of ['', 'javascript:alert(1)', '../../etc/passwd', '2101.01234?x=1', 'https://evil.example/2101.01234', '2101.01234 ', 42, null]) assert.ok(!isArxivId(id), String(id));
    assert.equal(arxivAbsUrl('2101.01234'), 'https://arxiv.org/abs/2101.01234');
    assert.equal(arxivAbsUrl('2101.01234/../x'), undefined);
  });
});

describe('papers like yours: int8 dot kernel', function () {
  it('WebAssembly SIMD and JS give the same dot products (odd dims, padding)', function () {
    const rng = new Rng(5);
    for (const d of [1, 16, 118, 130]) {
      const n = 257;
      const rows = Int8Array.from({ length: n * d }, () => Math.floor(rng.next() * 255) - 127);
      const q = Int8Array.from({ length: d }, () => Math.floor(rng.next() * 255) - 127);
      const wasm = new Int8DotScanner(rows, n, d);
      const js = new Int8DotScanner(rows, n, d, false);
      assert.ok(wasm.usesWasm, 'this Node has WebAssembly SIMD');
      assert.ok(!js.usesWasm);
      const a = wasm.scan(q), b = js.scan(q);
      assert.deepEqual(Array.from(a), Array.from(b));
      let manual = 0;
      for (let t = 0; t < d; t++) manual += q[t] * rows[5 * d + t];
      assert.equal(a[5], manual);
    }
  });

  it('the committed kernel is the compiled int8dot.wat', function () {
    const fresh = execFileSync(process.execPath, [path.join(__dirname, '../../../scripts/build-wasm.mjs'), '--print-base64', 'int8dot'], { encoding: 'utf8' }).trim();
    assert.equal(INT8DOT_WASM_BASE64, fresh);
  });
});
