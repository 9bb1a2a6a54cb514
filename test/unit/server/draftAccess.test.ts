/**
 * Over a real LSP connection (Node IPC, the real server wiring and draft worker pool, classifier double):
 * drafts are read in worker threads with a time budget, and includes stay inside the workspace.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugRequests } from '../../../src/server/languageServer';
import type { DocumentClassification } from '../../../src/shared/protocol';
import { Requests } from '../../../src/shared/protocol';
import { writeFakeBundle } from './helpers/fakeClassifier';
import { fileUri, TestClient } from './helpers/lspClient';
import { TITLE_LINE, VISION_DRAFT_DECLARED_CL } from './fixtures';

const SERVER = path.join(__dirname, 'helpers', 'fakeServerMain.ts');
/** Makes the test worker (helpers/slowDraftWorker.cjs) spin forever on this draft. */
const SPIN = `% test: spin forever\n${VISION_DRAFT_DECLARED_CL}`;
const SECRET = 'Zanzibar secret marker sentence';

function everything(c: DocumentClassification): string {
  return JSON.stringify(c);
}

describe('draft reading in worker threads, with a time budget (real LSP connection)', function () {
  this.timeout(60_000);
  let tmp: string;
  let client: TestClient;
  const uriOf = (name: string) => fileUri(path.join(tmp, name));

  before(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'arxiv-budget-')));
    writeFakeBundle(path.join(tmp, 'model'), { name: 'fake' });
    client = await TestClient.start({
      module: SERVER,
      // A budget long enough for any ordinary draft on a loaded machine, short enough for a test.
      initializationOptions: { defaultModelDir: path.join(tmp, 'model') },
      settings: { debounceMs: 50, extractionTimeoutMs: 3000 },
      workspaceFolders: [tmp],
    });
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('while one draft is being read endlessly, another is classified and hovers are answered; the slow one gets "could not be read in time"', async () => {
    const slow = uriOf('slow.tex');
    const other = uriOf('other.tex');
    client.open(slow, SPIN);
    client.open(other, VISION_DRAFT_DECLARED_CL);
    const ok = await client.classificationOf(other, 1);
    assert.equal(ok.status, 'ok');
    assert.equal(ok.extracted.title, 'Image segmentation with pixel-level vision transformers');
    // The slow draft is still being read (it never finishes on its own): nothing published for it yet.
    assert.equal(client.classifications.filter((c) => c.uri === slow).length, 0, 'the endless draft cannot have a result yet');
    const hover = await client.hover(other, TITLE_LINE, 12);
    assert.ok(hover, 'hover on the other document answered while the endless draft is being read');
    assert.equal(client.classifications.filter((c) => c.uri === slow).length, 0, 'still being read when the hover was answered');

    const timedOut = await client.classificationOf(slow, 1);
    assert.equal(timedOut.status, 'timeout');
    assert.match(timedOut.message ?? '', /could not be read in time.*3,000 ms.*arxivClassifier\.extractionTimeoutMs/);
    assert.equal(timedOut.prediction, undefined);

    // The worker was replaced: the next draft is read normally.
    const after = uriOf('after.tex');
    client.open(after, VISION_DRAFT_DECLARED_CL);
    assert.equal((await client.classificationOf(after, 1)).status, 'ok');
    const stats = await client.request(DebugRequests.stats, {});
    assert.ok(stats.draftWorkers >= 1, `draft workers alive: ${stats.draftWorkers}`);
    for (const u of [slow, other, after]) client.close(u);
  });

  it('a draft whose worker dies gets status error, and the server keeps reading other drafts', async () => {
    const dies = uriOf('dies.tex');
    client.open(dies, `% test: exit worker\n${VISION_DRAFT_DECLARED_CL}`);
    const r = await client.classificationOf(dies, 1);
    assert.equal(r.status, 'error');
    assert.match(r.message ?? '', /Could not read the draft/);
    const next = uriOf('next.tex');
    client.open(next, VISION_DRAFT_DECLARED_CL);
    assert.equal((await client.classificationOf(next, 1)).status, 'ok');
    client.close(dies);
    client.close(next);
  });
});

