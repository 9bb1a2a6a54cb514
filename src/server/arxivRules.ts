/**
 * arXiv's category rules, as its own code and help pages state them, in one data table (ARXIV_RULES) and one
 * pure function (reviewCategories) that applies them to a draft's declared categories and the model's
 * prediction. Diagnostics, quick fixes and the submission preflight all read the review; none re-implements a
 * rule. Sources (public repositories, read 2026-12):
 *   [reclass]  arxiv/arxiv-submission-core agent/agent/process/reclassification.py (ProposeReclassification,
 *              ProposeCrossListFromPrimaryCategory)
 *   [config]   arxiv/arxiv-submission-core agent/agent/config.py
 *   [taxonomy] arxiv/arxiv-base arxiv/taxonomy/definitions.py (CATEGORY_ALIASES, Category.in_archive)
 *   [cross]    arxiv/arxiv-docs source/help/cross.md
 */
import { ARXIV_CATEGORY_NAMES, FALLBACK_LABEL, categoryName } from '../model/arxivTaxonomy';
import type { CategoryScore, Prediction } from '../model/types';
import { CROSSLIST_MIN_P } from '../shared/ui';
import { formatPercent } from '../shared/format';

export const ARXIV_RULES = {
  reclassification: {
    /** [reclass] _user_category_ranks_highly: a declared primary with probability >= 0.5 is left alone. */
    declaredMaxP: 0.5,
    /** [config] RECLASSIFY_PROPOSAL_THRESHOLD = 0.57 ("equiv. to logodds of 0.3"): no proposal below it. */
    proposalMinP: 0.57,
    /** [config] NO_RECLASSIFY_CATEGORIES: "Interdisciplinary category (see ARXIVOPS-466)". */
    exemptCategories: ['cs.CE'] as readonly string[],
    /** [config] NO_RECLASSIFY_ARCHIVES: econ ("New September 2017"). */
    exemptArchives: ['econ'] as readonly string[],
  },
  /** [taxonomy] CATEGORY_ALIASES: alias -> canonical ("the name on the right is considered the canonical one"). */
  aliases: {
    'math.MP': 'math-ph',
    'stat.TH': 'math.ST',
    'math.IT': 'cs.IT',
    'q-fin.EC': 'econ.GN',
    'cs.SY': 'eess.SY',
    'cs.NA': 'math.NA',
  } as Readonly<Record<string, string>>,
  /** [config] AUTO_CROSS_FOR_PRIMARY (ARXIVOPS-500): arXiv adds this cross-list itself for that primary. */
  autoCrossList: { 'cs.LG': 'stat.ML', 'stat.ML': 'cs.LG' } as Readonly<Record<string, string>>,
  crossLists: {
    /** [cross] "It is rarely appropriate to add more than one or two cross-lists." */
    advisedMax: 2,
    /**
     * Ours, not arXiv's: a declared cross-list whose probability on the model's cross-list (sigmoid) head is
     * below this gets a hint. Measured by `npm run bench:crosslist` (3,000 test papers): below 1% the hint
     * fires on 7.0% of the cross-lists papers really have and on 89.4% of categories they are not listed in;
     * at 5% it would fire on 19.1% of real cross-lists.
     */
    unlikelyBelowP: 0.01,
    /** The sidebar's threshold for suggesting a cross-list (model/types CROSSLIST_MIN_P). */
    suggestMinP: CROSSLIST_MIN_P,
  },
} as const;

/** `cs.SY` -> `eess.SY`; any other code is returned unchanged. */
export function canonicalCategory(code: string): string {
  return Object.prototype.hasOwnProperty.call(ARXIV_RULES.aliases, code) ? ARXIV_RULES.aliases[code] : code;
}

/** The other name of an aliased category (`eess.SY` -> `cs.SY`), or undefined. */
function aliasOf(code: string): string | undefined {
  for (const [alias, canonical] of Object.entries(ARXIV_RULES.aliases)) {
    if (canonical === code) return alias;
    if (alias === code) return canonical;
  }
  return undefined;
}

export function sameCategory(a: string, b: string): boolean {
  return canonicalCategory(a) === canonicalCategory(b);
}

/**
 * [taxonomy] Category.in_archive: the part before the dot (`math.MP` is in `math`, `math-ph` is its own
 * archive). [reclass] compares the archive of the category as the author declared it.
 */
export function archiveOf(code: string): string {
  const dot = code.indexOf('.');
  return dot < 0 ? code : code.slice(0, dot);
}

/** Probability of `code` among `scores`, under either of its names (the larger, if the model has both). */
function scoreOf(code: string, scores: CategoryScore[]): number | undefined {
  const names = [code, aliasOf(code)].filter((c): c is string => !!c);
  const found = scores.filter((s) => names.includes(s.category)).map((s) => s.p);
  return found.length ? Math.max(...found) : undefined;
}

/**
 * How likely the model finds `code` as the primary: its own probability (either alias name) when it is one of
 * the model's labels; for a real arXiv category the model folds into `other`, at most p(other).
 */
