/**
 * "other" is the model's bucket for primaries too rare to learn (fewer than minPrimary training papers each);
 * it is not an answer. When it ranks in the top 3 we say where the draft probably belongs: the archive
 * (astro-ph, math, physics, ...) of the folded-in category the cross-list head ranks highest; the folded-in
 * categories of that archive the cross-list head ranks highest; and how few training papers the model saw there.
 */
import { categoryName, FALLBACK_LABEL } from './arxivTaxonomy';
import type { CategoryScore } from './types';

export const ARCHIVE_NAMES: Record<string, string> = {
  'astro-ph': 'Astrophysics', 'cond-mat': 'Condensed Matter', cs: 'Computer Science', econ: 'Economics',
  eess: 'Electrical Engineering and Systems Science', 'gr-qc': 'General Relativity and Quantum Cosmology',
  'hep-ex': 'High Energy Physics - Experiment', 'hep-lat': 'High Energy Physics - Lattice',
  'hep-ph': 'High Energy Physics - Phenomenology', 'hep-th': 'High Energy Physics - Theory', math: 'Mathematics',
  'math-ph': 'Mathematical Physics', nlin: 'Nonlinear Sciences', 'nucl-ex': 'Nuclear Experiment',
  'nucl-th': 'Nuclear Theory', physics: 'Physics', 'q-bio': 'Quantitative Biology', 'q-fin': 'Quantitative Finance',
  'quant-ph': 'Quantum Physics', stat: 'Statistics',
};

/** arXiv archive of a category code: "astro-ph.IM" -> "astro-ph", "quant-ph" -> "quant-ph". */
export function archiveOf(code: string): string {
  const dot = code.indexOf('.');
  return dot < 0 ? code : code.slice(0, dot);
}

export interface OtherBreakdown {
  /** rank of "other" among primary categories (0 = top) */
  rank: number;
  p: number;
  archive?: { code: string; name: string };
  /** that archive's categories the model folds into "other", highest cross-list probability first */
  categories: CategoryScore[];
  /** training papers whose primary is one of the folded categories of that archive (undefined if unknown) */
  trainingPapers?: number;
  /** categories of that archive the model scores on its own (so "other" there means the rarer ones) */
  note: string;
}

/**
 * @param primary sorted primary scores
 * @param crosslists cross-list probabilities (any order)
 * @param primaryLabels the model's primary labels (categories it scores on its own)
 * @param primaryCounts training papers per primary category (from the paper index), when known
 */
export function explainOther(
  primary: readonly CategoryScore[],
  crosslists: readonly CategoryScore[],
  primaryLabels: readonly string[],
  minPrimary: number,
  primaryCounts?: ReadonlyMap<string, number>,
): OtherBreakdown | undefined {
  const rank = primary.findIndex((s) => s.category === FALLBACK_LABEL);
  if (rank < 0 || rank > 2) return undefined;
  const known = new Set(primaryLabels);
  // The archive of the folded-in (not separately scored) category the cross-list head ranks highest. Measured on
  // the test papers whose true primary is folded in and whose "other" ranks in the top 3 (146 papers): this names
  // the true archive for 46.6%; ranking archives by the head's total mass on them instead names it for 21.9%.
  const byArchive = new Map<string, number>();
  for (const c of crosslists) {
    if (known.has(c.category) || !(c.p > 0)) continue;
    const a = archiveOf(c.category);
    byArchive.set(a, Math.max(byArchive.get(a) ?? 0, c.p));
  }
  const best = [...byArchive].sort((x, y) => y[1] - x[1])[0];
  const base = { rank, p: primary[rank].p };
  if (!best) {
    return { ...base, categories: [], note: `The model saw too few papers (under ${minPrimary} each) in the rarer categories it folds into "other" to tell which one fits.` };
  }
  const code = best[0];
  // The categories "other" can stand for: the archive's folded-in ones, highest cross-list probability first.
  const categories = crosslists.filter((c) => archiveOf(c.category) === code && !known.has(c.category)).sort((x, y) => y.p - x.p).slice(0, 3);
  let trainingPapers: number | undefined;
  if (primaryCounts) {
    trainingPapers = 0;
    for (const [c, n] of primaryCounts) if (archiveOf(c) === code && !known.has(c)) trainingPapers += n;
  }
  const seen = trainingPapers === undefined ? `fewer than ${minPrimary} training papers per category` : `${trainingPapers.toLocaleString('en-US')} training paper${trainingPapers === 1 ? '' : 's'} in all, under ${minPrimary} per category`;
  return {
    ...base,
    archive: { code, name: ARCHIVE_NAMES[code] ?? categoryName(code) },
    categories,
    trainingPapers,
    note: `"other" means a category the model does not score separately; the model saw few papers there (${seen}), so check arXiv's ${ARCHIVE_NAMES[code] ?? code} listings yourself.`,
  };
}
