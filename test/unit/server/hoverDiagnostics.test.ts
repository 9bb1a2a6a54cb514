import { strict as assert } from 'node:assert';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { DeclaredCategory } from '../../../src/draft/types';
import type { Prediction } from '../../../src/model/types';
import { declaredCategoryDiagnostics, DiagnosticsStore } from '../../../src/server/diagnostics';
import { hoverFor, hoverMarkdown } from '../../../src/server/hover';
import { formatPercent } from '../../../src/shared/format';
import type { DocumentClassification } from '../../../src/shared/protocol';

const prediction = (ps: Record<string, number>, cross: Record<string, number> = {}): Prediction => ({
  primary: Object.entries(ps)
    .map(([category, p]) => ({ category, name: `${category} name`, p }))
    .sort((a, b) => b.p - a.p),
  crosslists: Object.entries(cross)
    .map(([category, p]) => ({ category, name: `${category} name`, p }))
    .sort((a, b) => b.p - a.p),
  model: 'm1',
});
const decl = (category: string, file = '/d/p.tex', line = 1): DeclaredCategory => ({
  category,
  range: { file, start: { line, character: 9 }, end: { line, character: 9 + category.length } },
});
const root = { uri: 'file:///d/p.tex', fsPath: '/d/p.tex' };

describe('declared-category diagnostics', () => {
  it('warns when the declared category has p < 0.5 and another has p >= 0.57', () => {
    const out = declaredCategoryDiagnostics([decl('cs.CL')], prediction({ 'cs.CV': 0.81, 'cs.CL': 0.12, 'cs.LG': 0.07 }), root);
    const d = out.get('file:///d/p.tex');
    assert.equal(d?.length, 1);
    assert.equal(d![0].severity, 2);
    assert.match(d![0].message as string, /^Declared primary cs\.CL: 12%\. The model suggests cs\.CV \(81%\) — cs\.CV name\.$/);
  });

  it('checks only the primary (the first declared category): cross-lists are not flagged', () => {
    const p = prediction({ 'cs.CL': 0.7, 'cs.LG': 0.2, 'cs.AI': 0.1 });
    assert.equal(declaredCategoryDiagnostics([decl('cs.CL'), decl('cs.LG', '/d/p.tex', 2)], p, root).size, 0);
    const wrongPrimary = declaredCategoryDiagnostics([decl('cs.LG'), decl('cs.CL', '/d/p.tex', 2)], p, root).get(root.uri);
    assert.equal(wrongPrimary?.length, 1);
    assert.equal(wrongPrimary![0].range.start.line, 1, 'on the primary declaration');
    assert.match(wrongPrimary![0].message as string, /Declared primary cs\.LG: 20%\. The model suggests cs\.CL \(70%\)/);
  });

  it('never suggests the "other" bucket', () => {
    assert.equal(declaredCategoryDiagnostics([decl('cs.IT')], prediction({ other: 0.81, 'cs.IT': 0.1, 'math.AP': 0.09 }), root).size, 0);
  });

  it('bounds a real arXiv category the model folds into "other" by p(other)', () => {
    const low = declaredCategoryDiagnostics([decl('math.NT')], prediction({ 'cs.CL': 0.9, other: 0.04, 'cs.LG': 0.06 }), root).get(root.uri);
    assert.equal(low?.length, 1);
    assert.match(low![0].message as string, /^Declared primary math\.NT: at most 4% .*The model suggests cs\.CL \(90%\)/);
    assert.equal(declaredCategoryDiagnostics([decl('math.NT')], prediction({ other: 0.6, 'cs.CL': 0.4 }), root).size, 0, 'other is likely: no evidence against it');
  });

  it('flags a declared code that is not an arXiv category', () => {
    const d = declaredCategoryDiagnostics([decl('cs.XY')], prediction({ 'cs.CL': 0.9, 'cs.LG': 0.1 }), root).get(root.uri);
    assert.equal(d?.length, 1);
    assert.equal(d![0].code, 'declared-category-unknown');
    assert.match(d![0].message as string, /cs\.XY is not an arXiv category/);
  });

  it('stays quiet at the thresholds and for categories the model does not know', () => {
    assert.equal(declaredCategoryDiagnostics([decl('cs.CL')], prediction({ 'cs.CV': 0.5, 'cs.CL': 0.5 }), root).size, 0);
    assert.equal(declaredCategoryDiagnostics([decl('cs.CL')], prediction({ 'cs.CV': 0.56, 'cs.CL': 0.3, x: 0.14 }), root).size, 0);
    assert.equal(declaredCategoryDiagnostics([decl('cs.CL')], prediction({ 'cs.CV': 0.57, 'cs.CL': 0.43 }), root).size, 1);
    // q-bio.NC is not among this model's labels and the model has no "other" bucket: no evidence either way.
    assert.equal(declaredCategoryDiagnostics([decl('q-bio.NC')], prediction({ 'cs.CV': 0.9, 'cs.CL': 0.1 }), root).size, 0);
    assert.equal(declaredCategoryDiagnostics([decl('cs.CL')], undefined, root).size, 0);
  });

  it('puts declarations from an \\input file on that file', () => {
    const out = declaredCategoryDiagnostics([decl('cs.CL', '/d/meta.tex', 0)], prediction({ 'cs.CV': 0.9, 'cs.CL': 0.1 }), root);
    assert.deepEqual([...out.keys()], ['file:///d/meta.tex']);
  });

  it('store: merges roots per file and clears only what a root published', () => {
    const sent: [string, Diagnostic[]][] = [];
    const store = new DiagnosticsStore((uri, ds) => sent.push([uri, ds]));
    const warn = (m: string): Diagnostic => ({ message: m, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } });
    store.set('rootA', new Map([['f', [warn('a')]]]));
    store.set('rootB', new Map([['f', [warn('b')]]]));
    assert.deepEqual(sent.at(-1)?.[1].map((d) => d.message), ['a', 'b']);
    const n = sent.length;
    store.set('rootA', new Map([['f', [warn('a')]]]));
    assert.equal(sent.length, n, 'unchanged: not republished');
    store.clear('rootA');
    assert.deepEqual(sent.at(-1), ['f', [warn('b')]]);
    store.clear('rootB');
    assert.deepEqual(sent.at(-1), ['f', []]);
    store.set('chapter', new Map([['f', [warn('same')]]]));
    store.set('root', new Map([['f', [warn('same')]]]));
    assert.deepEqual(sent.at(-1), ['f', [warn('same')]], 'the same warning from two roots is shown once');
  });
});

