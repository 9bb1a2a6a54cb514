/** Sidebar: provisional / not-English notes, the conformal prediction set and what "other" probably means. */
import type { PredictionInsights } from '../../model/insights';
import { formatPercent } from '../../extension/format';
import { el } from '../dom';
import { languageLine, otherLine } from '../../shared/insightText';

/** Notes that come before the probabilities: they say how far to trust them. */
export function renderCaveats(ins: PredictionInsights | undefined): HTMLElement[] {
  const out: HTMLElement[] = [];
  const p = ins?.text.provisional;
  if (p) {
    out.push(el('div', { class: 'caveat provisional', id: 'provisional', role: 'note' }, el('strong', {}, 'Provisional'), ` — ${p.reason}. `, p.next));
  }
  const lang = languageLine(ins);
  if (lang) out.push(el('div', { class: 'caveat language', id: 'language-note', role: 'note' }, el('strong', {}, 'Not English?'), ' ', lang));
  return out;
}

/** "cs.CL, or possibly cs.AI" with its coverage and what it means. */
export function renderPredictionSet(ins: PredictionInsights | undefined): HTMLElement | undefined {
  const s = ins?.set;
  if (!s || s.categories.length === 0) return undefined;
  const [first, ...rest] = s.categories;
  const line = el('p', { class: 'set-line', id: 'prediction-set', 'data-size': String(s.categories.length) }, el('span', { class: 'set-main' }, first.category));
  if (rest.length) {
    line.append(el('span', { class: 'muted' }, ', or possibly '));
    rest.forEach((c, i) => {
      if (i > 0) line.append(el('span', { class: 'muted' }, i === rest.length - 1 ? ' or ' : ', '));
      line.append(el('span', { class: 'set-alt', title: `${c.name}: ${formatPercent(c.p)}` }, c.category));
    });
  }
  const explain = el(
    'p',
    { class: 'muted note' },
    `The smallest set that held the true primary for ${formatPercent(s.coverage)} of arXiv-like papers (every category with p ≥ ${formatPercent(s.threshold)}; ${s.calibration}). Not a promise for this one draft.`,
  );
  return el('section', { class: 'prediction-set' }, el('h3', {}, `${formatPercent(s.coverage)} prediction set`), line, explain);
}

export function renderOther(ins: PredictionInsights | undefined): HTMLElement | undefined {
  const line = otherLine(ins?.other);
  if (!line) return undefined;
  return el('div', { class: 'caveat other', id: 'other-explained', role: 'note' }, line);
}
