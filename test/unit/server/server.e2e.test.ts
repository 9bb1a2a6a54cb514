/**
 * End to end: the bundled server (dist/server.js, built in `before`) with the REAL extractor, classifier and
 * training runner, over Node IPC as the extension starts it. A real n-gram model is trained through
 * arxiv/train/start on a small synthetic data set, then hot-swapped in and used for everything else.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugRequests } from '../../../src/server/languageServer';
import { formatPercent } from '../../../src/shared/format';
import { arxivErrorData, Requests } from '../../../src/shared/protocol';
import { fileUri, TestClient } from './helpers/lspClient';
import { writeSyntheticPapers } from './helpers/syntheticPapers';

const ROOT = path.resolve(__dirname, '../../..');
/** Where the bundle lives; E2E_DIST lets a run point at another build of the same entries. */
const DIST = process.env.E2E_DIST ?? path.join(ROOT, 'dist');

const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const VISION = (declared: string) => String.raw`\documentclass{article}
% arXiv: ${declared}
\title{Object detection and image segmentation from camera video}
\begin{document}
\maketitle
\begin{abstract}
We propose a convolutional method for object detection and pixel segmentation of images and video.
Our visual approach improves segmentation of camera images and detection of each object in the image.
\end{abstract}
\section{Introduction}
Images.
\end{document}
`;

