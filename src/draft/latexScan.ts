/**
 * Cheap, comment-aware scanning of LaTeX source. unified-latex's parser costs ~5-15 ms per KB, far too
 * slow to run over a whole paper on every edit, so this scanner only *locates* the spans that matter
 * (title argument, abstract body, \input commands); src/draft/latexText.ts then parses just those spans
 * with unified-latex. Every offset here is an offset into the original file text.
 */

/** Text of the same length with comments (`%` to end of line, not `\%`) and comment environments blanked. */
export function maskComments(text: string): string {
  const parts: string[] = [];
  let from = 0;
  let i = text.indexOf('%');
  while (i !== -1) {
    let backslashes = 0;
    for (let j = i - 1; j >= 0 && text.charCodeAt(j) === 92; j--) backslashes++;
    if (backslashes % 2 === 1) {
      i = text.indexOf('%', i + 1);
      continue;
    }
    let eol = i;
    while (eol < text.length && text[eol] !== '\n' && text[eol] !== '\r') eol++;
    parts.push(text.slice(from, i), ' '.repeat(eol - i));
    from = eol;
    i = text.indexOf('%', eol);
  }
  parts.push(text.slice(from));
  let masked = parts.join('');
  // The comment package's environment hides whole blocks from LaTeX, so hide them from us too.
  const commentEnv = /\\begin\s*\{comment\}[\s\S]*?(?:\\end\s*\{comment\}|$)/g;
  masked = masked.replace(commentEnv, (m) => m.replace(/[^\r\n]/g, ' '));
  return masked;
}

/**
 * Index just after the group opened at `open` (`{` or `[`), honouring nested braces and `\{`.
 * Returns -1 when the group is not closed within `limit` characters or (with stopAtParagraph) before a
 * blank line, which is also where TeX would complain about a runaway argument.
 */
export function groupEnd(masked: string, open: number, limit: number, stopAtParagraph: boolean): number {
  const close = masked[open] === '[' ? ']' : '}';
  let depth = 0;
  const end = Math.min(masked.length, open + limit);
  for (let i = open + 1; i < end; i++) {
    const c = masked[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return close === '}' ? i + 1 : -1;
      depth--;
    } else if (c === close && depth === 0) return i + 1;
    else if (stopAtParagraph && c === '\n' && /^\n[ \t]*\r?\n/.test(masked.slice(i, i + 40))) return -1;
  }
  return -1;
}

/** Skips spaces, tabs and at most one line break (TeX allows one between a macro and its argument). */
export function skipSpace(masked: string, i: number): number {
  let newlines = 0;
  while (i < masked.length) {
    const c = masked[i];
    if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '\n' && newlines === 0) {
      newlines++;
      i++;
    } else break;
  }
  return i;
}

export interface Span {
  start: number;
  end: number;
}

export interface MacroArgs {
  /** Inner spans (without the brackets) of the optional `[...]` arguments. */
  optional: Span[];
  /** Inner spans (without the braces) of the mandatory `{...}` arguments. */
  mandatory: Span[];
  /** End of the last argument read. */
  end: number;
  /** A `{` was opened but not closed. */
  unclosedAt?: number;
}

/** Reads `*`, `[..]` optional and up to `maxMandatory` `{..}` arguments that follow a macro name at `i`. */
export function readArgs(masked: string, i: number, maxMandatory: number, limit: number, stopAtParagraph = true): MacroArgs {
  const args: MacroArgs = { optional: [], mandatory: [], end: i };
  let p = skipSpace(masked, i);
  if (masked[p] === '*') p = skipSpace(masked, p + 1);
  while (masked[p] === '[') {
    const e = groupEnd(masked, p, 2000, true);
    if (e < 0) return args;
    args.optional.push({ start: p + 1, end: e - 1 });
    args.end = e;
    p = skipSpace(masked, e);
  }
  while (args.mandatory.length < maxMandatory && masked[p] === '{') {
    const e = groupEnd(masked, p, limit, stopAtParagraph);
    if (e < 0) {
      args.unclosedAt = p;
      return args;
    }
    args.mandatory.push({ start: p + 1, end: e - 1 });
    args.end = e;
    p = skipSpace(masked, e);
  }
  return args;
}

