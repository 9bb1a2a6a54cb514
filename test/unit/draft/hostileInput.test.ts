/**
 * Inputs that froze or killed the server before (issue 9), one per class. The slow ones are sized so that
 * the old quadratic or exponential code runs for minutes to hours (and so fails on mocha's timeout) while
 * the fixed code needs milliseconds; where possible the test also checks a bound that does not depend on
 * time (events scanned, warnings kept, characters returned).
 */
import { strict as assert } from 'node:assert';
import { extractDraft } from '../../../src/draft/extract';
import { crudeStrip, latexToText } from '../../../src/draft/latexText';
import { maskComments, scanEvents } from '../../../src/draft/latexScan';
import { LineIndex } from '../../../src/draft/lineIndex';
import { CITE_MARK, tidyReferences } from '../../../src/draft/references';
import { MAX_ABSTRACT_CHARS, MAX_TITLE_CHARS, MAX_WARNINGS } from '../../../src/draft/limits';

describe('draft extraction: hostile input classes (issue 9)', () => {
  describe('macro expansion is bounded in work and output, not only in depth', () => {
    it('a macro defined as 190 copies of itself: expanded once, with a warning (it took hours)', () => {
      const text = `\\def\\a{${'\\a'.repeat(190)}}\n\\title{Before \\a after}\n\\begin{abstract}Text.\\end{abstract}\n`;
      const draft = extractDraft(text, { fileName: 'self.tex' });
      assert.equal(draft.title, 'Before after');
      assert.ok(draft.warnings.includes('\\a is defined in terms of itself (TeX would loop forever on it): it was left out.'), draft.warnings.join('\n'));
    });

    it('a chain of macros that multiply (45 x 45 x 45 copies): output capped, with a warning', () => {
      const text =
        `\\def\\pa{${'\\pb'.repeat(45)}}\\def\\pb{${'\\pc'.repeat(45)}}\\def\\pc{${'\\pd '.repeat(45)}}\\def\\pd{${'word '.repeat(40)}}\n` +
        '\\title{\\pa}\n\\begin{abstract}\\pa\\end{abstract}\n';
      const draft = extractDraft(text, { fileName: 'chain.tex' });
      assert.ok(draft.title && draft.title.length <= MAX_TITLE_CHARS && draft.title.startsWith('word word'));
      assert.ok(draft.warnings.some((w) => /expands to too much text|Too many macro expansions/.test(w)), draft.warnings.join('\n'));
    });

    it('the expansion budget is shared by every snippet of one extraction', () => {
      const ctx = { definitions: new Map([['w', 'x '.repeat(100)]]), warnings: [] as string[] };
      let total = 0;
      for (let i = 0; i < 20; i++) total += latexToText('\\w '.repeat(100), ctx).length;
      assert.ok(total <= 21_000, `expanded ${total} characters`);
      assert.equal(ctx.warnings.length, 1, ctx.warnings.join('\n'));
    });
  });

  describe('no quadratic rescans', () => {
    it('reference tidying on a 300,000-space run before a citation', () => {
      assert.equal(tidyReferences(`a${' '.repeat(300_000)}b ${CITE_MARK}.`), 'a b.');
    });

    it('Markdown: 240 KB of unclosed `$` in an abstract section (60 KB took 9 s)', () => {
      const text = '# Title\n\n## Abstract\n\n' + '$a '.repeat(80_000) + '\n';
      const draft = extractDraft(text, { fileName: 'dollars.md' });
      assert.ok(draft.abstract && draft.abstract.length <= MAX_ABSTRACT_CHARS);
      assert.ok(draft.abstract.startsWith('$a $a'));
    });

    it('Markdown: closed math still works after the closers are precomputed', () => {
      const draft = extractDraft('# T\n\n## Abstract\n\nCost $O(n_1 * m_2)$ and $$x*y$$, not $5 or \\$3$x$.\n', { fileName: 'm.md' });
      // Pandoc's rule: `$5 or \$3$` opens at `$5` and closes at the unescaped `$` after 3.
      assert.equal(draft.abstract, 'Cost $O(n_1 * m_2)$ and $x*y$, not $5 or \\$3$x$.');
    });

    it('Markdown: an unclosed `[` before 60,000 Pandoc citation keys', () => {
      const draft = extractDraft('# Title\n\n## Abstract\n\n[' + '@k '.repeat(60_000) + '\n', { fileName: 'keys.md' });
      assert.equal(draft.title, 'Title');
    });

    it('1 MB of repeated \\begin{abstract}: at most 50 candidates are scanned', () => {
      const masked = maskComments('\\title{T}\n' + '\\begin{abstract}'.repeat(60_000));
      const events = scanEvents(masked);
      assert.ok(events.length <= 51, `${events.length} events`);
      const draft = extractDraft('\\title{T}\n' + '\\begin{abstract}'.repeat(60_000), { fileName: 'abs.tex' });
      assert.equal(draft.title, 'T');
    });

    it('1 MB of repeated \\section*{Abstract}: at most 50 candidates are scanned', () => {
      const text = '\\title{T}\n' + '\\section*{Abstract}'.repeat(50_000);
      assert.ok(scanEvents(maskComments(text)).length <= 51);
      assert.equal(extractDraft(text, { fileName: 'sec.tex' }).title, 'T');
    });

    it('line positions in a 1 MB file with only \\r line breaks (each line searched the rest of the file for \\n)', () => {
      const lines = new LineIndex('a\r'.repeat(500_000));
      assert.deepEqual(lines.position(999_999), { line: 499_999, character: 1 });
    });

    it('groups nested 3,000 deep are flattened before parsing (the parser recursed per level: seconds, or a stack overflow)', () => {
      const text = '\\title{T}\n\\begin{abstract}Deep ' + '{'.repeat(3000) + 'text' + '}'.repeat(3000) + ' here.\\end{abstract}\n';
      const draft = extractDraft(text, { fileName: 'deep.tex' });
      assert.equal(draft.abstract, 'Deep text here.');
      assert.ok(draft.warnings.includes('A LaTeX passage nests groups or environments 3,000 deep: only the outer 40 levels were kept.'), draft.warnings.join('\n'));
    });

    it('trailing spaces trimmed without a /\\s+$/ regex: a YAML entry and a heading with 300,000 spaces inside', () => {
      const yaml = extractDraft('---\ntitle:\n  form' + ' '.repeat(300_000) + 'atted: x\n---\n\n# Heading\n', { fileName: 'spaces.Rmd' });
      assert.equal(yaml.title, 'Heading');
      const heading = extractDraft('# Title' + ' '.repeat(300_000) + 'x ##\n\nText.\n', { fileName: 'spaces.md' });
      assert.equal(heading.title, 'Title');
    });

    it('a keywords check after \\textbf followed by 300,000 spaces in an abstract', () => {
      const text = '\\title{T}\n\\begin{abstract}Real text.\n\\textbf' + ' '.repeat(300_000) + 'x\\end{abstract}\n';
      assert.equal(extractDraft(text, { fileName: 'kw.tex' }).abstract?.startsWith('Real text.'), true);
    });

    it('a Markdown **Abstract label followed by 300,000 spaces', () => {
      const text = '# Title\n\n**Abstract' + ' '.repeat(300_000) + 'x\n';
      assert.equal(extractDraft(text, { fileName: 'label.md' }).title, 'Title');
    });

    it('the parser-failure fallback on \\cite and 300,000 spaces', () => {
      assert.equal(crudeStrip('a \\cite' + ' '.repeat(300_000) + 'x b'), 'a x b');
    });

    it('an include bomb (1,000 \\input{b} in main, 1,000 \\input{c} in b, 1,000 \\input{d} in c) is walked a bounded number of times', () => {
      const files: Record<string, string> = {
        '/bomb/b.tex': '\\input{c}\n'.repeat(1000),
        '/bomb/c.tex': '\\input{d}\n'.repeat(1000),
        '/bomb/d.tex': 'Just text.\n',
      };
      const draft = extractDraft('\\title{Bomb}\n' + '\\input{b}\n'.repeat(1000), { fileName: '/bomb/main.tex', readFile: (p) => files[p] });
      assert.equal(draft.title, 'Bomb');
      assert.ok(draft.warnings.includes('Stopped following includes after 1,000 \\input commands.'), draft.warnings.join('\n'));
    });

    it('10,000 unreadable \\input lines give a bounded list of warnings', () => {
      const text = '\\title{T}\n' + Array.from({ length: 10_000 }, (_, i) => `\\input{missing${i}}`).join('\n');
      const draft = extractDraft(text, { fileName: '/tmp/inputs.tex', readFile: () => undefined });
      assert.ok(draft.warnings.length <= MAX_WARNINGS, `${draft.warnings.length} warnings`);
      assert.match(draft.warnings[draft.warnings.length - 1], /more warnings like these/);
    });
  });

  describe('YAML front matter is read entry by entry, within limits', () => {
    it('a 1 MB single-quoted title is refused with a warning (20 s and 1.6 GB before); the heading is used', () => {
      const text = "---\ntitle: '" + 'a'.repeat(1_000_000) + "'\nabstract: Short abstract.\n---\n\n# Heading Title\n";
      const draft = extractDraft(text, { fileName: 'big.md' });
      assert.equal(draft.title, 'Heading Title');
      assert.equal(draft.abstract, 'Short abstract.');
      assert.ok(draft.warnings.some((w) => w.startsWith('The front matter\'s "title" is 1,000,0')), draft.warnings.join('\n'));
    });

    it('deeply nested `[` are not given to the yaml library (stack overflow behind a key; 16,000 at the top level ran V8 out of memory)', () => {
      const draft = extractDraft('---\ntitle: ' + '['.repeat(20_000) + '\nabstract: ' + '{'.repeat(1000) + '\n---\n\n# Heading\n', { fileName: 'nest.md' });
      assert.equal(draft.title, 'Heading');
      assert.equal(draft.warnings[0], 'The front matter\'s "title" is 20,007 characters long (the limit is 2,000): it was not read.');
      assert.equal(draft.warnings[1], 'The front matter\'s "abstract" nests brackets more than 32 deep: it was not read.');
      const top = extractDraft('---\n' + '['.repeat(16_000) + '\n---\n\n# Heading\n', { fileName: 'top.md' });
      assert.equal(top.title, 'Heading');
    });

    it('1.8 MB of malformed front matter after a good title (yaml took seconds per 100 KB of errors)', () => {
      const text = '---\ntitle: Good Title\n' + '- a\nb: c\n'.repeat(200_000) + '---\n\nBody.\n';
      const draft = extractDraft(text, { fileName: 'errors.md' });
      assert.equal(draft.title, 'Good Title');
    });

    it('rticles/R Markdown `title: {plain, formatted}` uses the plain title', () => {
      const text = '---\ntitle:\n  formatted: "A *Formatted* Title\\\\thanks{x}"\n  plain: "A Plain Title"\nabstract: Words.\n---\n';
      const draft = extractDraft(text, { fileName: 'paper.Rmd' });
      assert.equal(draft.title, 'A Plain Title');
      assert.deepEqual(draft.warnings, []);
    });
  });

  describe('Markdown titles and abstracts are capped like LaTeX ones', () => {
    it('a 500,000-character abstract section is cut, with a warning', () => {
      const draft = extractDraft('# Title\n\n## Abstract\n\n' + 'word '.repeat(100_000) + '\n', { fileName: 'long.md' });
      assert.ok(draft.abstract && draft.abstract.length <= MAX_ABSTRACT_CHARS);
      assert.ok(draft.warnings.some((w) => w.startsWith('The abstract is ') && w.includes('only its first 10,000 were used')), draft.warnings.join('\n'));
    });

    it('a 200,000-character heading title is cut, with a warning', () => {
      const draft = extractDraft('# ' + 'long '.repeat(40_000) + '\n\nText.\n', { fileName: 'title.md' });
      assert.ok(draft.title && draft.title.length <= MAX_TITLE_CHARS);
      assert.ok(draft.warnings.some((w) => w.startsWith('The title is ')), draft.warnings.join('\n'));
    });
  });
});
