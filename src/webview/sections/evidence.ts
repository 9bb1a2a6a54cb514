/**
 * Sidebar section "Why cs.CL rather than cs.LG?": the strongest evidence on each side, each entry a link
 * to its place in the draft (the extension looks the term up in its own copy of the result).
 */
import type { DocumentClassification } from '../../shared/protocol';
import { evidenceSides, formatWeight, type EvidenceItem } from '../../shared/evidence';
import { el } from '../dom';
import type { SidebarToExtension } from '../messages';

const PER_SIDE = 5;

function entry(item: EvidenceItem, strongest: number, side: 'top' | 'runner-up', toward: string, send: (m: SidebarToExtension) => void): HTMLElement {
  const fill = el('span', { class: 'evidence-fill' });
  fill.style.width = `${Math.max(12, Math.min(100, (100 * Math.abs(item.weight)) / strongest)).toFixed(0)}%`;
  const title = `'${item.term}' pulls toward ${toward}: ${formatWeight(item.weight)} log-odds (n-gram ${formatWeight(item.ngram)}, cross-attention ${formatWeight(item.crossAttention)})`;
  const label = item.ranges.length
    ? el('a', { class: 'evidence-term', href: '#', title: `${title}. Click to go to it in the draft.`, 'data-term': item.term }, item.term)
    : el('span', { class: 'evidence-term unplaced', title: `${title}. Not found literally in the source (e.g. a formula).` }, item.term);
  if (item.ranges.length) {
    label.addEventListener('click', (e) => {
      e.preventDefault();
      send({ type: 'revealEvidence', term: item.term, occurrence: 0 });
    });
  }
  return el(
    'li',
    { class: `evidence-entry ${side}` },
    el('span', { class: 'evidence-bar' }, fill),
    label,
    el('span', { class: 'evidence-weight muted' }, formatWeight(item.weight)),
  );
}

/** The section, or undefined when there is no prediction to explain. */
export function renderEvidenceSection(c: DocumentClassification, send: (m: SidebarToExtension) => void): HTMLElement | undefined {
  const p = c.prediction;
  if (c.status !== 'ok' || !p || p.primary.length < 2) return undefined;
  const e = c.evidence;
  const heading = el('h3', {}, `Why ${p.primary[0].category} rather than ${p.primary[1].category}?`);
  if (!e) return el('section', { id: 'evidence' }, heading, el('p', { class: 'muted', id: 'evidence-pending' }, 'Working out the evidence…'));
  const { forTop, forRunnerUp } = evidenceSides(e, PER_SIDE);
  const strongest = Math.max(1e-9, ...[...forTop, ...forRunnerUp].map((i) => Math.abs(i.weight)));
  const column = (items: EvidenceItem[], side: 'top' | 'runner-up', cat: string) =>
    el(
      'div',
      { class: `evidence-side ${side}` },
      el('div', { class: 'evidence-side-title' }, el('span', { class: `evidence-swatch ${side}` }), `For ${cat}`),
      items.length
        ? el('ul', { class: 'evidence-list', id: side === 'top' ? 'evidence-for-top' : 'evidence-for-runner-up' }, ...items.map((i) => entry(i, strongest, side, cat, send)))
        : el('p', { class: 'muted' }, 'No word pulls this way.'),
    );
  return el(
    'section',
    { id: 'evidence' },
    heading,
    column(forTop, 'top', e.top),
    column(forRunnerUp, 'runner-up', e.runnerUp),
    el(
      'p',
      { class: 'muted note', title: `ln(p(${e.top}) / p(${e.runnerUp})) = ${e.logOdds.toFixed(2)}; words not shown, the model's biases and the attribution's error make up the rest.` },
      `Numbers: change in the log-odds of ${e.top} over ${e.runnerUp} (+0.69 doubles them). What this model relied on, not a rule of arXiv.`,
    ),
  );
}
