import { strict as assert } from 'node:assert';
import { extractDraft, extractDraftFromFile } from '../../../src/draft/extract';
import { fixture, readFixture, span, textAt } from './helpers';

interface Case {
  file: string;
  title: string;
  abstract: string;
  warnings?: string[];
}

/** One draft per template style; the expected strings are what a reader of the PDF would see. */
const CASES: Case[] = [
  {
    file: 'icml.tex',
    title: 'Sparse Mixture-of-Experts Adapters for Continual Learning without Replay',
    abstract:
      'Continual learning methods that avoid catastrophic forgetting usually rely on a replay buffer. We introduce SMoA, a sparse mixture of low-rank adapters whose router is trained with a stability penalty $\\mathcal{L}_{\\text{stab}} = \\|W_t - W_{t-1}\\|_F^2$. On Split CIFAR-100 and CORe50, SMoA improves average accuracy by 4.1% over the strongest replay-free baseline.',
  },
  {
    file: 'cvpr.tex',
    title: 'Learning to Segment Anything in Low Light',
    abstract:
      'Segmentation models degrade sharply at night, e.g. under street lighting or moonlight. Prior work (et al. style baselines) relies on paired day–night images. We propose a self-supervised curriculum that adapts a frozen ViT encoder with only $1\\%$ extra parameters, improving mIoU on Dark Zurich by 6.2 points.',
  },
  {
    file: 'neurips.tex',
    title: 'Calibrated Uncertainty for Large Language Model Agents',
    abstract:
      'Large language model (LLM) agents act on tool outputs whose reliability they cannot judge. We show that verbalised confidence is poorly calibrated (ECE $>0.2$) and propose conformal tool selection, which gives finite-sample coverage guarantees. Code is available at https://github.com/example/cts.',
  },
  {
    file: 'iclr.tex',
    title: 'Grokking as Compression: A Minimum Description Length View',
    abstract:
      'Grokking—the sudden jump from memorisation to generalisation long after the training loss has converged—remains poorly understood. We measure the description length of networks trained on modular arithmetic and find that generalisation coincides with a drop in complexity, as predicted by the MDL principle.',
    warnings: [`Could not read \\input{math_commands.tex} on line 3 of iclr.tex (looked for ${fixture('math_commands.tex')}).`],
  },
  {
    file: 'acl.tex',
    title: 'Low-Resource Machine Translation with Retrieval-Augmented kNN Decoding',
    abstract:
      'Neural machine translation for low-resource languages suffers from scarce parallel data. Following, we retrieve translation examples from a datastore built from monolingual text aligned with bilingual lexicons. On six Bantu languages our method gains up to 3.4 BLEU over a strong baseline.',
  },
  {
    file: 'revtex-aps.tex',
    title: 'Emergent Fractons in a Frustrated Kitaev–Heisenberg Magnet',
    abstract:
      'We study the Kitaev–Heisenberg model on the honeycomb lattice with an additional three-spin interaction $K_3\\sum_{\\langle ijk\\rangle} S_i^x S_j^y S_k^z$. Using the density-matrix renormalization group and exact diagonalization, we identify a phase whose excitations are immobile fractons, stable up to $K_3/K \\approx 0.3$. These results are relevant to $\\alpha$-RuCl$_3$ and Na$_2$IrO$_3$.',
  },
  {
    file: 'elsarticle.tex',
    title: 'A High-Order Discontinuous Galerkin Method for Compressible Flows on Moving Meshes',
    abstract:
      'We present an arbitrary Lagrangian–Eulerian discontinuous Galerkin scheme that is high-order accurate in space and time and satisfies the geometric conservation law exactly. Numerical experiments on the Sod shock tube and a Mach 3 wind tunnel confirm the expected convergence rates.',
  },
  {
    file: 'amsart.tex',
    title: 'Rational points on K3 surfaces of Picard rank one over number fields',
    abstract:
      "Let $X$ be a K3 surface over a number field $k$ with $\\operatorname{Pic} \\bar X \\cong \\mathbb{Z}$. We prove that the Brauer–Manin obstruction is the only obstruction to weak approximation on $X$ when the transcendental Brauer group is trivial, conditionally on Schinzel's hypothesis.",
  },
  {
    file: 'llncs.tex',
    title: 'Verified Compilation of Smart Contracts to WebAssembly',
    abstract:
      'Smart contracts hold billions of dollars, yet their compilers are rarely verified. We present a compiler from a Solidity subset to WebAssembly, written and proved correct in Coq, and evaluate it on 120 real contracts.',
  },
  {
    file: 'ieeetran.tex',
    title: 'Energy-Efficient Beamforming for RIS-Assisted Cell-Free Massive MIMO',
    abstract:
      'Reconfigurable intelligent surfaces (RIS) can reduce the power consumption of cell-free massive multiple-input multiple-output (MIMO) networks. We jointly optimise access-point beamformers and RIS phase shifts to maximise energy efficiency, and show gains of 35% over random phases.',
  },
  {
    file: 'twocolumn-abstract.tex',
    title: 'Federated Learning under Label Shift',
    abstract:
      "Clients in federated learning often see different label distributions. We estimate each client's label shift with a moment-matching estimator and reweight local losses accordingly.",
  },
  {
    file: 'abstract-macro.tex',
    title: 'Dust Attenuation in High-Redshift Galaxies',
    abstract:
      'Dust shapes the spectra of galaxies at $z>6$. We aim to measure attenuation curves. We fit spectral energy distributions of 40 galaxies. The curves are steeper than the Calzetti law. Young galaxies have small grains.',
  },
  {
    file: 'comments.tex',
    title: 'The Real Title with 100% Effort',
    abstract:
      'Percent signs like 50% stay, and accents work: naïve, café, Çela, Gödel, Škoda. Dashes: 1–2 and a—b. Ties and emphasis, bold and italic. Labels and refs to vanish.',
  },
];

