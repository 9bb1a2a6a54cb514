import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { extractDraft, extractDraftFromFile } from '../../../src/draft/extract';
import { fixture, readFixture, span } from './helpers';

const PARAGRAPH =
  'We study \\emph{robust} estimation with $x_i \\sim \\mathcal{N}(0, 1)$ samples~\\cite{huber1964}. % note\n' +
  'The estimator attains the minimax rate -- up to $\\log n$ factors -- see Section~\\ref{sec:proof}.\n\n';

/** A paper of about `chars` characters: the ICML fixture with its body grown by paragraphs and sections. */
function paperOfSize(chars: number, withSections = true): string {
  const base = readFixture('icml.tex');
  const parts: string[] = [];
  let size = base.length;
  for (let i = 0; size < chars; i++) {
    const piece = (withSections && i % 15 === 0 ? `\\section{Part ${i}}\n` : '') + PARAGRAPH;
    parts.push(piece);
    size += piece.length;
  }
  return base.replace('\\end{document}', parts.join('') + '\\end{document}');
}

describe('draft extraction: broken and hostile input', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'draft-test-'));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('unbalanced braces: the title is taken to the end of its line with a warning; stray braces dropped', () => {
    const draft = extractDraftFromFile(fixture('unbalanced-braces.tex'));
    assert.equal(draft.title, 'Robust Parsing of Broken Drafts');
    assert.equal(draft.abstract, 'Drafts are often broken while being written. This sentence has an unclosed brace and still ends here.');
    assert.deepEqual(draft.warnings, ['The title on line 2 of unbalanced-braces.tex has no closing brace: used the rest of the line.']);
    assert.equal(span(draft.titleRange), '1:7-1:39');
  });

  it('missing \\end{abstract}: the text up to the next \\section, with a warning', () => {
    const draft = extractDraftFromFile(fixture('missing-end-abstract.tex'));
    assert.equal(draft.title, 'An Abstract Without an End');
    assert.equal(draft.abstract, 'The author forgot to close this environment. Extraction should stop at the next section.');
    assert.deepEqual(draft.warnings, [
      '\\begin{abstract} on line 5 of missing-end-abstract.tex has no \\end{abstract}: used the text up to the next section command.',
    ]);
    assert.equal(span(draft.abstractRange), '5:0-6:17');
  });

  it('missing \\end{abstract} at the end of the file', () => {
    const draft = extractDraft('\\title{T}\n\\begin{abstract}\nRuns to the end', { fileName: 'cut.tex' });
    assert.equal(draft.abstract, 'Runs to the end');
    assert.deepEqual(draft.warnings, ['\\begin{abstract} on line 2 of cut.tex has no \\end{abstract}: used the text up to the end of the file.']);
  });

  it('an unclosed abstract followed by 260 KB of paragraphs (no \\section) is cut short, with a warning', () => {
    const paragraphs = Array.from({ length: 1400 }, (_, i) => `Paragraph ${i} of the draft goes on about robust estimation~\\cite{h}.\n` + 'More words. '.repeat(10) + '\n\n');
    const text = '\\title{T}\n\\begin{document}\n\\begin{abstract}\n' + paragraphs.join('') + '\\end{document}\n';
    assert.ok(text.length > 250_000);
    const draft = extractDraft(text, { fileName: 'runaway.tex' });
    assert.equal(draft.title, 'T');
    assert.ok(draft.abstract?.startsWith('Paragraph 0 of the draft goes on about robust estimation. More words.'));
    assert.ok(draft.abstract!.length <= 3000 && draft.abstract!.length > 1000, `abstract length ${draft.abstract!.length}`);
    assert.ok(draft.abstract!.endsWith('More words.'), 'cut at a paragraph break');
    assert.equal(draft.warnings.length, 1);
    assert.match(
      draft.warnings[0],
      /^\\begin\{abstract\} on line 3 of runaway\.tex has no \\end\{abstract\} and nothing after it ends an abstract: used only the text up to line \d+ of runaway\.tex \(arXiv abstracts are at most 1,920 characters\)\. Add \\end\{abstract\} where the abstract ends\.$/,
    );
    assert.ok(span(draft.abstractRange)!.startsWith('3:0-'));
  });

  it('an unclosed abstract stops at \\maketitle-like boundaries and \\end{document}, and says which', () => {
    const a = extractDraft('\\title{T}\n\\begin{abstract}\nShort text.\n\\end{document}\ntrailing', { fileName: 'a.tex' });
    assert.equal(a.abstract, 'Short text.');
    assert.deepEqual(a.warnings, ['\\begin{abstract} on line 2 of a.tex has no \\end{abstract}: used the text up to the \\end{document} on line 4 of a.tex.']);
    const b = extractDraft('\\title{T}\n\\begin{abstract}\nShort text.\n\\subsubsection{Details}\nNot this.', { fileName: 'b.tex' });
    assert.equal(b.abstract, 'Short text.');
    assert.deepEqual(b.warnings, ['\\begin{abstract} on line 2 of b.tex has no \\end{abstract}: used the text up to the next section command.']);
  });

  it('a closed but huge abstract (\\end{abstract} misplaced at the end) is read only up to 10,000 characters', () => {
    const body = Array.from({ length: 600 }, (_, i) => `Sentence ${i} of a very long abstract.\n\n`).join('');
    const draft = extractDraft(`\\title{T}\n\\begin{abstract}\n${body}\\end{abstract}\n`, { fileName: 'long.tex' });
    assert.ok(body.length > 20_000);
    assert.ok(draft.abstract!.startsWith('Sentence 0 of a very long abstract. Sentence 1'));
    assert.ok(draft.abstract!.length < 10_000 && draft.abstract!.length > 5_000, `abstract length ${draft.abstract!.length}`);
    assert.ok(draft.abstract!.endsWith('of a very long abstract.'));
    assert.equal(draft.warnings.length, 1);
    assert.match(draft.warnings[0], /^The abstract on line 2 of long\.tex is 2\d,\d{3} characters of LaTeX: only the first \d,\d{3} were read \(arXiv abstracts are at most 1,920 characters\)\. Is an \\end\{abstract\} missing or misplaced\?$/);
    const end = draft.abstractRange!.end.line;
    assert.ok(end > 2 && end < 600, `the range ends where the text was cut (line ${end})`);
  });

  it('pathological repetitions (thousands of \\begin{abstract}, \\abstract{, \\title{) give a bounded result', () => {
    const begins = extractDraft('\\begin{abstract}x\n'.repeat(10_000), { fileName: 'b.tex' });
    assert.equal(begins.abstract, 'x');
    const titles = extractDraft('\\begin{abstract}A\\end{abstract}' + '\\title{x '.repeat(10_000), { fileName: 't.tex' });
    assert.ok(titles.title && titles.title.length <= 500, `title length ${titles.title?.length}`);
    assert.equal(titles.warnings[0], 'The title on line 1 of t.tex has no closing brace: used the rest of the line.');
    const macros = extractDraft('\\title{T}' + '\\abstract{x '.repeat(10_000), { fileName: 'a.tex' });
    assert.equal(macros.abstract, undefined);
  });

  it('binary bytes (a PNG saved as .tex) are refused', () => {
    const draft = extractDraftFromFile(fixture('binary.tex'));
    assert.equal(draft.title, undefined);
    assert.deepEqual(draft.warnings, ['This file looks binary (it contains NUL bytes), not like a LaTeX or Markdown draft: not analysed.']);
  });

  it('NUL characters in editor text are refused too', () => {
    const draft = extractDraft('\\title{A}\u0000\u0001', { fileName: 'x.tex' });
    assert.deepEqual(draft.warnings, ['This file looks binary (it contains NUL bytes), not like a LaTeX or Markdown draft: not analysed.']);
  });

  it('mostly invalid UTF-8 is refused; a few bad bytes are replaced with a warning', () => {
    const junk = path.join(tmp, 'junk.tex');
    fs.writeFileSync(junk, Buffer.from(Array.from({ length: 400 }, (_, i) => 0x80 + (i % 60))));
    assert.deepEqual(extractDraftFromFile(junk).warnings, [
      'This file is not valid UTF-8 text (400 undecodable byte sequences): not analysed. Save it as UTF-8.',
    ]);
    const latin1 = path.join(tmp, 'latin1.tex');
    const text = readFixture('cvpr.tex').replace('Learning to Segment', 'Learning to Segment Caf\u00e9');
    fs.writeFileSync(latin1, Buffer.from(text, 'latin1'));
    const draft = extractDraftFromFile(latin1);
    assert.equal(draft.title, 'Learning to Segment Caf\uFFFD Anything in Low Light');
    assert.deepEqual(draft.warnings, ['1 byte sequence(s) are not valid UTF-8 and were replaced by �. Save the file as UTF-8.']);
  });

  it('a 10 MB file is refused without being read (above the 2,000,000 character default)', () => {
    const big = path.join(tmp, 'big.tex');
    fs.writeFileSync(big, paperOfSize(10 * 1024 * 1024));
    const t0 = performance.now();
    const draft = extractDraftFromFile(big);
    const ms = performance.now() - t0;
    assert.equal(draft.title, undefined);
    assert.equal(draft.warnings.length, 1);
    assert.match(draft.warnings[0], /^The draft is too large to analyse \(10,4\d\d,\d\d\d bytes; the limit is 2,000,000 characters\)\.$/);
    assert.ok(ms < 100, `refusal took ${ms.toFixed(1)} ms`);
  });

  it('text above maxChars given directly is refused; a lower maxChars is honoured', () => {
    const text = readFixture('cvpr.tex');
    const draft = extractDraft(text, { fileName: 'cvpr.tex', maxChars: 100 });
    assert.equal(draft.title, undefined);
    assert.deepEqual(draft.warnings, [`The draft is too large to analyse (${text.length} characters; the limit is 100 characters).`]);
  });

  it('a 1.9 MB file is extracted well under a second', () => {
    const file = path.join(tmp, 'huge.tex');
    fs.writeFileSync(file, paperOfSize(1_900_000));
    const t0 = performance.now();
    const draft = extractDraftFromFile(file);
    const ms = performance.now() - t0;
    assert.equal(draft.title, 'Sparse Mixture-of-Experts Adapters for Continual Learning without Replay');
    assert.ok(draft.abstract?.startsWith('Continual learning methods'));
    assert.deepEqual(draft.warnings, []);
    assert.ok(ms < 1000, `1.9 MB extraction took ${ms.toFixed(1)} ms`);
  });

  it('a 1.9 MB file with no abstract and no sections (worst case: body text needed) stays under two seconds', () => {
    const text = paperOfSize(1_900_000, false).replace(/\\begin\{abstract\}[\s\S]*?\\end\{abstract\}/, '');
    const t0 = performance.now();
    const draft = extractDraft(text, { fileName: 'huge.tex' });
    const ms = performance.now() - t0;
    assert.equal(draft.abstract, undefined);
    assert.ok(draft.bodyText && draft.bodyText.length > 1500 && draft.bodyText.length <= 2000, `bodyText length ${draft.bodyText?.length}`);
    assert.ok(ms < 2000, `took ${ms.toFixed(1)} ms`);
  });

  it('a 50 KB paper: repeated extraction while the body is edited takes a few ms', () => {
    const paper = paperOfSize(50_000);
    extractDraft(paper, { fileName: 'p.tex' }); // warm-up (JIT, parse cache)
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const edited = paper.replace('Neural networks trained', `Neural networks (edit ${i}) trained`);
      const t0 = performance.now();
      const draft = extractDraft(edited, { fileName: 'p.tex' });
      times.push(performance.now() - t0);
      assert.equal(draft.title, 'Sparse Mixture-of-Experts Adapters for Continual Learning without Replay');
    }
    times.sort((a, b) => a - b);
    assert.ok(times[5] < 50, `median ${times[5].toFixed(2)} ms`);
  });

  it('empty \\title{} and an empty abstract environment (fresh template) are named as empty', () => {
    const draft = extractDraft('\\title{}\n\\begin{document}\n\\begin{abstract}\n  % write here\n\\end{abstract}\nSome body text.\n\\end{document}', {
      fileName: 'fresh.tex',
    });
    assert.equal(draft.title, undefined);
    assert.equal(draft.abstract, undefined);
    assert.deepEqual(draft.warnings, [
      'The title is empty: fill in \\title{...}.',
      'The abstract is empty: write it between \\begin{abstract} and \\end{abstract}.',
    ]);
    assert.equal(draft.bodyText, 'Some body text.');
  });

  it('empty and whitespace-only drafts get a friendly warning', () => {
    assert.deepEqual(extractDraftFromFile(fixture('empty.tex')).warnings, [
      'The draft is empty: write a title and an abstract to get a category prediction.',
    ]);
    const blank = extractDraftFromFile(fixture('blank.md'));
    assert.equal(blank.format, 'markdown');
    assert.deepEqual(blank.warnings, ['The draft is empty: write a title and an abstract to get a category prediction.']);
  });

  it('a missing file and a directory are reported, not thrown', () => {
    assert.deepEqual(extractDraftFromFile(path.join(tmp, 'nope.tex')).warnings, [`File not found: ${path.join(tmp, 'nope.tex')}`]);
    assert.deepEqual(extractDraftFromFile(tmp).warnings, [`Not a regular file: ${tmp}`]);
  });

  it('never throws on truncated or shuffled drafts (fixed-seed fuzz over every fixture)', () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const sources = fs
      .readdirSync(fixture('.'))
      .filter((f) => /\.(tex|md|qmd|Rmd)$/.test(f) && f !== 'binary.tex')
      .map((f) => ({ f, text: readFixture(f) }));
    let runs = 0;
    for (const { f, text } of sources) {
      for (let k = 0; k < 6; k++) {
        const a = Math.floor(random() * text.length);
        const b = Math.floor(random() * text.length);
        const variants = [text.slice(0, a), text.slice(a), text.slice(0, Math.min(a, b)) + text.slice(Math.max(a, b)), text.slice(b) + text.slice(0, a)];
        for (const v of variants) {
          const draft = extractDraft(v, { fileName: f });
          runs++;
          assert.ok(Array.isArray(draft.warnings) && Array.isArray(draft.files) && Array.isArray(draft.declaredCategories));
          assert.ok(!draft.warnings.some((w) => w.startsWith('Internal error')), `${f}: ${draft.warnings.join(' | ')}`);
        }
      }
    }
    assert.ok(runs > 500);
  });

  it('non-string input does not throw', () => {
    const draft = extractDraft(undefined as unknown as string, { fileName: 'x.tex' });
    assert.deepEqual(draft.warnings, ['No text was given for the draft.']);
  });
});
