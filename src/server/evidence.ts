/**
 * Evidence for the editor: asks the model (in its worker) which words pull the prediction toward the top
 * category rather than the runner-up, and places each word or phrase in the draft's title/abstract source.
 *
 * Placing: the model reads normalised text (LaTeX removed, lower case), so a term is found again in the
 * source by a case-insensitive search for its words separated by anything that is not a letter or digit
 * (spaces, `~`, a line break, `\emph{` ...), not preceded by a backslash (a macro name). Terms the source
 * does not contain literally ("[math]", accent-stripped words) keep no range and are listed, not highlighted.
 */
import { createHash } from 'node:crypto';
import { LineIndex } from '../draft/lineIndex';
import type { SourceRange } from '../draft/types';
import type { DraftExplanation } from '../model/explain/explain';
import type { Classifier, PaperText } from '../model/types';
import type { EvidenceDto, EvidenceItem } from '../shared/evidence';
import type { ModelProvider } from './modelHost';

/** Items sent per side (strongest first) and occurrences placed per item: bounded work and message size. */
export const MAX_EVIDENCE_PER_SIDE = 12;
const MAX_RANGES_PER_ITEM = 20;
/** A title/abstract source longer than this is not searched (the extractor caps them far below). */
const MAX_SEARCH_CHARS = 50_000;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Regex for a term's words in LaTeX/Markdown source. */
export function termPattern(term: string): RegExp | undefined {
  const words = term.split(' ').filter(Boolean);
  if (words.length === 0 || words.some((w) => !/^[\p{L}\p{N}]/u.test(w))) return undefined; // markers like [math]
  // inside a word, "-" and "." may be written as they are; between words, any non-word run (bounded)
  const body = words.map((w) => escapeRegExp(w)).join('[^\\p{L}\\p{N}]{1,40}?');
  return new RegExp(`(?<![\\p{L}\\p{N}\\\\])${body}(?![\\p{L}\\p{N}])`, 'giu');
}

/** Source ranges of each term inside the given parts (title/abstract ranges) of `text`. */
export function locateTerms(text: string, parts: SourceRange[], terms: string[]): SourceRange[][] {
  const index = new LineIndex(text);
  const spans = parts.map((r) => {
    const start = index.lineStart(r.start.line) + r.start.character;
    const end = index.lineStart(r.end.line) + r.end.character;
    return { file: r.file, start, end: Math.min(end, start + MAX_SEARCH_CHARS) };
  });
  return terms.map((term) => {
    const re = termPattern(term);
    const out: SourceRange[] = [];
    if (!re) return out;
    for (const s of spans) {
      const part = text.slice(s.start, s.end);
      re.lastIndex = 0;
      for (let m = re.exec(part); m && out.length < MAX_RANGES_PER_ITEM; m = re.exec(part)) {
        out.push(index.range(s.file, s.start + m.index, s.start + m.index + m[0].length));
      }
    }
    return out;
  });
}

/** The DTO for one draft: the strongest items, placed in the document text (`parts` = its title/abstract ranges). */
export function evidenceDto(e: DraftExplanation, text: string, parts: SourceRange[]): EvidenceDto {
  const side = (sign: number) => e.terms.filter((t) => Math.sign(t.weight) === sign).slice(0, MAX_EVIDENCE_PER_SIDE);
  const terms = [...side(1), ...side(-1)].sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  const ranges = locateTerms(text, parts, terms.map((t) => t.term));
  const items: EvidenceItem[] = terms.map((t, i) => ({ term: t.term, weight: t.weight, ngram: t.ngram, crossAttention: t.crossAttention, ranges: ranges[i] }));
  return {
    top: e.top,
    runnerUp: e.runnerUp,
    pTop: e.pTop,
    pRunnerUp: e.pRunnerUp,
    logOdds: e.logOdds,
    items,
    base: e.base,
    nonWord: e.nonWord,
    igGap: e.igGap,
    method: e.method,
    elapsedMs: e.elapsedMs,
  };
}

/**
 * Explanations of the current model, cached on (model id, exact classifier input) like predictions, so a
 * draft whose title and abstract did not change is never explained twice.
 */
export class EvidenceCache {
  private readonly cache = new Map<string, DraftExplanation>();

  constructor(
    private readonly models: ModelProvider,
    private readonly size = 50,
  ) {}

  clear(): void {
    this.cache.clear();
  }

  /** undefined when the current model cannot explain itself. */
  async explain(paper: PaperText): Promise<DraftExplanation | undefined> {
    return this.models.withClassifier(async (classifier: Classifier, modelId: string) => {
      if (!classifier.explain) return undefined;
      const key = createHash('sha256').update(modelId).update('\0').update(paper.title).update('\0').update(paper.abstract).digest('hex');
      const hit = this.cache.get(key);
      if (hit) return hit;
      const e = await classifier.explain(paper);
      this.cache.set(key, e);
      while (this.cache.size > this.size) this.cache.delete(this.cache.keys().next().value as string);
      return e;
    });
  }
}
