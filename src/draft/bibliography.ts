/**
 * Cited arXiv papers as evidence beside the prediction: which bibliography files a draft uses (\bibliography{},
 * \addbibresource{}, YAML `bibliography:`), which keys it cites, and the primary categories of the cited
 * entries that are arXiv papers (eprint + archivePrefix/eprinttype = arXiv, primaryClass/eprintclass, or an
 * old-style id such as hep-th/9901001). BibTeX is parsed with latex-utensils (the parser LaTeX Workshop uses),
 * with a time limit; a file it cannot parse whole is read entry by entry, and what still fails is counted.
 */
import * as path from 'node:path';
import { bibtexParser } from 'latex-utensils';
import { parseDocument, isScalar, isSeq } from 'yaml';
import type { CitedPapers } from '../shared/preflight';
import { maskComments } from './latexScan';

/** A .bib file larger than this is skipped with a note (about 6,000 entries; parsing it takes ~2 s here). */
export const MAX_BIB_CHARS = 1_000_000;
/** Time budget for one file (whole, then entry by entry), and for one entry in the fallback. */
const PARSE_MS = 2_500;
const ENTRY_MS = 200;
const MAX_ENTRIES = 20_000;

/** Bibliography files named by a draft's text, resolved against `baseDir`; only `.bib` files. */
export function bibliographyFiles(text: string, format: 'latex' | 'markdown', baseDir: string): string[] {
  const names: string[] = [];
  if (format === 'latex') {
    const masked = maskComments(text.slice(0, 4_000_000));
    for (const m of masked.matchAll(/\\bibliography\s*\{([^}]{1,2000})\}/g)) {
      for (const n of m[1].split(',')) names.push(n.trim().endsWith('.bib') ? n.trim() : `${n.trim()}.bib`);
    }
    for (const m of masked.matchAll(/\\addbibresource\s*(?:\[[^\]]{0,200}\])?\s*\{([^}]{1,500})\}/g)) names.push(m[1].trim());
  } else {
    const fm = /^\uFEFF?---[ \t]*\r?\n([\s\S]{0,200000}?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
    if (fm) {
      try {
        const node = parseDocument(fm[1]).get('bibliography', true);
        const values = isSeq(node) ? node.items : [node];
        for (const v of values) if (isScalar(v) && typeof v.value === 'string') names.push(v.value.trim());
      } catch {
        /* a broken front matter has its own warning */
      }
    }
  }
  const files = names.filter((n) => n && n.toLowerCase().endsWith('.bib')).map((n) => path.resolve(baseDir, n));
  return [...new Set(files)];
}

