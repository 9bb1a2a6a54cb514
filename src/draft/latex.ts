/**
 * LaTeX drafts: follows \input/\include/\subfile/\import in document order until a title and an abstract
 * are found. Locating is done by src/draft/latexScan.ts; the text of what was found is read through
 * unified-latex (src/draft/latexText.ts).
 */
import * as path from 'node:path';
import type { DeclaredCategory, ExtractedDraft, SourceRange } from './types';
import { LineIndex } from './lineIndex';
import { declaredCategoriesInComments } from './categories';
import { cutPoint, maskSource, paragraphCuts, scanEvents, scanSimpleDefinitions, withoutKeywords, type LatexEvent, type Span } from './latexScan';
import { latexToText, type ReduceContext } from './latexText';
import { texCandidates, toFsPath } from './paths';
import { scanGlossary, scanNoteMacros } from './userMacros';
import { formatCount } from './inputGuards';
import { fallbackDirs } from './includeSearch';

export interface LatexExtractOptions {
  readFile?: (absolutePath: string) => string | undefined;
  maxChars: number;
  /** Texts that win over readFile (the unsaved document being edited when extracting from its root). */
  overlay?: Map<string, string>;
  /** Limit of the folders searched above the root file's folder for an \input (see includeSearch.ts). */
  includeRoot?: string;
  /** See ExtractOptions.refused. */
  refused?: (absolutePath: string) => boolean;
}

const MAX_INCLUDE_DEPTH = 8;
const MAX_FILES = 100;
/** \input commands followed per draft (the same file included again counts again). */
const MAX_INCLUDE_VISITS = 1000;
const BODY_SOURCE_BUDGET = 5000;
const BODY_TEXT_CHARS = 2000;
/** The body text is parsed in pieces of about this size, and only until it is long enough. */
const BODY_PIECE_CHARS = 1200;
/**
 * Most LaTeX source handed to the parser as an abstract. unified-latex runs synchronously at several
 * ms per KB, and arXiv abstracts are at most 1,920 characters, so anything longer is a mistake (an
 * \end{abstract} at the end of the paper) and only its start is read.
 */
const MAX_ABSTRACT_SOURCE = 10_000;

interface LatexFile {
  /** Name used in ranges and `files`: the given name for the root, an absolute path for included files. */
  name: string;
  /** Directory \input paths are resolved against; undefined for documents without a file path. */
  baseDir?: string;
  text: string;
  /** Comments and \iffalse/comment blocks blanked: for searching. */
  masked: string;
  /** Only \iffalse/comment blocks blanked: for parsing. */
  visible: string;
  lines: LineIndex;
  events: LatexEvent[];
}

interface Found {
  text: string;
  range: SourceRange;
}

interface State {
  opts: LatexExtractOptions;
  rootDir?: string;
  files: string[];
  warnings: string[];
  declared: DeclaredCategory[];
  noCheck?: SourceRange;
  reduce: ReduceContext;
  title?: Found;
  /** A \maketitle (or the body) came after the title: LaTeX typesets the last \title before it. */
  titleFinal: boolean;
  abstract?: Found;
  emptyTitle: boolean;
  emptyAbstract: boolean;
  skippedIncludes: string[];
  bodyStart?: { file: LatexFile; offset: number };
  fileCache: Map<string, LatexFile | null>;
  includeVisits: number;
}

function loadFile(name: string, text: string, baseDir: string | undefined): LatexFile {
  const { masked, visible } = maskSource(text);
  return { name, baseDir, text, masked, visible, lines: new LineIndex(text), events: scanEvents(masked) };
}

function where(file: LatexFile, offset: number): string {
  return `line ${file.lines.position(offset).line + 1} of ${path.basename(file.name)}`;
}