describe('draft extraction: LaTeX templates', () => {
  for (const c of CASES) {
    it(`${c.file}: exact title and abstract`, () => {
      const draft = extractDraftFromFile(fixture(c.file));
      assert.equal(draft.format, 'latex');
      assert.equal(draft.title, c.title);
      assert.equal(draft.abstract, c.abstract);
      assert.deepEqual(draft.warnings, c.warnings ?? []);
      assert.deepEqual(draft.files, [fixture(c.file)]);
      assert.equal(draft.bodyText, undefined, 'body text is only for drafts missing a title or abstract');
    });
  }

  it('ICML: the title range covers the \\icmltitle argument inside \\twocolumn[...]', () => {
    const draft = extractDraftFromFile(fixture('icml.tex'));
    assert.equal(draft.titleRange?.file, fixture('icml.tex'));
    assert.equal(span(draft.titleRange), '15:11-15:85');
    assert.equal(textAt(draft.titleRange!), 'Sparse Mixture-of-Experts Adapters for\\\\ Continual Learning without Replay');
    assert.equal(span(draft.abstractRange), '37:0-42:69');
    assert.ok(textAt(draft.abstractRange!).startsWith('Continual learning methods'));
    assert.ok(textAt(draft.abstractRange!).endsWith('baseline~\\citep{kirkpatrick2017overcoming}.'));
  });

  it('amsart: \\title[short]{long} gives the long title, and its range', () => {
    const draft = extractDraftFromFile(fixture('amsart.tex'));
    assert.equal(span(draft.titleRange), '7:39-7:107');
    assert.equal(textAt(draft.titleRange!), 'Rational points on K3 surfaces of Picard rank one over number fields');
  });

  it('IEEEtran: a multi-line title range includes the removed \\thanks', () => {
    const draft = extractDraftFromFile(fixture('ieeetran.tex'));
    assert.equal(span(draft.titleRange), '7:7-8:71');
  });

  it('CVPR: the abstract range starts at the indented first word', () => {
    const draft = extractDraftFromFile(fixture('cvpr.tex'));
    assert.equal(span(draft.abstractRange), '22:3-26:29');
    assert.ok(textAt(draft.abstractRange!).startsWith('Segmentation models'));
  });

  it('declared categories in both comment spellings, with token ranges; an arXiv id is rejected', () => {
    const draft = extractDraftFromFile(fixture('declared-categories.tex'));
    assert.deepEqual(
      draft.declaredCategories.map((c) => [c.category, span(c.range)]),
      [
        ['cs.CL', '1:18-1:23'],
        ['cs.LG', '1:25-1:30'],
        ['math.ST', '2:8-2:15'],
      ],
    );
    assert.deepEqual(draft.warnings, ['Ignored "2101.12345" in the arXiv category comment on line 4: not an arXiv category (e.g. cs.CL).']);
  });

  it('revtex: `% arxiv-category:` with a long subject class', () => {
    const draft = extractDraftFromFile(fixture('revtex-aps.tex'));
    assert.deepEqual(draft.declaredCategories.map((c) => c.category), ['cond-mat.str-el', 'quant-ph']);
  });

  it('language id wins over the extension; the same text gives the same result from memory as from disk', () => {
    const text = readFixture('llncs.tex');
    const fromMemory = extractDraft(text, { fileName: '/virtual/paper.txt', languageId: 'latex' });
    assert.equal(fromMemory.title, 'Verified Compilation of Smart Contracts to WebAssembly');
    assert.equal(fromMemory.titleRange?.file, '/virtual/paper.txt');
    assert.deepEqual(fromMemory.warnings, []);
  });

  it('an unknown extension is sniffed and says so', () => {
    const draft = extractDraft(readFixture('cvpr.tex'), { fileName: 'paper.txt' });
    assert.equal(draft.format, 'latex');
    assert.equal(draft.title, 'Learning to Segment Anything in Low Light');
    assert.deepEqual(draft.warnings, ['Unknown file type for paper.txt: read it as LaTeX.']);
  });

  it('a \\section*{Abstract} heading counts as the abstract; a missing title falls back to body text', () => {
    const draft = extractDraftFromFile(fixture('section-abstract.tex'));
    assert.equal(draft.title, undefined);
    assert.equal(draft.abstract, 'We compare saturation-degree and tabu-search heuristics on 13 benchmark timetabling instances.');
    assert.deepEqual(draft.warnings, ["No title found: add \\title{...} (or your template's title command, e.g. \\icmltitle{...})."]);
    assert.equal(draft.bodyText, 'Graph Coloring Heuristics for Exam Timetabling Introduction Timetabling is hard.');
  });

  it('an abstract environment directly inside \\twocolumn[...] ends at \\end{abstract}, not at the bracket', () => {
    const text = '\\twocolumn[\n\\icmltitle{Inside Brackets}\n\\begin{abstract}\nBracketed abstract text.\n\\end{abstract}\n\\vskip 0.3in\n]\n\\section{Intro}\nBody.';
    const draft = extractDraft(text, { fileName: 'two.tex' });
    assert.equal(draft.title, 'Inside Brackets');
    assert.equal(draft.abstract, 'Bracketed abstract text.');
    assert.equal(span(draft.abstractRange), '3:0-3:24');
  });

  it('thesis style: \\chapter*{Abstract} ends before a Keywords paragraph and the next \\include', () => {
    const text = [
      '\\begin{document}',
      '\\chapter*{Abstract}',
      'We detect driver distraction with self-supervised \\gls{vit} encoders.',
      '',
      '\\textbf{Keywords:} distraction, self-supervised learning.',
      '',
      '\\include{chapters/intro}',
      '\\end{document}',
    ].join('\n');
    const draft = extractDraft(text, { fileName: '/thesis/main.tex', readFile: () => undefined });
    assert.equal(draft.abstract, 'We detect driver distraction with self-supervised vit encoders.');
    assert.equal(span(draft.abstractRange), '2:0-2:69');
  });

  it('llncs: \\keywords inside the abstract is cut from the text and from the range', () => {
    const draft = extractDraftFromFile(fixture('llncs.tex'));
    assert.equal(span(draft.abstractRange), '17:0-19:73');
    assert.ok(textAt(draft.abstractRange!).endsWith('evaluate it on 120 real contracts.'));
  });

  it('no abstract: a clear warning and body text (figures and citations left out)', () => {
    const draft = extractDraftFromFile(fixture('no-abstract.tex'));
    assert.equal(draft.title, 'Only a Title Here');
    assert.equal(draft.abstract, undefined);
    assert.deepEqual(draft.warnings, ['No abstract found: add \\begin{abstract}...\\end{abstract}.']);
    assert.equal(
      draft.bodyText,
      'Introduction Protein folding is the process by which a polypeptide chain acquires its native three-dimensional structure. Methods We run molecular dynamics simulations with the AMBER force field.',
    );
  });
});

