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
    assert.equal(text('We extend~\\cite{x}, \\citep[p.~3]{y} and \\citet*{z}; see Eq.~\\eqref{e} and \\cref{s}.'), 'We extend.');
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

  it('self-referencing definitions do not loop: expanded once, the inner use left out with a warning', () => {
    const ctx = { definitions: new Map([['loop', 'a \\loop']]), warnings: [] as string[] };
    assert.equal(latexToText('x \\loop y', ctx), 'x a y');
    assert.deepEqual(ctx.warnings, ['\\loop is defined in terms of itself (TeX would loop forever on it): it was left out.']);
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

describe('draft extraction: notes, units and symbols', () => {
  it('footnote-like macros and draft notes leave no text', () => {
    assert.equal(text('Title\\titlenote{Produces the permission block.} here\\thanksref{t1}.'), 'Title here.');
    assert.equal(text('We show\\todo{cite more} that\\todo[inline]{rephrase} it\\note{check} works\\fxnote{typo}\\marginpar{see margin}.'), 'We show that it works.');
    assert.equal(text('A \\ding{72} star and \\fixme{x}\\fxwarning*{y} done.'), 'A star and done.');
  });

  it('inline fractions, textcomp symbols and siunitx quantities read as text', () => {
    assert.equal(text('\\nicefrac{1}{2} of the data, \\sfrac{3}{4} of the time'), '1/2 of the data, 3/4 of the time');
    assert.equal(text('2\\texttimes{} faster, \\textpm 3 and 5\\textmu m'), '2× faster, ± 3 and 5µ m');
    assert.equal(text('a \\SI{3.5}{\\giga\\hertz} clock'), 'a 3.5 GHz clock');
    assert.equal(text('\\qty{3}{\\kilo\\metre\\per\\second} and \\si{\\square\\metre} and \\SI[round-precision=2]{5}{GHz}'), '3 km/s and m^2 and 5 GHz');
    assert.equal(text('\\num{1.2e-3}, \\num{3.5 +- 0.1}, \\SI{50}{\\percent}, \\ang{30}, \\SIrange{1}{10}{\\hertz}'), '1.2×10^-3, 3.5 ± 0.1, 50%, 30°, 1–10 Hz');
  });
});

describe('draft extraction: words left by removed references', () => {
  it('"Fig.~\\ref{x}" and friends go as a unit; lists of references collapse', () => {
    assert.equal(text('Results are shown in Fig.~\\ref{f}, Table~\\ref{t}, and Section~\\ref{s}.'), 'Results are shown.');
    assert.equal(text('As Eq.~(\\ref{e}) shows, $x$ grows; see Sections~\\ref{a} and~\\ref{b}.'), 'As shows, $x$ grows.');
    assert.equal(text('The proof of Theorem~\\ref{t} is short.'), 'The proof is short.');
  });

  it('"See \\cite{a} and \\cite{b}." and "(e.g., \\cite{x})" leave nothing behind', () => {
    assert.equal(text('We build on prior work~\\cite{a,b}. See \\cite{a} and \\cite{b}. It works.'), 'We build on prior work. It works.');
    assert.equal(text('Methods (e.g., \\cite{a,b}) fail; cf.~\\citet{c}.'), 'Methods fail.');
    assert.equal(text('$x$. See also~\\cite{y}. Next.'), '$x$. Next.');
  });

  it('label words stay when no reference follows them, or before a citation', () => {
    assert.equal(text('A lookup table~\\cite{x} in the first section.'), 'A lookup table in the first section.');
    assert.equal(text('See the appendix for details.'), 'See the appendix for details.');
  });
});

describe('draft extraction: hidden blocks', () => {
  /** What the scanner still sees, spaces collapsed; the mask keeps the length. */
  const seen = (src: string) => {
    const masked = maskComments(src);
    assert.equal(masked.length, src.length);
    return masked.replace(/\s+/g, ' ').trim();
  };

  it('\\iffalse ... \\fi is masked, nesting-aware, up to an \\else', () => {
    assert.equal(seen('a\\iffalse b\\fi c'), 'a c');
    assert.equal(seen('\\iffalse x \\ifx\\a\\b y \\fi z \\fi w'), 'w');
    assert.equal(seen('\\iffalse\\iffalse x\\fi y\\fi z'), 'z');
    assert.equal(seen('\\iffalse old\\else new\\fi'), 'new\\fi');
    assert.equal(seen('x\\iffalse\n\\title{Hidden}\n\\fi\ny'), 'x y');
    assert.equal(maskComments('x\\iffalse\n\\fi\ny').split('\n').length, 3, 'line breaks are kept');
  });

  it('definitions, argument-taking \\if... macros, comments and a missing \\fi do not start or nest a block', () => {
    assert.equal(seen('\\let\\ifdraft\\iffalse T \\fi'), '\\let\\ifdraft\\iffalse T \\fi');
    assert.equal(seen('\\iffalse \\newif\\ifdraft \\iftoggle{x}{a}{b} hidden\\fi shown'), 'shown');
    assert.equal(seen('% \\iffalse\nkept \\fi'), 'kept \\fi');
    assert.equal(seen('\\iffalse never closed'), '\\iffalse never closed');
  });
});