export function extractLatex(text: string, fileName: string, opts: LatexExtractOptions): ExtractedDraft {
  const fsPath = toFsPath(fileName);
  const rootDir = fsPath ? path.dirname(fsPath) : undefined;
  const st: State = {
    opts,
    rootDir,
    files: [],
    warnings: [],
    declared: [],
    reduce: { definitions: new Map(), warnings: [] },
    titleFinal: false,
    emptyTitle: false,
    emptyAbstract: false,
    skippedIncludes: [],
    fileCache: new Map(),
    includeVisits: 0,
  };
  const root = loadFile(fileName, text, rootDir);
  if (fsPath) st.fileCache.set(fsPath, root);
  visit(st, root, 0, fsPath ? [fsPath] : []);

  const draft: ExtractedDraft = {
    format: 'latex',
    declaredCategories: st.declared,
    warnings: st.warnings,
    files: st.files,
  };
  if (st.noCheck) draft.noCheck = st.noCheck;
  if (st.title) {
    draft.title = st.title.text;
    draft.titleRange = st.title.range;
  }
  if (st.abstract) {
    draft.abstract = st.abstract.text;
    draft.abstractRange = st.abstract.range;
  }
  if (!st.title) {
    st.warnings.push(
      st.emptyTitle
        ? 'The title is empty: fill in \\title{...}.'
        : 'No title found: add \\title{...} (or your template\'s title command, e.g. \\icmltitle{...}).',
    );
  }
  if (!st.abstract) {
    st.warnings.push(
      st.emptyAbstract
        ? 'The abstract is empty: write it between \\begin{abstract} and \\end{abstract}.'
        : 'No abstract found: add \\begin{abstract}...\\end{abstract}.',
    );
  }
  if ((!st.title || !st.abstract) && st.skippedIncludes.length) {
    st.warnings.push(
      `${st.skippedIncludes.length} included file(s) were not read (${st.skippedIncludes.slice(0, 3).join(', ')}): ` +
        'no file reader was given, so the title or abstract may be in them.',
    );
  }
  if (!st.title || !st.abstract) {
    const body = bodyText(st, root);
    if (body) draft.bodyText = body;
  }
  st.warnings.push(...st.reduce.warnings);
  // The body-text pass may meet the same unreadable include again: report each problem once.
  draft.warnings = [...new Set(st.warnings)];
  return draft;
}

/** Records a file as read, once: its declared categories and simple \newcommand definitions count. */
function register(st: State, file: LatexFile): void {
  if (st.files.includes(file.name)) return;
  st.files.push(file.name);
  const declared = declaredCategoriesInComments(file.text, file.name, file.lines, '%+');
  st.declared.push(...declared.found);
  st.warnings.push(...declared.warnings);
  st.noCheck ??= declared.noCheck;
  scanSimpleDefinitions(file.masked, file.visible, st.reduce.definitions);
  scanGlossary(file.masked, file.visible, (st.reduce.glossary ??= new Map()));
  scanNoteMacros(file.masked, file.visible, (st.reduce.noteMacros ??= new Map()));
}

/** Walks one file's events in order; returns true once both title and abstract are known. */
function visit(st: State, file: LatexFile, depth: number, stack: string[]): boolean {
  register(st, file);

  let consumedUntil = -1; // end of the abstract taken from this file: its inner events are already handled
  for (const ev of file.events) {
    if (st.titleFinal && st.abstract) return true;
    if (ev.start < consumedUntil) continue;
    switch (ev.kind) {
      case 'beginDocument':
        st.bodyStart ??= { file, offset: ev.end };
        break;
      case 'title':
        // The last \title before \maketitle wins, as in LaTeX (a later one replaces an \input'ed one).
        if (!st.titleFinal && ev.arg) takeTitle(st, file, ev.arg, ev.unclosed, ev.start);
        break;
      case 'titleEnd':
        if (st.title) st.titleFinal = true;
        break;
      case 'abstractEnv':
        if (!st.abstract) {
          takeAbstract(st, file, [ev.body], depth, stack);
          if (st.abstract) consumedUntil = ev.end;
          if (st.abstract && ev.stop.kind !== 'closed') st.warnings.push(unclosedWarning(file, ev));
        }
        break;
      case 'abstractMacro':
        if (!st.abstract) takeAbstract(st, file, ev.args, depth, stack);
        if (st.abstract) consumedUntil = Math.max(consumedUntil, ev.end);
        break;
      case 'abstractSection':
        if (!st.abstract) takeAbstract(st, file, [ev.body], depth, stack);
        if (st.abstract) consumedUntil = Math.max(consumedUntil, ev.end);
        break;
      case 'include': {
        const child = openInclude(st, file, ev, depth, stack);
        if (child && visit(st, child.file, depth + 1, [...stack, child.key])) return true;
        break;
      }
    }
  }
  return Boolean(st.titleFinal && st.abstract);
}

