/**
 * Cheap, comment-aware scanning of LaTeX source. unified-latex's parser costs ~5-15 ms per KB, far too
 * slow to run over a whole paper on every edit, so this scanner only *locates* the spans that matter
 * (title argument, abstract body, \input commands); src/draft/latexText.ts then parses just those spans
 * with unified-latex. Every offset here is an offset into the original file text.
 */

/** Text of the same length with comments (`%` to end of line, not `\%`) and hidden blocks blanked. */
export function maskComments(text: string): string {
  return maskSource(text).masked;
}

export interface MaskedSource {
  /** Comments and hidden blocks blanked: what the scanner searches. */
  masked: string;
  /** Only hidden blocks blanked, `%` comments kept: what is parsed (a `%` at a line end joins words). */
  visible: string;
}

/**
 * Both masks of a file, each the length of the text. Hidden blocks are the comment package's
 * environment and `\iffalse ... \fi`, found in the comment-free text so `% \iffalse` does not count.
 */
export function maskSource(text: string): MaskedSource {
  const masked = maskPercentComments(text);
  const blocks: Span[] = [];
  // The comment package's environment hides whole blocks from LaTeX, so hide them from us too.
  const commentEnv = /\\begin\s*\{comment\}[\s\S]*?(?:\\end\s*\{comment\}|$)/g;
  for (let m = commentEnv.exec(masked); m; m = commentEnv.exec(masked)) blocks.push({ start: m.index, end: m.index + m[0].length });
  iffalseBlocks(masked, blocks);
  if (!blocks.length) return { masked, visible: text };
  blocks.sort((a, b) => a.start - b.start);
  return { masked: blankSpans(masked, blocks), visible: blankSpans(text, blocks) };
}

function maskPercentComments(text: string): string {
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
  return parts.join('');
}

