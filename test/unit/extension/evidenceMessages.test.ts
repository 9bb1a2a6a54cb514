import { strict as assert } from 'node:assert';
import { parseSidebarMessage } from '../../../src/webview/messages';
import { evidenceAt, evidenceSentence, evidenceSides, type EvidenceItem } from '../../../src/shared/evidence';

describe('sidebar revealEvidence message validation', () => {
  it('accepts a term and an occurrence index', () => {
    assert.deepEqual(parseSidebarMessage({ type: 'revealEvidence', term: 'speech translation', occurrence: 0 }), { type: 'revealEvidence', term: 'speech translation', occurrence: 0 });
  });
  it('rejects missing, empty, over-long or non-string terms and bad occurrences', () => {
    for (const bad of [
      { type: 'revealEvidence', term: '', occurrence: 0 },
      { type: 'revealEvidence', term: 'x'.repeat(201), occurrence: 0 },
      { type: 'revealEvidence', term: 3, occurrence: 0 },
      { type: 'revealEvidence', term: 'a', occurrence: -1 },
      { type: 'revealEvidence', term: 'a', occurrence: 1.5 },
      { type: 'revealEvidence', term: 'a', occurrence: '0' },
      { type: 'revealEvidence', term: 'a' },
    ]) assert.equal(parseSidebarMessage(bad), undefined, JSON.stringify(bad).slice(0, 80));
  });
});

describe('evidence sentences', () => {
  const r = (line: number, a: number, b: number) => ({ file: '/d.tex', start: { line, character: a }, end: { line, character: b } });
  const items: EvidenceItem[] = [
    { term: 'speech translation', weight: 0.9, ngram: 0.9, crossAttention: 0, ranges: [r(3, 10, 28)] },
    { term: 'speech', weight: 0.5, ngram: 0.2, crossAttention: 0.3, ranges: [r(3, 10, 16)] },
    { term: 'gradient', weight: -0.4, ngram: -0.4, crossAttention: 0, ranges: [r(4, 0, 8)] },
  ];
  const e = { top: 'cs.CL', runnerUp: 'cs.LG', items };

  it('says what a term pulls toward and against, with its rank on its side', () => {
    assert.equal(evidenceSentence(e, items[0]), "'speech translation': strongest evidence for cs.CL; against cs.LG (+0.90 log-odds)");
    assert.equal(evidenceSentence(e, items[1]), "'speech': 2nd strongest evidence for cs.CL; against cs.LG (+0.50 log-odds)");
    assert.equal(evidenceSentence(e, items[2]), "'gradient': strongest evidence for cs.LG; against cs.CL (−0.40 log-odds)");
  });
  it('splits sides and finds the strongest item under a position', () => {
    const s = evidenceSides(e, 1);
    assert.deepEqual([s.forTop.map((i) => i.term), s.forRunnerUp.map((i) => i.term)], [['speech translation'], ['gradient']]);
    assert.equal(evidenceAt(e, () => true, { line: 3, character: 12 })?.item.term, 'speech translation');
    assert.equal(evidenceAt(e, () => true, { line: 3, character: 28 }), undefined);
    assert.equal(evidenceAt(e, () => false, { line: 3, character: 12 }), undefined);
  });
});
