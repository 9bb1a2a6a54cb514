/**
 * Quick fixes over a real LSP connection (the server's real wiring and extractor, the keyword classifier double):
 * each one is requested with textDocument/codeAction as any LSP client would, its WorkspaceEdit applied to the
 * text, and the server's next result checked.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CodeAction, CodeActionRequest, type Diagnostic, type Range } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { writeFakeBundle } from './helpers/fakeClassifier';
import { fileUri, TestClient } from './helpers/lspClient';
import { VISION_DRAFT_DECLARED_CL, withDeclared } from './fixtures';

const SERVER = path.join(__dirname, 'helpers', 'fakeServerMain.ts');

/** Four vision words, three learning words: the keyword double gives cs.CV ~0.8 and cs.LG a cross-list above 30%. */
const VISION_AND_LEARNING = (declaration: string) => String.raw`\documentclass{article}
${declaration}
\title{Image learning}
\begin{document}
\begin{abstract}
We label images for vision with networks trained by gradient descent on pixel data and a neural model.
\end{abstract}
\end{document}
`;

const MARKDOWN = (frontMatter: string) => `---
title: "Image segmentation with pixel-level vision transformers"
${frontMatter}
abstract: |
  We segment images pixel by pixel with vision transformers. Our image segmentation model improves
  semantic segmentation of natural images, using pixel-level attention over the image.
---

Body.
`;

