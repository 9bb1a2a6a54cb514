/**
 * Shared types of the augmentation modules (src/training/augment).
 *
 * Augmentation only ever runs on the TRAINING split: callers pass training papers only, and the planner
 * (planner.ts) throws if a paper id is flagged as held out. Augmented copies keep the labels of their source
 * and get an id suffix ("#bt", "#syn", "#eda", then a number for repeated copies of one paper).
 */
import type { LabeledPaper } from '../../model/types';

export type TextAugmenterName = 'backtranslation' | 'synonyms' | 'eda';

export interface AugmentOptions {
  /** Seed for every random choice: the same seed and input give the same output. */
  seed: number;
  /** Called after each paper (or batch of papers) with the number done so far and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting rejects the promise with an AbortError (`err.name === 'AbortError'`). */
  signal?: AbortSignal;
}

export interface TextAugmenter {
  readonly name: TextAugmenterName;
  /**
   * Returns one augmented copy per input paper, in input order: same labels/date, new title/abstract,
   * id suffixed (e.g. "1234.5678#bt"; a paper that appears k times in the input gets "#bt", "#bt2", ...).
   */
  augment(papers: LabeledPaper[], opts: AugmentOptions): Promise<LabeledPaper[]>;
}

/** Which text fields an augmenter rewrites. */
export type PaperField = 'title' | 'abstract';

/** Thrown when the caller aborts; matches the DOM AbortError convention. */
export function abortError(): Error {
  const err = new Error('Augmentation aborted');
  err.name = 'AbortError';
  return err;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError();
}

/**
 * Id suffixes for copies: the first copy of a paper gets `#<tag>`, later copies of the same paper in the same
 * call get `#<tag>2`, `#<tag>3`, ... so ids stay unique when the planner asks for several copies.
 */
export function copyIds(papers: readonly LabeledPaper[], tag: string): string[] {
  const seen = new Map<string, number>();
  return papers.map((p) => {
    const n = (seen.get(p.id) ?? 0) + 1;
    seen.set(p.id, n);
    return `${p.id}#${tag}${n === 1 ? '' : n}`;
  });
}

/** The occurrence number (0-based) of each paper id in the input, used to vary seeds between copies. */
export function occurrenceIndex(papers: readonly LabeledPaper[]): number[] {
  const seen = new Map<string, number>();
  return papers.map((p) => {
    const n = seen.get(p.id) ?? 0;
    seen.set(p.id, n + 1);
    return n;
  });
}

/** A text field of a possibly malformed row as a string (missing or non-string fields become ""). */
export function textOf(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

/** Copy of a paper with new text; labels, categories and date are kept. */
export function withText(p: LabeledPaper, id: string, title: string, abstract: string): LabeledPaper {
  const out: LabeledPaper = { id, title, abstract, primary: p.primary, categories: Array.isArray(p.categories) ? [...p.categories] : [p.primary] };
  if (p.date !== undefined) out.date = p.date;
  return out;
}