/** `text` with every span blanked except line breaks (offsets and line numbers kept); spans sorted. */
function blankSpans(text: string, spans: Span[]): string {
  const parts: string[] = [];
  let from = 0;
  for (const s of spans) {
    if (s.start < from) continue; // inside a block already blanked (\iffalse within a comment environment)
    // Whole runs replaced at once: one regex match per character cost ~100 ms on a 1 MB hidden block.
    parts.push(text.slice(from, s.start), text.slice(s.start, s.end).replace(/[^\r\n]+/g, (run) => ' '.repeat(run.length)));
    from = s.end;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

/**
 * `\iffalse ... \fi` blocks (up to an `\else` at the same level, whose branch TeX does read): a common
 * way to hide an old abstract or title. Conditionals nested inside are counted like TeX counts them;
 * `\iftoggle{..}`-style macros with arguments are not conditionals and need no `\fi`. An `\iffalse`
 * without its `\fi` is a TeX error and usually a `\fi` not typed yet, so it hides nothing.
 */
function iffalseBlocks(masked: string, into: Span[]): void {
  const first = masked.indexOf('\\iffalse');
  if (first < 0) return;
  const re = /\\(if[A-Za-z@]*|fi|else)(?![A-Za-z@])/g;
  re.lastIndex = first;
  let start = -1;
  let depth = 0;
  for (let m = re.exec(masked); m; m = re.exec(masked)) {
    const name = m[1];
    if (start < 0) {
      if (name === 'iffalse' && isConditional(masked, m.index, m[0].length)) {
        start = m.index;
        depth = 0;
      }
    } else if (name === 'fi' || name === 'else') {
      if (depth > 0) {
        if (name === 'fi') depth--;
        continue;
      }
      into.push({ start, end: m.index + m[0].length });
      start = -1;
    } else if (isConditional(masked, m.index, m[0].length)) depth++;
  }
}

/** `\ifx`, `\ifdraft`, `\iffalse` as a test, not `\let\ifdraft\iffalse`, `\newif\ifdraft` or `\ifthenelse{..}`. */
function isConditional(masked: string, at: number, length: number): boolean {
  if (/^\s*\{/.test(masked.slice(at + length, at + length + 20))) return false;
  return !/(?:\\newif|\\let|\\[gex]?def|\\endcsname|\\let\s*\\[A-Za-z@]+)\s*=?\s*$/.test(masked.slice(Math.max(0, at - 60), at));
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
    const e = groupEnd(masked, p, Math.min(2000, limit), true);
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

/** Why an abstract environment's body ends where it does. */
export type AbstractStop =
  | { kind: 'closed' }
  /** No \end{abstract}: stopped at a command that cannot be part of an abstract (`name` as written). */
  | { kind: 'boundary'; name: string }
  | { kind: 'endOfFile' }
  /** No \end{abstract} and no boundary within UNCLOSED_ABSTRACT_CHARS: cut there. */
  | { kind: 'cap' };

export type LatexEvent =
  | { kind: 'beginDocument'; start: number; end: number }
  | { kind: 'title'; name: string; start: number; end: number; arg?: Span; unclosed: boolean }
  /** Where the title is typeset (\maketitle, \end{frontmatter}) or the body has begun (a file's first \section): later \title commands do not count. */
  | { kind: 'titleEnd'; start: number; end: number }
  | { kind: 'abstractEnv'; start: number; end: number; body: Span; stop: AbstractStop }
  | { kind: 'abstractMacro'; start: number; end: number; args: Span[] }
  | { kind: 'abstractSection'; start: number; end: number; body: Span }
  | { kind: 'include'; command: string; start: number; end: number; dir?: string; file: string };

/** \Title is MDPI's, \TITLE INFORMS'. Running titles (\titlerunning, \icmltitlerunning) are not matched. */
const TITLE_MACROS = ['title', 'icmltitle', 'Title', 'TITLE'];
const INCLUDE_MACROS = ['input', 'include', 'subfile', 'import', 'subimport', 'inputfrom', 'includefrom', 'subinputfrom', 'subincludefrom'];
const EVENT_RE = new RegExp(
  String.raw`\\(begin|end)[ \t]*\{[ \t]*(abstract\*?|document|frontmatter)[ \t]*\}|\\(` +
    [...TITLE_MACROS, 'abstract', ...INCLUDE_MACROS, 'section', 'chapter', 'maketitle'].join('|') +
    String.raw`)(?![A-Za-z@])`,
  'g',
);
const ABSTRACT_ENV_RE = /\\(begin|end)[ \t]*\{[ \t]*abstract\*?[ \t]*\}/g;
/** Where an abstract without \end{abstract} is taken to stop. */
const ABSTRACT_STOP =
  /\\(?:(?:sub)*section|chapter|part|paragraph|appendix|maketitle|bibliography|printbibliography|keywords|input|include|twocolumn|icmlkeywords|newpage|clearpage|cleardoublepage|tableofcontents)(?![A-Za-z@])|\\(?:begin|end)[ \t]*\{[ \t]*(?:document|keyword|keywords|IEEEkeywords|frontmatter|abstract|figure|table)\*?[ \t]*\}|^[ \t]*\][ \t]*$/m;
/**
 * An abstract without \end{abstract} and without any such boundary (a draft of loose paragraphs) stops
 * after this much source: arXiv abstracts are at most 1,920 characters, and the text is parsed
 * synchronously, so the rest of a 2 MB file must never be taken for the abstract.
 */
const UNCLOSED_ABSTRACT_CHARS = 3000;
/** How far to look for a sectioning command after an unclosed \begin{abstract}. */
const UNCLOSED_SEARCH_CHARS = 50_000;
/** Title/\abstract macros whose arguments are read per file: a paper has a few; garbage may have 100,000. */
const MAX_ARGUMENT_EVENTS = 50;
/** An unclosed \title{ takes the rest of its line, but no more than this. */
const UNCLOSED_TITLE_CHARS = 500;
const SECTION_STOP =
  /\\(?:section|chapter|part|bibliography|printbibliography|appendix|include|newpage|clearpage|cleardoublepage|tableofcontents|maketitle)(?![A-Za-z@])|\\end[ \t]*\{[ \t]*document[ \t]*\}/g;
/** A "Keywords:" / "Index Terms" paragraph at the end of an abstract is not part of it. */
const KEYWORDS_LINE = /^[ \t]*(?:\\noindent\s*)?(?:\\(?:textbf|textit|emph|textsc|bf|it)\s*(?:\{\s*)?)?\\?(?:key\s?words|index\s+terms)\b/im;

/** End of an abstract body once a trailing keywords paragraph is cut off. */
export function withoutKeywords(masked: string, body: Span): Span {
  const i = masked.slice(body.start, body.end).search(KEYWORDS_LINE);
  return i > 0 ? { start: body.start, end: body.start + i } : body;
}
/** Tested on the trimmed heading; each optional part brings its own spaces, so no run of spaces is split two ways. */
const ABSTRACT_HEADING = /^(?:\\[a-zA-Z]+\s*)*(?:\{\s*)?(abstract|summary)(?:\s*[.:])?(?:\s*\})?$/i;

/** Offset of the first match of the global regex `re` at or after `from`, or `fallback`; no copy of the text. */
function searchFrom(masked: string, re: RegExp, from: number, fallback: number): number {
  re.lastIndex = from;
  const m = re.exec(masked);
  return m ? m.index : fallback;
}

/**
 * Where to cut `text` so that at most `max` characters from `start` are kept: at the last paragraph
 * break in the second half of that window, else at the last line break or space, else at `max`.
 */
export function cutPoint(text: string, start: number, max: number): number {
  if (text.length - start <= max) return text.length;
  const window = text.slice(start, start + max);
  let para = -1;
  const breaks = /\n[ \t]*\r?\n/g;
  for (let m = breaks.exec(window); m; m = breaks.exec(window)) para = m.index;
  if (para > max / 2) return start + para;
  const space = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
  return start + (space > max / 2 ? space : max);
}

/**
 * Offsets of paragraph breaks outside any brace group or environment, at least `every` characters
 * apart: places where a long passage can be split into separately parsed pieces (unified-latex's time
 * grows with the input, and the body text often needs only its first pieces).
 */
export function paragraphCuts(masked: string, every: number): number[] {
  const cuts: number[] = [];
  let braces = 0;
  let envs = 0;
  let last = 0;
  const re = /\\(begin|end)\s*\{[^{}]*\}|\\[^]|[{}]|\n[ \t]*\r?\n/g;
  for (let m = re.exec(masked); m; m = re.exec(masked)) {
    const t = m[0];
    if (m[1] === 'begin') envs++;
    else if (m[1] === 'end') envs = Math.max(0, envs - 1);
    else if (t === '{') braces++;
    else if (t === '}') braces = Math.max(0, braces - 1);
    else if (t[0] === '\n' && braces === 0 && envs === 0 && m.index - last >= every) {
      cuts.push(m.index);
      last = m.index;
    }
  }
  return cuts;
}

interface AbstractBody {
  end: number;
  after: number;
  stop: AbstractStop;
}

/**
 * Abstract candidates (environments, \abstract macros, Abstract sections) read per file: a paper has one
 * or two; 1 MB of `\begin{abstract}` has 60,000, and reading each one's body is a scan of its own.
 */
const MAX_ABSTRACT_EVENTS = 50;

/**
 * Bodies of all abstract environments, keyed by the offset of their \begin, in one pass: each \begin is
 * paired with its \end like brackets (a nested one counts), so many unclosed \begin{abstract} stay linear.
 */
function abstractBodies(masked: string): Map<number, AbstractBody | undefined> {
  // Unclosed ones map to undefined: their body is looked for only if the scanner uses them.
  const bodies = new Map<number, AbstractBody | undefined>();
  const open: { at: number; from: number }[] = [];
  ABSTRACT_ENV_RE.lastIndex = 0;
  for (let m = ABSTRACT_ENV_RE.exec(masked); m; m = ABSTRACT_ENV_RE.exec(masked)) {
    if (m[1] === 'begin') open.push({ at: m.index, from: m.index + m[0].length });
    else {
      const begin = open.pop();
      if (begin) bodies.set(begin.at, { end: m.index, after: m.index + m[0].length, stop: { kind: 'closed' } });
    }
  }
  for (const begin of open) bodies.set(begin.at, undefined);
  return bodies;
}

/** An abstract without \end{abstract}: up to the next boundary command, the end of the file or the cap. */
function unclosedBody(masked: string, from: number): AbstractBody {
  const window = masked.slice(from, from + UNCLOSED_SEARCH_CHARS);
  const m = ABSTRACT_STOP.exec(window);
  const boundary = m ? from + m.index : from + window.length;
  if (boundary - from > UNCLOSED_ABSTRACT_CHARS) {
    const cap = cutPoint(masked, from, UNCLOSED_ABSTRACT_CHARS);
    return { end: cap, after: cap, stop: { kind: 'cap' } };
  }
  if (m) return { end: boundary, after: boundary, stop: { kind: 'boundary', name: m[0].trim().replace(/[ \t]+/g, '') } };
  return { end: boundary, after: boundary, stop: { kind: 'endOfFile' } };
}

/** All events of one file in document order. */
export function scanEvents(masked: string): LatexEvent[] {
  const events: LatexEvent[] = [];
  const bodies = masked.includes('abstract') ? abstractBodies(masked) : new Map<number, AbstractBody | undefined>();
  let argumentEvents = 0;
  let abstractEvents = 0;
  let sawSection = false;
  EVENT_RE.lastIndex = 0;
  for (let m = EVENT_RE.exec(masked); m; m = EVENT_RE.exec(masked)) {
    const start = m.index;
    const afterName = start + m[0].length;
    if (m[1]) {
      if (m[1] === 'begin' && m[2] === 'document') events.push({ kind: 'beginDocument', start, end: afterName });
      else if (m[2] === 'frontmatter') {
        if (m[1] === 'end') events.push({ kind: 'titleEnd', start, end: afterName });
      } else if (m[1] === 'begin' && m[2] !== 'document') {
        if (++abstractEvents > MAX_ABSTRACT_EVENTS) continue;
        const body = bodies.get(start) ?? unclosedBody(masked, afterName);
        // Scanning goes on inside the body: an \input there must be seen (the walker skips the rest).
        events.push({
          kind: 'abstractEnv',
          start,
          end: body.after,
          body: { start: afterName, end: body.end },
          stop: body.stop,
        });
      }
      continue;
    }
    const name = m[3];
    if (isBeingDefined(masked, start)) continue;
    if (name === 'maketitle') {
      events.push({ kind: 'titleEnd', start, end: afterName });
      continue;
    }
    if (TITLE_MACROS.includes(name)) {
      if (++argumentEvents > MAX_ARGUMENT_EVENTS) continue;
      const args = readArgs(masked, afterName, 1, 3000);
      if (args.mandatory.length) events.push({ kind: 'title', name, start, end: args.end, arg: args.mandatory[0], unclosed: false });
      else if (args.unclosedAt !== undefined) {
        let eol = masked.indexOf('\n', args.unclosedAt);
        if (eol < 0) eol = masked.length;
        eol = Math.min(eol, args.unclosedAt + UNCLOSED_TITLE_CHARS);
        events.push({ kind: 'title', name, start, end: eol, arg: { start: args.unclosedAt + 1, end: eol }, unclosed: true });
      }
    } else if (name === 'abstract') {
      if (++abstractEvents > MAX_ABSTRACT_EVENTS) continue;
      // \abstract{...} in some classes; A&A's structured abstract takes up to five arguments.
      const args = readArgs(masked, afterName, 5, 20000, false);
      if (args.mandatory.length) events.push({ kind: 'abstractMacro', start, end: args.end, args: args.mandatory });
    } else if (name === 'section' || name === 'chapter') {
      const abstractLike = /abstract|summary/i.test(masked.slice(afterName, afterName + 80));
      if (!sawSection && !abstractLike) events.push({ kind: 'titleEnd', start, end: start });
      sawSection = true;
      // Papers have hundreds of sections; only one titled Abstract/Summary matters here.
      if (abstractEvents >= MAX_ABSTRACT_EVENTS || !abstractLike) continue;
      const args = readArgs(masked, afterName, 1, 500);
      const heading = args.mandatory[0];
      if (heading && ABSTRACT_HEADING.test(masked.slice(heading.start, heading.end).trim())) {
        abstractEvents++;
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

/**
 * A file-name argument `{...}` at `p` (after spaces): file names hold no braces, so the scan stops at the
 * first `{` or `}` instead of matching groups up to a budget. That keeps 1 MB of `\input{\input{...` linear:
 * each failed match ends at the next brace, where a group scan would read 500 characters every time.
 */
const FILE_ARG_RE = /\s*\{([^{}]{0,500})\}/y;
const STAR_RE = /\s*\*/y;
function fileArg(masked: string, p: number): { end: number; name: string } | undefined {
  FILE_ARG_RE.lastIndex = p;
  const m = FILE_ARG_RE.exec(masked);
  return m ? { end: p + m[0].length, name: m[1].trim().replace(/^"(.*)"$/, '$1') } : undefined;
}

function readInclude(masked: string, command: string, afterName: number): { end: number; dir?: string; file: string } | undefined {
  const twoArgs = !['input', 'include', 'subfile'].includes(command);
  STAR_RE.lastIndex = afterName;
  const first = fileArg(masked, STAR_RE.test(masked) ? STAR_RE.lastIndex : afterName); // \import*, \subimport*
  if (twoArgs) {
    const second = first && fileArg(masked, first.end);
    return second ? { end: second.end, dir: first.name, file: second.name } : undefined;
  }
  if (first) return { end: first.end, file: first.name };
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