describe('quick fixes (code actions) over a real LSP connection', function () {
  this.timeout(30_000);
  let tmp: string;
  let client: TestClient;
  let n = 0;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arxiv-actions-'));
    writeFakeBundle(path.join(tmp, 'model'), { name: 'fake' });
    client = await TestClient.start({
      module: SERVER,
      initializationOptions: { defaultModelDir: path.join(tmp, 'model'), trainingDir: path.join(tmp, 'runs') },
      settings: { debounceMs: 50 },
    });
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Opens `text`, waits for its classification and diagnostics, returns them. */
  async function open(text: string, ext = 'tex'): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const uri = fileUri(path.join(tmp, `draft-${++n}.${ext}`));
    client.open(uri, text, ext === 'tex' ? 'latex' : 'markdown');
    await client.classificationOf(uri, 1);
    // Diagnostics are published just before the classification notification.
    return { uri, diagnostics: client.latestDiagnostics(uri)?.diagnostics ?? [] };
  }

  function actions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[] | null> {
    return client.request(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } }).then((r) =>
      r === null
        ? null
        : r.map((a) => {
            assert.ok(CodeAction.is(a), `a CodeAction, not a bare Command: ${JSON.stringify(a)}`);
            return a;
          }),
    );
  }

  function apply(uri: string, text: string, action: CodeAction): string {
    const edits = action.edit?.changes?.[uri];
    assert.ok(edits?.length, `"${action.title}" edits ${uri}`);
    assert.deepEqual(Object.keys(action.edit?.changes ?? {}), [uri], 'only this file');
    return TextDocument.applyEdits(TextDocument.create(uri, 'latex', 1, text), edits);
  }

  /** Applies the text as version 2 and returns that version's classification and diagnostics. */
  async function change(uri: string, text: string) {
    const v = client.change(uri, text);
    const c = await client.classificationOf(uri, v);
    return { classification: c, diagnostics: client.latestDiagnostics(uri)?.diagnostics ?? [] };
  }

  it('"Make cs.CV the primary (keep cs.LG as a cross-list)" rewrites the % arXiv: comment in place', async () => {
    const text = withDeclared('cs.LG, cs.AI');
    const { uri, diagnostics } = await open(text);
    const mismatch = diagnostics.find((d) => d.code === 'declared-category-mismatch');
    assert.ok(mismatch, 'the mismatch warning');
    const list = (await actions(uri, mismatch.range, diagnostics)) ?? [];
    const fix = list.find((a) => a.title === 'Make cs.CV the primary (keep cs.LG as a cross-list)');
    assert.ok(fix, `offered: ${list.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    const fixed = apply(uri, text, fix);
    assert.equal(fixed.split('\n')[1], '% arXiv: cs.CV, cs.LG, cs.AI');
    const after = await change(uri, fixed);
    assert.deepEqual(after.classification.declared.map((d) => d.category), ['cs.CV', 'cs.LG', 'cs.AI']);
    assert.equal(after.diagnostics.filter((d) => d.code === 'declared-category-mismatch').length, 0, 'the warning is gone');
  });

  it('make-primary keeps the YAML format: block list, and an {primary: …} mapping gains cross: [...]', async () => {
    for (const [fm, expected, declared] of [
      ['arxiv:\n  - cs.LG\n  - cs.AI', 'arxiv:\n  - cs.CV\n  - cs.LG\n  - cs.AI', ['cs.CV', 'cs.LG', 'cs.AI']],
      ['arxiv: {primary: cs.LG}', 'arxiv: {primary: cs.CV, cross: [cs.LG]}', ['cs.CV', 'cs.LG']],
      ['categories: [cs.LG]', 'categories: [cs.CV, cs.LG]', ['cs.CV', 'cs.LG']],
    ] as const) {
      const text = MARKDOWN(fm);
      const { uri, diagnostics } = await open(text, 'md');
      const mismatch = diagnostics.find((d) => d.code === 'declared-category-mismatch');
      assert.ok(mismatch, `mismatch for ${fm}`);
      const fix = ((await actions(uri, mismatch.range, diagnostics)) ?? []).find((a) => a.title.startsWith('Make cs.CV the primary'));
      assert.ok(fix, `fix for ${fm}`);
      const fixed = apply(uri, text, fix);
      assert.ok(fixed.includes(`\n${expected}\n`), `${fm} -> ${fixed}`);
      const after = await change(uri, fixed);
      assert.deepEqual(after.classification.declared.map((d) => d.category), declared);
    }
  });

  it('"Add cs.LG as a cross-list" for a suggested cross-list above the sidebar threshold', async () => {
    const text = VISION_AND_LEARNING('% arXiv: cs.CV');
    const { uri, diagnostics } = await open(text);
    const hint = diagnostics.find((d) => d.code === 'crosslist-suggested');
    assert.ok(hint, `a cross-list hint among ${JSON.stringify(diagnostics.map((d) => d.message))}`);
    assert.match(String(hint.message), /^The model suggests cs\.LG as a cross-list \((\d+)%\)/);
    assert.ok(Number(/\((\d+)%\)/.exec(String(hint.message))![1]) >= 30);
    const fix = ((await actions(uri, hint.range, [hint])) ?? []).find((a) => a.title === 'Add cs.LG as a cross-list');
    assert.ok(fix);
    const fixed = apply(uri, text, fix);
    assert.equal(fixed.split('\n')[1], '% arXiv: cs.CV, cs.LG');
    const after = await change(uri, fixed);
    assert.deepEqual(after.classification.declared.map((d) => d.category), ['cs.CV', 'cs.LG']);
    assert.equal(after.diagnostics.filter((d) => d.code === 'crosslist-suggested').length, 0);
  });

  it('"Remove math.AG from the cross-lists" on the very-unlikely cross-list hint, in a comment and in a YAML block list', async () => {
    for (const [text, ext, expected] of [
      [withDeclared('cs.CV, math.AG, cs.LG'), 'tex', '% arXiv: cs.CV, cs.LG'],
      [MARKDOWN('arxiv:\n  - cs.CV\n  - math.AG'), 'md', 'arxiv:\n  - cs.CV\nabstract:'],
    ] as const) {
      const { uri, diagnostics } = await open(text, ext);
      const hint = diagnostics.find((d) => d.code === 'crosslist-unlikely' && String(d.message).startsWith('Cross-list math.AG'));
      assert.ok(hint, `the hint among ${JSON.stringify(diagnostics.map((d) => d.message))}`);
      const fix = ((await actions(uri, hint.range, [hint])) ?? []).find((a) => a.title === 'Remove math.AG from the cross-lists');
      assert.ok(fix);
      const fixed = apply(uri, text, fix);
      assert.ok(fixed.includes(expected), fixed);
      const after = await change(uri, fixed);
      assert.ok(!after.classification.declared.some((d) => d.category === 'math.AG'));
    }
  });

  it('"Turn off the arXiv category check" writes % arXiv: no-check (LaTeX) or arxiv-check: false (YAML) and silences the warnings', async () => {
    for (const [text, ext, line] of [
      [VISION_DRAFT_DECLARED_CL, 'tex', '% arXiv: no-check'],
      [MARKDOWN('arxiv: cs.CL'), 'md', 'arxiv-check: false'],
    ] as const) {
      const { uri, diagnostics } = await open(text, ext);
      const mismatch = diagnostics.find((d) => d.code === 'declared-category-mismatch');
      assert.ok(mismatch);
      const fix = ((await actions(uri, mismatch.range, diagnostics)) ?? []).find((a) => a.title === 'Turn off the arXiv category check for this draft');
      assert.ok(fix);
      const fixed = apply(uri, text, fix);
      assert.ok(fixed.split('\n').includes(line), fixed);
      const after = await change(uri, fixed);
      assert.deepEqual(after.diagnostics, [], 'no category diagnostics');
      assert.deepEqual(after.classification.declared.map((d) => d.category), ['cs.CL'], 'the declaration stays');
    }
  });

  it('a draft that declares nothing gets "Declare arXiv categories" on its title, in the file\'s style', async () => {
    const latex = VISION_AND_LEARNING('% A comment that is not a declaration');
    const { uri, diagnostics } = await open(latex);
    assert.deepEqual(diagnostics, []);
    const titleRange: Range = { start: { line: 2, character: 10 }, end: { line: 2, character: 10 } };
    assert.deepEqual((await actions(uri, { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, [])) ?? [], [], 'nothing away from the title');
    const list = (await actions(uri, titleRange, [])) ?? [];
    const declare = list.find((a) => a.title.startsWith('Declare arXiv categor'));
    assert.ok(declare, JSON.stringify(list.map((a) => a.title)));
    assert.equal(declare.title, 'Declare arXiv categories: cs.CV, cross-list cs.LG');
    const fixed = apply(uri, latex, declare);
    assert.equal(fixed.split('\n')[0], '% arXiv: cs.CV, cs.LG', 'above \\documentclass');
    const after = await change(uri, fixed);
    assert.deepEqual(after.classification.declared.map((d) => d.category), ['cs.CV', 'cs.LG']);

    const md = MARKDOWN('tags:\n  - vision\n  - segmentation');
    const m = await open(md, 'md');
    const mdTitle = { start: { line: 1, character: 12 }, end: { line: 1, character: 12 } };
    const mdDeclare = ((await actions(m.uri, mdTitle, [])) ?? []).find((a) => a.title.startsWith('Declare arXiv categor'));
    assert.ok(mdDeclare);
    const mdFixed = apply(m.uri, md, mdDeclare);
    assert.match(mdFixed, /\narxiv:\n {2}- cs\.CV\n---\n/, 'a block list, like the front matter\'s other lists');
    const mdAfter = await change(m.uri, mdFixed);
    assert.deepEqual(mdAfter.classification.declared.map((d) => d.category), ['cs.CV']);
  });

  it('the published classification carries the preflight (checks, category set, metadata), computed in the server', async () => {
    const { uri } = await open(withDeclared('cs.CL'));
    const c = client.classifications.filter((x) => x.uri === uri).at(-1);
    assert.ok(c?.preflight, 'preflight present');
    assert.deepEqual(c.preflight.checks.map((x) => x.id), ['abstract-length', 'title', 'raw-latex', 'non-ascii']);
    assert.equal(c.preflight.categories.primary, 'cs.CV', 'proposed instead of the declared cs.CL');
    assert.deepEqual(c.preflight.categories.crossLists.slice(0, 1), ['cs.CL'], 'the declared primary kept as a cross-list');
    assert.equal(c.preflight.metadata.title, 'Image segmentation with pixel-level vision transformers');
  });
});
