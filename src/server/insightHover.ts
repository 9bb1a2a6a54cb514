/** Hover lines for the prediction set, provisional / not-English notes and the "other" bucket (see insights.ts). */
import type { PredictionInsights } from '../model/insights';
import { languageLine, otherLine, provisionalLine, setLine } from '../shared/insightText';

/** `before` goes above the headline (how far to trust it), `after` right below it. */
export function insightHoverLines(ins: PredictionInsights | undefined): { before: string[]; after: string[] } {
  const before: string[] = [];
  const after: string[] = [];
  const prov = provisionalLine(ins);
  if (prov) before.push(`⚠ **${prov}**`, '');
  const lang = languageLine(ins);
  if (lang) before.push(`⚠ ${lang}`, '');
  const set = setLine(ins);
  if (set) after.push(`**${set}**`, '');
  const other = otherLine(ins?.other);
  if (other) after.push(other, '');
  return { before, after };
}
