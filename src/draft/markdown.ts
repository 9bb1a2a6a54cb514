/**
 * Markdown, Quarto, R Markdown and Pandoc drafts: YAML front matter (`title:`, `abstract:`, `arxiv:` /
 * `categories:`), else the first level-1 heading and an `Abstract` section or a bold `**Abstract:**`
 * paragraph. Block structure comes from markdown-it, so headings inside code chunks are not mistaken.
 */
import MarkdownIt, { type StateCore, type StateInline, type Token } from 'markdown-it';
import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import { readEntries, type ParsedEntry } from './yamlEntries';
import { MAX_ABSTRACT_CHARS, MAX_TITLE_CHARS } from './limits';
import * as path from 'node:path';
import { toFsPath } from './paths';
import { formatCount } from './inputGuards';
import type { DeclaredCategory, ExtractedDraft, SourceRange } from './types';
import { LineIndex } from './lineIndex';
import { categoriesInList, declaredCategoriesInComments } from './categories';
import { readArgs } from './latexScan';
import { latexToText } from './latexText';
import { CITE_MARK, tidyReferences } from './references';

const BODY_TEXT_CHARS = 2000;
/** arXiv's limit: a label-only "**Abstract**" paragraph takes the paragraphs after it up to this length. */
const ABSTRACT_MAX_CHARS = 1920;
/** Pandoc heading attributes: `## Abstract {.page_break_before}`, `# Title {#sec:title}`. */
const HEADING_ATTRIBUTES = /\s*\{[#.][^{}]{0,200}\}\s*$/;
const ABSTRACT_HEADING = /^\s*(abstract|summary)\s*[.:]?\s*(?:\{[#.][^{}]{0,200}\})?\s*$/i;
/**
 * A paragraph opening with an Abstract label: **Abstract**, **Abstract:**, __Abstract.__, *Abstract*:,
 * or plain `Abstract:` / `Abstract.` (a bare "Abstract" only as the whole paragraph: "Abstract algebra" is prose).
 */
const ABSTRACT_LABEL = /^\s*(?:(\*\*|__|\*|_)\s*abstract(?:\s*[.:—–-])?\s*\1|abstract(?=\s*[.:—–]|\s*$))(?:\s*[.:—–-])?\s*/i;
/** Paragraphs that end an abstract given by a label: "**Keywords:** ...", "Index Terms—...", "JEL: ...". */
const AFTER_ABSTRACT_LABEL = /^\s*(?:(?:\*\*|__|\*|_)\s*)?(?:key\s?words|index\s+terms|ccs\s+concepts|subjects?|msc|pacs|jel)\b/i;
const CATEGORY_KEYS = ['arxiv', 'arxiv-category', 'arxiv-categories', 'arxiv_category', 'arxiv_categories', 'categories'];
/** Keys of an `arxiv:` mapping (`arxiv: {primary: cs.LG, cross: [cs.AI]}`), primary first. */
const PRIMARY_KEYS = ['primary', 'primary-category', 'primary_category', 'category'];
/**
 * Front-matter entries read, with the most characters each may have: generous for real drafts (an
 * abstract is at most 1,920 characters, plus YAML indentation and markup), small enough to parse fast.
 */
const ENTRY_LIMITS: Record<string, number> = {
  title: 2 * MAX_TITLE_CHARS,
  abstract: 2 * MAX_ABSTRACT_CHARS,
  ...Object.fromEntries(CATEGORY_KEYS.map((k) => [k, 4000])),
  'arxiv-check': 200,
};
const CROSS_KEYS = ['cross', 'cross-list', 'cross_list', 'crosslist', 'cross-lists', 'secondary', 'secondaries', 'categories'];

/**
 * Where `$...$` and `$$...$$` may close in one inline source, computed once per source: scanning ahead
 * from every `$` made many unclosed `$` quadratic (60 KB took 9 s). A `$` escaped by an odd run of
 * backslashes never closes; the run cannot reach back past the opening `$`, so this does not depend on
 * where the math opened.
 */
interface MathClosers {
  src: string;
  /** Offsets of a `$` that can close inline math (no space before it, no digit after it). */
  single: number[];
  /** Offsets of a `$$` that can close display math. */
  double: number[];
}
let closersCache: MathClosers | undefined;

function mathClosers(src: string): MathClosers {
  if (closersCache?.src === src) return closersCache;
  const single: number[] = [];
  const double: number[] = [];
  for (let i = src.indexOf('$'); i !== -1; i = src.indexOf('$', i + 1)) {
    let backslashes = 0;
    for (let j = i - 1; j >= 0 && src.charCodeAt(j) === 92; j--) backslashes++;
    if (backslashes % 2 === 1) continue;
    if (i > 0 && !/\s/.test(src[i - 1]) && !/\d/.test(src[i + 1] ?? '')) single.push(i);
    if (src[i + 1] === '$') double.push(i);
  }
  closersCache = { src, single, double };
  return closersCache;
}

/** First value in the sorted `xs` that is >= `min`, or undefined. */
function firstAtLeast(xs: number[], min: number): number | undefined {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < min) lo = mid + 1;
    else hi = mid;
  }
  return xs[lo];
}

/**
 * `$...$` as one opaque token (Pandoc's rule: no space after the opening or before the closing `$`,
 * no digit after the closing one), so `_` and `*` inside math are not read as emphasis.
 */
function mathInline(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src[start] !== '$' || (start > 0 && src[start - 1] === '\\')) return false;
  const display = src[start + 1] === '$';
  const open = display ? 2 : 1;
  if (!display && /\s/.test(src[start + 1] ?? ' ')) return false;
  const closers = mathClosers(src);
  const end = firstAtLeast(display ? closers.double : closers.single, start + open);
  if (end === undefined || end >= state.posMax || end === start + open) return false;
  if (!silent) {
    const token = state.push('math_inline', 'math', 0);
    token.content = `$${src.slice(start + open, end).trim()}$`;
  }
  state.pos = end + open;
  return true;
}

/**
 * Raw LaTeX in Markdown (Pandoc's raw_tex, also allowed in YAML strings by Pandoc and rticles): a
 * command with its `[..]`/`{..}` arguments becomes one token, read like the LaTeX drafts' text.
 */
function latexInline(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src[start] !== '\\') return false;
  const name = /^\\([A-Za-z@]+)\*?/.exec(src.slice(start, start + 60));
  if (!name) return false;
  const nameEnd = start + name[0].length;
  const args = readArgs(src, nameEnd, 9, 2000);
  const end = Math.min(state.posMax, args.end);
  if (!silent) {
    const token = state.push('latex_inline', '', 0);
    token.content = src.slice(start, end);
  }
  state.pos = end;
  return true;
}

const md = new MarkdownIt({ html: true });
md.inline.ruler.before('escape', 'math_inline', mathInline);
md.inline.ruler.before('escape', 'latex_inline', latexInline);
/**
 * Block structure only: inline markup is parsed per paragraph on first use (inlineChildren), as a
 * draft needs its headings and a few paragraphs, and inline parsing is most of markdown-it's time.
 */
const mdBlocks = new MarkdownIt({ html: true });
mdBlocks.core.ruler.enableOnly(['normalize', 'block']);

const MAX_INLINE_CHARS = 2 * MAX_ABSTRACT_CHARS;
/** How much of a Markdown document (after its front matter) is parsed into blocks. */
const MAX_BLOCK_CHARS = 200_000;

/** Offset just after the last line break before `max` (or `max` when the line is longer than 1,000). */
function lineBreakBefore(text: string, max: number): number {
  const nl = Math.max(text.lastIndexOf('\n', max - 1), text.lastIndexOf('\r', max - 1));
  return nl >= 0 && max - nl < 1000 ? nl + 1 : max;
}

/** Inline tokens of a block-level `inline` token (left empty by mdBlocks), parsed on first use. */
function inlineChildren(t: Token): Token[] {
  if (!t.children?.length && t.content) {
    // `meta.env` holds the link reference definitions of the document, when it has any.
    const env = (t.meta as { env?: StateCore['env'] } | null)?.env ?? {};
    // A title or abstract is read from at most this much of one block: more is capped anyway.
    const content = t.content.length > MAX_INLINE_CHARS ? t.content.slice(0, MAX_INLINE_CHARS) : t.content;
    t.children = md.parseInline(content, env)[0]?.children ?? [];
  }
  return t.children ?? [];
}

/**
 * Pandoc citations: `[@a]`, `[see @a; @b, p. 3]`, `[-@a]`, and in-text `@a` (with an optional `[p. 3]`
 * locator). The `@` must not follow a word character, so e-mail addresses stay.
 */
const PANDOC_KEY = String.raw`-?@(?:[A-Za-z0-9_](?:\w|[:.#$%&+?<>~/-](?=\w))*|\{[^{}]*\})`;
/** Bracket contents are bounded: an unclosed `[` before many keys must not be rescanned from each key. */
const PANDOC_BRACKETED = new RegExp(String.raw`\[[^\[\]]{0,300}?(?<![\w@])${PANDOC_KEY}[^\[\]]{0,300}\]`, 'g');
const PANDOC_IN_TEXT = new RegExp(String.raw`(?<![\w@.\\])${PANDOC_KEY}(?:\s*\[[^\[\]]{0,300}\])?`, 'g');

function withoutCitations(text: string): string {
  if (!text.includes('@')) return text;
  return text.replace(PANDOC_BRACKETED, CITE_MARK).replace(PANDOC_IN_TEXT, CITE_MARK);
}

/**
 * Readable text of inline tokens: emphasis markers dropped, links/images reduced to their text, raw
 * LaTeX read as LaTeX, Pandoc citations removed together with their "see".
 */
function inlineText(tokens: Token[] | null): string {
  if (!tokens) return '';
  let out = '';
  // Prose between code and math, where citations are looked for and tidied away.
  let prose = '';
  const flush = () => {
    out += tidyReferences(withoutCitations(prose));
    prose = '';
  };
  for (const t of tokens) {
    switch (t.type) {
      case 'text':
        prose += t.content;
        break;
      case 'latex_inline':
        prose += latexToText(t.content, { definitions: new Map(), warnings: [] }, { keepMarks: true });
        break;
      case 'code_inline':
      case 'math_inline':
        flush();
        out += t.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        prose += ' ';
        break;
      case 'image':
        prose += inlineText(t.children);
        break;
      default:
        break;
    }
  }
  flush();
  return collapse(out);
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Reduces a YAML string (which may itself contain Markdown markup) to text. */
function markdownStringToText(s: string): string {
  if (s.length > MAX_INLINE_CHARS) s = s.slice(0, MAX_INLINE_CHARS);
  const tokens = md.parseInline(s, {});
  return collapse(tokens.map((t) => inlineText(t.children)).join(' '));
}

interface FrontMatter {
  /** Offset of the YAML text inside the file. */
  offset: number;
  yaml: string;
  /** Offset just after the closing `---` / `...` line. */
  end: number;
}

function frontMatter(text: string): FrontMatter | undefined {
  const m = /^(\uFEFF?---[ \t]*\r?\n)([\s\S]*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) return undefined;
  return { offset: m[1].length, yaml: m[2] ?? '', end: m[0].length };
}

/** Offsets of a scalar's value text in the file: quotes and block-scalar indicators excluded. */
function scalarSpan(node: Scalar, fm: FrontMatter): { start: number; end: number } {
  const [s, e] = node.range ?? [0, 0, 0];
  let start = s;
  let end = e;
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
    start++;
    end--;
  } else if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    const nl = fm.yaml.indexOf('\n', s);
    start = nl < 0 ? e : nl + 1;
    while (start < e && /\s/.test(fm.yaml[start])) start++;
  }
  return { start: fm.offset + start, end: fm.offset + Math.max(start, end) };
}

