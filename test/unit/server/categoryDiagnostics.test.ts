/** The diagnostics arXiv's rules produce beyond the primary check (rules: src/server/arxivRules.ts). */
import { strict as assert } from 'node:assert';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { DeclaredCategory } from '../../../src/draft/types';
import type { Prediction } from '../../../src/model/types';
import { declaredCategoryDiagnostics } from '../../../src/server/diagnostics';
import { extractDraft } from '../../../src/draft/extract';

const scores = (ps: Record<string, number>) => Object.entries(ps).map(([category, p]) => ({ category, name: `${category} name`, p })).sort((a, b) => b.p - a.p);
const prediction = (primary: Record<string, number>, cross: Record<string, number> = {}): Prediction => ({ primary: scores(primary), crosslists: scores(cross), model: 'm' });
const list = (...cats: string[]): DeclaredCategory[] =>
  cats.map((category, i) => ({ category, range: { file: '/d/p.tex', start: { line: 1, character: 10 + 7 * i }, end: { line: 1, character: 15 + 7 * i } } }));
const root = { uri: 'file:///d/p.tex', fsPath: '/d/p.tex' };
const codes = (m: Map<string, Diagnostic[]>) => (m.get(root.uri) ?? []).map((d) => [d.code, d.severity]);

describe('category diagnostics from arXiv rules', () => {
  it('more than two cross-lists: information on the third and later', () => {
    const out = declaredCategoryDiagnostics(list('cs.CL', 'cs.AI', 'cs.LG', 'cs.IR'), prediction({ 'cs.CL': 0.9 }, { 'cs.AI': 0.2, 'cs.LG': 0.2, 'cs.IR': 0.2 }), root);
    assert.deepEqual(codes(out), [['crosslists-too-many', 3]]);
    assert.match(String(out.get(root.uri)![0].message), /Cross-list cs\.IR is cross-list number 3: arXiv's guidance/);
    assert.equal(out.get(root.uri)![0].range.start.character, 10 + 21, 'on the third cross-list');
  });

  it('a declared cross-list the cross-list head finds very unlikely gets a hint naming it', () => {
    const out = declaredCategoryDiagnostics(list('cs.CL', 'q-bio.NC'), prediction({ 'cs.CL': 0.9 }, { 'q-bio.NC': 0.005 }), root);
    assert.deepEqual(codes(out), [['crosslist-unlikely', 4]]);
    assert.match(String(out.get(root.uri)![0].message), /^Cross-list q-bio\.NC: the model finds it very unlikely \(0\.5%, below 1%/);
  });

  it('the cs.LG -> stat.ML automatic cross-list is named, never suggested', () => {
    const out = declaredCategoryDiagnostics(list('cs.LG', 'stat.ML'), prediction({ 'cs.LG': 0.9 }, { 'stat.ML': 0.9 }), root);
    assert.deepEqual(codes(out), [['crosslist-automatic', 3]]);
    assert.match(String(out.get(root.uri)![0].message), /arXiv adds stat\.ML as a cross-list to every cs\.LG primary by itself/);
    const none = declaredCategoryDiagnostics(list('cs.LG'), prediction({ 'cs.LG': 0.9 }, { 'stat.ML': 0.9 }), root);
    assert.deepEqual(codes(none), [], 'no "add stat.ML" suggestion');
  });

  it('suggests cross-lists (hint with a fix) only while one or two leave room', () => {
    const one = declaredCategoryDiagnostics(list('cs.CV'), prediction({ 'cs.CV': 0.9 }, { 'cs.LG': 0.5, 'cs.AI': 0.4, 'eess.IV': 0.35 }), root).get(root.uri) ?? [];
    assert.deepEqual(one.map((d) => (d.data as { category: string }).category), ['cs.LG', 'cs.AI']);
    const full = declaredCategoryDiagnostics(list('cs.CV', 'cs.RO', 'cs.GR'), prediction({ 'cs.CV': 0.9 }, { 'cs.LG': 0.5, 'cs.RO': 0.4, 'cs.GR': 0.4 }), root);
    assert.deepEqual(codes(full), []);
  });

  it('cs.CE and econ primaries are never reclassified', () => {
    assert.deepEqual(codes(declaredCategoryDiagnostics(list('cs.CE'), prediction({ 'cs.CE': 0.1, 'cs.LG': 0.9 }), root)), []);
  });

  it('no-check silences everything; the extractor reads % arXiv: no-check and arxiv-check: false', () => {
    assert.equal(declaredCategoryDiagnostics(list('cs.CL'), prediction({ 'cs.CV': 0.9, 'cs.CL': 0.1 }), root, { noCheck: true }).size, 0);
    const tex = extractDraft('% arXiv: cs.CL\n%% arXiv: no-check\n\\title{T}\n', { fileName: '/d/p.tex' });
    assert.deepEqual(tex.noCheck?.start, { line: 1, character: 10 });
    assert.deepEqual(tex.declaredCategories.map((d) => d.category), ['cs.CL']);
    assert.ok(!tex.warnings.some((w) => /no-check/.test(w)), 'no "not an arXiv category" warning for no-check');
    const md = extractDraft('---\ntitle: T\narxiv-check: false\narxiv: cs.CL\n---\n', { fileName: '/d/p.md' });
    assert.equal(md.noCheck?.start.line, 2);
    assert.equal(extractDraft('---\ntitle: T\narxiv-check: true\n---\n', { fileName: '/d/p.md' }).noCheck, undefined);
  });
});
