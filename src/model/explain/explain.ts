/**
 * One explanation per draft: which title/abstract words and phrases pull the shipped model toward its top
 * category rather than the runner-up.
 *
 * Scale: every number is a contribution to the ensemble's log-odds ln(p_top / p_runnerUp) (natural log;
 * +0.69 doubles the odds). The stacker is additive in its members' log-probabilities,
 *     ln(p_t / p_r) = [ (b_t - b_r) + (w_xt lp_x[t] - w_xr lp_x[r]) + (w_nt lp_n[t] - w_nr lp_n[r]) ] / T_stack
 * so each member's share is explained separately, on that scale, and the shares add:
 *  - n-gram member: exact weight x feature contributions of each uni/bigram (ngramEvidence.ts);
 *  - cross-attention member: integrated gradients on the token embeddings (integratedGradients.ts), summed
 *    over the WordPiece pieces of each word.
 * A word's evidence is its unigram's n-gram contribution plus its cross-attention attribution (all its
 * occurrences); a two-word phrase carries its bigram's n-gram contribution. Nothing is counted twice, so
 *     logOdds = sum(all terms' weights) + base + nonWord - igGap.
 */
import type { BundleClassifier, MemberOutputs } from '../classifier';
import { encodeForCompact } from '../classifier';
import { logSoftmax } from '../calibration';
import { normalizeForModel, wordsForNgrams } from '../text/normalize';
import type { PaperText } from '../types';
import { ngramEvidence } from './ngramEvidence';
import { integratedGradients } from './integratedGradients';
import { primaryLogits } from './xattnGradient';
import { ngramWordSpans, pieceToWord } from './words';

export type { DraftExplanation, EvidenceTerm } from './types';
import type { DraftExplanation, EvidenceTerm } from './types';

export interface ExplainOptions {
  /** integrated-gradients steps (midpoint rule); default DEFAULT_IG_STEPS */
  steps?: number;
  /** terms kept (default 40) */
  maxTerms?: number;
}

/** Chosen with `npm run bench:explain` (README: the speed/completeness trade-off). */
export const DEFAULT_IG_STEPS = 8;

/**
 * The members' primary logits for this draft (all explainDraft needs). The compact cross-attention member runs
 * the hand-written forward pass of xattnGradient.ts (same maths, no tfjs graph); otherwise the classifier's.
 */
async function memberOutputsForExplain(classifier: BundleClassifier, paper: PaperText): Promise<MemberOutputs> {
  const { xattn, tokenizer, ngram } = classifier.members;
  if (xattn && tokenizer && xattn.config.encoder === 'compact') {
    const c = xattn.config;
    const { titleIds, abstractIds } = encodeForCompact(tokenizer, [paper], c.titleLen, c.abstractLen);
    const xattnLogits = primaryLogits(xattn, titleIds, abstractIds);
    if (xattnLogits) {
      const out: MemberOutputs = { xattnLogits };
      if (ngram) out.ngramLogits = ngram.predictLogits(ngram.featurizer.transform(wordsForNgrams(paper.title + ' . ' + paper.abstract)));
      return out;
    }
  }
  const [out] = await classifier.memberOutputs([paper]);
  return out;
}

