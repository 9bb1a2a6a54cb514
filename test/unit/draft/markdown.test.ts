import { strict as assert } from 'node:assert';
import { extractDraft, extractDraftFromFile } from '../../../src/draft/extract';
import { fixture, readFixture, span, textAt } from './helpers';

describe('draft extraction: Markdown, Quarto, R Markdown', () => {
  it('YAML front matter with plain strings; inline markup reduced; arxiv: as a string', () => {
    const draft = extractDraftFromFile(fixture('yaml-string.md'));
    assert.equal(draft.format, 'markdown');
    assert.equal(draft.title, 'Retrieval-Augmented Generation for Clinical Question Answering');
    assert.equal(
      draft.abstract,
      'We combine a dense retriever over PubMed with a generator and reduce hallucinated answers by 31% on MedQA.',
    );
    assert.equal(span(draft.titleRange), '1:7-1:69');
    assert.equal(span(draft.abstractRange), '3:10-3:147');
    assert.deepEqual(draft.declaredCategories.map((c) => [c.category, span(c.range)]), [['cs.CL', '4:7-4:12']]);
    assert.deepEqual(draft.warnings, []);
  });

  it('quoted title and a `|` block scalar abstract; categories as a flow list', () => {
    const draft = extractDraftFromFile(fixture('yaml-block.md'));
    assert.equal(draft.title, 'Neural Operators for Weather Downscaling');
    assert.equal(
      draft.abstract,
      'We train a Fourier neural operator to downscale ERA5 reanalysis from 25 km to 2.5 km resolution. It matches a dynamical model at 1/1000 of the cost.',
    );
    assert.equal(span(draft.titleRange), '1:8-1:48', 'the range excludes the quotes');
    assert.equal(span(draft.abstractRange), '6:2-9:53', 'the range starts at the block content, not at `|`');
    assert.ok(textAt(draft.abstractRange!).startsWith('We train a Fourier'));
    assert.deepEqual(draft.declaredCategories.map((c) => c.category), ['physics.ao-ph', 'cs.LG']);
  });

  it('Quarto .qmd: folded `>` abstract (Pandoc citation removed), blog tags in categories ignored, code-chunk comments are not headings', () => {
    const draft = extractDraftFromFile(fixture('quarto.qmd'));
    assert.equal(draft.title, 'Bayesian Hierarchical Models for Crop Yields');
    assert.equal(
      draft.abstract,
      'We fit a hierarchical model of maize yields across 300 counties, with partial pooling of weather effects.',
    );
    assert.deepEqual(
      draft.declaredCategories.map((c) => [c.category, span(c.range)]),
      [
        ['stat.AP', '12:4-12:11'],
        ['stat.ME', '13:4-13:11'],
      ],
    );
    assert.deepEqual(draft.warnings, []);
  });

  it('R Markdown .Rmd: single-quoted title and double-quoted abstract', () => {
    const draft = extractDraftFromFile(fixture('rmarkdown.Rmd'));
    assert.equal(draft.title, 'Survival Analysis of Hospital Readmissions');
    assert.equal(
      draft.abstract,
      'We model 30-day readmission with a Cox model with time-varying covariates and find that discharge on a Friday raises the hazard by 12%.',
    );
    assert.equal(span(draft.abstractRange), '3:11-3:146');
  });

  it('Pandoc style: `# Title` and an `## Abstract` section up to the next heading; math kept; HTML comment category', () => {
    const draft = extractDraftFromFile(fixture('pandoc.md'));
    assert.equal(draft.title, "Stellar Streams as Probes of the Milky Way's Dark Matter Halo");
    assert.equal(
      draft.abstract,
      "We fit orbits to 12 stellar streams from Gaia DR3 and constrain the halo's flattening to $q = 0.93 \\pm 0.05$, using the method of Bovy (2014). Our results favour a nearly spherical halo.",
    );
    assert.equal(span(draft.titleRange), '1:2-1:63');
    assert.equal(span(draft.abstractRange), '7:0-11:43');
    assert.deepEqual(draft.declaredCategories.map((c) => [c.category, span(c.range)]), [['astro-ph.GA', '0:12-0:23']]);
  });

  it('setext title and a bold **Abstract:** paragraph', () => {
    const draft = extractDraftFromFile(fixture('bold-abstract.md'));
    assert.equal(draft.title, 'Quantum Error Correction with Biased-Noise Qubits');
    assert.equal(
      draft.abstract,
      'Biased noise lets surface codes tolerate higher error rates. We simulate the XZZX code under circuit-level noise with bias $\\eta = 100$.',
    );
    assert.equal(span(draft.titleRange), '0:0-0:49');
    assert.equal(span(draft.abstractRange), '3:14-4:76');
    assert.ok(textAt(draft.abstractRange!).startsWith('Biased noise'));
  });

  it('no title, no abstract: two warnings and the body text for a fallback prediction', () => {
    const draft = extractDraftFromFile(fixture('no-title.md'));
    assert.equal(draft.title, undefined);
    assert.equal(draft.abstract, undefined);
    assert.deepEqual(draft.warnings, [
      'No title found: add `title:` to the YAML front matter or a `# Title` heading.',
      'No abstract found: add `abstract:` to the YAML front matter, an `## Abstract` section, or a paragraph starting with **Abstract:**.',
    ]);
    assert.equal(
      draft.bodyText,
      'Some notes without a title or an abstract. We describe gradient boosting for tabular data and compare it with neural networks. Trees are strong baselines.',
    );
  });

  it('languageId quarto/rmd picks Markdown whatever the file name', () => {
    for (const languageId of ['quarto', 'rmd', 'markdown']) {
      const draft = extractDraft(readFixture('yaml-string.md'), { fileName: 'untitled:Untitled-1', languageId });
      assert.equal(draft.format, 'markdown');
      assert.equal(draft.title, 'Retrieval-Augmented Generation for Clinical Question Answering');
    }
  });

  it('broken YAML front matter: a warning with the file line; what can be read is still used', () => {
    const unclosedQuote = '---\ntitle: "unclosed\n---\n\n# Heading Title\n\n## Abstract\n\nBody of the abstract.\n';
    const a = extractDraft(unclosedQuote, { fileName: 'broken.md' });
    // Line 2: the line with the unclosed quote (each entry is parsed alone, so the error is not at the fence).
    assert.deepEqual(a.warnings, ['The YAML front matter has an error on line 2 (Missing closing "quote); some fields may be missed.']);
    assert.equal(a.abstract, 'Body of the abstract.');

    const unclosedList = '---\ntitle: [unclosed\nabstract: x\n---\n\n# Heading Title\n';
    const b = extractDraft(unclosedList, { fileName: 'broken.md' });
    assert.equal(b.title, 'Heading Title', 'the heading replaces the unusable YAML title');
    assert.equal(b.abstract, 'x');
    assert.deepEqual(b.warnings, [
      'The YAML front matter has an error on line 2 (Flow sequence in block collection must be sufficiently indented and end with a ]); some fields may be missed.',
      'The front matter\'s "title" is not a plain string, so it was not used.',
    ]);
  });

  it('a title that is a map is refused with a warning; arxiv: with a non-category is reported', () => {
    const text = '---\ntitle:\n  text: Nested\narxiv: [cs.CL, machine-learning]\n---\n\n# Fallback Title\n\n**Abstract.** Short.\n';
    const draft = extractDraft(text, { fileName: 'map.qmd' });
    assert.equal(draft.title, 'Fallback Title');
    assert.equal(draft.abstract, 'Short.');
    assert.deepEqual(draft.declaredCategories.map((c) => c.category), ['cs.CL']);
    assert.deepEqual(draft.warnings, [
      'The front matter\'s "title" is not a plain string, so it was not used.',
      'Ignored "machine-learning" in the front matter\'s "arxiv": not an arXiv category (e.g. cs.CL).',
    ]);
  });

  it('underscores and asterisks inside $math$ are not emphasis', () => {
    const draft = extractDraft('# T\n\n## Abstract\n\nWe bound $a_i * b_j$ and $x_1$ by *one*.\n', { fileName: 'm.md' });
    assert.equal(draft.abstract, 'We bound $a_i * b_j$ and $x_1$ by one.');
  });
});

