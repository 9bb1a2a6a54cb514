/** Sidebar webview script: renders SidebarState sent by the extension. Bundled to media/dist/sidebar.js. */
import type { CategoryScore } from '../model/types';
import { CROSSLIST_MIN_P } from '../shared/ui';
import type { DocumentClassification, ModelInfoDto } from '../shared/protocol';
import { formatPercent, formatPercentBelow, headlineMetrics } from '../extension/format';
import { el, vscodeApi } from './dom';
import type { SidebarCommand, SidebarState, SidebarToExtension } from './messages';
import { renderCaveats, renderOther, renderPredictionSet } from './sections/honestSets';
import { renderNeighbours } from './sections/neighbours';
import { renderEvidenceSection } from './sections/evidence';
import { renderCitations, renderPreflight } from './sections/preflight';

const TOP_PRIMARY = 5;
const MAX_CROSSLISTS = 5;
const ABSTRACT_WORDS = 30;

const root = document.getElementById('root') as HTMLElement;
const send = (m: SidebarToExtension): void => vscodeApi.postMessage(m);

function button(label: string, command: SidebarCommand, title: string): HTMLButtonElement {
  const b = el('button', { class: 'action', title }, label);
  b.addEventListener('click', () => send({ type: 'command', command }));
  return b;
}

function bar(score: CategoryScore, rank: number): HTMLElement {
  const fill = el('div', { class: 'bar-fill' });
  // CSSOM assignment is allowed under the CSP (inline style attributes are not).
  fill.style.width = `${Math.max(0, Math.min(100, score.p * 100)).toFixed(1)}%`;
  return el(
    'div',
    { class: rank === 0 ? 'category-row top' : 'category-row', 'data-category': score.category, title: `${score.category} — ${score.name}: p = ${score.p.toFixed(3)}` },
    el('div', { class: 'category-label' }, el('span', { class: 'category-code' }, score.category), el('span', { class: 'category-name' }, score.name), el('span', { class: 'category-pct' }, formatPercent(score.p))),
    el('div', { class: 'bar', 'data-p': score.p.toFixed(4) }, fill),
  );
}

function section(title: string, ...children: (Node | undefined | false)[]): HTMLElement {
  return el('section', {}, el('h3', {}, title), ...children);
}

function firstWords(text: string, n: number): string {
  const words = text.trim().split(/\s+/);
  return words.length <= n ? words.join(' ') : `${words.slice(0, n).join(' ')} …`;
}

function declaredTitle(d: DocumentClassification['declared'][number]): string {
  if (d.p === undefined) return `${d.category} is not an arXiv category the model knows`;
  return d.atMost ? `${d.category} is among the categories this model folds into "other": at most p(other)` : `p = ${d.p.toFixed(3)}`;
}

function renderPrediction(c: DocumentClassification): HTMLElement[] {
  const out: HTMLElement[] = [];
  const p = c.prediction;
  if (c.status !== 'ok' || !p) {
    out.push(el('p', { class: 'status-message' }, c.message ?? `No prediction (${c.status}).`));
    return out;
  }
  out.push(...renderCaveats(p.insights));
  out.push(section('Primary category', el('div', { class: 'bars', id: 'primary-bars' }, ...p.primary.slice(0, TOP_PRIMARY).map(bar))));
  for (const s of [renderOther(p.insights), renderPredictionSet(p.insights)]) if (s) out.push(s);
  const cross = p.crosslists.filter((s) => s.p >= CROSSLIST_MIN_P).slice(0, MAX_CROSSLISTS);
  out.push(
    section(
      'Suggested cross-lists',
      cross.length
        ? el('ul', { class: 'chips', id: 'crosslists' }, ...cross.map((s) => el('li', { class: 'chip', title: `${s.name}: p = ${s.p.toFixed(3)}`, 'data-category': s.category }, `${s.category} `, el('span', { class: 'muted' }, formatPercent(s.p)))))
        : el('p', { class: 'muted', id: 'crosslists-none' }, `None likely (all below ${formatPercent(CROSSLIST_MIN_P)})${p.crosslists.length ? `; closest: ${p.crosslists.slice(0, 2).map((s) => `${s.category} ${formatPercentBelow(s.p, CROSSLIST_MIN_P)}`).join(', ')}` : ''}.`),
    ),
  );
  if (c.declared.length) {
    out.push(
      section(
        'Declared in the draft',
        el('ul', { class: 'chips' }, ...c.declared.map((d) => el('li', { class: 'chip declared' }, `${d.category} `, el('span', { class: 'muted', title: declaredTitle(d) }, d.p === undefined ? 'not scored' : `${d.atMost ? '≤' : ''}${formatPercent(d.p)}`)))),
      ),
    );
  }
  const similar = renderNeighbours(p.insights?.neighbours, (id) => send({ type: 'openPaper', id }));
  if (similar) out.push(similar);
  if (c.message) out.push(el('p', { class: 'muted note' }, c.message));
  return out;
}

