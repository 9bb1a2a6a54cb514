/**
 * Text edits on a draft's category declaration, keeping the author's format: `% arXiv: cs.CL, cs.LG` comments,
 * YAML scalars (`arxiv: cs.CL cs.LG`), flow and block sequences, and `arxiv: {primary: …, cross: […]}` mappings.
 * Pure functions over the file's text and the declared tokens found in it (draft/categories.ts, markdown.ts).
 */
import type { DeclaredCategory } from '../draft/types';
import { LineIndex } from '../draft/lineIndex';

export interface Position {
  line: number;
  character: number;
}
export interface Edit {
  range: { start: Position; end: Position };
  newText: string;
}

/** The text of one declaration: the tokens found in one file, primary first. */
interface Declaration {
  text: string;
  lines: LineIndex;
  tokens: { category: string; written: string; start: number; end: number }[];
}

function declaration(text: string, declared: DeclaredCategory[]): Declaration {
  const lines = new LineIndex(text);
  const offset = (p: Position): number => Math.min(text.length, lines.lineStart(p.line) + p.character);
  const tokens = declared.map((d) => {
    const start = offset(d.range.start);
    const end = offset(d.range.end);
    return { category: d.category, written: text.slice(start, end), start, end };
  });
  return { text, lines, tokens };
}

const edit = (d: Declaration, start: number, end: number, newText: string): Edit => ({
  range: { start: d.lines.position(start), end: d.lines.position(end) },
  newText,
});

/** Text from the start of the token's line up to the token. */
function linePrefix(d: Declaration, at: number): string {
  const lineStart = d.text.lastIndexOf('\n', at - 1) + 1;
  return d.text.slice(lineStart, at);
}

