/**
 * What goes with a prediction so it can be read honestly: the conformal prediction set, the papers like
 * this one in the training split, what "other" probably means, and whether the text is enough (and English)
 * to trust any of it. Computed where the model runs (the server's model worker, the CLI), never in a hover.
 */
import { explainOther, type OtherBreakdown } from './otherBucket';
import type { Neighbour } from './neighbours/types';
import { predictionSet, type ConformalCalibration } from './predictionSet';
import { checkText, type TextCheck } from './textCheck';
import type { CategoryScore, PaperText } from './types';

export const NEIGHBOURS_SHOWN = 5;

export interface PredictionInsights {
  /** smallest set of categories that holds the true primary with probability >= coverage (conformal) */
  set?: { categories: CategoryScore[]; coverage: number; threshold: number; calibration: string };
  /** the most similar training papers, most similar first */
  neighbours?: Neighbour[];
  /** present when "other" ranks in the top 3 */
  other?: OtherBreakdown;
  text: TextCheck;
}

export interface InsightSources {
  conformal?: ConformalCalibration;
  nearest?: (p: PaperText, k: number) => Neighbour[];
  primaryLabels: readonly string[];
  minPrimary: number;
  primaryCounts?: ReadonlyMap<string, number>;
}

export function computeInsights(p: PaperText, primary: CategoryScore[], crosslists: CategoryScore[], src: InsightSources): PredictionInsights {
  const text = checkText(p);
  const out: PredictionInsights = { text };
  if (src.conformal) {
    const c = src.conformal;
    out.set = {
      categories: predictionSet(primary, c.threshold),
      coverage: 1 - c.alpha,
      threshold: c.threshold,
      calibration: `${c.method} on ${c.n.toLocaleString('en-US')} ${c.split} papers`,
    };
  }
  if (src.nearest && text.words > 0) out.neighbours = src.nearest(p, NEIGHBOURS_SHOWN);
  const other = explainOther(primary, crosslists, src.primaryLabels, src.minPrimary, src.primaryCounts);
  if (other) out.other = other;
  return out;
}
