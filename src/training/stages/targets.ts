/** Stage 2: the training targets of each split, as label indices and flattened multi-hot rows. */
import { primaryIndex, multiHot, type LabelSet } from '../labels';
import type { LabeledPaper } from '../../model/types';

export interface SplitTargets {
  /** primary label index per paper */
  y: Int32Array;
  /** cross-list indicators, row-major [paper][multi label] */
  multi: Uint8Array;
}

export interface Targets {
  train: SplitTargets;
  validation: SplitTargets;
  test: SplitTargets;
}

export function targetsOf(labels: LabelSet, papers: readonly LabeledPaper[]): SplitTargets {
  const M = labels.multi.length;
  const multi = new Uint8Array(papers.length * M);
  papers.forEach((p, i) => multi.set(multiHot(labels, p.categories), i * M));
  return { y: Int32Array.from(papers, (p) => primaryIndex(labels, p.primary)), multi };
}

/** The text the n-gram member reads for a paper. */
export function ngramText(p: LabeledPaper): string {
  return p.title + ' . ' + p.abstract;
}
