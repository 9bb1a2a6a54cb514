/** The headline numbers that the training report and the benchmark print: all labels and the 4-class cut. */
import { evaluate, evaluateOnSubset } from './metrics';

export const FOUR_CLASSES = ['cs.AI', 'cs.CL', 'cs.CV', 'cs.LG'];

/** Headline numbers for a set of probability rows (all labels) and the 4-class restriction. */
export function headline(probs: Float32Array[], truth: Int32Array, labels: string[]): Record<string, number> {
  const all = evaluate(probs, truth, labels);
  const out: Record<string, number> = { top1: all.accuracy, top3: all.top3, ece: all.ece, macro_f1_all: all.macro_f1, n_all: all.n };
  if (FOUR_CLASSES.every((c) => labels.includes(c))) {
    const four = evaluateOnSubset(probs, truth, labels, FOUR_CLASSES);
    out.acc4 = four.accuracy;
    out.macro_f1_4 = four.macro_f1;
    out.ai_recall_4 = four.per_class['cs.AI'].recall;
    out.ece4 = four.ece;
    out.n4 = four.n;
  }
  return out;
}
