/**
 * Back-translation with the real Apertium (Debian apertium-eng-spa, listed in scripts/apt-packages.txt).
 * When Apertium is missing these tests FAIL (with ApertiumMissingError telling how to install it), unless
 * ARXIV_SKIP_APERTIUM=1 is set, which skips them explicitly.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LabeledPaper } from '../../../src/model/types';
import { ApertiumMissingError, ApertiumProcess, fromStream, parseMode, toStream } from '../../../src/training/augment/apertium';
import { BackTranslationAugmenter, BackTranslator } from '../../../src/training/augment/backtranslation';
import { mask, placeholder, unmask } from '../../../src/training/augment/protect';
import { protectedSpans, realPapers, WRITTEN } from './helpers';

const SKIP = process.env.ARXIV_SKIP_APERTIUM === '1';

describe('augment/backtranslation (Apertium)', function () {
  this.timeout(30_000);
  let cacheDir: string;
  let papers: LabeledPaper[] = WRITTEN;
  const opened: Array<{ close(): void }> = [];

  before(async function () {
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bt-cache-'));
    const real = await realPapers(4);
    if (real) papers = [...WRITTEN.slice(0, 1), ...real];
  });
  after(() => {
    for (const o of opened) o.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  function needsApertium(ctx: Mocha.Context): void {
    if (SKIP) ctx.skip(); // explicit opt-out only; a missing install makes the test fail below
  }

  it('ApertiumMissingError (with install hint) when the tools or modes are not where configured', async () => {
    const noBin = new BackTranslator({ cacheDir, binDir: '/nonexistent/bin', pipelineVersion: 'test-missing' });
    opened.push(noBin);
    await assert.rejects(noBin.roundTrip(['A sentence to translate.']), (e: Error) => {
      assert.ok(e instanceof ApertiumMissingError, `${e.name}: ${e.message}`);
      assert.match(e.message, /sudo apt-get install apertium-eng-spa/);
      return true;
    });
    const noModes = new BackTranslationAugmenter({ cacheDir, modesDir: '/nonexistent/modes' });
    await assert.rejects(noModes.augment(WRITTEN, { seed: 0 }), ApertiumMissingError);
  });

  it('empty texts need no Apertium (no process started)', async () => {
    const aug = new BackTranslationAugmenter({ cacheDir, binDir: '/nonexistent/bin', pipelineVersion: 'empty' });
    const out = await aug.augment([{ id: 'e', title: '', abstract: '  ', primary: 'x', categories: ['x'] }], { seed: 0 });
    assert.deepEqual(out.map((p) => [p.id, p.title, p.abstract]), [['e#bt', '', '  ']]);
    assert.equal(aug.translator.stats.pipelineStarts, 0);
  });

  it('stream escaping round-trips reserved characters and drops superblanks', () => {
    const text = 'a [b] {c} ^d$ e/f <g> h@i \\j #k *l ~m |n';
    assert.equal(fromStream(toStream(text)), text);
    assert.equal(fromStream('[aug7]x \\[y\\] [sb \\] still sb] z'), 'x [y] z');
    assert.ok(!toStream('nul\u0000inside').includes('\u0000'));
  });

  it('parses a mode file into stages with null-flush flags', () => {
    const stages = parseMode("lt-proc 'a b.bin' | apertium-tagger -g $2 'x.prob' | lt-proc $1 'gen.bin' | other-tool");
    assert.deepEqual(stages, [
      { cmd: 'lt-proc', args: ['-z', 'a b.bin'] },
      { cmd: 'apertium-tagger', args: ['-z', '-g', 'x.prob'] },
      { cmd: 'lt-proc', args: ['-z', '-n', 'gen.bin'] },
      { cmd: 'other-tool', args: [] },
    ]);
  });

  it('placeholders survive EN->ES->EN in every position through one long-lived pipeline per direction', async function () {
    needsApertium(this);
    const enEs = new ApertiumProcess('eng-spa');
    const esEn = new ApertiumProcess('spa-eng');
    opened.push(enEs, esEn);
    const texts = [
      `${placeholder(0)} is a model that improves ${placeholder(1)} by a large margin.`,
      `We apply ${placeholder(2)} to the problem of ${placeholder(3)}${placeholder(4)} estimation, see ${placeholder(5)}.`,
      `The energy of the ${placeholder(6)} states scales as ${placeholder(7)}, as shown in ${placeholder(30)} (${placeholder(700)}).`,
      'Text with reserved characters [x] {y} ^ @ / < > \\ # * stays in sync.',
    ];
    const out = await Promise.all(texts.map(async (t) => esEn.translate(await enEs.translate(t))));
    const originals = Array.from({ length: 701 }, (_, i) => `<P${i}>`);
    const used = [0, 1, 2, 3, 4, 5, 6, 7, 30, 700];
    const all = out.join(' ');
    const restored = unmask(all, originals);
    assert.equal(used.filter((i) => restored.lost.includes(i)).length, 0, all);
    assert.match(out[3], /sync/);
  });

  it('back-translates real abstracts: labels kept, text reworded, protected terms restored', async function () {
    needsApertium(this);
    const aug = new BackTranslationAugmenter({ cacheDir });
    opened.push(aug);
    const progress: number[] = [];
    const out = await aug.augment(papers, { seed: 0, onProgress: (d) => progress.push(d) });
    assert.equal(out.length, papers.length);
    let total = 0;
    let present = 0;
    out.forEach((p, i) => {
      assert.equal(p.id, `${papers[i].id}#bt`);
      assert.equal(p.primary, papers[i].primary);
      assert.deepEqual(p.categories, papers[i].categories);
      assert.ok(p.abstract.length > papers[i].abstract.length * 0.6, p.abstract);
      assert.notEqual(p.abstract, papers[i].abstract);
      const spans = protectedSpans(papers[i].abstract);
      total += spans.length;
      present += spans.filter((s) => p.abstract.includes(s)).length;
    });
    assert.ok(total > 10 && present / total >= 0.95, `protected spans present after the round trip: ${present}/${total}`);
    const st = aug.translator.stats;
    assert.equal(st.pipelineStarts, 2);
    assert.ok(st.protectedSpans > 10);
    assert.ok(st.lostSpans / st.protectedSpans <= 0.05, `lost ${st.lostSpans}/${st.protectedSpans}`);
    assert.equal(progress[progress.length - 1], papers.length);
    aug.close();
  });

  it('second run is served from the disk cache and starts no Apertium process', async function () {
    needsApertium(this);
    const first = new BackTranslator({ cacheDir });
    opened.push(first);
    const texts = papers.map((p) => p.abstract);
    const a = await first.roundTrip(texts); // cached by the previous test
    // binDir points nowhere: any pipeline start would fail with ApertiumMissingError
    const second = new BackTranslator({ cacheDir, binDir: '/nonexistent/bin' });
    opened.push(second);
    const t0 = performance.now();
    const b = await second.roundTrip(texts);
    const ms = performance.now() - t0;
    assert.deepEqual(b, a);
    assert.equal(second.stats.pipelineStarts, 0);
    assert.equal(second.stats.cacheHits, texts.length);
    assert.ok(ms < 1000, `warm cache took ${ms} ms`);
  });

  it('abort stops a running back-translation with an AbortError; finished texts stay cached', async function () {
    needsApertium(this);
    const bt = new BackTranslator({ cacheDir, maxInFlight: 1 });
    opened.push(bt);
    const ac = new AbortController();
    const texts = Array.from({ length: 20 }, (_, i) => `Sentence number ${'one two three four five'.split(' ')[i % 5]} about topic ${i}x.`);
    await assert.rejects(
      bt.roundTrip(texts, { signal: ac.signal, onProgress: (d) => d >= 2 && ac.abort() }),
      { name: 'AbortError' },
    );
    assert.ok(bt.stats.translated >= 2 && bt.stats.translated < 20, `translated ${bt.stats.translated}`);
    bt.close();
    // what finished before the abort was written to the cache: no Apertium needed for it now
    const warm = new BackTranslator({ cacheDir, binDir: '/nonexistent/bin' });
    assert.equal((await warm.roundTrip(texts.slice(0, 2))).length, 2);
    assert.equal(warm.stats.cacheHits, 2);
  });

  it('masks before translating (sanity: mask output has no LaTeX left)', () => {
    const m = mask(papers[0].abstract);
    assert.ok(!/\\cite|\$/.test(m.text), m.text);
  });
});
