/**
 * The submission preflight in two parts. What needs the draft's files (metadata checks on the raw title and
 * abstract, defined macros, the cited arXiv papers from .bib files) runs in the draft worker right after
 * extraction, with the same file access as includes and within the draft's time budget: never on the
 * server's main thread. The category set needs the prediction, and is added on the main thread (cheap).
 * Parsed bibliographies are cached by content hash (per worker).
 */
import * as path from 'node:path';
import { bibliographyFiles, citedArxivPapers, citedKeys, parseBib, type BibFile } from '../draft/bibliography';
import { LineIndex } from '../draft/lineIndex';
import { arxivMetadata, definedMacros, preflightChecks } from '../draft/preflight';
import type { SourceRange } from '../draft/types';
import type { DraftPreflight, SubmissionPreflight } from '../shared/preflight';
import { sha256 } from '../shared/hash';
import { canonicalCategory, reviewCategories } from './arxivRules';
import type { ExtractedDraft } from '../draft/types';
import type { Prediction } from '../model/types';
import { sameFile } from './paths';

/** Raw title/abstract text beyond this is not scanned (arXiv's abstract limit is 1,920 characters). */
const MAX_RAW = 20_000;

/** The file-dependent part of the preflight, computed where the draft was read (the draft worker). */
export function draftPreflight(
  draft: ExtractedDraft,
  rootText: string,
  root: { uri: string; fsPath?: string },
  readFile: (absolutePath: string) => string | undefined,
  bibBudgetMs?: number,
): DraftPreflight {
  const texts = new Map<string, string | undefined>();
  const textOf = (file: string): string | undefined => {
    if (file === root.uri || (root.fsPath && sameFile(file, root.fsPath))) return rootText;
    if (!texts.has(file)) texts.set(file, readFile(file));
    return texts.get(file);
  };
  const slice = (r: SourceRange | undefined): string | undefined => {
    const text = r && textOf(r.file);
    if (!r || text === undefined) return undefined;
    const lines = new LineIndex(text);
    const start = lines.lineStart(r.start.line) + r.start.character;
    const end = lines.lineStart(r.end.line) + r.end.character;
    return text.slice(start, Math.min(end, start + MAX_RAW));
  };
  const files = draft.files.length ? draft.files : [root.fsPath ?? root.uri];
  const macros = new Set<string>();
  if (draft.format === 'latex') for (const f of files) definedMacros(textOf(f) ?? '', macros);

  const result: DraftPreflight = {
    checks: preflightChecks({
      title: draft.title,
      abstract: draft.abstract,
      rawTitle: slice(draft.titleRange),
      rawAbstract: slice(draft.abstractRange),
      definedMacros: macros,
    }),
    metadata: arxivMetadata(draft.title, draft.abstract),
  };
  if (root.fsPath) {
    const citations = citationsOf(files, textOf, readFile, draft.format, path.dirname(root.fsPath), bibBudgetMs);
    if (citations) result.citations = citations;
  }
  return result;
}

/** The whole preflight: the draft's part plus the category set to submit (needs the prediction). */
export function withCategories(base: DraftPreflight, draft: ExtractedDraft, prediction: Prediction | undefined): SubmissionPreflight {
  const set = reviewCategories(
    draft.declaredCategories.map((d) => d.category),
    prediction,
  ).proposedSet;
  return { ...base, categories: { ...(set.primary ? { primary: set.primary } : {}), crossLists: set.crossLists, reasons: set.reasons } };
}

function citationsOf(
  files: string[],
  textOf: (f: string) => string | undefined,
  readFile: (absolutePath: string) => string | undefined,
  format: 'latex' | 'markdown',
  baseDir: string,
  bibBudgetMs?: number,
): SubmissionPreflight['citations'] {
  const bibs = new Set<string>();
  const keys = new Set<string>();
  let all = false;
  for (const f of files) {
    const text = textOf(f);
    if (text === undefined) continue;
    for (const b of bibliographyFiles(text, format, baseDir)) bibs.add(b);
    const cited = citedKeys(text, format);
    for (const k of cited.keys) keys.add(k);
    all ||= cited.all;
  }
  if (!bibs.size) return undefined;
  const read: BibFile[] = [...bibs].map((p) => {
    const text = readFile(p);
    return text === undefined ? { path: p, note: 'not found, or too large to read' } : { path: p, text };
  });
  return citedArxivPapers(read, { keys, all }, canonicalCategory, (text) => parseCached(text, bibBudgetMs));
}

const bibCache = new Map<string, ReturnType<typeof parseBib>>();

function parseCached(text: string, budgetMs?: number): ReturnType<typeof parseBib> {
  const key = sha256(text);
  const hit = bibCache.get(key);
  if (hit) return hit;
  const parsed = parseBib(text, budgetMs);
  // A parse cut short by the budget is tried again next time (the budget may be larger, the machine quieter).
  if (!parsed.timedOut) bibCache.set(key, parsed);
  while (bibCache.size > 20) bibCache.delete(bibCache.keys().next().value as string);
  return parsed;
}