describe('draft extraction: hidden blocks and template title macros', () => {
  it('an old abstract and title inside \\iffalse ... \\fi are skipped', () => {
    const text = [
      '\\iffalse\\title{Hidden}\\fi',
      '\\title{Real Title}',
      '\\begin{document}',
      '\\iffalse',
      '\\begin{abstract}OLD\\end{abstract}',
      '\\fi',
      '\\begin{abstract}',
      'The real abstract. \\iffalse A dropped sentence. \\fi It ends here.',
      '\\end{abstract}',
      '\\end{document}',
    ].join('\n');
    const draft = extractDraft(text, { fileName: 'hidden.tex' });
    assert.equal(draft.title, 'Real Title');
    assert.equal(draft.abstract, 'The real abstract. It ends here.');
    assert.equal(span(draft.abstractRange), '7:0-7:65');
    assert.deepEqual(draft.warnings, []);
  });

  it('MDPI \\Title{...} with \\abstract{...}; \\begin{abstract*}', () => {
    const mdpi = extractDraft('\\Title{Soil Moisture Retrieval from SAR}\n\\TitleCitation{Soil}\n\\abstract{We retrieve soil moisture.}', { fileName: 'mdpi.tex' });
    assert.equal(mdpi.title, 'Soil Moisture Retrieval from SAR');
    assert.equal(mdpi.abstract, 'We retrieve soil moisture.');
    const starred = extractDraft('\\title{T}\n\\begin{abstract*}\nA starred abstract.\n\\end{abstract*}\n', { fileName: 's.tex' });
    assert.equal(starred.abstract, 'A starred abstract.');
    assert.deepEqual(starred.warnings, []);
  });

  it('running titles are never the title, before or after the real one', () => {
    const icml = extractDraft('\\icmltitlerunning{Short}\n\\twocolumn[\n\\icmltitle{The Full ICML Title}\n]\n\\begin{abstract}A.\\end{abstract}', { fileName: 'i.tex' });
    assert.equal(icml.title, 'The Full ICML Title');
    const llncs = extractDraft('\\titlerunning{Short}\n\\title{The Full LNCS Title}\n\\begin{abstract}A.\\end{abstract}', { fileName: 'l.tex' });
    assert.equal(llncs.title, 'The Full LNCS Title');
  });
});