interface Found {
  text: string;
  range: SourceRange;
}

export function extractMarkdown(text: string, fileName: string, readFile?: (absolutePath: string) => string | undefined): ExtractedDraft {
  const lines = new LineIndex(text);
  const warnings: string[] = [];
  const declared: DeclaredCategory[] = [];
  let title: Found | undefined;
  let abstract: Found | undefined;
  let noCheck: SourceRange | undefined;

  const fm = frontMatter(text);
  if (fm) {
    const entries = readEntries(fm.yaml, ENTRY_LIMITS, warnings);
    const firstError = [...entries.values()].filter((e) => e.error).sort((a, b) => a.offset + a.error!.offset - (b.offset + b.error!.offset))[0];
    if (firstError?.error) {
      const fileLine = lines.position(fm.offset + firstError.offset + firstError.error.offset).line + 1;
      const reason = firstError.error.message.replace(/ at line \d+, column \d+:?$/, '');
      warnings.push(`The YAML front matter has an error on line ${fileLine} (${reason}); some fields may be missed.`);
    }
    /** The entry's scalars are located in the file through an entry-sized view of the front matter. */
    const view = (e: ParsedEntry): FrontMatter => ({ offset: fm.offset + e.offset, yaml: e.text, end: fm.end });
    const field = (key: string): Found | undefined => stringField(entries, key, view, lines, fileName, warnings);
    try {
      title = field('title');
      abstract = field('abstract');
      for (const key of CATEGORY_KEYS) {
        const entry = entries.get(key);
        if (entry) declared.push(...yamlCategories(entry.node, key, view(entry), fileName, lines, warnings));
      }
      // `arxiv-check: false` turns the category check off for this draft.
      const checkEntry = entries.get('arxiv-check');
      const check = checkEntry?.node;
      if (checkEntry && isScalar(check) && (check.value === false || (typeof check.value === 'string' && /^(false|no|off)$/i.test(check.value)))) {
        const span = scalarSpan(check, view(checkEntry));
        noCheck = lines.range(fileName, span.start, span.end);
      }
    } catch (err) {
      warnings.push(`The YAML front matter could not be read (${(err as Error).message}).`);
    }
  }

  // The front matter is replaced by its line breaks alone, so markdown-it's line numbers are the file's
  // (only line numbers of its tokens are used). Only the start of a long document is parsed into blocks:
  // a title and an abstract are near the top, and markdown-it over a whole 1 MB file took most of a second.
  const blocksEnd = (fm?.end ?? 0) + MAX_BLOCK_CHARS;
  const cut = text.length > blocksEnd ? lineBreakBefore(text, blocksEnd) : text.length;
  const body = fm ? text.slice(0, fm.end).replace(/[^\r\n]/g, '') + text.slice(fm.end, cut) : text.slice(0, cut);
  const env: StateCore['env'] = {};
  const tokens = mdBlocks.parse(body, env);
  // Reference-style links ([text][ref]) need the definitions found by the block pass.
  if (env.references) for (const t of tokens) if (t.type === 'inline') t.meta = { env };
  const comments = declaredCategoriesInComments(text, fileName, lines, '<!--');
  declared.push(...comments.found);
  warnings.push(...comments.warnings);
  noCheck ??= comments.noCheck;

  const used = new Set<number>(); // token indices that belong to the title or the abstract
  const files = [fileName];
  // A Manubot content file: its headings are sections, the title is in metadata.yaml.
  const manubot = readFile && (!title || !abstract) ? manubotParts(fileName, readFile, { title: !title, abstract: !abstract }, warnings) : undefined;
  if (manubot) {
    title ??= manubot.title;
    files.push(...manubot.files);
  }
  if (!title && !fm) title = pandocTitleBlock(text, lines, fileName, used, tokens);
  if (!title) title = headingTitle(tokens, text, lines, fileName, used);
  if (!abstract) abstract = sectionAbstract(tokens, lines, fileName, used) ?? boldAbstract(tokens, text, lines, fileName, used) ?? manubot?.abstract;

  const draft: ExtractedDraft = { format: 'markdown', declaredCategories: declared, warnings, files };
  if (noCheck) draft.noCheck = noCheck;
  if (title) {
    draft.title = title.text;
    draft.titleRange = title.range;
  } else warnings.push('No title found: add `title:` to the YAML front matter or a `# Title` heading.');
  if (abstract) {
    draft.abstract = abstract.text;
    draft.abstractRange = abstract.range;
  } else {
    warnings.push('No abstract found: add `abstract:` to the YAML front matter, an `## Abstract` section, or a paragraph starting with **Abstract:**.');
  }
  if ((!title || !abstract) && cut < text.length) {
    warnings.push(`Only the first ${formatCount(cut)} of ${formatCount(text.length)} characters were searched for a title and an abstract.`);
  }
  if (!title || !abstract) {
    const bodyText = markdownBodyText(tokens, used);
    if (bodyText) draft.bodyText = bodyText;
  }
  return draft;
}

