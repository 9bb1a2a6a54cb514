/**
 * Runs the submission preflight for a classified draft, in the server after the (debounced) classification,
 * never on the typing path: metadata checks (draft/preflight.ts), the category set from arXiv's rules
 * (arxivRules.ts) and the cited arXiv papers (draft/bibliography.ts). Every file, .bib files included, is read
 * through the same `readFile` as \input'ed files; parsed bibliographies are cached by content hash.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { bibliographyFiles, citedArxivPapers, citedKeys, parseBib, type BibFile } from '../draft/bibliography';
import { LineIndex } from '../draft/lineIndex';
import { arxivMetadata, definedMacros, preflightChecks } from '../draft/preflight';
import type { SourceRange } from '../draft/types';
import type { SubmissionPreflight } from '../shared/preflight';
import { canonicalCategory, reviewCategories } from './arxivRules';
import type { Analysis } from './documentAnalyzer';
import { sameFile } from './paths';

/** Raw title/abstract text beyond this is not scanned (arXiv's abstract limit is 1,920 characters). */
const MAX_RAW = 20_000;

export class PreflightRunner {
  private readonly bibCache = new Map<string, ReturnType<typeof parseBib>>();

  constructor(private readonly readFile: (absolutePath: string) => string | undefined) {}

  run(analysis: Analysis, rootText: string, root: { uri: string; fsPath?: string }): SubmissionPreflight | undefined {
    const { classification: c, draft } = analysis;
    if (c.status !== 'ok' || !draft) return undefined;
    const texts = new Map<string, string | undefined>();
    const textOf = (file: string): string | undefined => {
      if (file === root.uri || (root.fsPath && sameFile(file, root.fsPath))) return rootText;
      if (!texts.has(file)) texts.set(file, this.readFile(file));
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

    const checks = preflightChecks({
      title: c.extracted.title,
      abstract: c.extracted.abstract,
      rawTitle: slice(c.extracted.titleRange),
      rawAbstract: slice(c.extracted.abstractRange),
      definedMacros: macros,
    });
    const set = reviewCategories(
      draft.declaredCategories.map((d) => d.category),
      c.prediction,
    ).proposedSet;
    const result: SubmissionPreflight = {
      checks,
      categories: { ...(set.primary ? { primary: set.primary } : {}), crossLists: set.crossLists, reasons: set.reasons },
      metadata: arxivMetadata(c.extracted.title, c.extracted.abstract),
    };
    if (root.fsPath) {
      const citations = this.citations(files, textOf, draft.format, path.dirname(root.fsPath));
      if (citations) result.citations = citations;
    }
    return result;
  }

  private citations(files: string[], textOf: (f: string) => string | undefined, format: 'latex' | 'markdown', baseDir: string): SubmissionPreflight['citations'] {
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
      const text = this.readFile(p);
      return text === undefined ? { path: p, note: 'not found, or too large to read' } : { path: p, text };
    });
    return citedArxivPapers(read, { keys, all }, canonicalCategory, (text) => this.parseCached(text));
  }

  private parseCached(text: string): ReturnType<typeof parseBib> {
    const key = createHash('sha256').update(text).digest('hex');
    const hit = this.bibCache.get(key);
    if (hit) return hit;
    const parsed = parseBib(text);
    this.bibCache.set(key, parsed);
    while (this.bibCache.size > 20) this.bibCache.delete(this.bibCache.keys().next().value as string);
    return parsed;
  }
}
