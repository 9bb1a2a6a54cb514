/** Hover over the title or abstract: the predicted category, runner-ups and cross-list suggestions. */
import type { Hover, Position } from 'vscode-languageserver/node';
import { MarkupKind } from 'vscode-languageserver/node';
import type { CategoryScore } from '../model/types';
import { CROSSLIST_MIN_P } from '../shared/ui';
import type { DocumentClassification, RangeDto } from '../shared/protocol';
import { FALLBACK_LABEL } from '../model/arxivTaxonomy';
import { formatPercent, formatPercentBelow } from '../shared/format';
import { sameFile } from './paths';
import { insightHoverLines } from './insightHover';
import { evidenceAt, evidenceSentence } from '../shared/evidence';



function contains(range: RangeDto, pos: Position): boolean {
  const { start, end } = range;
  if (pos.line < start.line || pos.line > end.line) return false;
  if (pos.line === start.line && pos.character < start.character) return false;
  if (pos.line === end.line && pos.character > end.character) return false;
  return true;
}

/** Which part of the draft (if any) `pos` in the file `file` (path or URI) lies in. */
export function hoveredPart(result: DocumentClassification, file: string, pos: Position): RangeDto | undefined {
  for (const range of [result.extracted.titleRange, result.extracted.abstractRange]) {
    if (range && sameFile(range.file, file) && contains(range, pos)) return range;
  }
  return undefined;
}

const pct = formatPercent;
/** `other` is the model's bucket for rare categories, not an arXiv code: it is named as such. */
const label = (s: CategoryScore): string =>
  s.category === FALLBACK_LABEL
    ? 'a category this model does not score separately'
    : s.name && s.name !== s.category ? `\`${s.category}\` ${s.name}` : `\`${s.category}\``;

export function hoverMarkdown(result: DocumentClassification): string | undefined {
  const prediction = result.prediction;
  if (result.status !== 'ok' || !prediction || prediction.primary.length === 0) return undefined;
  const [top, ...rest] = prediction.primary;
  const lines =
    top.category === FALLBACK_LABEL
      ? [`**arXiv category: probably none of the ${prediction.primary.length - 1} this model knows** — ${pct(top.p)}`, '']
      : [`**arXiv category: ${label(top)}** — ${pct(top.p)}`, ''];
  const honest = insightHoverLines(prediction.insights);
  lines.unshift(...honest.before);
  lines.push(...honest.after);
  const runnerUps = rest.slice(0, 2);
  if (runnerUps.length > 0) {
    const title = top.category === FALLBACK_LABEL ? 'Closest known categories' : 'Runner-ups';
    lines.push(`${title}: ${runnerUps.map((s) => `${label(s)} ${pct(s.p)}`).join(', ')}`, '');
  }
  const likely = prediction.crosslists.filter((s) => s.p >= CROSSLIST_MIN_P);
  if (likely.length > 0) {
    lines.push(`Suggested cross-lists: ${likely.slice(0, 5).map((s) => `${label(s)} ${pct(s.p)}`).join(', ')}`, '');
  } else if (prediction.crosslists.length > 0) {
    const two = prediction.crosslists.slice(0, 2);
    lines.push(`No likely cross-list (all below ${pct(CROSSLIST_MIN_P)}); closest: ${two.map((s) => `${label(s)} ${formatPercentBelow(s.p, CROSSLIST_MIN_P)}`).join(', ')}`, '');
  }
  if (result.message) lines.push(`_${result.message}_`, '');
  lines.push(`Model: ${prediction.model}`);
  return lines.join('\n');
}

/**
 * Hover for `pos` in the file `file`, looking first at the document's own result, then at other documents
 * whose title/abstract came from this file through \input.
 */
export function hoverFor(results: Iterable<DocumentClassification>, file: string, pos: Position): Hover | null {
  for (const result of results) {
    const range = hoveredPart(result, file, pos);
    if (!range) continue;
    const value = hoverMarkdown(result);
    if (!value) continue;
    const hit = result.evidence && evidenceAt(result.evidence, (f) => sameFile(f, file), pos);
    if (hit) {
      const line = `**${evidenceSentence(result.evidence!, hit.item)}**`;
      return { contents: { kind: MarkupKind.Markdown, value: `${line}\n\n---\n\n${value}` }, range: { start: hit.range.start, end: hit.range.end } };
    }
    return { contents: { kind: MarkupKind.Markdown, value }, range: { start: range.start, end: range.end } };
  }
  return null;
}
