/**
 * Reads labelled papers from JSON Lines (optionally gzip) in the shared data format, or from CSV with the
 * original research's columns (id,title,abstract,category,all_categories,published) or plain
 * title/abstract/category columns. Bad rows are skipped and counted by reason, never thrown.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import type { Readable } from 'node:stream';
import type { LabeledPaper } from '../../model/types';

export interface ReadReport {
  read: number;
  skipped: number;
  /** reason -> count */
  reasons: Record<string, number>;
  /** First few skipped rows with their line number and reason, for the user. */
  examples: { line: number; reason: string }[];
}

export interface ReadResult {
  papers: LabeledPaper[];
  report: ReadReport;
}

const CATEGORY_RE = /^[a-z-]+(\.[A-Za-z-]+)?$/;

function newReport(): ReadReport {
  return { read: 0, skipped: 0, reasons: {}, examples: [] };
}

function skip(report: ReadReport, line: number, reason: string): void {
  report.skipped++;
  report.reasons[reason] = (report.reasons[reason] ?? 0) + 1;
  if (report.examples.length < 10) report.examples.push({ line, reason });
}

function splitCategories(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string').map((s) => s.trim()).filter(Boolean);
  if (typeof v === 'string') {
    // CSV exports store lists as "cs.AI cs.LG", "cs.AI,cs.LG", or a Python/JSON list literal.
    return v.replace(/[[\]'"]/g, ' ').split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
  }
  return [];
}

/** Validates one raw record; returns a paper or the reason it is unusable. */
export function toPaper(raw: Record<string, unknown>, fallbackId: string): LabeledPaper | string {
  const title = typeof raw.title === 'string' ? raw.title.replace(/\s+/g, ' ').trim() : '';
  const abstract =
    typeof raw.abstract === 'string' ? raw.abstract : typeof raw.summary === 'string' ? raw.summary : '';
  const abs = abstract.replace(/\s+/g, ' ').trim();
  if (!title && !abs) return 'missing title and abstract';
  if (!abs) return 'missing abstract';
  if (!title) return 'missing title';
  const cats = splitCategories(raw.categories ?? raw.all_categories);
  const primaryRaw = raw.primary ?? raw.category ?? raw.primary_category ?? cats[0];
  const primary = typeof primaryRaw === 'string' ? primaryRaw.trim() : '';
  if (!primary) return 'missing category';
  if (!CATEGORY_RE.test(primary)) return 'category is not an arXiv code';
  const categories = [primary, ...cats.filter((c) => c !== primary && CATEGORY_RE.test(c))];
  const id = typeof raw.id === 'string' && raw.id.trim() ? raw.id.trim() : typeof raw.id === 'number' ? String(raw.id) : fallbackId;
  const date = typeof raw.date === 'string' ? raw.date : typeof raw.published === 'string' ? raw.published.slice(0, 10) : undefined;
  return { id, title, abstract: abs, primary, categories, date };
}

function openText(path: string): Readable {
  const s = createReadStream(path);
  return path.endsWith('.gz') ? s.pipe(createGunzip()) : s;
}

async function readJsonl(path: string, report: ReadReport, limit: number): Promise<LabeledPaper[]> {
  const papers: LabeledPaper[] = [];
  const rl = createInterface({ input: openText(path), crlfDelay: Infinity });
  let line = 0;
  for await (const raw0 of rl) {
    line++;
    // A UTF-8 byte-order mark (Windows editors write one) is not part of the first record.
    const text = line === 1 && raw0.charCodeAt(0) === 0xfeff ? raw0.slice(1) : raw0;
    if (!text.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      skip(report, line, 'invalid JSON');
      continue;
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      skip(report, line, 'not a JSON object');
      continue;
    }
    const p = toPaper(raw as Record<string, unknown>, `line-${line}`);
    if (typeof p === 'string') skip(report, line, p);
    else {
      papers.push(p);
      report.read++;
      if (papers.length >= limit) break;
    }
  }
  rl.close();
  return papers;
}

async function readCsv(path: string, report: ReadReport, limit: number): Promise<LabeledPaper[]> {
  const papers: LabeledPaper[] = [];
  /** Physical line on which the last good record ended (the header is line 1). */
  let lastRecordLine = 1;
  const parser = openText(path).pipe(
    parseCsv({
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
      on_record: (rec: unknown, ctx: { lines: number }) => {
        lastRecordLine = ctx.lines;
        return rec;
      },
    }),
  );
  let line = 1;
  try {
    for await (const rec of parser) {
      line++;
      const p = toPaper(rec as Record<string, unknown>, `row-${line}`);
      if (typeof p === 'string') skip(report, line, p);
      else {
        papers.push(p);
        report.read++;
        if (papers.length >= limit) break;
      }
    }
  } catch (e) {
    // csv-parse stops at a structural error: keep what was read, report the rest.
    const err = e as Error & { code?: string; lines?: number };
    if (err.code === 'CSV_QUOTE_NOT_CLOSED' && typeof err.lines === 'number' && err.lines > lastRecordLine) {
      // The quote swallowed every line after it: each is a lost row, not one "syntax error".
      const from = lastRecordLine + 1;
      const lost = err.lines - lastRecordLine;
      const reason = 'inside an unclosed CSV quote';
      report.skipped += lost;
      report.reasons[reason] = (report.reasons[reason] ?? 0) + lost;
      if (report.examples.length < 10) {
        report.examples.push({ line: from, reason: `a quote (") opened on line ${from} is never closed: lines ${from}-${err.lines} (${lost}) were not read; close the quote` });
      }
    } else {
      skip(report, line, 'CSV syntax error: ' + err.message.split('\n')[0]);
    }
  }
  return papers;
}

/** Reads a dataset file. Throws only when the file cannot be opened at all (with a clear message). */
export async function readPapers(path: string, opts: { limit?: number } = {}): Promise<ReadResult> {
  if (!existsSync(path)) throw new Error(`Dataset not found: ${path}`);
  if (!statSync(path).isFile()) throw new Error(`Dataset is not a file: ${path}`);
  const report = newReport();
  const limit = opts.limit ?? Infinity;
  const lower = path.toLowerCase();
  const papers =
    lower.endsWith('.csv') || lower.endsWith('.csv.gz') ? await readCsv(path, report, limit) : await readJsonl(path, report, limit);
  // Duplicate ids would leak between splits: keep the first.
  const seen = new Set<string>();
  const unique: LabeledPaper[] = [];
  for (const p of papers) {
    if (seen.has(p.id)) {
      skip(report, 0, 'duplicate id');
      report.read--;
      continue;
    }
    seen.add(p.id);
    unique.push(p);
  }
  return { papers: unique, report };
}
