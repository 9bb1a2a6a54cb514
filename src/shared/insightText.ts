/**
 * How prediction insights read in words, shared by the hover, the status item, the sidebar and the CLI so
 * every view says the same thing. Pure (no vscode, no DOM).
 */
import type { PredictionInsights } from '../model/insights';
import type { CategoryScore } from '../model/types';
import type { OtherBreakdown } from '../model/otherBucket';
import { formatPercent } from './format';

export function setLine(ins: PredictionInsights | undefined): string | undefined {
  const s = ins?.set;
  if (!s || s.categories.length === 0) return undefined;
  return `${formatPercent(s.coverage)} prediction set: ${setPhrase(s.categories)}`;
}

export function provisionalLine(ins: PredictionInsights | undefined): string | undefined {
  const p = ins?.text.provisional;
  return p ? `Provisional: ${p.reason}. ${p.next}` : undefined;
}

export function languageLine(ins: PredictionInsights | undefined): string | undefined {
  return ins?.text.language?.note;
}

export function otherLine(o: OtherBreakdown | undefined): string | undefined {
  if (!o) return undefined;
  const head = `"other" (${formatPercent(o.p)}) is not a category`;
  if (!o.archive) return `${head}. ${o.note}`;
  const cats = o.categories.length ? `; inside it the cross-list head ranks ${o.categories.map((c) => `${c.category} ${formatPercent(c.p)}`).join(', ')} highest` : '';
  return `${head}: most likely ${o.archive.code} (${o.archive.name})${cats}. ${o.note}`;
}

/** True when the top answer should not be read as confident (too little text, or not English). */
export function isTentative(ins: PredictionInsights | undefined): boolean {
  return Boolean(ins?.text.provisional || ins?.text.language);
}

/** "cs.CL, or possibly cs.AI" / "cs.CL, or possibly cs.AI or cs.LG" / "cs.CL". */
export function setPhrase(set: readonly CategoryScore[], codeOf: (s: CategoryScore) => string = (s) => s.category): string {
  if (set.length === 0) return '';
  const [first, ...rest] = set.map(codeOf);
  if (rest.length === 0) return first;
  const tail = rest.length === 1 ? rest[0] : `${rest.slice(0, -1).join(', ')} or ${rest[rest.length - 1]}`;
  return `${first}, or possibly ${tail}`;
}