export function primaryProbability(code: string, prediction: Prediction): { p: number; atMost: boolean } | undefined {
  if (code === FALLBACK_LABEL) return undefined;
  const own = scoreOf(code, prediction.primary);
  if (own !== undefined) return { p: own, atMost: false };
  const other = prediction.primary.find((s) => s.category === FALLBACK_LABEL);
  if (other && Object.prototype.hasOwnProperty.call(ARXIV_CATEGORY_NAMES, code)) return { p: other.p, atMost: true };
  return undefined;
}

export interface Proposal {
  /** Canonical name. */
  category: string;
  name: string;
  p: number;
  /** True when it is in the declared primary's archive (arXiv proposes those first). */
  sameArchive: boolean;
}

export interface DeclaredCrossList {
  /** As declared. */
  category: string;
  /** Index in the declared list (the primary is 0). */
  index: number;
  /** Probability on the model's cross-list head, when the model scores it. */
  p?: number;
  /** Below ARXIV_RULES.crossLists.unlikelyBelowP. */
  unlikely: boolean;
  /** arXiv adds it for this primary anyway (AUTO_CROSS_FOR_PRIMARY). */
  automatic: boolean;
  /** Beyond the advised one or two. */
  beyondAdvised: boolean;
}

export interface CategoryReview {
  /** The declared primary (first declared category), with what the model says about it. */
  primary?: { category: string; canonical: string; p?: number; atMost?: boolean };
  /** Why the declared primary is not checked although the model disagrees (cs.CE, econ.*). */
  exemptReason?: string;
  /** arXiv's reclassification proposal for the declared primary (only when its p < 0.5). */
  proposal?: Proposal;
  /** The cross-list arXiv adds by itself for the (declared, else predicted) primary. */
  automaticCrossList?: { category: string; forPrimary: string; declared: boolean };
  crossLists: DeclaredCrossList[];
  /** Cross-lists the model suggests (>= the sidebar's threshold) that are not declared and not automatic. */
  suggestedCrossLists: { category: string; name: string; p: number }[];
  /** The category set a submission should use, with one reason per decision. */
  proposedSet: { primary?: string; crossLists: string[]; reasons: string[] };
}

/**
 * Applies arXiv's rules to `declared` (primary first, then cross-lists; as written in the draft) and the
 * model's prediction. Pure: tests drive every rule through it.
 */