function unclosedWarning(file: LatexFile, ev: Extract<LatexEvent, { kind: 'abstractEnv' }>): string {
  const env = file.masked.slice(ev.start, ev.body.start).replace(/\s+/g, '');
  const head = `${env} on ${where(file, ev.start)} has no \\end{${env.slice(7, -1)}}`;
  switch (ev.stop.kind) {
    case 'boundary':
      return /^\\(?:(?:sub)*section|chapter|part|paragraph)$/.test(ev.stop.name)
        ? `${head}: used the text up to the next section command.`
        : `${head}: used the text up to the ${ev.stop.name} on ${where(file, ev.body.end)}.`;
    case 'cap':
      return (
        `${head} and nothing after it ends an abstract: used only the text up to ${where(file, ev.body.end)} ` +
        '(arXiv abstracts are at most 1,920 characters). Add \\end{abstract} where the abstract ends.'
      );
    default:
      return `${head}: used the text up to the end of the file.`;
  }
}

function takeTitle(st: State, file: LatexFile, arg: Span, unclosed: boolean, at: number): void {
  const text = latexToText(file.visible.slice(arg.start, arg.end), st.reduce);
  if (!text) {
    st.emptyTitle = true;
    return;
  }
  if (unclosed) st.warnings.push(`The title on ${where(file, at)} has no closing brace: used the rest of the line.`);
  st.title = { text, range: file.lines.trimmedRange(file.name, arg.start, arg.end) };
}

/**
 * Reads the abstract from one or more spans (A&A's \abstract takes several arguments). An \input inside
 * the abstract (`\begin{abstract}\input{abstract}\end{abstract}`) is followed; when the abstract is
 * nothing but that \input, the range points into the included file.
 */
function takeAbstract(st: State, file: LatexFile, bodySpans: Span[], depth: number, stack: string[]): void {
  const spans = bodySpans.map((s) => withoutKeywords(file.masked, s));
  const sources: string[] = [];
  let rangeFile = file;
  let range: Span = { start: spans[0].start, end: spans[spans.length - 1].end };
  let followed = false;
  for (const span of spans) {
    const includes = file.events.filter(
      (e): e is Extract<LatexEvent, { kind: 'include' }> => e.kind === 'include' && e.start >= span.start && e.end <= span.end,
    );
    let from = span.start;
    for (const inc of includes) {
      sources.push(file.visible.slice(from, inc.start));
      const child = openInclude(st, file, inc, depth, stack);
      if (child) {
        followed = true;
        register(st, child.file);
        sources.push(child.file.visible, '\n');
        const onlyThis = spans.length === 1 && includes.length === 1 && !file.masked.slice(span.start, inc.start).trim() && !file.masked.slice(inc.end, span.end).trim();
        if (onlyThis) {
          rangeFile = child.file;
          range = { start: 0, end: child.file.text.length };
        }
      }
      from = inc.end;
    }
    sources.push(file.visible.slice(from, span.end), '\n');
  }
  let source = sources.join('');
  if (source.length > MAX_ABSTRACT_SOURCE) {
    const cut = cutPoint(source, 0, MAX_ABSTRACT_SOURCE);
    st.warnings.push(
      `The abstract on ${where(rangeFile, range.start)} is ${formatCount(source.length)} characters of LaTeX: only the first ` +
        `${formatCount(cut)} were read (arXiv abstracts are at most 1,920 characters). Is an \\end{abstract} missing or misplaced?`,
    );
    source = source.slice(0, cut);
    if (!followed && spans.length === 1) range.end = Math.min(range.end, range.start + cut);
  }
  const text = latexToText(source, st.reduce);
  if (!text) {
    st.emptyAbstract = true;
    return;
  }
  // Trimmed on the masked text, so a leading `% !TEX root` line of an \input file is not highlighted.
  const shown = trimmedSpan(rangeFile.masked, range);
  st.abstract = { text, range: rangeFile.lines.range(rangeFile.name, shown.start, shown.end) };
}