describe('hover', () => {
  const result = (p: Prediction | undefined, message?: string): DocumentClassification => ({
    uri: 'file:///d/p.tex',
    version: 1,
    status: p ? 'ok' : 'error',
    message,
    extracted: {
      title: 'T',
      titleRange: { file: '/d/p.tex', start: { line: 2, character: 7 }, end: { line: 2, character: 20 } },
      abstractRange: { file: '/d/abs.tex', start: { line: 1, character: 0 }, end: { line: 3, character: 5 } },
      usedBodyText: false,
      warnings: [],
    },
    prediction: p,
    declared: [],
    elapsedMs: 1,
  });

  it('shows top category, runner-ups, likely cross-lists and the missing-part note', () => {
    const md = hoverMarkdown(result(prediction({ 'cs.CV': 0.81, 'cs.LG': 0.1, 'cs.AI': 0.05, 'cs.CL': 0.04 }, { 'cs.LG': 0.45, 'cs.AI': 0.31, 'eess.IV': 0.2 }), 'No abstract found: x'));
    assert.ok(md);
    assert.match(md, /\*\*arXiv category: `cs\.CV` cs\.CV name\*\* — 81%/);
    assert.match(md, /Runner-ups: `cs\.LG` cs\.LG name 10%, `cs\.AI` cs\.AI name 5%/);
    assert.doesNotMatch(md, /Runner-ups:.*cs\.CL/);
    assert.match(md, /Suggested cross-lists: `cs\.LG` cs\.LG name 45%, `cs\.AI` cs\.AI name 31%$/m);
    assert.doesNotMatch(md, /eess\.IV/);
    assert.match(md, /_No abstract found: x_/);
  });

  it('shows the two closest cross-lists, marked unlikely, when none reaches 0.3', () => {
    const md = hoverMarkdown(result(prediction({ 'cs.CV': 0.9, 'cs.LG': 0.1 }, { 'cs.LG': 0.2, 'cs.AI': 0.1, 'cs.RO': 0.05 })));
    assert.match(md ?? '', /No likely cross-list \(all below 30%\); closest: `cs\.LG` cs\.LG name 20%, `cs\.AI` cs\.AI name 10%$/m);
  });

  it('never rounds a probability to 0% or 100%', () => {
    assert.deepEqual([1, 0.99996, 0.996, 0.5, 0.004, 0.0001, 0].map(formatPercent), ['>99.9%', '>99.9%', '99.6%', '50%', '0.4%', '<0.1%', '<0.1%']);
  });

  it('a closest cross-list just under 30% does not read as 30%', () => {
    const md = hoverMarkdown(result(prediction({ 'cs.CV': 0.9, 'cs.LG': 0.1 }, { 'cs.AI': 0.2996, 'cs.LG': 0.1 })));
    assert.match(md ?? '', /closest: `cs\.AI` cs\.AI name 29\.96%, `cs\.LG` cs\.LG name 10%$/m);
  });

  it('names the "other" bucket as such instead of as a category code', () => {
    const md = hoverMarkdown(result(prediction({ other: 0.82, 'math.AP': 0.1, 'cs.IT': 0.08 }))) ?? '';
    assert.match(md, /^\*\*arXiv category: probably none of the 2 this model knows\*\* — 82%/);
    assert.match(md, /Closest known categories: `math\.AP` math\.AP name 10%/);
    assert.doesNotMatch(md, /`other`/);
  });

  it('answers only inside the title or abstract range of the right file', () => {
    const r = result(prediction({ 'cs.CV': 0.9, 'cs.LG': 0.1 }));
    assert.ok(hoverFor([r], '/d/p.tex', { line: 2, character: 7 }));
    assert.ok(hoverFor([r], 'file:///d/p.tex', { line: 2, character: 20 }));
    assert.equal(hoverFor([r], '/d/p.tex', { line: 2, character: 21 }), null);
    assert.equal(hoverFor([r], '/d/p.tex', { line: 1, character: 10 }), null);
    assert.equal(hoverFor([r], '/d/p.tex', { line: 2, character: 0 }), null);
    // The abstract lives in abs.tex: hovering there (in that file's editor) finds it; the same line in p.tex does not.
    assert.ok(hoverFor([r], '/d/abs.tex', { line: 2, character: 100 }));
    assert.equal(hoverFor([r], '/d/p.tex', { line: 2, character: 100 }), null);
    assert.equal(hoverFor([result(undefined)], '/d/p.tex', { line: 2, character: 8 }), null);
  });
});