/** A front-matter entry that must be a string (rticles' `{plain, formatted}` gives its plain one), as text with its range. */
function stringField(
  entries: Map<string, ParsedEntry>,
  key: string,
  view: (e: ParsedEntry) => FrontMatter,
  lines: LineIndex,
  fileName: string,
  warnings: string[],
): Found | undefined {
  const entry = entries.get(key);
  let node = entry?.node;
  if (!entry || node === undefined || node === null) return undefined;
  // R Markdown / rticles: `title: {plain: ..., formatted: ...}`; the plain one is text.
  if (isMap(node) && node.has('plain')) node = node.get('plain', true);
  if (!isScalar(node) || typeof node.value !== 'string') {
    if (!isScalar(node) || node.value !== null) warnings.push(`The front matter's "${key}" is not a plain string, so it was not used.`);
    return undefined;
  }
  const value = markdownStringToText(node.value);
  if (!value) return undefined;
  const span = scalarSpan(node, view(entry));
  return { text: value, range: lines.trimmedRange(fileName, span.start, span.end) };
}

/** Most characters of a Manubot metadata.yaml or abstract file read (real ones are a few KB). */
const MAX_MANUBOT_FILE_CHARS = 200_000;

/**
 * Manubot manuscripts keep the title in `content/metadata.yaml` and the abstract in
 * `content/01.abstract.md`; any content file opened alone finds them there (through readFile, so the
 * server's rules on what may be read apply).
 */