/** Keys cited in `text` (\cite-family commands, Pandoc [@key] / @key); `all` for \nocite{*}. */
export function citedKeys(text: string, format: 'latex' | 'markdown'): { keys: Set<string>; all: boolean } {
  const keys = new Set<string>();
  let all = false;
  const src = (format === 'latex' ? maskComments(text.slice(0, 4_000_000)) : text.slice(0, 4_000_000));
  if (format === 'latex') {
    for (const m of src.matchAll(/\\[A-Za-z]*cite[A-Za-z]*\*?\s*(?:\[[^\]]{0,300}\]\s*){0,2}\{([^}]{1,2000})\}/g)) {
      for (const k of m[1].split(',')) {
        const key = k.trim();
        if (key === '*') all = true;
        else if (key) keys.add(key);
      }
    }
  } else {
    for (const m of src.matchAll(/(?<![\w.])@([A-Za-z0-9_][\w:.#$%&+?<>~/-]{0,200})/g)) keys.add(m[1].replace(/[.:]+$/, ''));
  }
  return { keys, all };
}

interface BibEntry {
  key: string;
  fields: Record<string, string>;
}

function fieldText(v: bibtexParser.FieldValue): string {
  if (v.kind === 'concat') return v.content.map((c) => c.content).join('');
  return v.content;
}

function toEntries(ast: bibtexParser.BibtexAst): BibEntry[] {
  const out: BibEntry[] = [];
  for (const e of ast.content) {
    if (!bibtexParser.isEntry(e)) continue;
    const fields: Record<string, string> = {};
    for (const f of e.content) fields[f.name.toLowerCase()] = fieldText(f.value);
    out.push({ key: e.internalKey ?? '', fields });
  }
  return out;
}

/** Parses a .bib file; a file that does not parse whole is read entry by entry. Never throws. */
export function parseBib(text: string, budgetMs = 2 * PARSE_MS): { entries: BibEntry[]; failed: number; timedOut: boolean } {
  const started = Date.now();
  const wholeMs = Math.max(1, Math.min(PARSE_MS, Math.floor(budgetMs / 2)));
  try {
    return { entries: toEntries(bibtexParser.parse(text, { timeout: wholeMs })), failed: 0, timedOut: false };
  } catch {
    // A syntax error: read entry by entry below. Out of time: a second pass would be as slow.
    if (Date.now() - started >= wholeMs) return { entries: [], failed: 1, timedOut: true };
  }
  const starts = [...text.matchAll(/^[ \t]*@/gm)].map((m) => m.index ?? 0).slice(0, MAX_ENTRIES);
  const entries: BibEntry[] = [];
  let failed = 0;
  let timedOut = false;
  const deadline = started + budgetMs;
  for (let i = 0; i < starts.length; i++) {
    if (Date.now() > deadline) {
      timedOut = true;
      failed += starts.length - i;
      break;
    }
    const chunk = text.slice(starts[i], starts[i + 1] ?? text.length);
    try {
      entries.push(...toEntries(bibtexParser.parse(chunk, { timeout: ENTRY_MS })));
    } catch {
      if (/^\s*@\s*(?:comment|preamble|string)\b/i.test(chunk)) continue;
      failed++;
    }
  }
  return { entries, failed, timedOut };
}

const NEW_ID = /^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$/i;
const OLD_ID = /^(?:arxiv:)?([a-z-]+(?:\.[A-Z]{2})?)\/\d{7}(?:v\d+)?$/i;

/** The arXiv id and primary category of an entry, when it is an arXiv paper. */
export function arxivOf(fields: Record<string, string>): { id: string; category?: string } | undefined {
  const prefix = (fields.archiveprefix ?? fields.eprinttype ?? '').trim().toLowerCase();
  const eprint = (fields.eprint ?? '').trim();
  const cls = (fields.primaryclass ?? fields.eprintclass ?? '').trim();
  const category = (c: string) => (c ? c.split(/[\s;,]+/)[0] : undefined);
  if (eprint && (prefix === 'arxiv' || (!prefix && (NEW_ID.test(eprint) || OLD_ID.test(eprint))))) {
    const old = OLD_ID.exec(eprint);
    return { id: eprint.replace(/^arxiv:/i, ''), category: category(cls) ?? (old ? old[1] : undefined) };
  }
  // Google Scholar style: journal = {arXiv preprint arXiv:1706.03762}, or an arxiv.org/abs/ URL.
  for (const f of [fields.journal, fields.note, fields.url, fields.howpublished, fields.journaltitle]) {
    const m = f && /arxiv(?:\.org\/abs\/|[:\s]+)((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[A-Z]{2})?\/\d{7}))/i.exec(f);
    if (m) {
      const old = OLD_ID.exec(m[1]);
      return { id: m[1], category: category(cls) ?? (old ? old[1] : undefined) };
    }
  }
  return undefined;
}

export interface BibFile {
  path: string;
  /** Undefined when it could not be read; `note` says why. */
  text?: string;
  note?: string;
}

/**
 * Shares of the cited arXiv papers' primary categories. Only entries cited in the draft count (all of them
 * after \nocite{*}, or when the draft cites nothing yet). `canonical` maps alias categories to one name.
 */
export function citedArxivPapers(files: BibFile[], cited: { keys: Set<string>; all: boolean }, canonical: (c: string) => string = (c) => c, parse = parseBib): CitedPapers {
  const notes: string[] = [];
  const seen = new Set<string>();
  const counts = new Map<string, number>();
  let papers = 0;
  let withCategory = 0;
  const everything = cited.all || cited.keys.size === 0;
  for (const f of files) {
    const name = path.basename(f.path);
    if (f.text === undefined) {
      notes.push(`${name} skipped: ${f.note ?? 'it could not be read'}.`);
      continue;
    }
    if (f.text.length > MAX_BIB_CHARS) {
      notes.push(`${name} skipped: ${f.text.length.toLocaleString('en-US')} characters, more than the ${MAX_BIB_CHARS.toLocaleString('en-US')} read.`);
      continue;
    }
    const parsed = parse(f.text);
    if (parsed.timedOut && !parsed.entries.length) notes.push(`${name} skipped: it could not be parsed within the time limit.`);
    else if (parsed.failed) notes.push(`${name}: ${parsed.failed} entr${parsed.failed === 1 ? 'y' : 'ies'} could not be read${parsed.timedOut ? ' (time limit)' : ''}.`);
    for (const e of parsed.entries) {
      if (!everything && !cited.keys.has(e.key)) continue;
      const a = arxivOf(e.fields);
      if (!a || seen.has(a.id)) continue;
      seen.add(a.id);
      papers++;
      if (a.category && /^[a-z-]+(?:\.[A-Za-z-]+)?$/.test(a.category)) {
        withCategory++;
        const c = canonical(a.category);
        counts.set(c, (counts.get(c) ?? 0) + 1);
      }
    }
  }
  if (everything && files.some((f) => f.text !== undefined)) notes.push(cited.all ? 'Counting every entry (\\nocite{*}).' : 'The draft cites nothing yet: counting every entry of its bibliography.');
  if (papers > withCategory) notes.push(`${papers - withCategory} of the ${papers} arXiv papers have no primaryClass in the .bib file.`);
  const categories = [...counts.entries()]
    .map(([category, count]) => ({ category, count, share: withCategory ? count / withCategory : 0 }))
    .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
  return { papers, withCategory, categories, notes };
}
