/**
 * Shapes of real drafts that were read wrong (issue 9). The fixtures are written for these tests, after
 * the patterns seen in papers' sources; none is copied from a paper.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { extractDraft } from '../../../src/draft/extract';

/** A readFile double over an in-memory project. */
function project(files: Record<string, string>): (p: string) => string | undefined {
  return (p) => files[p];
}

describe('draft extraction: real drafts read right (issue 9)', () => {
  describe('the last \\title before \\maketitle wins, as in LaTeX', () => {
    it('a first \\title holding candidate titles is replaced by the second one', () => {
      const text =
        '\\documentclass{article}\n\\title{Option A: Sparse Adapters\\\\\nOption B: Adapters Without Replay\\\\\nOption C: Mixture Adapters}\n' +
        '\\title{Sparse Adapters for Continual Learning}\n\\begin{document}\n\\maketitle\n\\begin{abstract}We adapt.\\end{abstract}\n' +
        '\\title{Not This One}\n\\end{document}\n';
      const draft = extractDraft(text, { fileName: 'two-titles.tex' });
      assert.equal(draft.title, 'Sparse Adapters for Continual Learning');
      assert.equal(draft.titleRange?.start.line, 4);
      assert.equal(draft.abstract, 'We adapt.');
    });

    it('a \\title in the main file after \\input{top_matter} (which sets one too) wins', () => {
      const dir = '/proj';
      const files = {
        [path.join(dir, 'top_matter.tex')]: '\\title{Working Title From The Template}\n\\author{A. Author}\n',
      };
      const main = '\\documentclass{article}\n\\input{top_matter}\n\\title{The Final Title}\n\\begin{document}\n\\maketitle\n\\begin{abstract}Words.\\end{abstract}\n\\end{document}\n';
      const draft = extractDraft(main, { fileName: path.join(dir, 'main.tex'), readFile: project(files) });
      assert.equal(draft.title, 'The Final Title');
      assert.equal(draft.titleRange?.file, path.join(dir, 'main.tex'));
    });

    it('without \\maketitle (elsarticle), the title at \\end{frontmatter} is used; the body\'s first \\section also ends the title', () => {
      const els = '\\begin{frontmatter}\n\\title{Draft Title}\n\\title{Elsevier Title}\n\\begin{abstract}Text.\\end{abstract}\n\\end{frontmatter}\n\\section{Intro}\n\\title{Late}\n';
      assert.equal(extractDraft(els, { fileName: 'els.tex' }).title, 'Elsevier Title');
      const noMake = '\\title{First}\n\\title{Second}\n\\begin{abstract}Text.\\end{abstract}\n\\section{Introduction}\n\\title{Third}\n';
      assert.equal(extractDraft(noMake, { fileName: 'nomake.tex' }).title, 'Second');
    });
  });

  describe('Manubot manuscripts: content/metadata.yaml and content/01.abstract.md', () => {
    const content = '/paper/content';
    const files = {
      [path.join(content, 'metadata.yaml')]:
        '---\nlang: en-US\ntitle: "Sparse Gene Networks From Single-Cell Data"\nkeywords:\n  - genomics\nauthors:\n  - name: A. Author\n',
      [path.join(content, '01.abstract.md')]: '## Abstract {.page_break_before}\n\nWe infer sparse gene regulatory networks from single cells.\n',
      [path.join(content, '02.introduction.md')]: '## Introduction\n\nGene networks matter.\n',
    };
    const read = project(files);

    it('opening the abstract file finds the title in the sibling metadata.yaml', () => {
      const abstractFile = path.join(content, '01.abstract.md');
      const draft = extractDraft(files[abstractFile], { fileName: abstractFile, readFile: read });
      assert.equal(draft.title, 'Sparse Gene Networks From Single-Cell Data');
      assert.equal(draft.titleRange?.file, path.join(content, 'metadata.yaml'));
      assert.equal(draft.titleRange?.start.line, 2);
      assert.equal(draft.abstract, 'We infer sparse gene regulatory networks from single cells.');
      assert.deepEqual(draft.files, [abstractFile, path.join(content, 'metadata.yaml')]);
      assert.deepEqual(draft.warnings, []);
    });

    it('opening another content file finds both the title and the abstract', () => {
      const intro = path.join(content, '02.introduction.md');
      const draft = extractDraft(files[intro], { fileName: intro, readFile: read });
      assert.equal(draft.title, 'Sparse Gene Networks From Single-Cell Data');
      assert.equal(draft.abstract, 'We infer sparse gene regulatory networks from single cells.');
      assert.equal(draft.abstractRange?.file, path.join(content, '01.abstract.md'));
    });

    it('outside a content/ folder a metadata.yaml is not consulted', () => {
      const other = '/notes/todo.md';
      const draft = extractDraft('## Abstract\n\nText.\n', { fileName: other, readFile: (p) => (p === '/notes/metadata.yaml' ? 'title: Nope\n' : undefined) });
      assert.equal(draft.title, undefined);
    });
  });

  it('counter and footnote-mark commands do not leak into the text', () => {
    const text =
      '\\newcommand{\\pysr}{PySR}\n\\title{T}\n\\begin{abstract}We use \\addtocounter{footnote}{2}\\pysr\\footnotemark{} and ' +
      '\\setcounter{page}{3}\\stepcounter{equation}symbolic regression\\footnotetext{See the repository.}.\\end{abstract}\n';
    assert.equal(extractDraft(text, { fileName: 'counters.tex' }).abstract, 'We use PySR and symbolic regression.');
  });

  describe('glossary and acronym entries are expanded', () => {
    it('glossaries: \\gls (long form on first use), \\glspl, \\acrshort, \\acrlong, \\acrfull, \\newglossaryentry', () => {
      const text =
        '\\usepackage{glossaries}\n\\newacronym{fr}{FR}{flow rate}\n\\newacronym[longplural={neural networks}]{nn}{NN}{neural network}\n' +
        '\\newglossaryentry{pinn}{name={physics-informed network}, description={a network}}\n' +
        '\\title{Estimating the \\acrlong{fr}}\n\\begin{abstract}\\Gls{fr} is hard. We train \\glspl{nn} to predict \\gls{fr}; ' +
        'the \\acrshort{nn} and a \\gls{pinn} see \\acrfull{fr}. Unknown \\gls{zz}.\\end{abstract}\n';
      const draft = extractDraft(text, { fileName: 'gls.tex' });
      assert.equal(draft.title, 'Estimating the flow rate');
      assert.equal(
        draft.abstract,
        'Flow rate (FR) is hard. We train neural networks (NNs) to predict FR; the NN and a physics-informed network see flow rate (FR). Unknown zz.',
      );
    });

    it('the acronym package: \\acro definitions with \\ac, \\acs, \\acl, \\acp', () => {
      const text =
        '\\begin{acronym}\n\\acro{CNN}{convolutional neural network}\n\\acro{LHC}[LHC]{Large Hadron Collider}\n\\end{acronym}\n' +
        '\\title{T}\n\\begin{abstract}A \\ac{CNN} at the \\acl{LHC}. The \\ac{CNN} and \\acs{LHC}; many \\acp{CNN}.\\end{abstract}\n';
      assert.equal(
        extractDraft(text, { fileName: 'acro.tex' }).abstract,
        'A convolutional neural network (CNN) at the Large Hadron Collider. The CNN and LHC; many CNNs.',
      );
    });
  });

  it('author-note macros (colour or box around a labelled argument) and \\todo are left out, with a note; revision marks keep their text', () => {
    const text =
      '\\newcommand{\\drew}[1]{\\textcolor{red}{[Drew: #1]}}\n\\newcommand{\\jd}[1]{{\\color{blue} \\textbf{JD:} #1}}\n' +
      '\\newcommand{\\rev}[1]{\\textcolor{blue}{#1}}\n\\def\\ak#1{\\todo[inline]{AK: #1}}\n' +
      '\\title{T}\n\\begin{abstract}We \\rev{measure} the rate.\\drew{cite the 2019 paper?} It\n\\jd{rephrase}\\ak{check} works. \\todo{more}\\end{abstract}\n';
    const draft = extractDraft(text, { fileName: 'notes.tex' });
    assert.equal(draft.abstract, 'We measure the rate. It works.');
    assert.ok(draft.warnings.some((w) => w.startsWith('Left out \\drew{…}')), draft.warnings.join('\n'));
    assert.ok(draft.warnings.some((w) => w.startsWith('Left out \\jd{…}')), draft.warnings.join('\n'));
  });
});
