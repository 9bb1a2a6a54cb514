/** Sidebar: "papers like yours" — the nearest training papers and the categories they were filed under. */
import type { Neighbour } from '../../model/neighbours/types';
import { isArxivId } from '../../shared/arxivId';
import { el } from '../dom';

export type OpenPaper = (id: string) => void;

/** "cs.CL ×3, cs.LG ×2": primaries of the neighbours, most frequent first. */
function filedUnder(ns: readonly Neighbour[]): string {
  const counts = new Map<string, number>();
  for (const n of ns) counts.set(n.primary, (counts.get(n.primary) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([c, k]) => (k > 1 ? `${c} ×${k}` : c)).join(', ');
}

function entry(n: Neighbour, open: OpenPaper): HTMLElement {
  const valid = isArxivId(n.id);
  const title = el('a', { class: 'paper-title', title: valid ? `Open arxiv.org/abs/${n.id} in the browser` : undefined }, n.title || n.id);
  if (valid) {
    title.setAttribute('href', '#');
    title.addEventListener('click', (e) => {
      e.preventDefault();
      open(n.id);
    });
  }
  const cats = el('span', { class: 'paper-cats' }, el('span', { class: 'paper-primary' }, n.primary), n.crosslists.length ? el('span', { class: 'muted' }, ` · ${n.crosslists.slice(0, 3).join(', ')}`) : undefined);
  return el('li', { class: 'paper', 'data-id': n.id, 'data-primary': n.primary }, title, el('div', { class: 'paper-meta' }, cats, el('span', { class: 'muted paper-id' }, ` · ${n.id} · similarity ${n.similarity.toFixed(2)}`)));
}

export function renderNeighbours(ns: readonly Neighbour[] | undefined, open: OpenPaper): HTMLElement | undefined {
  if (!ns) return undefined;
  if (ns.length === 0) return el('section', { class: 'neighbours' }, el('h3', {}, 'Papers like yours'), el('p', { class: 'muted' }, 'No training paper shares words with this draft yet.'));
  return el(
    'section',
    { class: 'neighbours', id: 'neighbours' },
    el('h3', {}, 'Papers like yours'),
    el('p', { class: 'filed-under' }, 'were filed under ', el('strong', { id: 'neighbours-filed' }, filedUnder(ns))),
    el('ol', { class: 'papers' }, ...ns.map((n) => entry(n, open))),
    el('p', { class: 'muted note' }, 'Training papers whose words point to the same categories (the n-gram model’s evidence): what similar papers chose, not a rule of arXiv. A click opens arxiv.org.'),
  );
}