function manubotParts(
  fileName: string,
  readFile: (p: string) => string | undefined,
  want: { title: boolean; abstract: boolean },
  warnings: string[],
): { title?: Found; abstract?: Found; files: string[] } | undefined {
  const fsPath = toFsPath(fileName);
  if (!fsPath || path.basename(path.dirname(fsPath)) !== 'content') return undefined;
  const read = (p: string): string | undefined => {
    try {
      const t = readFile(p);
      return t !== undefined && t.length <= MAX_MANUBOT_FILE_CHARS && !t.includes('\u0000') ? t : undefined;
    } catch {
      return undefined;
    }
  };
  const metaPath = path.join(path.dirname(fsPath), 'metadata.yaml');
  const meta = read(metaPath);
  if (meta === undefined) return undefined;
  const metaLines = new LineIndex(meta);
  const entries = readEntries(meta, { title: ENTRY_LIMITS.title }, warnings);
  const whole: FrontMatter = { offset: 0, yaml: meta, end: meta.length };
  const title = stringField(entries, 'title', (e) => ({ ...whole, offset: e.offset, yaml: e.text }), metaLines, metaPath, warnings);
  if (!title) return undefined;
  const parts: { title?: Found; abstract?: Found; files: string[] } = { files: [metaPath] };
  if (want.title) parts.title = title;
  const abstractPath = path.join(path.dirname(fsPath), '01.abstract.md');
  if (want.abstract && abstractPath !== fsPath) {
    const text = read(abstractPath);
    const found = text !== undefined ? extractMarkdown(text, abstractPath) : undefined;
    if (found?.abstract && found.abstractRange) {
      parts.abstract = { text: found.abstract, range: found.abstractRange };
      parts.files.push(abstractPath);
    }
  }
  return parts;
}