/** Explains one draft's prediction: its top category against the runner-up. */
export async function explainDraft(classifier: BundleClassifier, paper: PaperText, opts: ExplainOptions = {}): Promise<DraftExplanation> {
  const started = performance.now();
  const steps = opts.steps ?? DEFAULT_IG_STEPS;
  const { xattn, tokenizer, ngram, stacker } = classifier.members;
  const manifest = classifier.manifestData;
  const labels = manifest.labels.primary.map((l) => l.code);
  const out = await memberOutputsForExplain(classifier, paper);
  const probs = classifier.combine(out).primary;
  const order = Array.from(probs.keys()).sort((a, b) => probs[b] - probs[a]);
  const t = order[0];
  const r = order[1] ?? order[0];
  const logOdds = Math.log(probs[t]) - Math.log(probs[r]);

  const ensemble = Boolean(stacker && out.xattnLogits && out.ngramLogits);
  const C = labels.length;
  const scale = ensemble ? 1 / manifest.stacker!.temperature : 1;
  const wOf = (member: number, c: number): number => {
    if (!ensemble) return 1;
    const s = stacker!;
    return s.mode === 'scalar' ? s.weights[member] : s.mode === 'classwise' ? s.weights[member * C + c] : NaN;
  };
  if (ensemble && stacker!.mode === 'full') throw new Error("explanations need a 'scalar' or 'classwise' stacker");
  let base = ensemble ? scale * (stacker!.bias[t] - stacker!.bias[r]) : 0;

  const termWeights = new Map<string, { ngram: number; crossAttention: number }>();
  const add = (term: string, part: 'ngram' | 'crossAttention', v: number) => {
    const e = termWeights.get(term) ?? { ngram: 0, crossAttention: 0 };
    e[part] += v;
    termWeights.set(term, e);
  };

  if (ngram && out.ngramLogits) {
    const x = ngram.featurizer.transform(wordsForNgrams(paper.title + ' . ' + paper.abstract));
    const ev = ngramEvidence(ngram, x, { top: t, runnerUp: r, wTop: wOf(1, t), wRunnerUp: wOf(1, r), temperature: ngram.temperature, scale });
    for (const c of ev.contributions) if (c.contribution !== 0) add(c.term, 'ngram', c.contribution);
    base += ev.base;
  }

  let nonWord = 0;
  let igGap = 0;
  let igDelta = 0;
  let xMethod: DraftExplanation['method']['crossAttention'] = 'absent';
  if (xattn && out.xattnLogits) {
    const xT = manifest.crossAttention?.temperature ?? 1;
    if (xattn.config.encoder === 'compact' && tokenizer) {
      xMethod = 'integrated-gradients';
      const c = xattn.config;
      const { titleIds, abstractIds } = encodeForCompact(tokenizer, [paper], c.titleLen, c.abstractLen);
      const ig = integratedGradients(xattn, titleIds, abstractIds, { top: t, runnerUp: r, wTop: wOf(0, t), wRunnerUp: wOf(0, r), temperature: xT, scale }, steps, out.xattnLogits);
      base += ig.fBaseline;
      igGap = ig.gap;
      igDelta = ig.fx - ig.fBaseline;
      for (const [text, attr, len] of [[paper.title, ig.title, c.titleLen], [paper.abstract, ig.abstract, c.abstractLen]] as const) {
        const norm = normalizeForModel(text);
        const words = ngramWordSpans(norm);
        const map = pieceToWord(tokenizer, norm, words, len);
        for (let i = 0; i < attr.length; i++) {
          if (attr[i] === 0) continue;
          const w = i < map.length ? map[i] : -1;
          if (w >= 0) add(words[w].word, 'crossAttention', attr[i]);
          else nonWord += attr[i];
        }
      }
    } else {
      // SciBERT token states: no attribution implemented; its whole share is left in base.
      xMethod = 'not-supported';
      const lp = logSoftmax(out.xattnLogits, xT);
      base += scale * (wOf(0, t) * lp[t] - wOf(0, r) * lp[r]);
    }
  }

  const all: EvidenceTerm[] = [...termWeights].map(([term, e]) => ({ term, weight: e.ngram + e.crossAttention, ngram: e.ngram, crossAttention: e.crossAttention }));
  all.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || (a.term < b.term ? -1 : 1));
  const maxTerms = opts.maxTerms ?? 40;
  const omitted = all.slice(maxTerms).reduce((s, e) => s + Math.abs(e.weight), 0);
  return {
    top: labels[t],
    runnerUp: labels[r],
    pTop: probs[t],
    pRunnerUp: probs[r],
    logOdds,
    terms: all.slice(0, maxTerms),
    base,
    nonWord,
    igGap,
    igDelta,
    omitted,
    method: { ngram: ngram && out.ngramLogits ? 'exact' : 'absent', crossAttention: xMethod, steps },
    elapsedMs: performance.now() - started,
  };
}

/**
 * Per-word scores (for deleting words): a word's own term plus half of each two-word phrase it is in.
 * Positive = toward the top category.
 */
export function wordScores(e: Pick<DraftExplanation, 'terms'>): Map<string, number> {
  const out = new Map<string, number>();
  const add = (w: string, v: number) => out.set(w, (out.get(w) ?? 0) + v);
  for (const t of e.terms) {
    const parts = t.term.split(' ');
    for (const p of parts) add(p, t.weight / parts.length);
  }
  return out;
}