/** `span` without the whitespace and comments around it. */
function trimmedSpan(masked: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/.test(masked[start])) start++;
  while (end > start && /\s/.test(masked[end - 1])) end--;
  return { start, end };
}

function openInclude(
  st: State,
  from: LatexFile,
  ev: Extract<LatexEvent, { kind: 'include' }>,
  depth: number,
  stack: string[],
): { file: LatexFile; key: string } | undefined {
  const shown = `\\${ev.command}{${ev.dir !== undefined ? `${ev.dir}}{` : ''}${ev.file}}`;
  if (!st.opts.readFile && !st.opts.overlay?.size) {
    st.skippedIncludes.push(shown);
    return undefined;
  }
  if (!from.baseDir || !st.rootDir) {
    st.warnings.push(`Cannot follow ${shown} on ${where(from, ev.start)}: the document has no file path (save it first).`);
    return undefined;
  }
  if (depth >= MAX_INCLUDE_DEPTH) {
    st.warnings.push(`Not following ${shown} on ${where(from, ev.start)}: includes are nested more than ${MAX_INCLUDE_DEPTH} deep.`);
    return undefined;
  }
  // Files are cached, but each \input is walked again: 1,000 \input{b} in a file, 1,000 \input{c} in b, ...
  // multiply. LaTeX would read them all; a title and an abstract never need so many.
  if (++st.includeVisits > MAX_INCLUDE_VISITS) {
    if (st.includeVisits === MAX_INCLUDE_VISITS + 1) st.warnings.push(`Stopped following includes after ${formatCount(MAX_INCLUDE_VISITS)} \\input commands.`);
    return undefined;
  }
  // \import{dir}{file} is relative to the root document, \subimport to the including file.
  let baseDir = from.baseDir;
  if (ev.dir !== undefined) baseDir = path.resolve(ev.command.startsWith('sub') ? from.baseDir : st.rootDir, ev.dir);
  const candidates = texCandidates(baseDir, ev.file);
  const found = firstReadable(st, from, ev, shown, candidates, stack, ev.dir !== undefined ? baseDir : from.baseDir);
  if (found !== 'none') return found;
  // Not beside the including file: where TeX would look when run from the root's folder or one above it.
  if (ev.dir === undefined && !path.isAbsolute(ev.file)) {
    for (const dir of fallbackDirs(from.baseDir, st.rootDir, st.opts.includeRoot)) {
      const more = texCandidates(dir, ev.file);
      const hit = firstReadable(st, from, ev, shown, more, stack, dir);
      if (hit === 'none') continue;
      if (hit) st.warnings.push(`Read ${shown} on ${where(from, ev.start)} from ${hit.key} (relative to ${dir}, as when the project is compiled there).`);
      return hit;
    }
  }
  // Refused by the file-access policy: its own warning says why and how to allow it; one message is enough.
  const refused = st.opts.refused;
  if (!refused || !candidates.some((c) => refused(c))) {
    st.warnings.push(`Could not read ${shown} on ${where(from, ev.start)} (looked for ${candidates.join(', ')}).`);
  }
  return undefined;
}

/** The first of `candidates` that can be read; undefined when following stopped with a warning, 'none' when none exists. */
function firstReadable(
  st: State,
  from: LatexFile,
  ev: Extract<LatexEvent, { kind: 'include' }>,
  shown: string,
  candidates: string[],
  stack: string[],
  childBaseDir: string,
): { file: LatexFile; key: string } | undefined | 'none' {
  for (const candidate of candidates) {
    if (stack.includes(candidate)) {
      st.warnings.push(`Not following ${shown} on ${where(from, ev.start)}: it includes itself (cycle through ${path.basename(candidate)}).`);
      return undefined;
    }
    const cached = st.fileCache.get(candidate);
    if (cached === null) continue;
    if (cached) return { file: cached, key: candidate };
    const text = readIncluded(st, candidate);
    if (text === undefined) {
      st.fileCache.set(candidate, null);
      continue;
    }
    if (st.fileCache.size >= MAX_FILES) {
      st.warnings.push(`Stopped following includes after ${MAX_FILES} files.`);
      return undefined;
    }
    const file = loadFile(candidate, text, childBaseDir);
    st.fileCache.set(candidate, file);
    return { file, key: candidate };
  }
  return 'none';
}