function yamlCategories(
  node: unknown,
  key: string,
  fm: FrontMatter,
  file: string,
  lines: LineIndex,
  warnings: string[],
): DeclaredCategory[] {
  const scalars: Scalar[] = [];
  const add = (value: unknown) => {
    if (isScalar(value)) scalars.push(value);
    else if (isSeq(value)) for (const item of value.items) if (isScalar(item)) scalars.push(item);
  };
  if (isMap(node) && key !== 'categories') {
    // arxiv: {primary: cs.LG, cross: [cs.AI]}: the primary category first, then the cross-lists.
    const entries = node.items.map((pair) => ({ name: String(isScalar(pair.key) ? pair.key.value : pair.key).toLowerCase(), value: pair.value }));
    const known = [...PRIMARY_KEYS, ...CROSS_KEYS];
    for (const name of known) for (const e of entries) if (e.name === name) add(e.value);
    const unknown = entries.filter((e) => !known.includes(e.name)).map((e) => e.name);
    if (!entries.some((e) => PRIMARY_KEYS.includes(e.name)) || unknown.length) {
      warnings.push(
        `The front matter's "${key}" is a mapping${unknown.length ? ` with unknown key(s) ${unknown.map((u) => `"${u}"`).join(', ')}` : ' without "primary"'}: ` +
          `write \`${key}: cs.LG\`, \`${key}: [cs.LG, cs.AI]\` or \`${key}: {primary: cs.LG, cross: [cs.AI]}\`.`,
      );
    }
  } else add(node);
  const found: DeclaredCategory[] = [];
  const rejected: string[] = [];
  for (const s of scalars) {
    if (typeof s.value !== 'string') continue;
    const span = scalarSpan(s, fm);
    const r = categoriesInList(lines.text.slice(span.start, span.end), span.start, file, lines);
    found.push(...r.found);
    rejected.push(...r.rejected);
  }
  // Quarto and blogs use `categories:` for free tags; only the arxiv keys deserve a complaint.
  if (rejected.length && key !== 'categories') {
    warnings.push(`Ignored "${rejected.join(', ')}" in the front matter's "${key}": not an arXiv category (e.g. cs.CL).`);
  }
  return found;
}

