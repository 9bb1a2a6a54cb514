/**
 * Exact per-feature contributions of the n-gram member to the ensemble's log-odds of two classes.
 *
 * The member's logits are l_c = b_c + sum_f x_f W[f,c] (x = the draft's L2-normalised TF-IDF vector), its
 * log-probabilities lp_c = l_c / T - LSE(l / T), and the stacker adds w_c * lp_c to class c's logit. The
 * member's share of the log-odds top vs runner-up is therefore
 *     S = scale * (w_t lp_t - w_r lp_r)          (scale = 1 / stacker temperature)
 * When w_t != w_r the normaliser LSE does not cancel; it is split exactly with the identity
 *     LSE(l / T) = sum_c p_c l_c / T + H(p)      (p = softmax(l / T), H = entropy)
 * so S = sum_f x_f * e_f + base with the effective weight
 *     e_f = scale / T * (w_t W[f,t] - w_r W[f,r] - (w_t - w_r) sum_c p_c W[f,c])
 * and base = the same expression in the biases minus scale * (w_t - w_r) * H(p). With w_t = w_r = 1, T = 1,
 * scale = 1 this is the plain "weight x feature" decomposition of the logit difference l_t - l_r.
 * A log-probability under the stacker's floor is clipped there (constant): that class then gets w = 0 here
 * and its constant goes into base, as in Stacker.predictLogits.
 */
import type { NgramModel } from '../ngram/model';
import type { SparseVector } from '../ngram/featurizer';
import { LOGP_FLOOR } from '../stacking';
import type { LogOddsTarget } from './integratedGradients';

/** The member's pair of classes and its weighting in the ensemble (see LogOddsTarget). */
export type PairWeighting = LogOddsTarget;

export interface FeatureContribution {
  feature: number;
  term: string;
  /** the feature's TF-IDF value in this draft */
  value: number;
  /** its contribution to the member's share of the log-odds (positive = toward `top`) */
  contribution: number;
}

export interface NgramEvidence {
  contributions: FeatureContribution[];
  /** the part that depends on no feature: biases and the normaliser's entropy term */
  base: number;
  /** the member's share S (= base + sum of contributions, up to float rounding) */
  total: number;
}

export function ngramEvidence(model: NgramModel, x: SparseVector, pw: PairWeighting): NgramEvidence {
  const C = model.labels.length;
  const T = pw.temperature;
  const W = model.primaryW;
  const logits = model.predictLogits(x);
  // softmax(l / T) and its log, in float64
  let mx = -Infinity;
  for (let c = 0; c < C; c++) mx = Math.max(mx, logits[c] / T);
  let s = 0;
  const p = new Float64Array(C);
  for (let c = 0; c < C; c++) s += p[c] = Math.exp(logits[c] / T - mx);
  const lse = mx + Math.log(s);
  let entropy = 0;
  for (let c = 0; c < C; c++) {
    p[c] /= s;
    if (p[c] > 0) entropy -= p[c] * Math.log(p[c]);
  }
  const lpTop = logits[pw.top] / T - lse;
  const lpRun = logits[pw.runnerUp] / T - lse;
  let constant = 0;
  let wt = pw.wTop;
  let wr = pw.wRunnerUp;
  if (lpTop < LOGP_FLOOR) {
    constant += wt * LOGP_FLOOR;
    wt = 0;
  }
  if (lpRun < LOGP_FLOOR) {
    constant -= wr * LOGP_FLOOR;
    wr = 0;
  }
  const dw = wt - wr;
  const k = pw.scale / T;
  const contributions: FeatureContribution[] = [];
  for (let n = 0; n < x.indices.length; n++) {
    const f = x.indices[n];
    const row = f * C;
    let expected = 0;
    if (dw !== 0) for (let c = 0; c < C; c++) expected += p[c] * W[row + c];
    const e = k * (wt * W[row + pw.top] - wr * W[row + pw.runnerUp] - dw * expected);
    const contribution = x.values[n] * e;
    contributions.push({ feature: f, term: model.featurizer.vocab[f], value: x.values[n], contribution });
  }
  const b = model.primaryB;
  let expectedBias = 0;
  if (dw !== 0) for (let c = 0; c < C; c++) expectedBias += p[c] * b[c];
  const base = k * (wt * b[pw.top] - wr * b[pw.runnerUp] - dw * expectedBias) - pw.scale * dw * entropy + pw.scale * constant;
  const total = pw.scale * (wt * lpTop - wr * lpRun + constant);
  return { contributions, base, total };
}
