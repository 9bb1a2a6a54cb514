import { strict as assert } from 'node:assert';
import { checkText, PROVISIONAL_WORDS } from '../../../src/model/textCheck';
import { explainOther } from '../../../src/model/otherBucket';
import { computeInsights } from '../../../src/model/insights';
import { otherLine, provisionalLine, setLine } from '../../../src/shared/insightText';
import { statusView } from '../../../src/extension/statusText';
import { insightHoverLines } from '../../../src/server/insightHover';

const ABSTRACT_EN =
  'We study neural machine translation for low-resource languages and show that a simple data augmentation method based on back-translation improves the quality of translations by several BLEU points on four language pairs, while keeping the model small enough to run on a laptop.';
const ABSTRACT_FR =
  "Nous étudions la traduction automatique neuronale pour les langues peu dotées et montrons qu'une méthode simple d'augmentation des données fondée sur la rétro-traduction améliore la qualité des traductions de plusieurs points sur quatre paires de langues.";

describe('text checks: provisional and not English', function () {
  it('marks too little text provisional and says what to write next', function () {
    const t = checkText({ title: 'Speech translation', abstract: '' });
    assert.equal(t.words, 2);
    assert.match(t.provisional!.next, /Write an abstract/);
    assert.match(provisionalLine({ text: t })!, /^Provisional: only 2 words/);
    const short = checkText({ title: 'Speech translation for everyone', abstract: 'We translate speech with a small model.' });
    assert.match(short.provisional!.next, /more words of abstract/);
    assert.equal(checkText({ title: 'Low-resource translation', abstract: ABSTRACT_EN }).provisional, undefined);
    assert.ok(checkText({ title: '', abstract: ABSTRACT_EN }).words >= PROVISIONAL_WORDS);
  });

  it('notes text that is not English and leaves English (with LaTeX math) alone', function () {
    const fr = checkText({ title: 'Traduction automatique', abstract: ABSTRACT_FR });
    assert.equal(fr.language?.code, 'fra');
    assert.match(fr.language!.note, /French/);
    assert.equal(checkText({ title: 'Low-resource translation', abstract: ABSTRACT_EN + ' We bound $\\|x\\|_2 \\le \\epsilon$ for all $x$.' }).language, undefined);
    // too short to tell: no language claim
    assert.equal(checkText({ title: 'Traduction automatique', abstract: '' }).language, undefined);
    // bounded: a huge input is sampled, not scanned whole
    assert.equal(checkText({ title: 'x', abstract: 'Nous étudions la traduction. '.repeat(200000) }).language?.code, 'fra');
  });

  it('status item and hover say provisional / not English', function () {
    const top = { category: 'cs.CL', name: 'Computation and Language', p: 0.6 };
    const prov = { text: checkText({ title: 'Speech translation', abstract: '' }) };
    assert.match(statusView(top, prov).text, /cs\.CL\? provisional/);
    assert.match(statusView(top, prov).tooltip, /Write an abstract/);
    assert.match(insightHoverLines(prov).before.join('\n'), /Provisional/);
    const fr = { text: checkText({ title: 'Traduction automatique', abstract: ABSTRACT_FR }) };
    assert.match(statusView(top, fr).text, /not English/);
    assert.equal(statusView(top, { text: checkText({ title: 'T', abstract: ABSTRACT_EN }) }).text, '$(mortar-board) cs.CL 60%');
  });
});

describe('"other" is not an answer', function () {
  const s = (category: string, p: number) => ({ category, name: category, p });
  const labels = ['astro-ph.GA', 'cs.CL', 'cs.LG', 'other'];

  it('names the likely archive and its top categories when other ranks in the top 3', function () {
    const primary = [s('other', 0.33), s('astro-ph.GA', 0.3), s('cs.LG', 0.2), s('cs.CL', 0.17)];
    const cross = [s('astro-ph.IM', 0.62), s('physics.ins-det', 0.4), s('astro-ph.GA', 0.35), s('cs.LG', 0.2)];
    const counts = new Map([['astro-ph.IM', 40], ['astro-ph.EP', 30], ['astro-ph.GA', 900], ['physics.ins-det', 20]]);
    const o = explainOther(primary, cross, labels, 100, counts)!;
    assert.equal(o.rank, 0);
    assert.equal(o.archive?.code, 'astro-ph');
    assert.deepEqual(o.categories.map((c) => c.category), ['astro-ph.IM']);
    assert.equal(o.trainingPapers, 70);
    const line = otherLine(o)!;
    assert.match(line, /most likely astro-ph \(Astrophysics\)/);
    assert.match(line, /astro-ph\.IM 62%/);
    // the archive of the strongest folded-in category wins (measured better than total mass per archive)
    const other = explainOther(primary, [s('physics.ins-det', 0.5), s('astro-ph.IM', 0.3), s('astro-ph.GA', 0.4)], labels, 100)!;
    assert.equal(other.archive?.code, 'physics');
    assert.deepEqual(other.categories.map((c) => c.category), ['physics.ins-det']);
    assert.match(line, /saw few papers there \(70 training papers/);
  });

  it('says nothing when other is outside the top 3, and admits when no archive stands out', function () {
    const primary = [s('cs.CL', 0.5), s('cs.LG', 0.3), s('astro-ph.GA', 0.15), s('other', 0.05)];
    assert.equal(explainOther(primary, [], labels, 100), undefined);
    const o = explainOther([s('other', 0.5), s('cs.CL', 0.5)], [s('cs.LG', 0.3)], labels, 100)!;
    assert.equal(o.archive, undefined);
    assert.match(otherLine(o)!, /too few papers/);
  });

  it('computeInsights puts the set, the text check and other together', function () {
    const primary = [s('cs.CL', 0.6), s('cs.LG', 0.3), s('other', 0.1)];
    const ins = computeInsights({ title: 'Speech', abstract: ABSTRACT_EN }, primary, [s('q-bio.NC', 0.5)], {
      conformal: { method: 'split-conformal (LAC)', alpha: 0.1, threshold: 0.25, n: 1000, split: 'validation' },
      primaryLabels: labels,
      minPrimary: 100,
      nearest: () => [],
    });
    assert.deepEqual(ins.set!.categories.map((c) => c.category), ['cs.CL', 'cs.LG']);
    assert.equal(setLine(ins), '90% prediction set: cs.CL, or possibly cs.LG');
    assert.equal(ins.other?.archive?.code, 'q-bio');
    assert.deepEqual(ins.neighbours, []);
  });
});
