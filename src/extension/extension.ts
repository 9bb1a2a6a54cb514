/**
 * Entry point of the VS Code extension: starts the language server, follows the active LaTeX/Markdown
 * draft, and wires the sidebar, the status bar and the "arXiv:" commands.
 */
import { isDraftPath } from '../shared/draftFiles';
import * as vscode from 'vscode';
import { State, type LanguageClient, type StateChangeEvent } from 'vscode-languageclient/node';
import type { DocumentClassification, ModelInfoDto } from '../shared/protocol';
import { ClassificationStore } from './classificationStore';
import { copyMetadataCommand } from './commands/copyMetadata';
import { classifyCommand, classifyDocument } from './commands/classify';
import { selectModelCommand } from './commands/selectModel';
import { trainCommand } from './commands/train';
import { ReportPanel } from './reportPanel';
import { createServerApi } from './serverApi';
import { createLanguageClient, LANGUAGE_IDS, RestartPolicy } from './serverClient';
import type { Services } from './services';
import { errorMessage } from '../shared/errors';
import { openExampleDraft } from './exampleDraft';
import { COMMANDS, type CommandName } from './commandIds';
import { showStatusCommand } from './commands/showStatus';
import { recordingOutputChannel } from './recordingOutputChannel';
import { readSettings } from './settings';
import { settingId } from '../shared/settings';
import { SIDEBAR_VIEW_ID, SidebarViewProvider } from './sidebarView';
import { CategoryStatusBar } from './statusBar';
import { arxivAbsUrl } from '../shared/arxivId';
import { EvidenceHighlights, revealEvidence, toggleEvidenceHighlights } from './evidenceHighlights';
import type { SidebarCommand, SidebarState } from '../webview/messages';

/** What `activate` returns: used by the extension-host tests and available to other extensions. */
export interface ArxivClassifierApi {
  whenServerReady(): Promise<void>;
  classify(uri?: vscode.Uri): Promise<DocumentClassification | undefined>;
  lastClassification(uri: vscode.Uri): DocumentClassification | undefined;
  /** The model the server last reported (pushed with arxiv/modelChanged). */
  modelInfo(): ModelInfoDto | undefined;
  /** Asks the server now (for tests and other extensions; the extension itself never polls). */
  refreshModelInfo(): Promise<ModelInfoDto | undefined>;
  sidebarState(): SidebarState;
  /** Evidence ranges painted in the editor of `uri`, per side ([line, character, line, character]). */
  evidenceHighlights(uri: vscode.Uri): { forTop: number[][]; forRunnerUp: number[][] };
}

const FILE_EXTENSIONS = /\.(tex|md|qmd|rmd)$/i;

