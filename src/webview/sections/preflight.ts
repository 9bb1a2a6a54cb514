/**
 * Sidebar sections of the submission preflight: the cited arXiv papers (evidence beside the prediction, never
 * mixed into it) and "Preflight for arXiv" (metadata checks, the category set with its reasons, Copy arXiv
 * Metadata). Rendered from DocumentClassification.preflight; styles in media/preflight.css.
 */
import type { DocumentClassification } from '../../shared/protocol';
import { citedSummary, type PreflightLevel } from '../../shared/preflight';
import { el } from '../dom';

const ICONS: Record<PreflightLevel, string> = { ok: '✓', info: 'i', warning: '!', error: '✕' };
const LEVEL_NAMES: Record<PreflightLevel, string> = { ok: 'passes', info: 'note', warning: 'warning', error: 'arXiv would refuse this' };

function section(title: string, id: string, ...children: (Node | undefined | false)[]): HTMLElement {
  return el('section', { class: 'preflight', id }, el('h3', {}, title), ...children);
}

/** "Cited arXiv papers", or nothing when the draft names no bibliography file. */
export function renderCitations(c: DocumentClassification): HTMLElement[] {
  const cited = c.preflight?.citations;
  if (!cited) return [];
  const bars = el('div', { class: 'cited-bars' });
  for (const x of cited.categories.slice(0, 5)) {
    const fill = el('div', { class: 'cited-fill' });
    fill.style.width = `${Math.max(2, Math.round(x.share * 100))}%`;
    bars.append(el('div', { class: 'cited-row', 'data-category': x.category, title: `${x.count} of ${cited.withCategory} cited arXiv papers with a known primary category` }, el('span', { class: 'cited-code' }, x.category), el('div', { class: 'cited-bar' }, fill), el('span', { class: 'cited-count' }, String(x.count))));
  }
  return [
    section(
      'Cited arXiv papers',
      'cited-papers',
      el('p', { id: 'cited-summary' }, citedSummary(cited)),
      cited.categories.length ? bars : undefined,
      el('p', { class: 'muted note' }, 'Evidence from your bibliography, shown beside the prediction; not part of the model’s probabilities.'),
      cited.notes.length ? el('ul', { class: 'preflight-notes muted' }, ...cited.notes.map((n) => el('li', {}, n))) : undefined,
    ),
  ];
}

/** "Preflight for arXiv": one row per check, then the category set and the copy button. */
export function renderPreflight(c: DocumentClassification, copy: () => void): HTMLElement[] {
  const p = c.preflight;
  if (!p) return [];
  const rows = el(
    'ul',
    { class: 'checks', id: 'preflight-checks' },
    ...p.checks.map((x) =>
      el(
        'li',
        { class: `check ${x.level}`, 'data-check': x.id, 'data-level': x.level, title: `${LEVEL_NAMES[x.level]} — source: ${x.source}` },
        el('span', { class: 'check-icon', 'aria-label': LEVEL_NAMES[x.level] }, ICONS[x.level]),
        el('span', { class: 'check-text' }, el('span', { class: 'check-label' }, x.label), ' ', el('span', { class: 'check-message' }, x.message)),
      ),
    ),
  );
  const set = p.categories;
  const chips = set.primary
    ? el(
        'ul',
        { class: 'chips', id: 'preflight-categories' },
        el('li', { class: 'chip primary', 'data-category': set.primary, title: 'primary' }, set.primary),
        ...set.crossLists.map((x) => el('li', { class: 'chip declared', 'data-category': x, title: 'cross-list' }, x)),
      )
    : el('p', { class: 'muted' }, 'No category to propose yet.');
  const copyButton = el('button', { class: 'action', id: 'copy-metadata', title: 'arXiv: Copy arXiv Metadata — title and abstract in arXiv’s plain-text form' }, 'Copy arXiv Metadata');
  copyButton.addEventListener('click', copy);
  return [
    section(
      'Preflight for arXiv',
      'preflight',
      rows,
      el('h4', {}, 'Categories to submit'),
      chips,
      set.reasons.length ? el('ul', { class: 'preflight-notes muted', id: 'preflight-reasons' }, ...set.reasons.map((r) => el('li', {}, r))) : undefined,
      el('div', { class: 'preflight-actions' }, copyButton),
    ),
  ];
}
