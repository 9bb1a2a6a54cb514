/** What an explanation of one draft contains (types only: the webview and the protocol import them). */

export interface EvidenceTerm {
  /** lower-cased word, or two words joined by a space (a bigram of the n-gram model) */
  term: string;
  /** contribution to ln(p_top / p_runnerUp): > 0 pulls toward top, < 0 toward the runner-up */
  weight: number;
  /** its parts from each member (same scale; they add up to weight) */
  ngram: number;
  crossAttention: number;
}

export interface DraftExplanation {
  top: string;
  runnerUp: string;
  pTop: number;
  pRunnerUp: number;
  /** ln(pTop / pRunnerUp) of the model's calibrated probabilities */
  logOdds: number;
  /** words and phrases with a nonzero contribution, strongest (by |weight|) first, at most `maxTerms` */
  terms: EvidenceTerm[];
  /** part of logOdds that depends on no word: biases, the n-gram normaliser's entropy term, IG's baseline output */
  base: number;
  /** cross-attention attribution to tokens outside any word (punctuation) */
  nonWord: number;
  /** integrated gradients' approximation error (sum of attributions minus the output difference) */
  igGap: number;
  /** what IG distributes: the cross-attention share at the draft minus at the baseline (0 without IG) */
  igDelta: number;
  /** sum of |weight| of the terms left out by maxTerms */
  omitted: number;
  method: { ngram: 'exact' | 'absent'; crossAttention: 'integrated-gradients' | 'absent' | 'not-supported'; steps: number };
  elapsedMs: number;
}