function readIncluded(st: State, absolutePath: string): string | undefined {
  const overlaid = st.opts.overlay?.get(absolutePath);
  if (overlaid !== undefined) return overlaid;
  let text: string | undefined;
  try {
    text = st.opts.readFile?.(absolutePath);
  } catch (err) {
    st.warnings.push(`Could not read ${absolutePath}: ${(err as Error).message}`);
    return undefined;
  }
  if (text === undefined) return undefined;
  if (text.includes('\u0000')) {
    st.warnings.push(`Skipped ${absolutePath}: it looks like a binary file.`);
    return '';
  }
  if (text.length > st.opts.maxChars) {
    st.warnings.push(`Skipped ${absolutePath}: ${text.length} characters is above the limit of ${st.opts.maxChars}.`);
    return '';
  }
  return text;
}

/**
 * The start of the body as readable text, for a prediction when the title or abstract is missing:
 * from \begin{document} (or the top of a fragment), includes followed, title/abstract spans left out.
 */
function bodyText(st: State, root: LatexFile): string | undefined {
  const start = st.bodyStart?.file === root ? st.bodyStart.offset : root.events.find((e) => e.kind === 'beginDocument')?.end ?? 0;
  const parts: string[] = [];
  let budget = BODY_SOURCE_BUDGET;
  const collect = (file: LatexFile, from: number, depth: number, stack: string[]) => {
    if (budget <= 0) return;
    const end = file.masked.search(/\\end[ \t]*\{[ \t]*document[ \t]*\}/);
    const stop = end < 0 ? file.masked.length : end;
    let pos = from;
    for (const ev of file.events) {
      if (budget <= 0 || ev.start >= stop) break;
      if (ev.start < pos) continue;
      if (ev.kind === 'include') {
        take(file, pos, ev.start);
        const child = openInclude(st, file, ev, depth, stack);
        if (child && !stack.includes(child.key)) {
          register(st, child.file);
          const childStart = child.file.events.find((e) => e.kind === 'beginDocument')?.end ?? 0;
          collect(child.file, childStart, depth + 1, [...stack, child.key]);
        }
        pos = ev.end;
      } else if (ev.kind === 'title' || ev.kind === 'abstractEnv' || ev.kind === 'abstractMacro' || ev.kind === 'abstractSection') {
        take(file, pos, ev.start);
        pos = Math.max(pos, ev.end);
      }
    }
    take(file, pos, stop);
  };
  const take = (file: LatexFile, from: number, to: number) => {
    if (budget <= 0 || to <= from) return;
    // Blanked comments become runs of spaces: collapsed, they cost neither budget nor parse time.
    while (budget > 0 && from < to) {
      const raw = file.masked.slice(from, Math.min(to, from + budget));
      const piece = raw.replace(/[ \t]{2,}/g, ' ');
      budget -= piece.length;
      parts.push(piece);
      from += raw.length;
    }
    parts.push('\n');
  };
  const rootKey = toFsPath(root.name);
  collect(root, start, 0, rootKey ? [rootKey] : []);
  const source = parts.join('');
  let text = '';
  let from = 0;
  for (const cut of [...paragraphCuts(source, BODY_PIECE_CHARS), source.length]) {
    const piece = latexToText(source.slice(from, cut), st.reduce);
    if (piece) text += (text ? ' ' : '') + piece;
    from = cut;
    if (text.length >= BODY_TEXT_CHARS) break;
  }
  if (!text) return undefined;
  if (text.length <= BODY_TEXT_CHARS) return text;
  const cut = text.lastIndexOf(' ', BODY_TEXT_CHARS);
  return text.slice(0, cut > BODY_TEXT_CHARS / 2 ? cut : BODY_TEXT_CHARS);
}