const DEFINITION_BEFORE =
  /(?:\\(?:re)?newcommand\*?|\\providecommand\*?|\\DeclareRobustCommand\*?|\\[gex]?def|\\let|\\(?:re)?newenvironment\*?|\\AtBeginDocument|\\expandafter)\s*\{?\s*$/;

/** True when the macro at `i` is the thing being (re)defined, e.g. `\renewcommand{\abstract}`. */
export function isBeingDefined(masked: string, i: number): boolean {
  return DEFINITION_BEFORE.test(masked.slice(Math.max(0, i - 40), i));
}

export type LatexEvent =
  | { kind: 'beginDocument'; start: number; end: number }
  | { kind: 'title'; name: string; start: number; end: number; arg?: Span; unclosed: boolean }
  | { kind: 'abstractEnv'; start: number; end: number; body: Span; closed: boolean }
  | { kind: 'abstractMacro'; start: number; end: number; args: Span[] }
  | { kind: 'abstractSection'; start: number; end: number; body: Span }
  | { kind: 'include'; command: string; start: number; end: number; dir?: string; file: string };

const TITLE_MACROS = ['title', 'icmltitle'];
const INCLUDE_MACROS = ['input', 'include', 'subfile', 'import', 'subimport', 'inputfrom', 'includefrom', 'subinputfrom', 'subincludefrom'];
const EVENT_RE = new RegExp(
  String.raw`\\(begin|end)[ \t]*\{[ \t]*(abstract|document)[ \t]*\}|\\(` +
    [...TITLE_MACROS, 'abstract', ...INCLUDE_MACROS, 'section', 'chapter'].join('|') +
    String.raw`)(?![A-Za-z@])`,
  'g',
);
/** Where an abstract without \end{abstract} is taken to stop. */
const ABSTRACT_STOP =
  /\\(?:section|subsection|chapter|paragraph|maketitle|bibliography|printbibliography|keywords|input|include|twocolumn|icmlkeywords)(?![A-Za-z@])|\\(?:begin|end)[ \t]*\{[ \t]*(?:document|keyword|keywords|IEEEkeywords|frontmatter|abstract|figure|table)\*?[ \t]*\}|^[ \t]*\][ \t]*$/m;
const SECTION_STOP =
  /\\(?:section|chapter|part|bibliography|printbibliography|appendix|include|newpage|clearpage|cleardoublepage|tableofcontents|maketitle)(?![A-Za-z@])|\\end[ \t]*\{[ \t]*document[ \t]*\}/;
