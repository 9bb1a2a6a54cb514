/** Text and tooltip of the status item, with the provisional / not-English marks (pure: unit-testable). */
import type { PredictionInsights } from '../model/insights';
import type { CategoryScore } from '../model/types';
import { languageLine, provisionalLine, setLine } from '../shared/insightText';
import { formatPercent } from './format';

export function statusView(top: CategoryScore, ins: PredictionInsights | undefined): { text: string; tooltip: string } {
  const lines = [`arXiv: ${top.category} (${top.name}), p = ${top.p.toFixed(3)}.`];
  const set = setLine(ins);
  if (set) lines.push(`${set}.`);
  const prov = provisionalLine(ins);
  const lang = languageLine(ins);
  if (prov) lines.unshift(prov);
  if (lang) lines.unshift(lang);
  lines.push('Click to show details.');
  let text = `$(mortar-board) ${top.category} ${formatPercent(top.p)}`;
  if (lang) text = `$(warning) arXiv: not English?`;
  else if (prov) text = `$(warning) ${top.category}? provisional`;
  return { text, tooltip: lines.join('\n') };
}
