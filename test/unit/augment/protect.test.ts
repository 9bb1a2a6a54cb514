import { strict as assert } from 'node:assert';
import { isTitleCase, mask, placeholder, segment, unmask } from '../../../src/training/augment/protect';

describe('augment/protect', () => {
  const text =
    'We combine GPT-4, BERT and ResNet in 3D with $x^2 + y^2$ and \\cite{smith, jones}; see Lee et al. ' +
    'and https://example.org/a. Cr$_{1-x}$Mn$_x$Sb films show 90% pH changes in mRNA \\textbf{fast}.';

  it('protects math, LaTeX, citations, acronyms, digits, names, URLs and glued formulas', () => {
    const spans = segment(text).filter((s) => s.protected).map((s) => s.text);
    for (const expected of ['GPT-4', 'BERT', 'ResNet', '$x^2 + y^2$', '\\cite{smith, jones}', 'Lee', 'https://example.org/a', 'Cr$_{1-x}$Mn$_x$Sb', '90%', 'pH', 'mRNA', '\\textbf{fast}']) {
      assert.ok(spans.some((s) => s.includes(expected)), `${expected} should be protected; got ${JSON.stringify(spans)}`);
    }
    // plain words and the sentence-initial "We" are not protected
    assert.ok(!spans.some((s) => /\bcombine\b|\bfilms\b|^We$/.test(s)));
  });

  it('segments join back to the input exactly', () => {
    assert.equal(segment(text).map((s) => s.text).join(''), text);
  });

  it('mask/unmask round-trips and reports lost placeholders', () => {
    const m = mask(text);
    assert.ok(m.originals.length >= 8);
    assert.ok(!/\$|\\cite|GPT-4|BERT/.test(m.text), m.text);
    assert.equal(unmask(m.text, m.originals).text, text);
    const dropped = m.text.replace(placeholder(1), '');
    const u = unmask(dropped, m.originals);
    assert.deepEqual(u.lost, [1]);
    assert.equal(u.restored, m.originals.length - 1);
  });

  it('placeholders glued together or lower-cased still parse', () => {
    const originals = Array.from({ length: 700 }, (_, i) => `<${i}>`);
    const glued = originals.map((_, i) => placeholder(i)).join('');
    assert.equal(unmask(glued, originals).text, originals.join(''));
    assert.equal(unmask(placeholder(30).toLowerCase(), originals).text, '<30>');
  });

  it('caller terms (words and phrases) are protected case-insensitively', () => {
    const terms = new Set(['kagome', 'density matrix']);
    const spans = segment('The Kagome lattice and the density  matrix method.', { terms })
      .filter((s) => s.protected)
      .map((s) => s.text);
    assert.deepEqual(spans, ['Kagome', 'density  matrix']);
  });

  it('detects Title Case so title words are not taken for names', () => {
    assert.ok(isTitleCase('Ground States of Frustrated Magnets'));
    assert.ok(!isTitleCase('We study the ground state of the Heisenberg model on a lattice.'));
    assert.ok(!segment('Ground States of Frustrated Magnets').some((s) => s.protected));
  });
});