describe('includes and arxiv/classify stay inside the workspace (real LSP connection)', function () {
  this.timeout(60_000);
  let tmp: string;
  let ws: string;
  let outside: string;
  const started: TestClient[] = [];

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'arxiv-ws-')));
    ws = path.join(tmp, 'ws');
    outside = path.join(tmp, 'outside');
    fs.mkdirSync(ws);
    fs.mkdirSync(outside);
    writeFakeBundle(path.join(tmp, 'model'), { name: 'fake' });
    fs.writeFileSync(path.join(outside, 'secret.tex'), `\\title{${SECRET}}\n\\begin{abstract}${SECRET}\\end{abstract}\n`);
    fs.symlinkSync(path.join(outside, 'secret.tex'), path.join(ws, 'link.tex'));
  });
  after(async () => {
    for (const c of started) await c.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const start = async (settings: Record<string, unknown>, workspaceTrusted = false): Promise<TestClient> => {
    const c = await TestClient.start({
      module: SERVER,
      initializationOptions: { defaultModelDir: path.join(tmp, 'model'), workspaceTrusted },
      settings: { debounceMs: 50, ...settings },
      workspaceFolders: [ws],
    });
    started.push(c);
    return c;
  };
  const draft = (inputs: string) => `\\documentclass{article}\n\\begin{document}\n${inputs}\n\\end{document}\n`;
  const escapes = () => draft(`\\input{${path.join(outside, 'secret')}}\n\\input{../outside/secret}\n\\input{link}\n\\import{${outside}/}{secret}`);

  it('absolute, ../, symlinked and \\import includes outside the workspace are not read; the warning names the setting', async () => {
    const client = await start({});
    const uri = fileUri(path.join(ws, 'main.tex'));
    client.open(uri, escapes());
    const r = await client.classificationOf(uri, 1);
    assert.ok(!everything(r).includes(SECRET), `secret leaked: ${everything(r)}`);
    assert.ok(r.extracted.warnings.some((w) => w.includes('arxivClassifier.allowOutsideIncludes') && w.includes('secret')), r.extracted.warnings.join('\n'));

    // % !TEX root and a subfiles parent outside the workspace: not followed either.
    const child = fileUri(path.join(ws, 'child.tex'));
    client.open(child, `% !TEX root = ${path.join(outside, 'secret.tex')}\n\\documentclass[${path.join(outside, 'secret.tex')}]{subfiles}\n\\title{Child}\n`);
    const c = await client.classificationOf(child, 1);
    assert.ok(!everything(c).includes(SECRET), everything(c));
    assert.equal(c.extracted.title, 'Child');
  });

  it('arxiv/classify reads files inside the workspace only (open documents always)', async () => {
    const client = await start({});
    fs.writeFileSync(path.join(ws, 'closed.tex'), VISION_DRAFT_DECLARED_CL);
    const inside = await client.request(Requests.classify, { uri: fileUri(path.join(ws, 'closed.tex')) });
    assert.equal(inside?.status, 'ok');
    for (const target of [path.join(outside, 'secret.tex'), path.join(ws, 'link.tex'), '/etc/passwd', '/proc/self/environ']) {
      await assert.rejects(client.request(Requests.classify, { uri: fileUri(target) }), /open documents and files inside the workspace folders only/, target);
    }
    // An open document outside the workspace is served: the user opened it.
    const open = fileUri(path.join(outside, 'opened.tex'));
    client.open(open, VISION_DRAFT_DECLARED_CL);
    const res = await client.request(Requests.classify, { uri: open });
    assert.equal(res?.status, 'ok');
  });

  it('the preflight does not read a .bib outside the workspace either (unless allowed in a trusted workspace)', async () => {
    fs.writeFileSync(path.join(outside, 'refs.bib'), '@article{sec, title={Secret}, eprint={2101.00042}, archivePrefix={arXiv}, primaryClass={hep-th}}\n');
    const text = VISION_DRAFT_DECLARED_CL.replace('\\end{document}', `\\cite{sec}\n\\bibliography{${path.join(outside, 'refs')}}\n\\end{document}`);
    const plain = await start({});
    const uri = fileUri(path.join(ws, 'bib.tex'));
    plain.open(uri, text);
    const r = await plain.classificationOf(uri, 1);
    assert.equal(r.status, 'ok');
    assert.ok(!everything(r).includes('hep-th'), `outside .bib was read: ${JSON.stringify(r.preflight?.citations)}`);
    const allowed = await start({ allowOutsideIncludes: true }, true);
    allowed.open(uri, text);
    const a = await allowed.classificationOf(uri, 1);
    assert.ok(everything(a).includes('hep-th'), `allowed .bib not read: ${JSON.stringify(a.preflight?.citations)}`);
  });

  it('allowOutsideIncludes is ignored in an untrusted workspace (and honoured in a trusted one)', async () => {
    // workspaceTrusted in the settings section is not read: a workspace's .vscode/settings.json could write it.
    const untrusted = await start({ allowOutsideIncludes: true, workspaceTrusted: true }, false);
    const uri = fileUri(path.join(ws, 'u.tex'));
    untrusted.open(uri, escapes());
    const r = await untrusted.classificationOf(uri, 1);
    assert.ok(!everything(r).includes(SECRET), everything(r));
    assert.ok(r.extracted.warnings.some((w) => /not trusted/.test(w)), r.extracted.warnings.join('\n'));
    // A pushed settings payload is not read either (the server pulls), whatever it claims.
    await untrusted.conn.sendNotification('workspace/didChangeConfiguration', { settings: { arxivClassifier: { allowOutsideIncludes: true, workspaceTrusted: true } } });
    const v2 = untrusted.change(uri, escapes() + '\n');
    assert.ok(!everything(await untrusted.classificationOf(uri, v2)).includes(SECRET));

    const trusted = await start({ allowOutsideIncludes: true }, true);
    const t = fileUri(path.join(ws, 't.tex'));
    trusted.open(t, escapes());
    const tr = await trusted.classificationOf(t, 1);
    assert.equal(tr.extracted.title, SECRET, 'allowed by the user in a trusted workspace');
  });
});
