import { strict as assert } from 'node:assert';
import { displayText, renderMath } from '../../../src/draft/displayText';
import { extractDraft } from '../../../src/draft/extract';

describe('draft extraction: display text (Unicode) beside the model text', () => {
  it('math spans become readable Unicode: fonts, scripts, symbols, ranges', () => {
    assert.equal(displayText('Observation of $\\mathrm{CP}$-odd effects'), 'Observation of CP-odd effects');
    assert.equal(displayText('masses of $10^2-10^6\\ M_\\odot$ black holes'), 'masses of 10²–10⁶ M⊙ black holes');
    assert.equal(displayText('with $\\alpha \\leq 0.3$ and $\\beta \\geq 2$'), 'with α ≤ 0.3 and β ≥ 2');
    assert.equal(displayText('$\\mathcal{O}(n \\log n)$ cost in $\\mathbb{R}^n$'), 'O(n log n) cost in ℝⁿ');
    assert.equal(displayText('H$_2$O, $\\frac{1}{2}$, $\\sqrt{x+1}$, $\\mu$m, $E=mc^2$, $x - y$'), 'H₂O, 1/2, √(x+1), μm, E=mc², x − y');
  });

  it('prose and things that are not math are left as they are', () => {
    assert.equal(displayText('Plain title, no math'), 'Plain title, no math');
    assert.equal(displayText('costs $5 and $10'), 'costs $5 and $10');
    assert.equal(displayText('a lone $ sign'), 'a lone $ sign');
  });

  it('deep or broken math never throws and stays bounded', () => {
    assert.equal(typeof renderMath('{'.repeat(5000) + 'x'), 'string');
    assert.equal(typeof displayText('$\\frac{' + '\\sqrt{'.repeat(2000) + '$'), 'string');
    assert.equal(renderMath('x^'), 'x');
  });

  it('extractDraft: title/abstract stay the model text; titleDisplay/abstractDisplay are the readable form', () => {
    const text =
      '\\title{Observation of $\\mathrm{CP}$-odd Effects}\n\\begin{abstract}Black holes of $10^2-10^6\\ M_\\odot$ with $\\alpha \\leq 0.3$.\\end{abstract}\n';
    const draft = extractDraft(text, { fileName: 'cp.tex' });
    assert.equal(draft.title, 'Observation of $\\mathrm{CP}$-odd Effects');
    assert.equal(draft.titleDisplay, 'Observation of CP-odd Effects');
    assert.equal(draft.abstract, 'Black holes of $10^2-10^6\\ M_\\odot$ with $\\alpha \\leq 0.3$.');
    assert.equal(draft.abstractDisplay, 'Black holes of 10²–10⁶ M⊙ with α ≤ 0.3.');
    const md = extractDraft("---\ntitle: 'Bounds on $\\theta_{13}$'\nabstract: 'We show $a \\to b$.'\n---\n", { fileName: 'x.md' });
    assert.equal(md.title, 'Bounds on $\\theta_{13}$');
    assert.equal(md.titleDisplay, 'Bounds on θ₁₃');
    assert.equal(md.abstractDisplay, 'We show a → b.');
  });
});