describe('language server end to end (dist/server.js, real extractor, model and training)', function () {
  this.timeout(120_000);
  let tmp: string;
  let client: TestClient;
  let modelDir: string;

  before(async function () {
    this.timeout(180_000);
    if (!process.env.E2E_DIST) execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arxiv-e2e-'));
    writeSyntheticPapers(path.join(tmp, 'papers.jsonl'));
    modelDir = path.join(tmp, 'trained');
    client = await TestClient.start({
      module: path.join(DIST, 'server.js'),
      initializationOptions: { defaultModelDir: path.join(tmp, 'no-default-model'), trainingDir: path.join(tmp, 'runs') },
      settings: { debounceMs: 300, maxDocumentChars: 2_000_000 },
    });
  });

  after(async () => {
    await client?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const uriOf = (name: string) => fileUri(path.join(tmp, name));
  const stats = () => client.request(DebugRequests.stats, {});

  it('starts without a model, reports why, and answers documents with status error', async () => {
    await assert.rejects(client.request(Requests.modelInfo, {}), (e: Error) => arxivErrorData(e)?.code === 'noModel' && /no-default-model/.test(e.message));
    assert.equal(client.modelChanges.at(-1)?.model, null);
    const uri = uriOf('before.tex');
    client.open(uri, VISION('cs.CL'));
    const r = await client.classificationOf(uri, 1);
    assert.equal(r.status, 'error');
    assert.equal(r.extracted.title, 'Object detection and image segmentation from camera video');
    client.close(uri);
  });

  it('trains a real model in a separate process, streams events and hot-swaps to it', async () => {
    const req = { dataPath: path.join(tmp, 'papers.jsonl'), outDir: modelDir, name: 'e2e-ngram', members: ['ngram'], minPrimary: 10, minListed: 10, seed: 1 };
    const { runId } = await client.request(Requests.trainStart, req);
    const final = await client.waitFor(
      'final training event',
      () => client.trainEvents.find((m) => m.runId === runId && ['done', 'error', 'cancelled'].includes(m.event.type)),
      90_000,
    );
    assert.equal(final.event.type, 'done', JSON.stringify(final.event));
    const kinds = new Set(client.trainEvents.filter((m) => m.runId === runId).map((m) => m.event.type));
    assert.ok(kinds.has('phase'), 'phase events streamed');
    // The server pushes the hot-swap (arxiv/modelChanged): no polling.
    const loaded = (await client.waitFor('the trained model pushed', () => client.modelChanges.find((m) => m.model?.name === 'e2e-ngram'), 20_000)).model!;
    assert.equal(loaded.kind, 'ngram');
    assert.ok(loaded.labels >= 4, `labels: ${loaded.labels}`);
    const report = await client.request(Requests.evaluationReport, {});
    assert.ok(report && typeof report === 'object' && 'labels' in report, 'report.json of the trained bundle');
  });

  it('classifies on open, hovers on the title with the top category, nothing elsewhere', async () => {
    const uri = uriOf('vision.tex');
    client.open(uri, VISION('cs.CV'));
    const r = await client.classificationOf(uri, 1);
    assert.equal(r.status, 'ok', r.message);
    const top = r.prediction!.primary[0];
    assert.equal(top.category, 'cs.CV');
    assert.equal(r.prediction!.model, 'e2e-ngram');
    const hover = await client.hover(uri, 2, 10);
    const md = (hover as { contents: { value: string } } | null)?.contents.value ?? '';
    assert.match(md, /cs\.CV/);
    assert.match(md, /Computer Vision and Pattern Recognition/);
    assert.ok(md.includes(formatPercent(top.p)), md);
    // The abstract (lines 6-7, between \begin{abstract} and \end{abstract}) answers with the same prediction.
    const onAbstract = (await client.hover(uri, 7, 20)) as { contents: { value: string }; range: { start: { line: number }; end: { line: number } } } | null;
    assert.ok(onAbstract, 'hover on the abstract');
    assert.equal(onAbstract.contents.value, md);
    assert.deepEqual([onAbstract.range.start.line, onAbstract.range.end.line], [6, 7], 'the hover highlights the abstract');
    assert.equal(await client.hover(uri, 5, 5), null, 'not on \\begin{abstract}');
    assert.equal(await client.hover(uri, 0, 5), null);
    assert.equal(await client.hover(uri, 10, 3), null);
  });

  it('warns when the declared category disagrees with a confident model, and clears the warning when fixed', async () => {
    const uri = uriOf('vision.tex');
    const v = client.change(uri, VISION('cs.CL'));
    const r = await client.classificationOf(uri, v);
    const pCV = r.prediction!.primary.find((s) => s.category === 'cs.CV')!.p;
    const pCL = r.declared[0].p!;
    assert.ok(pCV >= 0.57 && pCL < 0.5, `model must be confident for this check (cs.CV ${pCV}, cs.CL ${pCL})`);
    const d = await client.waitFor('mismatch warning', () => {
      const x = client.latestDiagnostics(uri);
      return x && x.diagnostics.length > 0 ? x : undefined;
    });
    assert.equal(d.diagnostics[0].range.start.line, 1);
    assert.match(d.diagnostics[0].message as string, new RegExp(`^Declared primary cs\\.CL: ${esc(formatPercent(pCL))}\\. The model suggests cs\\.CV \\(${esc(formatPercent(pCV))}\\)`));
    const v2 = client.change(uri, VISION('cs.CV'));
    await client.classificationOf(uri, v2);
    await client.waitFor('cleared', () => (client.latestDiagnostics(uri)?.diagnostics.length === 0 ? true : undefined));
  });

  it('debounces 10 rapid edits into one classification', async () => {
    const uri = uriOf('vision.tex');
    const before = await stats();
    let last = 0;
    for (let i = 0; i < 10; i++) {
      last = client.change(uri, VISION('cs.CV').replace('and video.', `and ${'video '.repeat(i + 1)}.`));
      await new Promise((r) => setTimeout(r, 20));
    }
    await client.classificationOf(uri, last);
    await new Promise((r) => setTimeout(r, 400));
    const after = await stats();
    assert.equal(after.analyses - before.analyses, 1);
    assert.equal(after.classifications - before.classifications, 1);
    client.close(uri);
  });

  it('answers empty, 3 MB and binary documents with a status', async () => {
    client.open(uriOf('empty.tex'), '');
    client.open(uriOf('big.tex'), '% '.repeat(1_500_000));
    client.open(uriOf('bin.pdf'), '%PDF-1.5\n\u0000\u0001\u0002stream\u0000', 'plaintext');
    assert.equal((await client.classificationOf(uriOf('empty.tex'), 1)).status, 'empty');
    const big = await client.classificationOf(uriOf('big.tex'), 1);
    assert.equal(big.status, 'too-large');
    assert.match(big.message ?? '', /3,000,000 characters/);
    assert.equal((await client.classificationOf(uriOf('bin.pdf'), 1)).status, 'binary');
    for (const n of ['empty.tex', 'big.tex', 'bin.pdf']) client.close(uriOf(n));
  });

  it('predicts from the body of a draft without title and abstract, and says so', async () => {
    const uri = uriOf('body.md');
    client.open(uri, '# Notes\n\nWe study the cohomology of a projective variety and the moduli of curves on the scheme.\n', 'markdown');
    const r = await client.classificationOf(uri, 1);
    assert.equal(r.status, 'ok', r.message);
    assert.equal(r.extracted.usedBodyText, true);
    assert.match(r.message ?? '', /abstract/i);
    assert.equal(r.prediction!.primary[0].category, 'math.AG');
    client.close(uri);
  });

  it('keeps the trained model when selectModel gets a bogus folder', async () => {
    await assert.rejects(client.request(Requests.selectModel, { dir: path.join(tmp, 'bogus') }), /Could not load the model in .*bogus.*Still using "e2e-ngram"/s);
    const info = await client.request(Requests.modelInfo, {});
    assert.equal(info.name, 'e2e-ngram');
    const uri = uriOf('after.tex');
    client.open(uri, VISION('cs.CV'));
    const r = await client.request(Requests.classify, { uri });
    assert.equal(r?.status, 'ok');
    assert.equal(r?.prediction?.model, 'e2e-ngram');
    client.close(uri);
  });

  it('also works over --stdio', async () => {
    const { spawn } = await import('node:child_process');
    const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = await import('vscode-languageserver/node');
    const child = spawn(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    conn.listen();
    try {
      await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { defaultModelDir: modelDir } });
      await conn.sendNotification('initialized', {});
      const info = await conn.sendRequest(Requests.modelInfo, {});
      assert.equal(info.name, 'e2e-ngram');
    } finally {
      await conn.sendRequest('shutdown').catch(() => undefined);
      await conn.sendNotification('exit').catch(() => undefined);
      conn.dispose();
      if (child.exitCode === null) child.kill();
    }
  });
});
