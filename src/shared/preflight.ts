/**
 * Submission preflight results, as the server sends them with a classification (DocumentClassification
 * .preflight) and the sidebar shows them. Plain types only.
 */

export type PreflightLevel = 'ok' | 'info' | 'warning' | 'error';

export interface PreflightCheck {
  /** Stable id, e.g. "abstract-length". */
  id: string;
  level: PreflightLevel;
  /** Short label, e.g. "Abstract length". */
  label: string;
  /** What was found, e.g. "1,024 of 1,920 characters". */
  message: string;
  /** Where the rule comes from (a help page or source file of arXiv's). */
  source: string;
}

/** Share of the cited arXiv papers per primary category. */
export interface CitedPapers {
  /** arXiv papers among the cited entries. */
  papers: number;
  /** Of those, papers whose primary category is known (primaryClass, or an old-style id such as hep-th/9901001). */
  withCategory: number;
  /** Sorted by count, descending. share = count / withCategory. */
  categories: { category: string; count: number; share: number }[];
  /** Bibliography files read, skipped (with why) and other notes. */
  notes: string[];
}

export interface SubmissionPreflight {
  checks: PreflightCheck[];
  /** The category set to submit, with the reasons from arXiv's rules (server/arxivRules.ts). */
  categories: { primary?: string; crossLists: string[]; reasons: string[] };
  /** Title and abstract in arXiv's plain-text metadata form (what "Copy arXiv Metadata" copies). */
  metadata: { title: string; abstract: string };
  /** Evidence from the bibliography; never mixed into the model's probabilities. */
  citations?: CitedPapers;
}

/** The part of the preflight that reads the draft's files (computed in the draft worker). */
export type DraftPreflight = Omit<SubmissionPreflight, 'categories'>;

/** "Your cited arXiv papers: 62% cs.CL, 25% cs.LG (31 papers)". */
export function citedSummary(c: CitedPapers, top = 3): string {
  if (!c.papers) return 'No cited arXiv papers found in the bibliography.';
  const shares = c.categories.slice(0, top).map((x) => `${Math.round(x.share * 100)}% ${x.category}`);
  return `Your cited arXiv papers: ${shares.length ? shares.join(', ') : 'categories unknown'} (${c.papers} paper${c.papers === 1 ? '' : 's'})`;
}
