/**
 * Markdown, Quarto, R Markdown and Pandoc drafts: YAML front matter (`title:`, `abstract:`, `arxiv:` /
 * `categories:`), else the first level-1 heading and an `Abstract` section or a bold `**Abstract:**`
 * paragraph. Block structure comes from markdown-it, so headings inside code chunks are not mistaken.
 */
import MarkdownIt from 'markdown-it';
import { parseDocument, isScalar, isSeq, type Scalar } from 'yaml';
import type { DeclaredCategory, ExtractedDraft, SourceRange } from './types';
import { LineIndex } from './lineIndex';
import { categoriesInList, declaredCategoriesInComments } from './categories';

type Token = MarkdownIt.Token;
type StateInline = MarkdownIt.StateInline;

const BODY_TEXT_CHARS = 2000;
const ABSTRACT_HEADING = /^\s*(abstract|summary)\s*[.:]?\s*$/i;
/** A paragraph opening with **Abstract**, **Abstract:**, __Abstract.__, *Abstract*: ... */
const ABSTRACT_LABEL = /^\s*(\*\*|__|\*|_)\s*abstract\s*[.:—–-]?\s*\1\s*[.:—–-]?\s*/i;
const CATEGORY_KEYS = ['arxiv', 'arxiv-category', 'arxiv-categories', 'arxiv_category', 'arxiv_categories', 'categories'];

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
  let end = start + open;
  for (; end < state.posMax; end++) {
    if (src[end] === '\\') {
      end++;
      continue;
    }
    if (src[end] !== '$') continue;
    if (display) {
      if (src[end + 1] === '$') break;
    } else if (!/\s/.test(src[end - 1]) && !/\d/.test(src[end + 1] ?? '')) break;
  }
  if (end >= state.posMax || end === start + open) return false;
  if (!silent) {
    const token = state.push('math_inline', 'math', 0);
    token.content = `$${src.slice(start + open, end).trim()}$`;
  }
  state.pos = end + open;
  return true;
}

const md = new MarkdownIt({ html: true });
md.inline.ruler.before('escape', 'math_inline', mathInline);