/** Pandoc's old title block: a first line `% Title` (then `% Authors`, `% Date`). */
function pandocTitleBlock(text: string, lines: LineIndex, file: string, used: Set<number>, tokens: Token[]): Found | undefined {
  const m = /^%[ \t]+(\S[^\r\n]*)/.exec(text);
  if (!m) return undefined;
  const value = markdownStringToText(m[1]);
  if (!value) return undefined;
  // markdown-it sees the block as a paragraph; keep it out of the body text.
  const first = tokens.findIndex((t) => t.type === 'inline');
  if (first >= 0 && tokens[first].map?.[0] === 0) used.add(first);
  const start = m[0].length - m[1].length;
  return { text: value, range: lines.trimmedRange(file, start, m[0].length) };
}

/** First level-1 heading (ATX `# Title` or setext `Title\n=====`) that is not "Abstract". */
function headingTitle(tokens: Token[], text: string, lines: LineIndex, file: string, used: Set<number>): Found | undefined {
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i];
    if (t.type !== 'heading_open' || t.tag !== 'h1' || !t.map) continue;
    const value = inlineText(inlineChildren(tokens[i + 1])).replace(HEADING_ATTRIBUTES, '');
    if (!value || ABSTRACT_HEADING.test(value)) continue;
    used.add(i + 1);
    const lineStart = lines.lineStart(t.map[0]);
    const lineEnd = lineEndOffset(text, lines, t.map[0]);
    let start = lineStart;
    let end = lineEnd;
    if (t.markup.startsWith('#')) {
      const line = text.slice(lineStart, lineEnd);
      start = lineStart + (/^\s{0,3}#+\s*/.exec(line)?.[0].length ?? 0);
      // Closing `#`s and trailing spaces off, without a /\s+$/ regex (quadratic on a long run of spaces).
      let kept = line.trimEnd();
      const closing = /\s#+$/.exec(kept.slice(-300));
      if (closing) kept = kept.slice(0, kept.length - closing[0].length).trimEnd();
      end = lineStart + kept.length;
    }
    return { text: value, range: lines.trimmedRange(file, start, Math.max(start, end)) };
  }
  return undefined;
}

