/**
 * Prediction sets by split-conformal prediction (the "LAC" score, Sadinle et al. 2019): on held-out
 * calibration papers the score is 1 - p(true primary); with qhat the ceil((n+1)(1-alpha))-th smallest score,
 * the set {categories with p >= 1 - qhat} contains the true primary with probability >= 1 - alpha for a new
 * paper exchangeable with the calibration papers. Among all conformal sets this score gives the smallest
 * average set. The set always holds at least the top category (that can only raise coverage).
 *
 * The guarantee is marginal (over papers like the calibration split), not for each draft: a draft unlike
 * arXiv papers of the training period gets no such promise.
 */
import type { CategoryScore } from './types';

export interface ConformalCalibration {
  method: 'split-conformal (LAC)';
  /** target miscoverage: sets aim at 1 - alpha */
  alpha: number;
  /** categories with p >= threshold are in the set */
  threshold: number;
  /** calibration papers */
  n: number;
  /** which split calibrated it */
  split: string;
}

/** Calibrates the threshold on probabilities of papers whose true label index is known. */
export function fitConformal(probs: readonly ArrayLike<number>[], truth: ArrayLike<number>, alpha: number, split = 'validation'): ConformalCalibration {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError('alpha must be in (0, 1)');
  const scores: number[] = [];
  for (let i = 0; i < probs.length; i++) if (truth[i] >= 0) scores.push(1 - probs[i][truth[i]]);
  const n = scores.length;
  if (n === 0) throw new Error('no calibration papers with a known label');
  scores.sort((a, b) => a - b);
  const rank = Math.ceil((n + 1) * (1 - alpha));
  // With too few papers the finite-sample quantile is +infinity: every category is in the set.
  const qhat = rank > n ? 1 : scores[rank - 1];
  return { method: 'split-conformal (LAC)', alpha, threshold: Math.max(0, 1 - qhat), n, split };
}

/** Indices in the set for one probability vector (at least the arg-max). */
export function setIndices(p: ArrayLike<number>, threshold: number): number[] {
  const out: number[] = [];
  let best = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] >= threshold) out.push(i);
    if (p[i] > p[best]) best = i;
  }
  if (out.length === 0) out.push(best);
  return out;
}

/** The set for a prediction's sorted primary scores, most probable first. */
export function predictionSet(primary: readonly CategoryScore[], threshold: number): CategoryScore[] {
  const set = primary.filter((s) => s.p >= threshold);
  return set.length > 0 ? set : primary.slice(0, 1);
}

/** Empirical coverage and mean set size on labelled papers. */
export function evaluateSets(probs: readonly ArrayLike<number>[], truth: ArrayLike<number>, threshold: number): { n: number; coverage: number; meanSize: number; sizeHistogram: Record<string, number> } {
  let covered = 0, size = 0, n = 0;
  const hist: Record<string, number> = {};
  for (let i = 0; i < probs.length; i++) {
    if (truth[i] < 0) continue;
    const s = setIndices(probs[i], threshold);
    n++;
    size += s.length;
    hist[s.length] = (hist[s.length] ?? 0) + 1;
    if (s.includes(truth[i])) covered++;
  }
  return { n, coverage: n ? covered / n : 0, meanSize: n ? size / n : 0, sizeHistogram: hist };
}