/** Readable text of inline tokens: emphasis markers dropped, links/images reduced to their text. */
function inlineText(tokens: Token[] | null): string {
  if (!tokens) return '';
  let out = '';
  for (const t of tokens) {
    switch (t.type) {
      case 'text':
      case 'code_inline':
      case 'math_inline':
        out += t.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        out += ' ';
        break;
      case 'image':
        out += inlineText(t.children);
        break;
      default:
        break;
    }
  }
  return collapse(out);
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Reduces a YAML string (which may itself contain Markdown markup) to text. */
function markdownStringToText(s: string): string {
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

export function extractMarkdown(text: string, fileName: string): ExtractedDraft {
  const lines = new LineIndex(text);
  const warnings: string[] = [];
  const declared: DeclaredCategory[] = [];
  let title: Found | undefined;
  let abstract: Found | undefined;

  const fm = frontMatter(text);
  if (fm) {
    const doc = parseDocument(fm.yaml);
    if (doc.errors.length) {
      const first = doc.errors[0];
      // yaml counts lines from the start of the YAML text; the file has the opening `---` line before it.
      const fileLine = (first.linePos?.[0]?.line ?? 0) + lines.position(fm.offset).line;
      const reason = first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      warnings.push(`The YAML front matter has an error on line ${fileLine} (${reason}); some fields may be missed.`);
    }
    const field = (key: string): Found | undefined => {
      const node = doc.get(key, true);
      if (node === undefined || node === null) return undefined;
      if (!isScalar(node) || typeof node.value !== 'string') {
        if (!isScalar(node) || node.value !== null) warnings.push(`The front matter's "${key}" is not a plain string, so it was not used.`);
        return undefined;
      }
      const value = markdownStringToText(node.value);
      if (!value) return undefined;
      const span = scalarSpan(node, fm);
      return { text: value, range: lines.trimmedRange(fileName, span.start, span.end) };
    };
    try {
      title = field('title');
      abstract = field('abstract');
      for (const key of CATEGORY_KEYS) declared.push(...yamlCategories(doc.get(key, true), key, fm, fileName, lines, warnings));
    } catch (err) {
      warnings.push(`The YAML front matter could not be read (${(err as Error).message}).`);
    }
  }

  // Blank the front matter (keeping its line breaks) so markdown-it's line numbers are the file's.
  const body = fm ? text.slice(0, fm.end).replace(/[^\r\n]/g, ' ') + text.slice(fm.end) : text;
  const tokens = md.parse(body, {});
  const comments = declaredCategoriesInComments(text, fileName, lines, '<!--');
  declared.push(...comments.found);
  warnings.push(...comments.warnings);

  const used = new Set<number>(); // token indices that belong to the title or the abstract
  if (!title && !fm) title = pandocTitleBlock(text, lines, fileName, used, tokens);
  if (!title) title = headingTitle(tokens, text, lines, fileName, used);
  if (!abstract) abstract = sectionAbstract(tokens, lines, fileName, used) ?? boldAbstract(tokens, text, lines, fileName, used);

  const draft: ExtractedDraft = { format: 'markdown', declaredCategories: declared, warnings, files: [fileName] };
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
  if (!title || !abstract) {
    const bodyText = markdownBodyText(tokens, used);
    if (bodyText) draft.bodyText = bodyText;
  }
  return draft;
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
  if (isScalar(node)) scalars.push(node);
  else if (isSeq(node)) for (const item of node.items) if (isScalar(item)) scalars.push(item);
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
    const value = inlineText(tokens[i + 1].children);
    if (!value || ABSTRACT_HEADING.test(value)) continue;
    used.add(i + 1);
    const lineStart = lines.lineStart(t.map[0]);
    const lineEnd = lineEndOffset(text, lines, t.map[0]);
    let start = lineStart;
    let end = lineEnd;
    if (t.markup.startsWith('#')) {
      const line = text.slice(lineStart, lineEnd);
      start = lineStart + (/^\s{0,3}#+\s*/.exec(line)?.[0].length ?? 0);
      end = lineStart + line.replace(/\s+#+\s*$|\s+$/, '').length;
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
    if (tokens[i].type !== 'heading_open' || !ABSTRACT_HEADING.test(inlineText(tokens[i + 1].children))) continue;
    const parts: string[] = [];
    let firstLine: number | undefined;
    let lastLine = 0;
    let j = i + 3;
    for (; j < tokens.length && tokens[j].type !== 'heading_open'; j++) {
      const t = tokens[j];
      if (t.type !== 'inline') continue;
      const value = inlineText(t.children);
      if (!value) continue;
      parts.push(value);
      used.add(j);
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

/** A paragraph that opens with a bold or italic "Abstract" label: the rest of that paragraph. */
function boldAbstract(tokens: Token[], text: string, lines: LineIndex, file: string, used: Set<number>): Found | undefined {
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== 'inline' || tokens[i - 1].type !== 'paragraph_open' || !t.map) continue;
    const label = ABSTRACT_LABEL.exec(t.content);
    if (!label) continue;
    const value = markdownStringToText(t.content.slice(label[0].length));
    if (!value) continue;
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

function markdownBodyText(tokens: Token[], used: Set<number>): string | undefined {
  let out = '';
  for (let i = 0; i < tokens.length && out.length < BODY_TEXT_CHARS; i++) {
    if (tokens[i].type !== 'inline' || used.has(i)) continue;
    const value = inlineText(tokens[i].children);
    if (value) out += (out ? ' ' : '') + value;
  }
  if (!out) return undefined;
  if (out.length <= BODY_TEXT_CHARS) return out;
  const cut = out.lastIndexOf(' ', BODY_TEXT_CHARS);
  return out.slice(0, cut > BODY_TEXT_CHARS / 2 ? cut : BODY_TEXT_CHARS);
}
