/**
 * Derives domain terms from the training papers: words concentrated in one class. They carry the label
 * signal, so the synonym and EDA augmenters keep them (pass the result as `terms`).
 */
import type { LabeledPaper } from '../../model/types';
import { STOP_WORDS } from './tokens';

export interface DomainTermOptions {
  /** Minimum number of papers a word occurs in (default 5). */
  minPapers?: number;
  /**
   * Minimum share of the word's class-normalised frequency that falls in its top class (default 0.6):
   * rate_c(w) = papers of class c with w / papers of class c, share = max_c rate_c / sum_c rate_c.
   * Normalising by class size keeps big classes from claiming every common word.
   */
  minShare?: number;
  /** Keep at most this many terms, highest share first (default 20,000). */
  maxTerms?: number;
}

export function deriveDomainTerms(train: readonly LabeledPaper[], opts: DomainTermOptions = {}): Set<string> {
  const minPapers = opts.minPapers ?? 5;
  const minShare = opts.minShare ?? 0.6;
  const maxTerms = opts.maxTerms ?? 20_000;
  const classSize = new Map<string, number>();
  const counts = new Map<string, Map<string, number>>(); // word -> class -> papers
  for (const p of train) {
    classSize.set(p.primary, (classSize.get(p.primary) ?? 0) + 1);
    const words = new Set((`${p.title} ${p.abstract}`.toLowerCase().match(/[a-z]{3,}(?:-[a-z]+)*/g) ?? []));
    for (const w of words) {
      if (STOP_WORDS.has(w)) continue;
      let m = counts.get(w);
      if (!m) counts.set(w, (m = new Map()));
      m.set(p.primary, (m.get(p.primary) ?? 0) + 1);
    }
  }
  if (classSize.size < 2) return new Set();
  const scored: Array<{ w: string; share: number }> = [];
  for (const [w, m] of counts) {
    let total = 0;
    for (const n of m.values()) total += n;
    if (total < minPapers) continue;
    let sum = 0;
    let max = 0;
    for (const [c, n] of m) {
      const r = n / classSize.get(c)!;
      sum += r;
      if (r > max) max = r;
    }
    const share = max / sum;
    if (share >= minShare) scored.push({ w, share });
  }
  scored.sort((a, b) => b.share - a.share || (a.w < b.w ? -1 : 1));
  return new Set(scored.slice(0, maxTerms).map((x) => x.w));
}