export function isSupportedDocument(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return false;
  if (!isDraftPath(doc.uri.path)) return false;
  return (LANGUAGE_IDS as readonly string[]).includes(doc.languageId) || FILE_EXTENSIONS.test(doc.fileName);
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<ArxivClassifierApi> {
  const recording = recordingOutputChannel(vscode.window.createOutputChannel('arXiv Classifier', { log: true }));
  const output = recording.channel;
  const log = (m: string): void => output.info(m);
  const store = new ClassificationStore();
  const policy = new RestartPolicy();
  const lc = createLanguageClient(context, output, policy);
  client = lc;
  const server = createServerApi(lc, log);
  context.subscriptions.push(output, store, server);

  // The draft the UI follows: the last active supported editor, until it is closed.
  let followed: vscode.TextDocument | undefined = [vscode.window.activeTextEditor?.document]
    .concat(vscode.window.visibleTextEditors.map((e) => e.document))
    .find((d): d is vscode.TextDocument => !!d && isSupportedDocument(d));

  let starting: Promise<void> | undefined;
  const whenServerReady = async (): Promise<void> => {
    if (lc.state === State.Running) return;
    if (starting && lc.state === State.Starting) return starting;
    throw new Error(store.notice ?? 'the arXiv Classifier server is not running; run "arXiv: Restart Server".');
  };

  const services: Services = {
    context,
    server,
    store,
    log,
    whenServerReady,
    currentDocument: () => followed,
    revealSidebar: async () => {
      await vscode.commands.executeCommand(`${SIDEBAR_VIEW_ID}.focus`);
    },
  };

  const classifyInBackground = (doc: vscode.TextDocument): void => {
    if (lc.state !== State.Running || store.get(doc.uri) || store.isPending(doc.uri)) return;
    classifyDocument(services, doc).catch((e) => log(`classify ${doc.uri.toString()}: ${errorMessage(e)}`));
  };

  const sidebar = new SidebarViewProvider(
    context.extensionUri,
    store,
    {
      currentDocument: () => followed,
      runCommand: (c: SidebarCommand) => void vscode.commands.executeCommand(COMMANDS[c]),
      reveal: (target) => void revealExtracted(followed, store, target),
      // A "papers like yours" click: the id is checked again here, right before it becomes a URL.
      openPaper: (id) => {
        const url = arxivAbsUrl(id);
        if (url) void vscode.env.openExternal(vscode.Uri.parse(url));
      },
      revealEvidence: (term, occurrence) => void revealEvidence(followed, store, term, occurrence),
    },
    log,
  );
  const evidence = new EvidenceHighlights(store);
  context.subscriptions.push(evidence);
  const statusBar = new CategoryStatusBar(store, () => followed, () => readSettings().showStatusBar);
  context.subscriptions.push(
    sidebar,
    statusBar,
    vscode.window.registerWebviewViewProvider(SIDEBAR_VIEW_ID, sidebar),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (!editor || !isSupportedDocument(editor.document)) return;
      followed = editor.document;
      statusBar.update();
      sidebar.post();
      classifyInBackground(editor.document);
    }),
    // The server classifies after a pause in typing; until then the sidebar says "updating…".
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0 && isSupportedDocument(e.document) && store.server === 'running') store.setPending(e.document.uri, true, e.document.version);
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      store.forget(doc.uri);
      if (followed === doc) {
        followed = vscode.window.visibleTextEditors.map((e) => e.document).find(isSupportedDocument);
        statusBar.update();
        sidebar.post();
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(settingId('showStatusBar'))) statusBar.update();
    }),
    // Trust changes what the server may read (arxivClassifier.allowOutsideIncludes): restart it with the new state.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void vscode.commands.executeCommand(COMMANDS.restartServer)),
  );

  // One handler per entry of the command table (commandIds.ts); the type makes a missing or extra one a compile error.
  const handlers: { [K in CommandName]: (...args: never[]) => unknown } = {
    classify: (uri?: vscode.Uri) => classifyCommand(services, uri),
    train: (args?: unknown) => trainCommand(services, isPlainObject(args) ? args : undefined),
    selectModel: (dir?: unknown) => selectModelCommand(services, typeof dir === 'string' || dir === null ? dir : undefined),
    showReport: () => void ReportPanel.show(services),
    copyMetadata: () => copyMetadataCommand(services),
    revealSidebar: () => services.revealSidebar(),
    openExampleDraft: () => openExampleDraft(context.extensionUri),
    showStatus: () => showStatusCommand(services, recording.lines),
    toggleEvidenceHighlights: () => toggleEvidenceHighlights(),
    restartServer: async () => {
      policy.reset();
      store.setServer('starting');
      starting = lc.state === State.Stopped ? lc.start() : lc.restart();
      await starting.catch((e) => void vscode.window.showErrorMessage(`arXiv: the server did not start: ${errorMessage(e)}`));
    },
  };
  for (const name of Object.keys(handlers) as CommandName[]) {
    context.subscriptions.push(vscode.commands.registerCommand(COMMANDS[name], handlers[name]));
  }

  context.subscriptions.push(
    server.onClassificationChanged((r) => store.put(r)),
    // The server pushes every model load (start, Select Model, settings, training): no polling.
    server.onModelChanged(({ model, error }) => store.setModel(model ?? undefined, error)),
  );
  policy.onGaveUp = (message) => {
    store.setServer('failed', message);
    void vscode.window.showErrorMessage(message, 'Restart Server', 'Show Output').then((a) => {
      if (a === 'Restart Server') void vscode.commands.executeCommand(COMMANDS.restartServer);
      else if (a === 'Show Output') output.show();
    });
  };
  context.subscriptions.push(
    lc.onDidChangeState((e: StateChangeEvent) => {
      if (e.newState === State.Running) {
        store.setServer('running');
        if (followed) classifyInBackground(followed);
      } else if (e.newState === State.Starting) {
        store.setServer('starting');
      } else if (store.server !== 'failed') {
        store.setServer('stopped', 'The arXiv Classifier server stopped.');
      }
    }),
  );

  starting = lc.start();
  starting.catch((e) => {
    const message = `arXiv: the classifier server did not start: ${errorMessage(e)}`;
    log(message);
    store.setServer('failed', message);
    void vscode.window.showErrorMessage(message);
  });
  context.subscriptions.push({ dispose: () => void lc.stop().catch(() => undefined) });

  return {
    whenServerReady,
    classify: (uri) => classifyCommand(services, uri),
    lastClassification: (uri) => store.get(uri),
    modelInfo: () => store.model,
    refreshModelInfo: async () => {
      await whenServerReady();
      store.setModel(await server.modelInfo());
      return store.model;
    },
    sidebarState: () => sidebar.state(),
    evidenceHighlights: (uri) => evidence.highlights(uri),
  };
}

function isPlainObject(v: unknown): v is Record<string, never> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof vscode.Uri);
}

/** Opens the file the title/abstract came from and selects it. */
async function revealExtracted(
  doc: vscode.TextDocument | undefined,
  store: ClassificationStore,
  target: 'title' | 'abstract',
): Promise<void> {
  if (!doc) return;
  const range = store.get(doc.uri)?.extracted[target === 'title' ? 'titleRange' : 'abstractRange'];
  if (!range) return;
  const uri = /^[a-zA-Z][\w+.-]+:/.test(range.file) && !/^[a-zA-Z]:[\\/]/.test(range.file) ? vscode.Uri.parse(range.file) : vscode.Uri.file(range.file);
  const sel = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
  await vscode.window.showTextDocument(uri, { selection: sel, preserveFocus: false });
}

export async function deactivate(): Promise<void> {
  await client?.stop().catch(() => undefined);
  client = undefined;
}
