/** Runs inside VS Code's extension host (code-server) against the real language server and model. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ArxivClassifierApi } from '../../../src/extension/extension';
import * as path from 'node:path';
import type { SelectModelResult } from '../../../src/extension/commands/selectModel';
import type { TrainOutcome } from '../../../src/extension/commands/train';
import type { DocumentClassification } from '../../../src/shared/protocol';
import { ABSTRACT_FIRST_LINE, ABSTRACT_LAST_LINE, ASTRO_ABSTRACT } from '../fixtureText';

const EXTENSION_ID = 'arxiv-classifier.arxiv-classifier';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function topCategories(r: DocumentClassification, n: number): string[] {
  return (r.prediction?.primary ?? []).slice(0, n).map((s) => s.category);
}

describe('arXiv Classifier extension (extension host)', () => {
  let api: ArxivClassifierApi;
  let draft: vscode.TextDocument;

  before(async () => {
    draft = await vscode.workspace.openTextDocument(workspaceFile('draft.tex'));
    await vscode.window.showTextDocument(draft);
  });

  it('activates on a .tex file and starts its language server', async () => {
    const ext = vscode.extensions.getExtension<ArxivClassifierApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
    // Opening the .tex file (language latex) must activate it without any command.
    await waitFor('activation by the .tex file', () => ext.isActive || undefined, 30_000);
    api = ext.exports;
    await api.whenServerReady();
    const model = await waitFor('the model info', () => api.refreshModelInfo().catch(() => undefined), 60_000);
    assert.ok(model.name.length > 0, 'the server reports a model name');
    assert.ok(model.labels > 1, 'the model has several categories');
  });

  it('"arXiv: Classify Current Document" returns calibrated probabilities for the draft', async () => {
    const result = await vscode.commands.executeCommand<DocumentClassification | undefined>('arxivClassifier.classify');
    assert.ok(result, 'the command returned a classification');
    assert.equal(result.status, 'ok', `status ok (message: ${result.message})`);
    assert.match(result.extracted.title ?? '', /Multilingual Neural Machine Translation/);
    assert.match(result.extracted.abstract ?? '', /^We present a multilingual neural machine translation system/);
    const primary = result.prediction!.primary;
    assert.ok(primary.length >= 2);
    const sum = primary.reduce((a, s) => a + s.p, 0);
    assert.ok(Math.abs(sum - 1) < 0.02, `primary probabilities sum to 1 (got ${sum})`);
    for (let i = 1; i < primary.length; i++) assert.ok(primary[i - 1].p >= primary[i].p, 'sorted by p');
    assert.ok(topCategories(result, 3).includes('cs.CL'), `cs.CL in the top 3 for a machine-translation draft (got ${topCategories(result, 5)})`);
    assert.deepEqual(api.sidebarState().classification?.version, result.version, 'the sidebar state holds the same result');
  });

  it('editing the abstract changes the result (live, through arxiv/classificationChanged)', async () => {
    const before = api.lastClassification(draft.uri);
    assert.ok(before?.prediction, 'a result exists before the edit');
    const edit = new vscode.WorkspaceEdit();
    const range = new vscode.Range(ABSTRACT_FIRST_LINE - 1, 0, ABSTRACT_LAST_LINE - 1, draft.lineAt(ABSTRACT_LAST_LINE - 1).text.length);
    assert.match(draft.getText(range), /^We present/);
    edit.replace(draft.uri, range, ASTRO_ABSTRACT);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const version = draft.version;
    // Until the debounced result arrives (>= 400 ms), the sidebar says "updating…".
    await waitFor('the sidebar to show the document as updating', () => api.sidebarState().pending || undefined, 2_000);
    // No classify request here: the server must notice the edit itself (debounced) and notify.
    const after = await waitFor('a classification of the edited version', () => {
      const r = api.lastClassification(draft.uri);
      return r && r.version >= version ? r : undefined;
    });
    assert.equal(after.status, 'ok');
    assert.match(after.extracted.abstract ?? '', /star-forming galaxies/);
    const top = after.prediction!.primary[0];
    assert.match(top.category, /^astro-ph/, `an astrophysics abstract is classified as astro-ph.* (got ${topCategories(after, 5)})`);
    assert.notEqual(top.category, before.prediction!.primary[0].category);
    assert.equal(api.sidebarState().pending, false, 'no longer updating once the result is in');
  });

  it('an oversized document gets a clear "too-large" answer instead of a prediction', async () => {
    const maxChars = vscode.workspace.getConfiguration('arxivClassifier').get<number>('maxDocumentChars')!;
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `# Big\n\n${'lorem ipsum '.repeat(Math.ceil(maxChars / 12) + 10)}` });
    const result = await vscode.commands.executeCommand<DocumentClassification | undefined>('arxivClassifier.classify', doc.uri);
    assert.ok(result);
    assert.equal(result.status, 'too-large');
    assert.ok(result.message && result.message.length > 0, 'explains why');
    assert.equal(result.prediction, undefined);
  });

  it('"arXiv: Select Model" with a bogus folder shows an error and keeps the current model', async () => {
    const model = api.modelInfo();
    assert.ok(model);
    const settingBefore = vscode.workspace.getConfiguration('arxivClassifier').get<string>('modelPath');
    const bogus = '/nonexistent/arxiv-model-folder';
    const result = await vscode.commands.executeCommand<SelectModelResult>('arxivClassifier.selectModel', bogus);
    assert.ok(result && !result.ok, 'selecting a missing folder fails');
    assert.ok(!result.ok && result.error.includes(bogus), `the error names the folder: ${!result.ok && result.error}`);
    const now = await api.refreshModelInfo();
    assert.equal(now?.name, model.name, 'the server still uses the previous model');
    assert.equal(now?.dir, model.dir);
    assert.equal(vscode.workspace.getConfiguration('arxivClassifier').get<string>('modelPath'), settingBefore, 'the setting is unchanged');
    // The draft is still classified by the old model.
    const r = await vscode.commands.executeCommand<DocumentClassification | undefined>('arxivClassifier.classify', draft.uri);
    assert.equal(r?.status, 'ok');
    assert.equal(r?.prediction?.model, model.name);
  });

  it('"arXiv: Select Model" with a SciBERT ONNX folder offers to train a head, then uses the head trained on it', async function () {
    this.timeout(300_000);
    // The extension under development is this repository, so its test fixtures are next to it.
    const repo = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    const encoder = path.join(repo, 'test', 'fixtures', 'onnx', 'tiny-bert');
    const before = api.modelInfo();
    const first = await vscode.commands.executeCommand<SelectModelResult>('arxivClassifier.selectModel', encoder);
    assert.ok(first && !first.ok && 'needsTraining' in first && first.needsTraining, `an encoder alone needs a head: ${JSON.stringify(first)}`);
    assert.match(first.error, /needs a classifier head/);
    assert.equal((await api.refreshModelInfo())?.dir, before?.dir, 'nothing was loaded');

    const outcome = await vscode.commands.executeCommand<TrainOutcome>('arxivClassifier.train', {
      dataPath: path.join(repo, 'test', 'fixtures', 'vscode', 'tiny-papers.jsonl'),
      techniques: [],
      epochs: 1,
      onnxEncoderDir: encoder,
    });
    assert.equal(outcome?.status, 'done', `training a head on the encoder: ${JSON.stringify(outcome)}`);
    const trainedDir = outcome.status === 'done' ? outcome.modelDir : '';

    await vscode.commands.executeCommand('arxivClassifier.selectModel', null); // back to the default first
    const second = await vscode.commands.executeCommand<SelectModelResult>('arxivClassifier.selectModel', encoder);
    assert.ok(second?.ok, `the encoder folder now selects its head: ${JSON.stringify(second)}`);
    assert.equal(path.resolve(second.model.dir), path.resolve(trainedDir));
    assert.match(second.model.encoder, /onnx|scibert/i, `the model reports its ONNX encoder: ${second.model.encoder}`);
    const r = await vscode.commands.executeCommand<DocumentClassification | undefined>('arxivClassifier.classify', draft.uri);
    assert.equal(r?.status, 'ok', r?.message);
    assert.equal(r?.prediction?.model, second.model.name);
    await vscode.commands.executeCommand('arxivClassifier.selectModel', null);
  });

  it('has a handler for every contributed command, and contributes every arxivClassifier command it registers', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: { command: string }[] } };
    const contributed = pkg.contributes.commands.map((c) => c.command).sort();
    // Views add their own commands (arxivClassifier.sidebar.focus, ...): only two-part ids are ours.
    const registered = (await vscode.commands.getCommands(true)).filter((c) => /^arxivClassifier\.\w+$/.test(c)).sort();
    assert.deepEqual(registered, contributed);
  });

  it('"arXiv: Show Status / Report Issue" opens an untitled report with versions, model, settings, trust and log lines', async () => {
    const text = await vscode.commands.executeCommand<string>('arxivClassifier.showStatus');
    assert.match(text, /\| Server \| running, arxiv-classifier \d+\.\d+\.\d+/);
    assert.match(text, /\| Extension \| arxiv-classifier\.arxiv-classifier \d+\.\d+\.\d+/);
    assert.ok(text.includes(`| Model | ${api.modelInfo()!.name} (`), 'the current model');
    assert.match(text, /\| Workspace trust \| (trusted|restricted mode)/);
    assert.match(text, /`arxivClassifier\.trace\.server` \| "off"/);
    const logLines = Number(/## Last log lines \((\d+)\)/.exec(text)?.[1]);
    assert.ok(logLines > 0, 'the last log lines are included');
    assert.match(text, /Model "[^"]+" loaded/, 'server log lines reach the report');
    const doc = vscode.window.activeTextEditor?.document;
    assert.ok(doc?.isUntitled && doc.languageId === 'markdown', 'a new untitled Markdown document');
    assert.equal(doc.getText(), text);
  });
});
