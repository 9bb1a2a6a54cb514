/**
 * The evidence behind a draft's prediction as it travels to the editor, the sidebar and the CLI, and the
 * sentences all of them use. Plain types and functions (no vscode, no LSP imports).
 *
 * Scale: `weight` is a contribution to ln(p_top / p_runnerUp) of the model's probabilities (natural log;
 * +0.69 doubles the odds of the top category over the runner-up). It is what this model used, not a rule of
 * arXiv: see the README ("Evidence").
 */
import type { SourceRange } from '../draft/types';

export interface EvidenceItem {
  /** lower-cased word or two-word phrase as the model reads it */
  term: string;
  /** > 0: pulls toward `top`; < 0: toward `runnerUp` */
  weight: number;
  /** the two members' parts of `weight` */
  ngram: number;
  crossAttention: number;
  /** where the term occurs in the draft's title/abstract (empty when it cannot be placed, e.g. "[math]") */
  ranges: SourceRange[];
}

export interface EvidenceDto {
  top: string;
  runnerUp: string;
  pTop: number;
  pRunnerUp: number;
  /** ln(pTop / pRunnerUp) */
  logOdds: number;
  /** strongest (by |weight|) first */
  items: EvidenceItem[];
  /** part of logOdds that depends on no word (biases, normaliser, attribution baseline) */
  base: number;
  /** attribution to punctuation and the integration error, on the same scale */
  nonWord: number;
  igGap: number;
  method: { ngram: string; crossAttention: string; steps: number };
  elapsedMs: number;
}

/** The strongest items on each side: evidence for the top category and for the runner-up. */
export function evidenceSides(e: Pick<EvidenceDto, 'items'>, perSide: number): { forTop: EvidenceItem[]; forRunnerUp: EvidenceItem[] } {
  return {
    forTop: e.items.filter((i) => i.weight > 0).slice(0, perSide),
    forRunnerUp: e.items.filter((i) => i.weight < 0).slice(0, perSide),
  };
}

const ORDINAL = ['strongest', '2nd strongest', '3rd strongest'];

/** "'speech translation': strongest evidence for cs.CL; against cs.LG (+0.50 log-odds)". */
export function evidenceSentence(e: Pick<EvidenceDto, 'items' | 'top' | 'runnerUp'>, item: EvidenceItem): string {
  const toward = item.weight > 0 ? e.top : e.runnerUp;
  const against = item.weight > 0 ? e.runnerUp : e.top;
  const rank = e.items.filter((i) => Math.sign(i.weight) === Math.sign(item.weight)).indexOf(item);
  const strength = rank >= 0 && rank < ORDINAL.length ? `${ORDINAL[rank]} evidence` : rank >= 0 ? `evidence (#${rank + 1})` : 'evidence';
  return `'${item.term}': ${strength} for ${toward}; against ${against} (${formatWeight(item.weight)} log-odds)`;
}

export function formatWeight(w: number): string {
  return `${w >= 0 ? '+' : '−'}${Math.abs(w).toFixed(2)}`;
}

/** The strongest evidence item with an occurrence containing `pos` (in a file `same` accepts), and that occurrence. */
export function evidenceAt(
  e: Pick<EvidenceDto, 'items'>,
  same: (file: string) => boolean,
  pos: { line: number; character: number },
): { item: EvidenceItem; range: SourceRange } | undefined {
  const inside = (r: SourceRange) =>
    same(r.file) &&
    (pos.line > r.start.line || (pos.line === r.start.line && pos.character >= r.start.character)) &&
    (pos.line < r.end.line || (pos.line === r.end.line && pos.character < r.end.character));
  // a phrase and its words overlap: items are sorted by strength, so the stronger one answers
  for (const item of e.items) {
    const range = item.ranges.find(inside);
    if (range) return { item, range };
  }
  return undefined;
}
