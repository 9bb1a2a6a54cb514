/**
 * Deterministic train/validation/test split by a hash of the arXiv id: the same paper always lands in the
 * same split, whatever the file order or the other papers, so augmented copies and retraining never leak.
 */
import { createHash } from 'node:crypto';
import type { LabeledPaper } from '../../model/types';

export type SplitName = 'train' | 'validation' | 'test';

export interface SplitSpec {
  /** Fractions of papers in test and validation; the rest is train. */
  test: number;
  validation: number;
}

export const DEFAULT_SPLIT: SplitSpec = { test: 0.1, validation: 0.1 };

/** Position of an id in [0, 1), from the first 8 hex digits of SHA-1("split:" + id). */
export function idFraction(id: string): number {
  const h = createHash('sha1').update('split:' + id).digest();
  return h.readUInt32BE(0) / 2 ** 32;
}

export function splitOf(id: string, spec: SplitSpec = DEFAULT_SPLIT): SplitName {
  const f = idFraction(id);
  if (f < spec.test) return 'test';
  if (f < spec.test + spec.validation) return 'validation';
  return 'train';
}

export function splitPapers(papers: readonly LabeledPaper[], spec: SplitSpec = DEFAULT_SPLIT): Record<SplitName, LabeledPaper[]> {
  const out: Record<SplitName, LabeledPaper[]> = { train: [], validation: [], test: [] };
  for (const p of papers) out[splitOf(p.id, spec)].push(p);
  return out;
}
