import { strict as assert } from 'node:assert';
import { latexToText } from '../../../src/draft/latexText';
import { maskComments, groupEnd, scanEvents } from '../../../src/draft/latexScan';
import { LineIndex } from '../../../src/draft/lineIndex';

function text(source: string, definitions: Record<string, string> = {}): string {
  return latexToText(source, { definitions: new Map(Object.entries(definitions)), warnings: [] });
}

describe('draft extraction: LaTeX snippet to text', () => {
  it('markup macros keep their text, references disappear', () => {
    assert.equal(text('\\emph{a} \\textbf{b} \\textit{c} \\textsc{d} \\texttt{e} \\underline{f}'), 'a b c d e f');
    assert.equal(text('See~\\cite{x}, \\citep[p.~3]{y} and \\citet*{z}; Eq.~\\eqref{e} and \\cref{s}.'), 'See, and; Eq. and.');
    assert.equal(text('A claim\\footnote{A footnote.} here\\label{l}.'), 'A claim here.');
    assert.equal(text('Results (\\cite{a}) hold.'), 'Results hold.');
  });

  it('links, colours and urls', () => {
    assert.equal(text('\\href{https://x.org}{our code} and \\textcolor{red}{red text}'), 'our code and red text');
    assert.equal(text('at \\url{https://github.com/a_b/c}'), 'at https://github.com/a_b/c');
  });

  it('accents in every spelling become Unicode', () => {
    assert.equal(text('\\"{o} \\"o \\\'e \\`a \\^{i} \\~n \\c{c} \\v{s} \\H{o} \\={a} \\u{g} \\r{a} \\k{e}'), 'ö ö é à î ñ ç š ő ā ğ å ę');
    assert.equal(text('Schr\\"odinger, Erd\\H{o}s, na\\"{\\i}ve, \\ss{} \\o{} \\aa'), 'Schrödinger, Erdős, naïve, ß ø å');
  });

  it('TeX ligatures and spacing: dashes, quotes, ties, line breaks', () => {
    assert.equal(text('1--2, a---b, ``quoted\'\', non~breaking'), '1–2, a—b, “quoted”, non breaking');
    assert.equal(text('Two\\\\lines\\newline three\\\\[2pt]four'), 'Two lines three four');
    assert.equal(text('  lots \n\n of   space\t'), 'lots of space');
  });

  it('math keeps its TeX source between $...$ whatever the delimiters', () => {
    assert.equal(text('with $x^2 + y_i$ and \\(a_b\\) and \\[ \\sum_i z_i \\]'), 'with $x^2 + y_i$ and $a_b$ and $\\sum_i z_i$');
    assert.equal(text('an equation \\begin{equation} E = mc^2 \\label{eq} \\end{equation} done'), 'an equation $E = mc^2 \\label{eq}$ done');
    assert.equal(text('price 10\\$ and 50\\% and R\\&D and a\\_b'), 'price 10$ and 50% and R&D and a_b');
  });

  it('comments go, escaped percent signs stay; a comment at a line end joins words like TeX does', () => {
    assert.equal(text('keep 5\\% % drop this\nnext'), 'keep 5% next');
    assert.equal(text('hyphen%\nated'), 'hyphenated');
  });

  it('zero-argument user macros are expanded, unknown macros keep their argument text', () => {
    assert.equal(text('We propose \\method{}, and \\method.', { method: '\\textsc{FooNet}' }), 'We propose FooNet, and FooNet.');
    assert.equal(text('An \\unknownmacro{argument} and \\bare word'), 'An argument and word');
    assert.equal(text('CVPR shorthands: \\eg \\ie \\etal'), 'CVPR shorthands: e.g. i.e. et al.');
  });

  it('self-referencing definitions do not loop', () => {
    assert.equal(text('x \\loop y', { loop: 'a \\loop' }), 'x a a a a a y');
  });

  it('figures and tables inside an abstract are left out', () => {
    assert.equal(text('Text \\begin{figure}\\caption{No}\\end{figure} more \\begin{itemize}\\item one \\item two\\end{itemize}'), 'Text more one two');
  });
});

describe('draft extraction: LaTeX scanner', () => {
  it('masks comments but keeps \\% and offsets', () => {
    const src = 'a % c\n50\\% b %% d\n\\\\% e';
    const masked = maskComments(src);
    assert.equal(masked.length, src.length);
    assert.equal(masked, 'a    \n50\\% b     \n\\\\   ');
  });

  it('masks the comment environment', () => {
    assert.equal(maskComments('x\\begin{comment}\n\\title{No}\n\\end{comment}y'), 'x               \n          \n             y');
  });

  it('matches nested and escaped braces, refuses runaway arguments', () => {
    const s = '{a {b} \\} c}';
    assert.equal(groupEnd(s, 0, 100, true), s.length);
    assert.equal(groupEnd('{never closed', 0, 100, true), -1);
    assert.equal(groupEnd('{stops at\n\nparagraph}', 0, 100, true), -1);
    assert.equal(groupEnd('[opt {with ] brace}]', 0, 100, true), 20);
  });

  it('ignores \\title and \\abstract being redefined', () => {
    const events = scanEvents('\\renewcommand{\\abstract}{x}\\def\\title#1{y}\\let\\title\\relax\\title{Real}');
    assert.deepEqual(events.map((e) => e.kind), ['title']);
  });
});

describe('draft extraction: small LaTeX conveniences', () => {
  it('\\texorpdfstring gives its plain version, \\IEEEPARstart joins its letters', () => {
    assert.equal(text('Title with \\texorpdfstring{$\\alpha$}{alpha}'), 'Title with alpha');
    assert.equal(text('\\IEEEPARstart{T}{his} paper'), 'This paper');
  });
});

describe('draft extraction: body text details', () => {
  it('starred headings and option lists of unknown macros are not text', () => {
    assert.equal(text('\\chapter*{Declaration} I confirm. \\printglossary[type=\\acronymtype] \\section[Short]{Long} Body.'), 'Declaration I confirm. Long Body.');
  });
});


describe('draft extraction: line index', () => {
  it('maps offsets to LSP positions for LF, CRLF and lone CR, asked in any order', () => {
    const text = 'ab\ncd\r\nef\rgh';
    const li = new LineIndex(text);
    assert.deepEqual(li.position(text.indexOf('h')), { line: 3, character: 1 });
    assert.deepEqual(li.position(0), { line: 0, character: 0 });
    assert.deepEqual(li.position(text.indexOf('d')), { line: 1, character: 1 });
    assert.deepEqual(li.position(text.indexOf('e')), { line: 2, character: 0 });
    assert.deepEqual(li.position(text.length), { line: 3, character: 2 });
    assert.equal(li.lineCount, 4);
    assert.equal(li.lineStart(2), text.indexOf('e'));
  });

  it('a line deep in a 2 MB LF file is found quickly', () => {
    const text = 'x'.repeat(40).concat('\n').repeat(50_000);
    const t0 = performance.now();
    const li = new LineIndex(text);
    assert.deepEqual(li.position(text.length - 3), { line: 49_999, character: 38 });
    assert.ok(performance.now() - t0 < 500);
  });
});