function link(text: string, target: 'title' | 'abstract', cls: string): HTMLElement {
  const a = el('a', { class: `reveal ${cls}`, title: `Go to the ${target} in the draft` }, text);
  a.setAttribute('href', '#');
  a.addEventListener('click', (e) => {
    e.preventDefault();
    send({ type: 'reveal', target });
  });
  return a;
}

function renderExtracted(c: DocumentClassification): HTMLElement {
  const x = c.extracted;
  // People read the display form (math as Unicode); the model's form is TeX source.
  const title = x.titleDisplay ?? x.title;
  const abstract = x.abstractDisplay ?? x.abstract;
  const dl = el('dl', { class: 'extracted' });
  dl.append(el('dt', {}, 'Title'), el('dd', { id: 'extracted-title' }, title ? link(title, 'title', 'title') : el('span', { class: 'muted' }, 'not found')));
  dl.append(
    el('dt', {}, 'Abstract'),
    el('dd', { id: 'extracted-abstract' }, abstract ? link(firstWords(abstract, ABSTRACT_WORDS), 'abstract', 'abstract') : el('span', { class: 'muted' }, x.usedBodyText ? 'not found; used the body text' : 'not found')),
  );
  const warnings = x.warnings.length ? el('ul', { class: 'warnings' }, ...x.warnings.map((w) => el('li', {}, w))) : undefined;
  return section('What was read', dl, warnings);
}

function renderModel(m: ModelInfoDto | undefined): HTMLElement {
  if (!m) return section('Model', el('p', { class: 'muted', id: 'model-name' }, 'not loaded'));
  const metrics = headlineMetrics(m.metrics);
  return section(
    'Model',
    el('p', { class: 'model-name', id: 'model-name', title: m.dir }, m.name),
    el('p', { class: 'muted' }, `${m.kind}${m.encoder && m.encoder !== 'none' ? ` · ${m.encoder} encoder` : ''} · ${m.labels} categories`),
    metrics.length
      ? el('dl', { class: 'metrics', id: 'model-metrics' }, ...metrics.flatMap((x) => [el('dt', {}, x.label), el('dd', { 'data-metric': x.key }, x.text)]))
      : el('p', { class: 'muted' }, 'No measured metrics in this model bundle.'),
  );
}

function render(state: SidebarState): void {
  const parts: (HTMLElement | undefined)[] = [];
  if (state.notice) parts.push(el('p', { class: 'notice' }, state.notice));
  if (state.server === 'starting') parts.push(el('p', { class: 'muted' }, 'Starting the classifier…'));
  if (!state.document) {
    parts.push(el('p', { class: 'muted empty' }, 'Open a LaTeX (.tex) or Markdown (.md, .qmd, .Rmd) paper draft to see which arXiv category it fits.'));
  } else {
    const name = state.document.fileName.split(/[\\/]/).pop() ?? state.document.fileName;
    parts.push(el('div', { class: 'doc-header' }, el('span', { class: 'doc-name', title: state.document.fileName }, name), state.pending ? el('span', { class: 'muted pending' }, ' updating…') : undefined));
    const c = state.classification;
    if (!c) parts.push(el('p', { class: 'muted' }, state.pending || state.server === 'starting' ? 'Classifying…' : 'Not classified yet.'));
    else {
      parts.push(...renderPrediction(c));
      parts.push(renderEvidenceSection(c, send));
      parts.push(...renderCitations(c));
      parts.push(renderExtracted(c));
      parts.push(...renderPreflight(c, () => send({ type: 'command', command: 'copyMetadata' })));
    }
  }
  parts.push(renderModel(state.model));
  parts.push(el('div', { class: 'actions' }, button('Classify', 'classify', 'arXiv: Classify Current Document'), button('Select Model', 'selectModel', 'arXiv: Select Model'), button('Train', 'train', 'arXiv: Train Model'), button('Report', 'showReport', 'arXiv: Show Evaluation Report')));
  root.replaceChildren(...parts.filter((p): p is HTMLElement => !!p));
}

window.addEventListener('message', (e: MessageEvent) => {
  const msg = e.data as { type?: unknown; state?: unknown };
  if (msg && msg.type === 'state' && typeof msg.state === 'object' && msg.state !== null) render(msg.state as SidebarState);
});
send({ type: 'ready' });