function lineEndOffset(text: string, lines: LineIndex, line: number): number {
  const next = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : text.length;
  let end = next;
  while (end > lines.lineStart(line) && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  return end;
}

/** A heading "Abstract" (any level): the blocks up to the next heading. */
function sectionAbstract(tokens: Token[], lines: LineIndex, file: string, used: Set<number>): Found | undefined {
  for (let i = 0; i < tokens.length - 1; i++) {
    if (tokens[i].type !== 'heading_open' || !ABSTRACT_HEADING.test(inlineText(inlineChildren(tokens[i + 1])))) continue;
    const parts: string[] = [];
    let firstLine: number | undefined;
    let lastLine = 0;
    let j = i + 3;
    let length = 0;
    // Past the cap the rest is cut off anyway (capDraft says so): 500,000 characters are not all read.
    for (; j < tokens.length && tokens[j].type !== 'heading_open' && length <= MAX_ABSTRACT_CHARS; j++) {
      const t = tokens[j];
      if (t.type !== 'inline') continue;
      const value = inlineText(inlineChildren(t));
      if (!value) continue;
      parts.push(value);
      used.add(j);
      length += value.length + 1;
      if (t.map) {
        firstLine ??= t.map[0];
        lastLine = t.map[1];
      }
    }
    const value = collapse(parts.join(' '));
    if (!value || firstLine === undefined) continue;
    const end = lastLine < lines.lineCount ? lines.lineStart(lastLine) : lines.text.length;
    return { text: value, range: lines.trimmedRange(file, lines.lineStart(firstLine), end) };
  }
  return undefined;
}

/**
 * A paragraph that opens with an "Abstract" label: the rest of that paragraph, or, when the label is
 * the whole paragraph (`**Abstract**` on its own), the paragraphs after it up to the next heading,
 * rule or "Keywords" paragraph, and no longer than an arXiv abstract can be.
 */
function boldAbstract(tokens: Token[], text: string, lines: LineIndex, file: string, used: Set<number>): Found | undefined {
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== 'inline' || tokens[i - 1].type !== 'paragraph_open' || !t.map) continue;
    const label = ABSTRACT_LABEL.exec(t.content);
    if (!label) continue;
    const value = markdownStringToText(t.content.slice(label[0].length));
    if (!value) {
      const after = paragraphsAfterLabel(tokens, i + 1, lines, file, used);
      if (after) {
        used.add(i);
        return after;
      }
      continue;
    }
    used.add(i);
    const paraStart = lines.lineStart(t.map[0]);
    const firstLine = text.slice(paraStart, lineEndOffset(text, lines, t.map[0]));
    const labelInLine = ABSTRACT_LABEL.exec(firstLine);
    const start = paraStart + (labelInLine ? labelInLine[0].length : 0);
    const end = t.map[1] < lines.lineCount ? lines.lineStart(t.map[1]) : text.length;
    return { text: value, range: lines.trimmedRange(file, start, end) };
  }
  return undefined;
}

function paragraphsAfterLabel(tokens: Token[], from: number, lines: LineIndex, file: string, used: Set<number>): Found | undefined {
  const parts: string[] = [];
  const taken: number[] = [];
  let firstLine: number | undefined;
  let lastLine = 0;
  for (let j = from; j < tokens.length; j++) {
    const t = tokens[j];
    if (t.type === 'heading_open' || t.type === 'hr') break;
    if (t.type !== 'inline') continue;
    if (AFTER_ABSTRACT_LABEL.test(t.content) || ABSTRACT_LABEL.test(t.content)) break;
    const value = inlineText(inlineChildren(t));
    if (!value) continue;
    if (parts.length && parts.join(' ').length + value.length > ABSTRACT_MAX_CHARS) break;
    parts.push(value);
    taken.push(j);
    if (t.map) {
      firstLine ??= t.map[0];
      lastLine = t.map[1];
    }
  }
  if (!parts.length || firstLine === undefined) return undefined;
  for (const j of taken) used.add(j);
  const end = lastLine < lines.lineCount ? lines.lineStart(lastLine) : lines.text.length;
  return { text: collapse(parts.join(' ')), range: lines.trimmedRange(file, lines.lineStart(firstLine), end) };
}

function markdownBodyText(tokens: Token[], used: Set<number>): string | undefined {
  let out = '';
  for (let i = 0; i < tokens.length && out.length < BODY_TEXT_CHARS; i++) {
    if (tokens[i].type !== 'inline' || used.has(i)) continue;
    const value = inlineText(inlineChildren(tokens[i]));
    if (value) out += (out ? ' ' : '') + value;
  }
  if (!out) return undefined;
  if (out.length <= BODY_TEXT_CHARS) return out;
  const cut = out.lastIndexOf(' ', BODY_TEXT_CHARS);
  return out.slice(0, cut > BODY_TEXT_CHARS / 2 ? cut : BODY_TEXT_CHARS);
}