/** `  - ` when the token is an item of a YAML block sequence. */
function blockItemPrefix(d: Declaration, at: number): string | undefined {
  const prefix = linePrefix(d, at);
  return /^[ \t]*-[ \t]+["']?$/.test(prefix) ? prefix.replace(/["']$/, '') : undefined;
}

/** True when the token is the value of a `primary:` key of an `arxiv:` mapping. */
function isMappingPrimary(d: Declaration, at: number): boolean {
  return /(?:^|[{,\s])(?:primary(?:[-_]category)?|category)[ \t]*:[ \t]*["']?$/i.test(linePrefix(d, at));
}

/** The separator the author used between the first two tokens of one line, else ", ". */
function separator(d: Declaration): string {
  for (let i = 1; i < d.tokens.length; i++) {
    const between = d.text.slice(d.tokens[i - 1].end, d.tokens[i].start);
    if (/^[ \t]*[,;]?[ \t]*$/.test(between) && between.length > 0) return between;
  }
  return ', ';
}

/** End of the line holding `at` (before its line break). */
function lineEnd(d: Declaration, at: number): number {
  const nl = d.text.indexOf('\n', at);
  const end = nl < 0 ? d.text.length : nl;
  return d.text[end - 1] === '\r' ? end - 1 : end;
}

/** The edit that adds `category` as a new token right after token `i`. */
function insertAfter(d: Declaration, i: number, category: string): Edit {
  const t = d.tokens[i];
  const item = blockItemPrefix(d, t.start);
  if (item !== undefined) {
    const end = lineEnd(d, t.end);
    return edit(d, end, end, `\n${item}${category}`);
  }
  return edit(d, t.end, t.end, `${separator(d)}${category}`);
}

/** Adds `category` as a cross-list, after the last declared one. */
export function addCrossListEdits(text: string, declared: DeclaredCategory[], category: string): Edit[] {
  const d = declaration(text, declared);
  if (!d.tokens.length) return [];
  const last = d.tokens.length - 1;
  if (last === 0 && isMappingPrimary(d, d.tokens[0].start)) return [crossKeyEdit(d, category)];
  return [insertAfter(d, last, category)];
}

/** Removes the cross-list `category` (token `index` > 0) with its separator, or its line in a YAML block list. */
export function removeCrossListEdits(text: string, declared: DeclaredCategory[], index: number): Edit[] {
  const d = declaration(text, declared);
  const t = d.tokens[index];
  if (!t || index === 0) return [];
  const item = blockItemPrefix(d, t.start);
  if (item !== undefined) {
    const lineStart = t.start - linePrefix(d, t.start).length;
    const next = d.text.indexOf('\n', t.end);
    return [edit(d, lineStart, next < 0 ? d.text.length : next + 1, '')];
  }
  const pureSeparator = (a: number, b: number) => a < b && /^[ \t]*[,;]?[ \t]*$/.test(d.text.slice(a, b));
  const prev = d.tokens[index - 1];
  const next = d.tokens[index + 1];
  if (prev && pureSeparator(prev.end, t.start)) return [edit(d, prev.end, t.end, '')];
  if (next && pureSeparator(t.end, next.start)) return [edit(d, t.start, next.start, '')];
  return [edit(d, t.start, t.end, '')];
}

/** `arxiv: {primary: cs.LG}` or a block mapping without cross-lists: adds a `cross: [X]` entry. */
function crossKeyEdit(d: Declaration, category: string): Edit {
  const t = d.tokens[0];
  const after = d.text.slice(t.end).match(/^["']?[ \t]*/)?.[0] ?? '';
  if (d.text[t.end + after.length] === '}') return edit(d, t.end + after.length, t.end + after.length, `, cross: [${category}]`);
  const indent = linePrefix(d, t.start).match(/^[ \t]*/)?.[0] ?? '';
  const end = lineEnd(d, t.end);
  return edit(d, end, end, `\n${indent}cross: [${category}]`);
}

/**
 * Makes `category` the primary and keeps the old primary as the first cross-list. When `category` is already a
 * declared cross-list the two swap places.
 */
export function makePrimaryEdits(text: string, declared: DeclaredCategory[], category: string, same: (a: string, b: string) => boolean): Edit[] {
  const d = declaration(text, declared);
  const primary = d.tokens[0];
  if (!primary) return [];
  const j = d.tokens.findIndex((t, i) => i > 0 && same(t.category, category));
  if (j > 0) return [edit(d, primary.start, primary.end, category), edit(d, d.tokens[j].start, d.tokens[j].end, primary.written)];
  if (isMappingPrimary(d, primary.start)) {
    const rest: Edit[] = [edit(d, primary.start, primary.end, category)];
    if (d.tokens.length > 1) {
      const first = d.tokens[1];
      const item = blockItemPrefix(d, first.start);
      const lineStart = first.start - linePrefix(d, first.start).length;
      rest.push(item !== undefined ? edit(d, lineStart, lineStart, `${item}${primary.written}\n`) : edit(d, first.start, first.start, `${primary.written}${separator(d)}`));
    } else rest.push(crossKeyEdit(d, primary.written));
    return rest;
  }
  const item = blockItemPrefix(d, primary.start);
  return [edit(d, primary.start, primary.end, item !== undefined ? `${category}\n${item}${primary.written}` : `${category}${separator(d)}${primary.written}`)];
}

/**
 * `% arXiv: no-check` above the declaration (LaTeX, or an HTML comment in Markdown), or `arxiv-check: false` as
 * the first key of the YAML front matter when the declaration is in it.
 */
export function noCheckEdit(text: string, format: 'latex' | 'markdown', at: Position): Edit {
  const lines = new LineIndex(text);
  const lineStart = lines.lineStart(at.line);
  const line = text.slice(lineStart, lineEnd({ text, lines, tokens: [] }, lineStart));
  const pos = lines.position(lineStart);
  if (format === 'latex') {
    const leader = /^[ \t]*%+[ \t]*/.exec(line)?.[0] ?? '% ';
    return { range: { start: pos, end: pos }, newText: `${leader}arXiv: no-check\n` };
  }
  const fm = /^\uFEFF?---[ \t]*\r?\n/.exec(text);
  const fmEnd = fm ? frontMatterEnd(text, fm[0].length) : -1;
  if (fm && lineStart < fmEnd) {
    const p = lines.position(fm[0].length);
    return { range: { start: p, end: p }, newText: 'arxiv-check: false\n' };
  }
  return { range: { start: pos, end: pos }, newText: '<!-- arXiv: no-check -->\n' };
}

function frontMatterEnd(text: string, from: number): number {
  const m = /^(?:---|\.\.\.)[ \t]*$/m.exec(text.slice(from));
  return m ? from + m.index : -1;
}

/**
 * Declares `primary` and `crossLists` in a draft that declares nothing, in the file's own style: a
 * `% arXiv:` comment above \documentclass (after `% !TEX` lines); in Markdown an `arxiv:` key in the front
 * matter (a block list when the front matter already writes lists that way), else an HTML comment.
 */
export function declareEdit(text: string, format: 'latex' | 'markdown', primary: string, crossLists: string[]): Edit {
  const lines = new LineIndex(text);
  const list = [primary, ...crossLists];
  const at = (offset: number): Edit => {
    const p = lines.position(offset);
    return { range: { start: p, end: p }, newText: '' };
  };
  if (format === 'latex') {
    const doc = /^[ \t]*\\documentclass/m.exec(text);
    let offset = doc ? doc.index : 0;
    if (!doc) {
      // After leading magic comments (% !TEX …), which must stay first.
      const magic = /^(?:[ \t]*%[ \t]*!T[eE]X[^\n]*\n)+/.exec(text);
      offset = magic ? magic[0].length : 0;
    }
    const leader = /^[ \t]*(%+)[ \t]?\S/m.exec(text)?.[1] ?? '%';
    return { ...at(offset), newText: `${leader} arXiv: ${list.join(', ')}\n` };
  }
  const fm = /^\uFEFF?---[ \t]*\r?\n/.exec(text);
  const end = fm ? frontMatterEnd(text, fm[0].length) : -1;
  if (fm && end >= 0) {
    const yaml = text.slice(fm[0].length, end);
    const block = /^[A-Za-z_-]+:[ \t]*\r?\n([ \t]*)-[ \t]/m.exec(yaml);
    const newText = block ? `arxiv:\n${list.map((c) => `${block[1]}- ${c}`).join('\n')}\n` : `arxiv: ${list.length > 1 ? `[${list.join(', ')}]` : primary}\n`;
    return { ...at(end), newText };
  }
  // A Pandoc title block (`% Title` on line 1) must stay first.
  const pandoc = /^%[^\n]*\n(?:%[^\n]*\n)*/.exec(text);
  return { ...at(pandoc ? pandoc[0].length : 0), newText: `<!-- arXiv: ${list.join(', ')} -->\n` };
}
