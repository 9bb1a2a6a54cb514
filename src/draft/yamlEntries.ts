/**
 * Reads only the top-level entries of a YAML front matter that a draft needs (title, abstract, arXiv
 * categories), each parsed on its own and only when it is of a sane size and nesting. The yaml library
 * is fine on real front matter but not on hostile input: 240 KB of malformed lines took 10 s, 1 MB of
 * errors 20 s and 1.6 GB, and 16,000 `[` exhausted V8's memory and killed the process.
 */
import { parseDocument } from 'yaml';
import { formatCount } from './inputGuards';

export interface YamlEntry {
  key: string;
  /** Offset of the entry's first character in the YAML text. */
  offset: number;
  /** The entry's text: its `key:` line and the indented lines after it. */
  text: string;
}

export interface ParsedEntry extends YamlEntry {
  /** The value node (yaml's Node), or undefined when the entry was refused or is empty. */
  node: unknown;
  /** First parse error: message and offset inside `text`. */
  error?: { message: string; offset: number };
}

/** Flow collections nested deeper than this are refused before the yaml library sees them. */
const MAX_FLOW_DEPTH = 32;
const TOP_LEVEL_KEY = /^(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#'"\-?:,[\]{}&*!|>%@`][^:\n]*?))[ \t]*:(?=[ \t]|$)/;

/**
 * Top-level `key:` entries of a block mapping, in order. Lines that are blank, indented, comments or
 * `- item`s belong to the entry above them; any other line at column 0 that is not a key ends it.
 */
export function topLevelEntries(yaml: string): YamlEntry[] {
  const entries: YamlEntry[] = [];
  let current: { key: string; offset: number } | undefined;
  let pos = 0;
  const close = (end: number) => {
    if (current) entries.push({ key: current.key, offset: current.offset, text: yaml.slice(current.offset, end) });
    current = undefined;
  };
  while (pos < yaml.length) {
    let eol = yaml.indexOf('\n', pos);
    if (eol < 0) eol = yaml.length;
    const c = yaml[pos];
    const continues = c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '#' || (c === '-' && /^-(?:[ \t\r]|$)/.test(yaml.slice(pos, pos + 2)));
    if (!continues) {
      close(pos);
      const m = TOP_LEVEL_KEY.exec(yaml.slice(pos, Math.min(eol, pos + 200)));
      if (m) current = { key: (m[1] ?? m[2] ?? m[3]).trim(), offset: pos };
    }
    pos = eol + 1;
  }
  close(yaml.length);
  return entries;
}

/** Deepest nesting of `[`/`{` outside quotes (roughly: enough to refuse what would hurt the parser). */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\n') quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return max;
}

/**
 * The wanted entries (`limits`: key -> most characters its entry may have), each parsed alone. An entry
 * that is too long or too deeply nested is refused with a warning saying why.
 */
export function readEntries(yaml: string, limits: Record<string, number>, warnings: string[]): Map<string, ParsedEntry> {
  const found = new Map<string, ParsedEntry>();
  for (const entry of topLevelEntries(yaml)) {
    const limit = limits[entry.key];
    if (limit === undefined || found.has(entry.key)) continue;
    // trimEnd, not /\s+$/: that regex retries from every space of a long run inside the text (quadratic).
    const text = entry.text.trimEnd();
    if (text.length > limit) {
      warnings.push(
        `The front matter's "${entry.key}" is ${formatCount(text.length)} characters long (the limit is ${formatCount(limit)}): it was not read.`,
      );
      found.set(entry.key, { ...entry, node: undefined });
      continue;
    }
    if (flowDepth(text) > MAX_FLOW_DEPTH) {
      warnings.push(`The front matter's "${entry.key}" nests brackets more than ${MAX_FLOW_DEPTH} deep: it was not read.`);
      found.set(entry.key, { ...entry, node: undefined });
      continue;
    }
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
    const parsed: ParsedEntry = { ...entry, node: doc.get(entry.key, true) };
    const first = doc.errors[0];
    if (first) parsed.error = { message: first.message.split('\n')[0], offset: first.pos[0] };
    found.set(entry.key, parsed);
  }
  return found;
}