/** A "Keywords:" / "Index Terms" paragraph at the end of an abstract is not part of it. */
const KEYWORDS_LINE = /^[ \t]*(?:\\noindent\s*)?(?:\\(?:textbf|textit|emph|textsc|bf|it)\s*\{?\s*)?\\?(?:key\s?words|index\s+terms)\b/im;

/** End of an abstract body once a trailing keywords paragraph is cut off. */
export function withoutKeywords(masked: string, body: Span): Span {
  const i = masked.slice(body.start, body.end).search(KEYWORDS_LINE);
  return i > 0 ? { start: body.start, end: body.start + i } : body;
}
const ABSTRACT_HEADING = /^\s*(?:\\[a-zA-Z]+\s*)*\{?\s*(abstract|summary)\s*[.:]?\s*\}?\s*$/i;

/** Offset of the first match of `re` at or after `from`, or `fallback`. */
function searchFrom(masked: string, re: RegExp, from: number, fallback: number): number {
  const i = masked.slice(from).search(re);
  return i < 0 ? fallback : from + i;
}

/** Finds the end of `\begin{abstract}`'s body; nested abstract environments are counted. */
function abstractBodyEnd(masked: string, from: number): { end: number; closed: boolean; after: number } {
  const re = /\\(begin|end)[ \t]*\{[ \t]*abstract[ \t]*\}/g;
  re.lastIndex = from;
  let depth = 0;
  for (let m = re.exec(masked); m; m = re.exec(masked)) {
    if (m[1] === 'begin') depth++;
    else if (depth === 0) return { end: m.index, closed: true, after: m.index + m[0].length };
    else depth--;
  }
  const stop = searchFrom(masked, ABSTRACT_STOP, from, masked.length);
  return { end: stop, closed: false, after: stop };
}

/** All events of one file in document order. */
export function scanEvents(masked: string): LatexEvent[] {
  const events: LatexEvent[] = [];
  EVENT_RE.lastIndex = 0;
  for (let m = EVENT_RE.exec(masked); m; m = EVENT_RE.exec(masked)) {
    const start = m.index;
    const afterName = start + m[0].length;
    if (m[1]) {
      if (m[1] === 'begin' && m[2] === 'document') events.push({ kind: 'beginDocument', start, end: afterName });
      else if (m[1] === 'begin' && m[2] === 'abstract') {
        const body = abstractBodyEnd(masked, afterName);
        // Scanning goes on inside the body: an \input there must be seen (the walker skips the rest).
        events.push({ kind: 'abstractEnv', start, end: body.after, body: { start: afterName, end: body.end }, closed: body.closed });
      }
      continue;
    }
    const name = m[3];
    if (isBeingDefined(masked, start)) continue;
    if (TITLE_MACROS.includes(name)) {
      const args = readArgs(masked, afterName, 1, 3000);
      if (args.mandatory.length) events.push({ kind: 'title', name, start, end: args.end, arg: args.mandatory[0], unclosed: false });
      else if (args.unclosedAt !== undefined) {
        let eol = masked.indexOf('\n', args.unclosedAt);
        if (eol < 0) eol = masked.length;
        events.push({ kind: 'title', name, start, end: eol, arg: { start: args.unclosedAt + 1, end: eol }, unclosed: true });
      }
    } else if (name === 'abstract') {
      // \abstract{...} in some classes; A&A's structured abstract takes up to five arguments.
      const args = readArgs(masked, afterName, 5, 20000, false);
      if (args.mandatory.length) events.push({ kind: 'abstractMacro', start, end: args.end, args: args.mandatory });
    } else if (name === 'section' || name === 'chapter') {
      // Papers have hundreds of sections; only one titled Abstract/Summary matters here.
      if (!/abstract|summary/i.test(masked.slice(afterName, afterName + 80))) continue;
      const args = readArgs(masked, afterName, 1, 500);
      const heading = args.mandatory[0];
      if (heading && ABSTRACT_HEADING.test(masked.slice(heading.start, heading.end))) {
        const stop = searchFrom(masked, SECTION_STOP, args.end, masked.length);
        events.push({ kind: 'abstractSection', start, end: stop, body: { start: args.end, end: stop } });
      }
    } else {
      const inc = readInclude(masked, name, afterName);
      if (inc) events.push({ kind: 'include', command: name, start, ...inc });
    }
  }
  return events;
}

function readInclude(masked: string, command: string, afterName: number): { end: number; dir?: string; file: string } | undefined {
  const twoArgs = !['input', 'include', 'subfile'].includes(command);
  const args = readArgs(masked, afterName, twoArgs ? 2 : 1, 500);
  const clean = (s: Span) => masked.slice(s.start, s.end).trim().replace(/^"(.*)"$/, '$1');
  if (twoArgs) {
    if (args.mandatory.length < 2) return undefined;
    return { end: args.end, dir: clean(args.mandatory[0]), file: clean(args.mandatory[1]) };
  }
  if (args.mandatory.length) return { end: args.end, file: clean(args.mandatory[0]) };
  if (command === 'input') {
    // Plain TeX syntax: \input file
    const m = /^[ \t]+([^\s{}\\%]+)/.exec(masked.slice(afterName, afterName + 300));
    if (m) return { end: afterName + m[0].length, file: m[1] };
  }
  return undefined;
}

/**
 * Zero-argument definitions such as `\newcommand{\method}{FooNet}` or `\def\method{FooNet}`, so the
 * abstract "We propose \method{}" reads "We propose FooNet". Macros with parameters are left alone.
 */
export function scanSimpleDefinitions(masked: string, text: string, into: Map<string, string>): void {
  const re =
    /\\(?:(?:re)?newcommand|providecommand|DeclareRobustCommand)\*?\s*(?:\{\s*\\([A-Za-z@]+)\s*\}|\\([A-Za-z@]+))\s*|\\[gex]?def\s*\\([A-Za-z@]+)\s*/g;
  for (let m = re.exec(masked); m; m = re.exec(masked)) {
    const name = m[1] ?? m[2] ?? m[3];
    const open = m.index + m[0].length;
    if (masked[open] !== '{') continue;
    const end = groupEnd(masked, open, 400, true);
    if (end < 0) continue;
    into.set(name, text.slice(open + 1, end - 1)); // the last definition wins, as with \renewcommand
  }
}
