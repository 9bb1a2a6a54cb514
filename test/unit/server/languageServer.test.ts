/**
 * The server's real wiring (languageServer.ts) over a real LSP connection (Node IPC, as the extension uses),
 * with the real extractor and TEST DOUBLES for the classifier and training runner (see helpers/). This checks the
 * plumbing: debounce, cache, stale results, hovers, diagnostics, hot-swap, training, errors.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugRequests } from '../../../src/server/languageServer';
import { arxivErrorData, Requests } from '../../../src/shared/protocol';
import { writeFakeBundle } from './helpers/fakeClassifier';
import { fileUri, TestClient } from './helpers/lspClient';
import { DECLARATION_LINE, NO_ABSTRACT_DRAFT, TITLE_LINE, VISION_DRAFT_DECLARED_CL, withDeclared } from './fixtures';

const SERVER = path.join(__dirname, 'helpers', 'fakeServerMain.ts');

function hoverText(h: unknown): string {
  const c = (h as { contents: { value: string } }).contents;
  return c.value;
}

describe('language server wiring (real extractor, classifier and training doubles, real LSP connection)', function () {
  this.timeout(30_000);
  let tmp: string;
  let client: TestClient;
  const modelA = () => path.join(tmp, 'model-a');

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arxiv-server-'));
    writeFakeBundle(path.join(tmp, 'model-a'), { name: 'fake-A' });
    writeFakeBundle(path.join(tmp, 'model-b'), { name: 'fake-B' });
    writeFakeBundle(path.join(tmp, 'model-slow'), { name: 'fake-slow', delayMs: 400 });
    fs.writeFileSync(path.join(tmp, 'data.jsonl'), '{}\n');
    client = await TestClient.start({
      module: SERVER,
      initializationOptions: { defaultModelDir: modelA(), trainingDir: path.join(tmp, 'runs') },
      settings: { modelPath: modelA(), debounceMs: 150, maxDocumentChars: 2_000_000 },
      workspaceFolders: [tmp],
    });
  });

  after(async () => {
    await client?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const stats = () => client.request(DebugRequests.stats, {});
  const uriOf = (name: string) => fileUri(path.join(tmp, name));

  it('leaves LaTeX package and class files alone (VS Code gives them the "tex" language too)', async () => {
    const sty = uriOf('mystyle.sty');
    client.open(sty, VISION_DRAFT_DECLARED_CL, 'tex');
    const draft = uriOf('after-sty.tex');
    client.open(draft, VISION_DRAFT_DECLARED_CL);
    await client.classificationOf(draft, 1);
    await new Promise((r) => setTimeout(r, 300)); // the .sty, opened first, had its turn long ago
    assert.equal(client.classifications.filter((c) => c.uri === sty).length, 0, 'no classification for a .sty file');
    assert.equal(client.latestDiagnostics(sty), undefined, 'no diagnostics for a .sty file');
    client.close(sty);
    client.close(draft);
  });

  it('classifies on open, hovers on the title and the abstract only, and warns about a declared category the model rejects', async () => {
    const uri = uriOf('vision.tex');
    client.open(uri, VISION_DRAFT_DECLARED_CL);
    const result = await client.classificationOf(uri, 1);
    assert.equal(result.status, 'ok');
    assert.equal(result.prediction?.primary[0].category, 'cs.CV');
    assert.equal(result.extracted.title, 'Image segmentation with pixel-level vision transformers');
    assert.equal(result.declared[0].category, 'cs.CL');
    assert.ok((result.declared[0].p ?? 1) < 0.5);

    const onTitle = await client.hover(uri, TITLE_LINE, 12);
    assert.ok(onTitle, 'hover on the title');
    const md = hoverText(onTitle);
    assert.match(md, /cs\.CV/);
    assert.match(md, /Computer Vision and Pattern Recognition/);
    assert.match(md, /\d+%/);
    assert.match(md, /Runner-ups/);
    const onAbstract = await client.hover(uri, 7, 30);
    assert.ok(onAbstract, 'hover on the abstract');
    assert.equal(hoverText(onAbstract), md, 'the abstract hover shows the same prediction');
    assert.deepEqual([onAbstract.range?.start.line, onAbstract.range?.end.line], [6, 8], 'highlighting the abstract');
    assert.equal(await client.hover(uri, 5, 3), null, 'no hover on \\begin{abstract}');
    assert.equal(await client.hover(uri, 0, 3), null, 'no hover on \\documentclass');
    assert.equal(await client.hover(uri, 11, 3), null, 'no hover in the body');

    const diags = await client.waitFor('mismatch diagnostic', () => {
      const d = client.latestDiagnostics(uri);
      return d && d.diagnostics.length > 0 ? d : undefined;
    });
    assert.equal(diags.diagnostics.length, 1);
    const [w] = diags.diagnostics;
    assert.equal(w.severity, 2);
    assert.equal(w.range.start.line, DECLARATION_LINE);
    assert.match(w.message as string, /^Declared primary cs\.CL: (<0\.1|\d+(\.\d)?)%\. The model suggests cs\.CV \((>99\.9|\d+(\.\d)?)%\)/);
  });

  it('clears the warning when the declaration is fixed', async () => {
    const uri = uriOf('vision.tex');
    const v = client.change(uri, withDeclared('cs.CV'));
    await client.classificationOf(uri, v);
    const cleared = await client.waitFor('cleared diagnostics', () => {
      const d = client.latestDiagnostics(uri);
      return d && d.diagnostics.length === 0 ? d : undefined;
    });
    assert.deepEqual(cleared.diagnostics, []);
  });

  it('answers empty, huge and binary documents with a status, not an exception', async () => {
    client.open(uriOf('empty.tex'), '   \n');
    client.open(uriOf('huge.tex'), 'x'.repeat(3_000_000));
    client.open(uriOf('binary.tex'), 'PK\u0003\u0004\u0000\u0000garbage\u0000');
    const empty = await client.classificationOf(uriOf('empty.tex'), 1);
    const huge = await client.classificationOf(uriOf('huge.tex'), 1);
    const binary = await client.classificationOf(uriOf('binary.tex'), 1);
    assert.equal(empty.status, 'empty');
    assert.match(empty.message ?? '', /empty/i);
    assert.equal(huge.status, 'too-large');
    assert.match(huge.message ?? '', /3,000,000 characters/);
    assert.equal(binary.status, 'binary');
    assert.equal(await client.hover(uriOf('huge.tex'), 0, 0), null);
    for (const u of ['empty.tex', 'huge.tex', 'binary.tex']) client.close(uriOf(u));
  });

  it('predicts from the body text when the abstract is missing and says so', async () => {
    const uri = uriOf('noabstract.tex');
    client.open(uri, NO_ABSTRACT_DRAFT);
    const r = await client.classificationOf(uri, 1);
    assert.equal(r.status, 'ok');
    assert.equal(r.extracted.usedBodyText, true);
    assert.equal(r.prediction?.primary[0].category, 'cs.CL');
    assert.match(r.message ?? '', /No abstract/);
    const h = await client.hover(uri, 1, 10);
    assert.match(hoverText(h), /No abstract/);
    client.close(uri);
  });

  it('debounces: 10 rapid changes cost one classification, and only the last version is published', async () => {
    const uri = uriOf('debounce.tex');
    client.open(uri, NO_ABSTRACT_DRAFT);
    await client.classificationOf(uri, 1);
    const before = await stats();
    let last = 1;
    for (let i = 0; i < 10; i++) {
      last = client.change(uri, NO_ABSTRACT_DRAFT.replace('\\end{document}', `${'speech '.repeat(i + 1)}\n\\end{document}`));
      await new Promise((r) => setTimeout(r, 10));
    }
    await client.classificationOf(uri, last);
    await new Promise((r) => setTimeout(r, 300)); // room for any stray extra run to show up
    const after = await stats();
    assert.equal(after.analyses - before.analyses, 1, 'one analysis');
    assert.equal(after.classifications - before.classifications, 1, 'one classifier call');
    const published = client.classifications.filter((c) => c.uri === uri).map((c) => c.version);
    assert.deepEqual(published, [1, last]);
    client.close(uri);
  });

  it('serves identical text from the cache', async () => {
    const uri = uriOf('cache.tex');
    client.open(uri, withDeclared('cs.CV'));
    await client.classificationOf(uri, 1);
    const s = await stats();
    const again = await client.request(Requests.classify, { uri });
    assert.equal(again?.status, 'ok');
    const s2 = await stats();
    assert.equal(s2.classifications, s.classifications, 'no new classifier call');
    assert.equal(s2.cacheHits, s.cacheHits + 1);
    client.close(uri);
  });

  it('publishes diagnostics for a declaration in an \\input file on that file, and classifies closed files on request', async () => {
    const chapter = path.join(tmp, 'meta.tex');
    fs.writeFileSync(chapter, '% arXiv: math.AG\n');
    const mainText = VISION_DRAFT_DECLARED_CL.replace('% arXiv: cs.CL', '\\input{meta}');
    const uri = uriOf('main.tex');
    client.open(uri, mainText);
    const r = await client.classificationOf(uri, 1);
    assert.deepEqual(r.declared.map((d) => d.category), ['math.AG']);
    const d = await client.waitFor('diagnostic on meta.tex', () => {
      const x = client.latestDiagnostics(fileUri(chapter));
      return x && x.diagnostics.length > 0 ? x : undefined;
    });
    assert.match(d.diagnostics[0].message as string, /Declared primary math\.AG/);
    assert.equal(d.diagnostics[0].range.start.line, 0);
    assert.equal(client.latestDiagnostics(uri)?.diagnostics.length ?? 0, 0, 'nothing on main.tex itself');

    // Editing the included file in the editor re-classifies the root with the unsaved text.
    client.open(fileUri(chapter), '% arXiv: math.AG\n');
    client.change(fileUri(chapter), '% arXiv: cs.CV\n');
    await client.waitFor('root re-classified', () =>
      client.classifications.find((c) => c.uri === uri && c.declared.some((x) => x.category === 'cs.CV')),
    );
    await client.waitFor('diagnostic on meta.tex cleared', () => {
      const x = client.latestDiagnostics(fileUri(chapter));
      return x && x.diagnostics.length === 0 ? x : undefined;
    });
    client.close(fileUri(chapter));

    // The included file changes on disk (another editor, git): a watched-file event re-classifies the root.
    fs.writeFileSync(chapter, '% arXiv: cs.LG\n');
    void client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(chapter), type: 2 }] });
    await client.waitFor('root re-classified after the disk change', () =>
      client.classifications.find((c) => c.uri === uri && c.declared.some((x) => x.category === 'cs.LG')),
    );
    client.close(uri);

    // A file that is not open is read from disk; nothing is published for it.
    const onDisk = path.join(tmp, 'disk.tex');
    fs.writeFileSync(onDisk, NO_ABSTRACT_DRAFT);
    const n = client.classifications.length;
    const res = await client.request(Requests.classify, { uri: fileUri(onDisk) });
    assert.equal(res?.status, 'ok');
    assert.equal(res?.prediction?.primary[0].category, 'cs.CL');
    assert.equal(client.classifications.length, n);
    assert.equal(await client.request(Requests.classify, { uri: fileUri(path.join(tmp, 'missing.tex')) }), null);
  });

  it('keeps the old model when selectModel gets a bogus folder, and hot-swaps to a good one', async () => {
    const changes = client.modelChanges.length;
    await assert.rejects(client.request(Requests.selectModel, { dir: path.join(tmp, 'no-such-model') }), (e: Error) => {
      assert.match(e.message, /Could not load the model in .*no-such-model/);
      assert.match(e.message, /Still using "fake-A"/);
      // The client decides on the data, not on the text.
      assert.deepEqual(arxivErrorData(e), { code: 'modelLoadFailed', dir: path.join(tmp, 'no-such-model'), stillUsing: 'fake-A' });
      return true;
    });
    // The failed load was pushed too: still fake-A, with the reason.
    const failedPush = client.modelChanges[changes];
    assert.equal(failedPush?.model?.name, 'fake-A');
    assert.match(failedPush?.error ?? '', /no-such-model/);
    const info = await client.request(Requests.modelInfo, {});
    assert.equal(info.name, 'fake-A');
    assert.equal(info.labels, 4);
    const uri = uriOf('swap.tex');
    client.open(uri, withDeclared('cs.CV'));
    const r = await client.classificationOf(uri, 1);
    assert.equal(r.prediction?.model, 'fake-A');

    const b = await client.request(Requests.selectModel, { dir: path.join(tmp, 'model-b') });
    assert.equal(b.name, 'fake-B');
    // Pushed before the reply, so the extension never polls: the last push names fake-B and no error.
    assert.deepEqual(client.modelChanges.at(-1), { model: b });
    await client.waitFor('re-classified with fake-B', () => client.classifications.find((c) => c.uri === uri && c.prediction?.model === 'fake-B'));
    const back = await client.request(Requests.selectModel, { dir: null });
    assert.equal(back.name, 'fake-A');
    client.close(uri);
  });

  it('pulls the settings when the client says they changed (modelPath swaps the model; junk values get defaults)', async () => {
    const settings = { modelPath: modelA(), debounceMs: 150, maxDocumentChars: 2_000_000 };
    const n = client.modelChanges.length;
    await client.setSettings({ ...settings, modelPath: path.join(tmp, 'model-b') });
    const pushed = await client.waitFor('the swap to fake-B', () => client.modelChanges.slice(n).find((m) => m.model?.name === 'fake-B'));
    assert.equal(pushed.error, undefined);
    // A too-small maxDocumentChars is clamped to the table's minimum (1,000), not taken as is.
    await client.setSettings({ ...settings, maxDocumentChars: 5 });
    const small = uriOf('limits-small.tex');
    client.open(small, withDeclared('cs.CV')); // 490 characters: over 5, under 1,000
    assert.equal((await client.classificationOf(small, 1)).status, 'ok');
    const big = uriOf('limits-big.tex');
    client.open(big, withDeclared('cs.CV') + '%'.repeat(600));
    assert.equal((await client.classificationOf(big, 1)).status, 'too-large');
    client.close(small);
    client.close(big);
    await client.setSettings(settings);
    await client.waitFor('back to fake-A', () => client.modelChanges.slice(n).find((m) => m.model?.name === 'fake-A'));
  });

  it('a settings pull answered before a Select Model choice was saved does not undo that choice', async () => {
    const settings = { modelPath: modelA(), debounceMs: 150, maxDocumentChars: 2_000_000 };
    // The user had chosen fake-B (in the settings); a change notification goes out and the client is slow to answer.
    await client.setSettings({ ...settings, modelPath: path.join(tmp, 'model-b') });
    const held = client.holdNextPull();
    await client.notifySettingsChanged({ ...settings, modelPath: path.join(tmp, 'model-b') });
    await held.arrived;
    // Meanwhile Select Model picks fake-A; the extension saves modelPath only after the reply.
    const n = client.modelChanges.length;
    assert.equal((await client.request(Requests.selectModel, { dir: modelA() })).name, 'fake-A');
    held.release(); // answers with modelPath = model-b: older than the choice
    await client.setSettings(settings); // the extension saves the choice
    assert.deepEqual(
      client.modelChanges.slice(n).map((m) => m.model?.name),
      ['fake-A'],
      'no swap back to fake-B and forth again',
    );
    const uri = uriOf('after-choice.tex');
    client.open(uri, withDeclared('cs.CV'));
    assert.equal((await client.classificationOf(uri, 1)).prediction?.model, 'fake-A');
    client.close(uri);
  });

  it('drops a result computed for a version that was superseded while it ran', async () => {
    await client.request(Requests.selectModel, { dir: path.join(tmp, 'model-slow') });
    const uri = uriOf('stale.tex');
    client.open(uri, NO_ABSTRACT_DRAFT);
    await client.classificationOf(uri, 1);
    const before = await stats();
    client.change(uri, NO_ABSTRACT_DRAFT.replace('\\end{document}', 'Speech two.\n\\end{document}'));
    await new Promise((r) => setTimeout(r, 300)); // debounce (150 ms) passed: v2 is being classified (400 ms)
    const v3 = client.change(uri, NO_ABSTRACT_DRAFT.replace('\\end{document}', 'Speech three.\n\\end{document}'));
    // Hovers answer at once from the last result while a classification runs.
    const t0 = Date.now();
    const h = await client.hover(uri, 1, 10);
    assert.ok(h);
    assert.ok(Date.now() - t0 < 200, `hover took ${Date.now() - t0} ms`);
    await client.classificationOf(uri, v3);
    assert.deepEqual(client.classifications.filter((c) => c.uri === uri).map((c) => c.version), [1, v3], 'v2 result dropped');
    const after = await stats();
    assert.equal(after.classifications - before.classifications, 2, 'v2 was really classified (then dropped), v3 too');
    await client.request(Requests.selectModel, { dir: modelA() });
    client.close(uri);
  });

  it('trains, streams events, then hot-swaps to the trained model', async () => {
    const uri = uriOf('train.tex');
    client.open(uri, withDeclared('cs.CV'));
    await client.classificationOf(uri, 1);
    const outDir = path.join(tmp, 'trained');
    const { runId } = await client.request(Requests.trainStart, { dataPath: path.join(tmp, 'data.jsonl'), outDir, epochs: 3 });
    assert.equal(typeof runId, 'string');
    await assert.rejects(client.request(Requests.trainStart, { dataPath: path.join(tmp, 'data.jsonl'), outDir }), /already in progress/);
    const done = await client.waitFor('done event', () =>
      client.trainEvents.find((e) => e.runId === runId && e.event.type === 'done'),
    );
    assert.ok(done);
    const types = client.trainEvents.map((e) => e.event.type);
    assert.deepEqual(types.filter((t) => t === 'progress').length, 3);
    assert.equal(types.filter((t) => t === 'done').length, 1, 'done sent once');
    await client.waitFor('re-classified with the trained model', () => client.classifications.find((c) => c.uri === uri && c.prediction?.model === 'trained-3'));
    const info = await client.request(Requests.modelInfo, {});
    assert.equal(info.name, 'trained-3');
    assert.deepEqual(await client.request(Requests.trainCancel, { runId }), { cancelled: false });
    await assert.rejects(client.request(Requests.trainStart, { dataPath: path.join(tmp, 'nope.jsonl'), outDir }), /does not exist/);
    await client.request(Requests.selectModel, { dir: modelA() });
    client.close(uri);
  });

  it('cancels a training run', async () => {
    const { runId } = await client.request(Requests.trainStart, { dataPath: path.join(tmp, 'data.jsonl'), outDir: path.join(tmp, 'cancelled'), epochs: 50 });
    assert.deepEqual(await client.request(Requests.trainCancel, { runId }), { cancelled: true });
    await client.waitFor('cancelled event', () => client.trainEvents.find((e) => e.runId === runId && e.event.type === 'cancelled'));
  });

  it('returns the evaluation report of a bundle, or a clear error when it has none', async () => {
    await assert.rejects(client.request(Requests.evaluationReport, {}), /has no evaluation report \(report\.json is missing\)/);
    fs.writeFileSync(path.join(tmp, 'model-b', 'report.json'), JSON.stringify({ accuracy: 0.75, perClass: { 'cs.CV': { f1: 0.8 } } }));
    assert.deepEqual(await client.request(Requests.evaluationReport, { modelDir: path.join(tmp, 'model-b') }), { accuracy: 0.75, perClass: { 'cs.CV': { f1: 0.8 } } });
    fs.writeFileSync(path.join(tmp, 'model-a', 'report.json'), '{ not json');
    await assert.rejects(client.request(Requests.evaluationReport, {}), /is not valid JSON/);
  });

  it('reports a classifier that throws as status error and keeps serving', async () => {
    const uri = uriOf('crash.tex');
    client.open(uri, '\\title{CRASH-CLASSIFIER}\n');
    const r = await client.classificationOf(uri, 1);
    assert.equal(r.status, 'error');
    assert.match(r.message ?? '', /Classification failed: simulated classifier crash/);
    const v = client.change(uri, '\\title{Image segmentation}\n');
    assert.equal((await client.classificationOf(uri, v)).status, 'ok');
    client.close(uri);
  });

  it('survives bad requests', async () => {
    await assert.rejects(client.requestUntyped(Requests.classify.method, {}), /needs \{ uri: string \}/);
    await assert.rejects(client.requestUntyped(Requests.selectModel.method, { dir: 42 }), /needs \{ dir: string \| null \}/);
    await assert.rejects(client.requestUntyped(Requests.trainStart.method, null), /must be an object/);
    assert.equal(await client.hover('file:///not/open.tex', 0, 0), null);
    const info = await client.request(Requests.modelInfo, {});
    assert.equal(info.name, 'fake-A');
  });
});

describe('language server without a loadable model (test doubles)', function () {
  this.timeout(30_000);
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({
      module: SERVER,
      initializationOptions: { defaultModelDir: '/nonexistent/default' },
      settings: { modelPath: '/nonexistent/user-model', debounceMs: 50 },
    });
  });
  after(async () => client?.stop());

  it('keeps running and reports the load error in modelInfo, in a modelChanged push and in classifications', async () => {
    await assert.rejects(client.request(Requests.modelInfo, {}), (e: Error) => {
      assert.deepEqual(arxivErrorData(e), { code: 'noModel' });
      assert.match(e.message, /Could not load the model in \/nonexistent\/default: .*fake-model\.json is missing/);
      return true;
    });
    const pushed = await client.waitFor('a modelChanged push', () => client.modelChanges.at(-1));
    assert.equal(pushed.model, null);
    assert.match(pushed.error ?? '', /Could not load the model in \/nonexistent\/default/);
    client.open('untitled:Untitled-1', withDeclared('cs.CV'));
    const r = await client.classificationOf('untitled:Untitled-1', 1);
    assert.equal(r.status, 'error');
    assert.match(r.message ?? '', /Classification failed: Could not load the model/);
    assert.equal(r.extracted.title, 'Image segmentation with pixel-level vision transformers');
    assert.equal(await client.hover('untitled:Untitled-1', 2, 10), null);
  });
});