export function reviewCategories(declared: string[], prediction: Prediction | undefined): CategoryReview {
  const R = ARXIV_RULES;
  const review: CategoryReview = { crossLists: [], suggestedCrossLists: [], proposedSet: { crossLists: [], reasons: [] } };
  const reasons = review.proposedSet.reasons;
  const [primaryCode, ...crossCodes] = declared;

  if (primaryCode) {
    const own = prediction ? primaryProbability(primaryCode, prediction) : undefined;
    review.primary = { category: primaryCode, canonical: canonicalCategory(primaryCode), ...(own ? { p: own.p, atMost: own.atMost } : {}) };
    if (canonicalCategory(primaryCode) !== primaryCode) {
      reasons.push(`${primaryCode} is an alias of ${canonicalCategory(primaryCode)} on arXiv: the same category.`);
    }
    if (R.reclassification.exemptCategories.includes(primaryCode) || R.reclassification.exemptArchives.includes(archiveOf(primaryCode))) {
      review.exemptReason = R.reclassification.exemptCategories.includes(primaryCode)
        ? `arXiv never proposes reclassifying a ${primaryCode} primary (an interdisciplinary category).`
        : `arXiv never proposes reclassifying a primary in the ${archiveOf(primaryCode)} archive.`;
    } else if (prediction && own && own.p < R.reclassification.declaredMaxP) {
      review.proposal = proposeAlternative(primaryCode, prediction);
    }
  }

  const effectivePrimary = review.proposal?.category ?? review.primary?.canonical ?? topPrimary(prediction)?.category;
  const auto = effectivePrimary ? autoCrossListFor(effectivePrimary) : undefined;
  if (auto && effectivePrimary) {
    review.automaticCrossList = { category: auto, forPrimary: effectivePrimary, declared: crossCodes.some((c) => sameCategory(c, auto)) };
  }

  let counted = 0;
  crossCodes.forEach((category, i) => {
    const automatic = auto !== undefined && sameCategory(category, auto);
    const p = prediction ? scoreOf(canonicalCategory(category), prediction.crosslists) : undefined;
    if (!automatic) counted += 1;
    review.crossLists.push({
      category,
      index: i + 1,
      ...(p !== undefined ? { p } : {}),
      unlikely: p !== undefined && p < R.crossLists.unlikelyBelowP,
      automatic,
      beyondAdvised: !automatic && counted > R.crossLists.advisedMax,
    });
  });

  if (prediction) {
    const taken = new Set([effectivePrimary, primaryCode, ...crossCodes, auto].filter((c): c is string => !!c).map(canonicalCategory));
    for (const s of prediction.crosslists) {
      const c = canonicalCategory(s.category);
      if (s.p < R.crossLists.suggestMinP || c === FALLBACK_LABEL || taken.has(c)) continue;
      taken.add(c);
      review.suggestedCrossLists.push({ category: c, name: categoryName(c), p: s.p });
    }
  }

  // The set to submit: primary as proposed, declared cross-lists that are not unlikely, then suggestions while
  // the advised count allows; the automatic cross-list is arXiv's to add.
  const set = review.proposedSet;
  if (review.proposal && review.primary) {
    set.primary = review.proposal.category;
    reasons.push(
      `Primary ${review.proposal.category} instead of ${review.primary.category}: the model gives ${review.primary.category} ` +
        `${review.primary.atMost ? 'at most ' : ''}${formatPercent(review.primary.p ?? 0)} (< ${formatPercent(R.reclassification.declaredMaxP)}) and ` +
        `${review.proposal.category} ${formatPercent(review.proposal.p)} (>= ${formatPercent(R.reclassification.proposalMinP)})` +
        `${review.proposal.sameArchive ? `, in the same archive (${archiveOf(review.primary.category)})` : ', and nothing in the same archive reaches that'}.`,
    );
  } else if (review.primary) {
    set.primary = review.primary.canonical;
    reasons.push(
      review.exemptReason ??
        (review.primary.p === undefined
          ? `Primary ${review.primary.canonical} as declared (the model does not score it).`
          : `Primary ${review.primary.canonical} as declared (model: ${review.primary.atMost ? 'at most ' : ''}${formatPercent(review.primary.p)}).`),
    );
  } else {
    const top = topPrimary(prediction);
    if (top) {
      set.primary = canonicalCategory(top.category);
      reasons.push(`Primary ${set.primary}: the model's most likely category (${formatPercent(top.p)}); the draft declares none.`);
    }
  }
  if (review.proposal && review.primary && !sameCategory(review.primary.category, review.proposal.category)) {
    set.crossLists.push(review.primary.canonical);
    reasons.push(`${review.primary.canonical} kept as a cross-list.`);
  }
  for (const x of review.crossLists) {
    const c = canonicalCategory(x.category);
    if (x.automatic) continue;
    if (set.crossLists.includes(c) || c === set.primary) continue;
    if (x.unlikely) {
      reasons.push(`Cross-list ${c} left out: the model gives it ${formatPercent(x.p ?? 0)} (< ${formatPercent(R.crossLists.unlikelyBelowP)}).`);
      continue;
    }
    set.crossLists.push(c);
  }
  for (const s of review.suggestedCrossLists) {
    if (set.crossLists.length >= R.crossLists.advisedMax) break;
    if (s.category === set.primary || set.crossLists.includes(s.category)) continue;
    set.crossLists.push(s.category);
    reasons.push(`Cross-list ${s.category} added: the model gives it ${formatPercent(s.p)} (>= ${formatPercent(R.crossLists.suggestMinP)}).`);
  }
  if (set.crossLists.length > R.crossLists.advisedMax) {
    reasons.push(`${set.crossLists.length} cross-lists: arXiv's guidance is that more than one or two is rarely appropriate.`);
  }
  const autoForSet = set.primary ? autoCrossListFor(set.primary) : undefined;
  if (autoForSet) reasons.push(`arXiv adds ${autoForSet} as a cross-list to every ${set.primary} primary by itself.`);
  return review;
}

/** [reclass] _find_candidate: the best alternative in the declared primary's archive, else the best outside it. */
function proposeAlternative(declared: string, prediction: Prediction): Proposal | undefined {
  const min = ARXIV_RULES.reclassification.proposalMinP;
  let within: CategoryScore | undefined;
  let without: CategoryScore | undefined;
  for (const s of prediction.primary) {
    if (s.category === FALLBACK_LABEL || sameCategory(s.category, declared)) continue;
    if (archiveOf(s.category) === archiveOf(declared) || archiveOf(canonicalCategory(s.category)) === archiveOf(declared)) {
      if (!within || s.p > within.p) within = s;
    } else if (!without || s.p > without.p) without = s;
  }
  const pick = within && within.p >= min ? within : without && without.p >= min ? without : undefined;
  if (!pick) return undefined;
  const category = canonicalCategory(pick.category);
  return { category, name: category === pick.category ? pick.name : categoryName(category), p: pick.p, sameArchive: pick === within };
}

function topPrimary(prediction: Prediction | undefined): CategoryScore | undefined {
  return prediction?.primary.find((s) => s.category !== FALLBACK_LABEL);
}

export function autoCrossListFor(primary: string): string | undefined {
  const c = canonicalCategory(primary);
  return Object.prototype.hasOwnProperty.call(ARXIV_RULES.autoCrossList, c) ? ARXIV_RULES.autoCrossList[c] : undefined;
}