describe('draft extraction: Markdown abstract labels, citations, raw LaTeX', () => {
  it('a **Abstract** paragraph on its own takes the paragraphs after it, up to a Keywords paragraph', () => {
    const a = extractDraft('# T\n\n**Abstract**\n\nWe do things.', { fileName: 'a.md' });
    assert.equal(a.abstract, 'We do things.');
    assert.deepEqual(a.warnings, []);
    const b = extractDraft('# T\n\n**Abstract**\n\nWe do things.\n\nMore things.\n\n**Keywords:** a, b\n\n## Intro\n\nBody.', { fileName: 'b.md' });
    assert.equal(b.abstract, 'We do things. More things.');
    assert.equal(span(b.abstractRange), '4:0-6:12');
  });

  it('plain `Abstract:`, `**Abstract:**` and `*Abstract.*` labels at the start of a paragraph', () => {
    for (const label of ['Abstract:', '**Abstract:**', '*Abstract.*', 'Abstract —']) {
      const draft = extractDraft(`# T\n\n${label} We do things.\n`, { fileName: 'l.md' });
      assert.equal(draft.abstract, 'We do things.', label);
    }
    const prose = extractDraft('# T\n\nAbstract algebra is fun.\n', { fileName: 'p.md' });
    assert.equal(prose.abstract, undefined, '"Abstract algebra" is not a label');
  });

  it('Pandoc citations are removed with their "see"; e-mail addresses stay', () => {
    const draft = extractDraft(
      '# T\n\n## Abstract\n\nTransformers [@vaswani2017] work [see @a; @b, p. 3], as @smith2020 [p. 4] shows (see @c). Mail me@x.org.\n',
      { fileName: 'c.md' },
    );
    assert.equal(draft.abstract, 'Transformers work, as shows. Mail me@x.org.');
    const refLink = extractDraft('# T\n\n## Abstract\n\nSee [the paper][p] for details.\n\n[p]: https://x.org\n', { fileName: 'r.md' });
    assert.equal(refLink.abstract, 'See the paper for details.', 'reference-style links still resolve (inline parsing is lazy)');
  });

  it('raw LaTeX in YAML title and abstract is read as LaTeX; code spans stay verbatim', () => {
    const yaml = [
      '---',
      'title: Graph \\emph{Neural} Networks for $x^2$',
      'abstract: "We extend \\\\cite{x} and \\\\textbf{improve} accuracy by 31% (see Fig.~\\\\ref{f}) at \\\\SI{2}{\\\\giga\\\\hertz}."',
      '---',
    ].join('\n');
    const draft = extractDraft(yaml, { fileName: 'y.md' });
    assert.equal(draft.title, 'Graph Neural Networks for $x^2$');
    assert.equal(draft.abstract, 'We extend and improve accuracy by 31% at 2 GHz.');
    const body = extractDraft('# The \\LaTeX{} Companion\n\n## Abstract\n\nUse `\\code{x}` and \\emph{y} with $\\alpha$.\n', { fileName: 'b.md' });
    assert.equal(body.title, 'The LaTeX Companion');
    assert.equal(body.abstract, 'Use \\code{x} and y with $\\alpha$.');
  });

  it('arxiv: as a mapping with primary and cross-lists; an unknown shape is named in a warning', () => {
    const ok = extractDraft('---\ntitle: T\nabstract: A\narxiv:\n  primary: cs.LG\n  cross: [cs.AI, stat.ML]\n---\n', { fileName: 'm.md' });
    assert.deepEqual(ok.declaredCategories.map((c) => [c.category, span(c.range)]), [
      ['cs.LG', '4:11-4:16'],
      ['cs.AI', '5:10-5:15'],
      ['stat.ML', '5:17-5:24'],
    ]);
    assert.deepEqual(ok.warnings, []);
    const odd = extractDraft('---\ntitle: T\nabstract: A\narxiv:\n  main: cs.LG\n---\n', { fileName: 'm.md' });
    assert.deepEqual(odd.declaredCategories, []);
    assert.deepEqual(odd.warnings, [
      'The front matter\'s "arxiv" is a mapping with unknown key(s) "main": write `arxiv: cs.LG`, `arxiv: [cs.LG, cs.AI]` or `arxiv: {primary: cs.LG, cross: [cs.AI]}`.',
    ]);
  });
});
