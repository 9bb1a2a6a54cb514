import { strict as assert } from 'node:assert';
import type { LabeledPaper } from '../../../src/model/types';
import { Rng } from '../../../src/training/random';
import { deriveDomainTerms } from '../../../src/training/augment/domainTerms';
import { EdaAugmenter, edaText } from '../../../src/training/augment/eda';
import { SynonymAugmenter, replaceSynonyms } from '../../../src/training/augment/synonyms';
import { STOP_WORDS, tokenize } from '../../../src/training/augment/tokens';
import { getWordNet } from '../../../src/training/augment/wordnet';
import { containsInOrder, protectedSpans, realPapers, WRITTEN } from './helpers';

describe('augment/wordnet, synonyms and EDA', function () {
  let papers: LabeledPaper[] = WRITTEN;

  before(async () => {
    const real = await realPapers(60);
    if (real) papers = [...WRITTEN, ...real];
    getWordNet(); // load once here so its time is not charged to the first test
  });

  it('WordNet gives frequent-sense synonyms and handles plurals', () => {
    const wn = getWordNet();
    assert.ok(wn.size > 30_000, `only ${wn.size} lemmas`);
    assert.ok(wn.synonyms('improve').includes('better'));
    assert.ok(wn.synonymsOfForm('networks').includes('webs'));
    assert.deepEqual([...wn.synonyms('zzzz')], []);
    assert.ok(wn.stats.loadMs > 0);
  });

  for (const make of [
    () => new SynonymAugmenter({ rate: 0.2 }),
    () => new EdaAugmenter({ swap: 0.1, delete: 0.1, insert: 0.1 }),
  ]) {
    const name = make().name;

    it(`${name}: same seed gives the same copies, another seed differs`, async () => {
      const a = await make().augment(papers, { seed: 7 });
      const b = await make().augment(papers, { seed: 7 });
      const c = await make().augment(papers, { seed: 8 });
      assert.deepEqual(a, b);
      assert.notDeepEqual(a.map((p) => p.abstract), c.map((p) => p.abstract));
    });

    it(`${name}: labels, categories and date kept; ids suffixed and unique; text changed`, async () => {
      const input = [...papers, papers[0]]; // the same paper twice -> two different copies
      const out = await make().augment(input, { seed: 1 });
      assert.equal(out.length, input.length);
      const tag = name === 'synonyms' ? 'syn' : 'eda';
      out.forEach((p, i) => {
        assert.equal(p.primary, input[i].primary);
        assert.deepEqual(p.categories, input[i].categories);
        assert.equal(p.date, input[i].date);
        assert.ok(p.id.startsWith(`${input[i].id}#${tag}`), p.id);
      });
      assert.equal(new Set(out.map((p) => p.id)).size, out.length);
      assert.equal(out[out.length - 1].id, `${papers[0].id}#${tag}2`);
      assert.notEqual(out[0].abstract, out[out.length - 1].abstract);
      const changed = out.filter((p, i) => p.abstract !== input[i].abstract).length;
      assert.ok(changed >= out.length * 0.9, `only ${changed}/${out.length} abstracts changed`);
    });

    it(`${name}: protected spans and domain terms are never changed or reordered`, async () => {
      const terms = new Set(['lattice', 'primes', 'sieve', 'memory']);
      const aug = name === 'synonyms' ? new SynonymAugmenter({ rate: 0.5, terms }) : new EdaAugmenter({ swap: 0.3, delete: 0.3, insert: 0.3, terms });
      const out = await aug.augment(papers, { seed: 3 });
      let spans = 0;
      out.forEach((p, i) => {
        const want = protectedSpans(papers[i].abstract, terms);
        spans += want.length;
        assert.ok(containsInOrder(p.abstract, want), `protected spans of ${papers[i].id} changed:\n${p.abstract}`);
      });
      assert.ok(spans > 20);
    });
  }

  it('synonyms: only replaceable words change, one word for one word (stop words, capitals, terms kept)', () => {
    const wn = getWordNet();
    const terms = new Set(['lattice']);
    for (const p of papers) {
      const out = replaceSynonyms(p.abstract, new Rng(5), { rate: 0.5, terms, wordnet: wn });
      const a = tokenize(p.abstract, { terms });
      const b = tokenize(out, { terms });
      assert.equal(b.length, a.length, `token count changed for ${p.id}`);
      a.forEach((t, i) => {
        const replaceable = t.kind === 'word' && /^[a-z]+(?:-[a-z]+)*$/.test(t.text) && t.text.length >= 3 && !STOP_WORDS.has(t.text) && !terms.has(t.text);
        if (!replaceable) assert.equal(b[i].text, t.text, `${p.id}: "${t.text}" (${t.kind}) must not change`);
      });
    }
  });

  it('synonyms keep case in Title Case titles', () => {
    const out = replaceSynonyms('Efficient Methods for Large Networks', new Rng(1), { rate: 1, wordnet: getWordNet() });
    for (const w of out.split(' ')) assert.match(w, /^[A-Z]|^for$/, out);
    assert.notEqual(out, 'Efficient Methods for Large Networks');
  });

  it('EDA rates of zero leave the text as it is; deletion always keeps a word', () => {
    const wn = getWordNet();
    const t = papers[0].abstract;
    assert.equal(edaText(t, new Rng(1), { swap: 0, delete: 0, insert: 0, wordnet: wn }), t);
    const short = edaText('Hello world', new Rng(1), { swap: 0, delete: 1, insert: 0, wordnet: wn });
    assert.ok(/\w/.test(short) && short.split(' ').length === 1, short);
  });

  it('malformed rows (missing/empty/odd fields, binary junk, huge text) never crash', async () => {
    const bad = [
      { id: 'b1', title: undefined, abstract: null, primary: 'cs.LG', categories: undefined },
      { id: 'b2', title: '', abstract: '', primary: 'cs.LG', categories: ['cs.LG'] },
      { id: 'b3', title: '$$$ \\\\ {{{', abstract: '\u0000\u0001\ufffd\ufffd binary \u0007 junk $x', primary: 'cs.LG', categories: ['cs.LG'] },
      { id: 'b4', title: 'T', abstract: 'word '.repeat(50_000), primary: 'cs.LG', categories: ['cs.LG'] },
    ] as unknown as LabeledPaper[];
    for (const aug of [new SynonymAugmenter(), new EdaAugmenter()]) {
      const out = await aug.augment(bad, { seed: 1 });
      assert.equal(out.length, bad.length);
      assert.equal(out[0].abstract, '');
      assert.deepEqual(out[0].categories, ['cs.LG']);
      assert.equal(typeof out[2].abstract, 'string');
    }
  });

  it('rejects bad rates with a clear message', () => {
    assert.throws(() => new SynonymAugmenter({ rate: 2 }), /rate must be in \[0, 1\]/);
    assert.throws(() => new EdaAugmenter({ swap: -1 }), /swap rate/);
  });

  it('abort signal stops augmentation with an AbortError', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(new SynonymAugmenter().augment(papers, { seed: 1, signal: ac.signal }), { name: 'AbortError' });
  });

  it('deriveDomainTerms finds class-specific words and skips common ones', () => {
    const mk = (id: string, primary: string, abstract: string): LabeledPaper => ({ id, title: '', abstract, primary, categories: [primary] });
    const train: LabeledPaper[] = [];
    for (let i = 0; i < 10; i++) {
      train.push(mk(`a${i}`, 'hep-th', `string theory compactification gives results ${i}`));
      train.push(mk(`b${i}`, 'cs.LG', `neural network training gives results ${i}`));
    }
    const terms = deriveDomainTerms(train, { minPapers: 5 });
    for (const w of ['string', 'compactification', 'neural', 'training']) assert.ok(terms.has(w), w);
    assert.ok(!terms.has('gives'), 'a word in every class is not a domain term');
  });
});
