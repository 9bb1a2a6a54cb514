/** CLI output of prediction insights: prediction set, provisional / not-English notes, "other", papers like yours. */
import type { PredictionInsights } from '../model/insights';
import { languageLine, otherLine, provisionalLine, setLine } from '../shared/insightText';

/** Optional fields of `classify --json`. */
export function insightJson(ins: PredictionInsights | undefined): Record<string, unknown> {
  if (!ins) return {};
  const r = (p: number) => Math.round(p * 1e4) / 1e4;
  return {
    ...(ins.set ? { predictionSet: { categories: ins.set.categories.map((c) => c.category), coverage: ins.set.coverage, threshold: r(ins.set.threshold), calibration: ins.set.calibration } } : {}),
    provisional: ins.text.provisional ?? null,
    language: ins.text.language ?? null,
    ...(ins.other ? { other: ins.other } : {}),
    ...(ins.neighbours ? { neighbours: ins.neighbours.map((n) => ({ ...n, similarity: r(n.similarity), url: `https://arxiv.org/abs/${n.id}` })) } : {}),
  };
}

/** Lines before the probabilities (how far to trust them). */
export function insightHead(ins: PredictionInsights | undefined): string[] {
  return [provisionalLine(ins), languageLine(ins)].filter((x): x is string => !!x).map((x) => `Note:     ${x}`);
}

/** Lines after the probabilities. */
export function insightTail(ins: PredictionInsights | undefined): string[] {
  const out: string[] = [];
  const set = setLine(ins);
  if (set) out.push('', set);
  const other = otherLine(ins?.other);
  if (other) out.push('', other);
  if (ins?.neighbours?.length) {
    out.push('', 'Papers like yours (training papers) were filed under:');
    for (const n of ins.neighbours) out.push(`  ${n.primary.padEnd(18)} ${n.id.padEnd(16)} ${n.title.length > 80 ? n.title.slice(0, 79) + '…' : n.title}`);
  }
  return out;
}
