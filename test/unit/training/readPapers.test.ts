import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPapers } from '../../../src/training/data/readPapers';
import { splitOf, splitPapers, idFraction } from '../../../src/training/data/split';
import { buildLabelSet, primaryIndex, multiHot } from '../../../src/training/labels';
import type { LabeledPaper } from '../../../src/model/types';

const dir = mkdtempSync(join(tmpdir(), 'read-papers-'));
const good = (id: string, primary = 'cs.CL', cats = [primary]) => JSON.stringify({ id, title: `Title ${id}`, abstract: `Abstract of ${id}.`, primary, categories: cats, date: '2025-01-02' });

describe('readPapers', () => {
  it('reads JSONL and skips bad rows with counted reasons', async () => {
    const f = join(dir, 'mixed.jsonl');
    writeFileSync(f, [
      good('1'),
      '{not json',
      '[1,2]',
      JSON.stringify({ id: '2', title: 'No abstract', primary: 'cs.CL' }),
      JSON.stringify({ id: '3', title: 'T', abstract: 'A', primary: 'Computer Vision' }),
      good('1'), // duplicate id
      '',
      good('4', 'cs.CV', ['cs.CV', 'cs.AI', '68T45']),
    ].join('\n'));
    const { papers, report } = await readPapers(f);
    assert.deepEqual(papers.map((p) => p.id), ['1', '4']);
    assert.deepEqual(papers[1].categories, ['cs.CV', 'cs.AI'], 'MSC codes are dropped from the category list');
    assert.equal(report.read, 2);
    assert.equal(report.skipped, 5);
    assert.deepEqual(report.reasons, { 'invalid JSON': 1, 'not a JSON object': 1, 'missing abstract': 1, 'category is not an arXiv code': 1, 'duplicate id': 1 });
  });

  it('reads gzip JSONL', async () => {
    const f = join(dir, 'a.jsonl.gz');
    writeFileSync(f, gzipSync(good('7') + '\n' + good('8', 'math.AG') + '\n'));
    const { papers } = await readPapers(f);
    assert.deepEqual(papers.map((p) => p.primary), ['cs.CL', 'math.AG']);
  });

  it("reads the original research's CSV columns, and survives a broken quote", async () => {
    const f = join(dir, 'orig.csv');
    writeFileSync(f, [
      'id,title,abstract,category,all_categories,published',
      '2101.00001,"A title, with comma","An abstract ""quoted"".",cs.AI,"[\'cs.AI\', \'cs.LG\']",2021-01-01T00:00:00Z',
      '2101.00002,Second,Another abstract.,cs.CV,cs.CV cs.RO,2021-01-02',
      '2101.00003,Bad,,cs.CL,cs.CL,2021-01-03',
      '2101.00004,"Unclosed,abstract,cs.CL,cs.CL,2021',
    ].join('\n'));
    const { papers, report } = await readPapers(f);
    assert.equal(papers.length, 2);
    assert.equal(papers[0].title, 'A title, with comma');
    assert.deepEqual(papers[0].categories, ['cs.AI', 'cs.LG']);
    assert.deepEqual(papers[1].categories, ['cs.CV', 'cs.RO']);
    assert.equal(papers[0].date, '2021-01-01');
    assert.equal(report.reasons['missing abstract'], 1);
    assert.equal(report.reasons['inside an unclosed CSV quote'], 1, JSON.stringify(report.reasons));
  });

  it('an unclosed quote in the middle of a CSV: every swallowed row is reported, with the line of the quote', async () => {
    const f = join(dir, 'swallowed.csv');
    writeFileSync(f, ['title,abstract,category', 'A,abs a,cs.AI', '"B,abs b,cs.CL', 'C,abs c,cs.CV', 'D,abs d,cs.LG', 'E,abs e,cs.LG', ''].join('\n'));
    const { papers, report } = await readPapers(f);
    assert.deepEqual(papers.map((p) => p.title), ['A']);
    assert.equal(report.skipped, 4, JSON.stringify(report));
    assert.equal(report.reasons['inside an unclosed CSV quote'], 4);
    assert.match(report.examples[0].reason, /opened on line 3 is never closed: lines 3-6 \(4\) were not read/);
  });

  it('JSONL starting with a UTF-8 byte-order mark keeps its first record', async () => {
    const f = join(dir, 'bom.jsonl');
    writeFileSync(f, '\uFEFF' + [good('b1'), good('b2')].join('\n'));
    const { papers, report } = await readPapers(f);
    assert.deepEqual(papers.map((p) => p.id), ['b1', 'b2']);
    assert.equal(report.skipped, 0);
  });

  it('fails with a clear message for a missing file', async () => {
    await assert.rejects(readPapers(join(dir, 'nope.jsonl')), /Dataset not found/);
  });
});

describe('split and labels', () => {
  it('splits by id hash: deterministic, independent of order, about 10/10/80', () => {
    const ids = Array.from({ length: 20000 }, (_, i) => `2501.${String(i).padStart(5, '0')}`);
    const papers = ids.map((id) => ({ id }) as LabeledPaper);
    const a = splitPapers(papers);
    const b = splitPapers([...papers].reverse());
    assert.deepEqual(new Set(a.test.map((p) => p.id)), new Set(b.test.map((p) => p.id)));
    assert.ok(Math.abs(a.test.length / 20000 - 0.1) < 0.01);
    assert.ok(Math.abs(a.validation.length / 20000 - 0.1) < 0.01);
    assert.equal(splitOf('2501.00001'), splitOf('2501.00001'));
    assert.ok(idFraction('x') >= 0 && idFraction('x') < 1);
  });

  it('folds rare primaries into "other" and builds the cross-list label set', () => {
    const mk = (primary: string, n: number, cats: string[] = [primary]) =>
      Array.from({ length: n }, (_, i) => ({ id: `${primary}-${i}`, title: 't', abstract: 'a', primary, categories: cats }));
    const train = [...mk('cs.CL', 5, ['cs.CL', 'cs.AI']), ...mk('cs.CV', 4), ...mk('math.AG', 1)];
    const ls = buildLabelSet(train, 3, 3);
    assert.deepEqual(ls.primary, ['cs.CL', 'cs.CV', 'other']);
    assert.deepEqual(ls.multi, ['cs.AI', 'cs.CL', 'cs.CV']);
    assert.equal(primaryIndex(ls, 'math.AG'), 2);
    assert.deepEqual(Array.from(multiHot(ls, ['cs.CL', 'cs.AI', 'hep-th'])), [1, 1, 0]);
    const four = buildLabelSet(train, 3, 3, ['cs.CV', 'cs.CL']);
    assert.deepEqual(four.primary, ['cs.CL', 'cs.CV'], 'restricted label sets have no fallback');
    assert.equal(primaryIndex(four, 'math.AG'), -1);
  });
});
