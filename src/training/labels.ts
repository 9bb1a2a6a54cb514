/**
 * The label sets a model predicts over.
 * - primary: every arXiv category that is the primary of at least `minPrimary` training papers; all rarer
 *   primaries are folded into the fallback label "other" (so the softmax always sums to 1 over real choices).
 * - multi: every category listed (primary or cross-list) on at least `minListed` training papers; used by the
 *   sigmoid cross-list head. Rarer categories are simply not suggested.
 */
import { FALLBACK_LABEL } from '../model/arxivTaxonomy';
import type { LabeledPaper } from '../model/types';

export interface LabelSet {
  primary: string[];
  multi: string[];
  minPrimary: number;
  minListed: number;
}

export const DEFAULT_MIN_PRIMARY = 100;
export const DEFAULT_MIN_LISTED = 100;

export function buildLabelSet(
  train: readonly LabeledPaper[],
  minPrimary = DEFAULT_MIN_PRIMARY,
  minListed = DEFAULT_MIN_LISTED,
  restrictTo?: readonly string[],
): LabelSet {
  const primaryCounts = new Map<string, number>();
  const listedCounts = new Map<string, number>();
  for (const p of train) {
    primaryCounts.set(p.primary, (primaryCounts.get(p.primary) ?? 0) + 1);
    for (const c of new Set(p.categories)) listedCounts.set(c, (listedCounts.get(c) ?? 0) + 1);
  }
  let primary: string[];
  if (restrictTo && restrictTo.length > 0) {
    primary = [...restrictTo].sort();
  } else {
    primary = [...primaryCounts].filter(([, n]) => n >= minPrimary).map(([c]) => c).sort();
    if ([...primaryCounts].some(([c]) => !primary.includes(c))) primary.push(FALLBACK_LABEL);
  }
  const multi = [...listedCounts].filter(([, n]) => n >= minListed).map(([c]) => c).sort();
  return { primary, multi, minPrimary, minListed };
}

/** Index of the paper's primary in the label set (fallback for rare ones), or -1 if it has no place. */
export function primaryIndex(labels: LabelSet, primary: string): number {
  const i = labels.primary.indexOf(primary);
  if (i >= 0) return i;
  return labels.primary.indexOf(FALLBACK_LABEL);
}

/** Multi-hot vector over labels.multi for a paper's category list. */
export function multiHot(labels: LabelSet, categories: readonly string[]): Uint8Array {
  const v = new Uint8Array(labels.multi.length);
  for (const c of categories) {
    const i = labels.multi.indexOf(c);
    if (i >= 0) v[i] = 1;
  }
  return v;
}
