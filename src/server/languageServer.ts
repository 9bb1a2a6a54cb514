/**
 * Wires the LSP connection to the analyzer, model host, training host, hovers and diagnostics.
 * Every dependency that touches the file system, the model or the training process comes in through
 * `ServerDeps`, so tests can run this exact wiring with doubles.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Connection, InitializeResult } from 'vscode-languageserver/node';
import { DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, TextDocumentSyncKind, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentClassification } from '../shared/protocol';
import { Methods } from '../shared/protocol';
import { isDraftPath } from '../shared/draftFiles';
import { declaredCategoryDiagnostics, DiagnosticsStore } from './diagnostics';
import type { Analysis, ExtractFn } from './documentAnalyzer';
import { DocumentAnalyzer } from './documentAnalyzer';
import { EvidenceCache, evidenceDto } from './evidence';
import type { EvidenceDto } from '../shared/evidence';
import type { SourceRange } from '../draft/types';
import type { PaperText } from '../model/types';
import { readEvaluationReport } from './evaluationReport';
import { guarded, onGuardedRequest, requestFailed } from './handlerGuards';
import { hoverFor } from './hover';
import type { ClassifierLoader } from './modelHost';
import { errorMessage, ModelHost } from './modelHost';
import { sameFile, uriToFsPath } from './paths';
import { ClassificationScheduler } from './scheduler';
import type { ServerSettings } from './settings';
import { applyUserSettings, resolveUserPath, settingsFromInitOptions } from './settings';
import type { StartTraining } from './trainingHost';
import { TrainingHost } from './trainingHost';

export interface ServerDeps {
  extractDraft: ExtractFn;
  loadClassifier: ClassifierLoader;
  /** The shipped bundle, used when initializationOptions carry no defaultModelDir. */
  defaultModelDir: () => string;
  startTraining: StartTraining;
}

/** Server-only requests (not part of the extension contract), used by tests and for troubleshooting. */
export const DebugMethods = {
  /** request: {} -> ServerStats */
  stats: 'arxiv/debug/stats',
} as const;

export interface ServerStats {
  analyses: number;
  classifications: number;
  cacheHits: number;
  /** classificationChanged notifications sent. */
  published: number;
  /** Documents waiting for their debounce or in the queue. */
  pending: number;
  model?: string;
}

const SECTION = 'arxivClassifier';

export function runServer(connection: Connection, deps: ServerDeps): void {
  const log = (msg: string): void => connection.console.log(msg);
  const logError = (msg: string): void => connection.console.error(msg);
  const documents = new TextDocuments(TextDocument);
  let settings: ServerSettings = settingsFromInitOptions(undefined, safeDefaultDir(deps));
  let workspaceRoot: string | undefined;
  /** The model folder the settings ask for (user's choice, else the shipped default). */
  const wantedModelDir = (): string => (settings.modelDir ? resolveUserPath(settings.modelDir, workspaceRoot) : settings.defaultModelDir);
  let canPullConfig = false;
  let canRegisterConfig = false;
  let canWatchFiles = false;
  let published = 0;
  let markReady: () => void = () => undefined;
  /** Resolves once the first model load has finished (or failed): classifications wait for it. */
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const results = new Map<string, DocumentClassification>();
  /** Root document URI -> absolute paths of the files it \input's (for re-classifying when one changes). */
  const includes = new Map<string, Set<string>>();
  /** Documents opened but not yet scheduled: the first classification skips the debounce. */
  const justOpened = new Set<string>();

  const models = new ModelHost(deps.loadClassifier, log);
  const analyzer = new DocumentAnalyzer({
    extract: deps.extractDraft,
    models,
    readFile: readIncludedFile,
    maxChars: () => settings.maxChars,
  });
  const evidence = new EvidenceCache(models);
  /** Document URI -> what the classifier read for its current result (explained after publishing). */
  const papers = new Map<string, PaperText>();
  const diagnostics = new DiagnosticsStore((uri, list) => {
    connection.sendDiagnostics({ uri, diagnostics: list }).catch((e: unknown) => logError(`sendDiagnostics failed: ${errorMessage(e)}`));
  });
  const scheduler = new ClassificationScheduler({
    debounceMs: () => settings.debounceMs,
    run: classifyLatest,
    onError: (uri, e) => logError(`Classifying ${uri} failed: ${errorMessage(e)}`),
  });
  const training = new TrainingHost({
    startTraining: deps.startTraining,
    send: (msg) => void connection.sendNotification(Methods.trainEvent, msg).catch(() => undefined),
    onTrained: async (modelDir) => {
      await models.select(modelDir, true);
      reclassifyAll();
    },
    trainingDir: () => settings.trainingDir,
    log,
  });

  function readIncludedFile(absolutePath: string): string | undefined {
    const wanted = path.resolve(absolutePath);
    // An open editor's unsaved text wins over the file on disk.
    for (const doc of documents.all()) if (uriToFsPath(doc.uri) === wanted) return doc.getText();
    try {
      const stat = fs.statSync(wanted);
      if (!stat.isFile() || stat.size > settings.maxChars * 4) return undefined;
      return fs.readFileSync(wanted, 'utf8');
    } catch {
      return undefined;
    }
  }

  async function analyzeDocument(doc: TextDocument): Promise<Analysis> {
    await ready;
    // Snapshot now: `doc` is mutated in place by later edits.
    return analyzer.analyze({
      uri: doc.uri,
      version: doc.version,
      text: doc.getText(),
      fsPath: uriToFsPath(doc.uri),
      languageId: doc.languageId,
    });
  }

  async function classifyLatest(uri: string): Promise<void> {
    const doc = documents.get(uri);
    if (!doc || !isDraftPath(uri)) return;
    // TextDocuments updates documents in place, so remember the version this run is about.
    const version = doc.version;
    const analysis = await analyzeDocument(doc);
    const now = documents.get(uri);
    // A newer version arrived while this one was classified: its own job will publish; drop this result.
    if (!now || now.version !== version || analysis.classification.version !== version) return;
    publish(analysis);
    // The evidence follows in a second notification, computed in the model worker after the prediction.
    void attachEvidence(uri, analysis.classification).catch((e: unknown) => logError(`Evidence for ${uri} failed: ${errorMessage(e)}`));
  }

  /** Explains the document's current result, adds the evidence to it and re-publishes it (once per result). */
  async function attachEvidence(uri: string, classification: DocumentClassification): Promise<EvidenceDto | undefined> {
    if (classification.evidence) return classification.evidence;
    const paper = papers.get(uri);
    if (classification.status !== 'ok' || !paper || results.get(uri) !== classification) return undefined;
    const explanation = await evidence.explain(paper);
    const doc = documents.get(uri);
    // an edit arrived meanwhile: its own classification brings its own evidence
    if (!explanation || !doc || doc.version !== classification.version || results.get(uri) !== classification) return undefined;
    const file = uriToFsPath(uri) ?? uri;
    const parts = [classification.extracted.titleRange, classification.extracted.abstractRange].filter((r): r is SourceRange => !!r && sameFile(r.file, file));
    classification.evidence = evidenceDto(explanation, doc.getText(), parts);
    published += 1;
    void connection.sendNotification(Methods.classificationChanged, classification).catch(() => undefined);
    return classification.evidence;
  }

  function publish({ classification, draft, paper }: Analysis): void {
    const uri = classification.uri;
    const fsPath = uriToFsPath(uri);
    results.set(uri, classification);
    if (paper) papers.set(uri, paper);
    else papers.delete(uri);
    includes.set(uri, new Set((draft?.files ?? []).filter((f) => !sameFile(f, fsPath ?? uri)).map((f) => path.resolve(f))));
    diagnostics.set(uri, declaredCategoryDiagnostics(draft?.declaredCategories ?? [], classification.prediction, { uri, fsPath }));
    published += 1;
    void connection.sendNotification(Methods.classificationChanged, classification).catch(() => undefined);
  }

  function reclassifyAll(): void {
    for (const doc of documents.all()) scheduler.schedule(doc.uri, 0);
  }

  /** Root documents that \input the file behind `uri`. */
  function dependents(uri: string): string[] {
    const p = uriToFsPath(uri);
    if (!p) return [];
    return [...includes].filter(([root, files]) => root !== uri && files.has(p)).map(([root]) => root);
  }

  const guard = <A extends unknown[]>(what: string, fn: (...args: A) => void | Promise<void>) => guarded(logError, what, fn);
  const onRequest = <P, R>(method: string, handler: (params: P) => Promise<R> | R) => onGuardedRequest(connection, logError, method, handler);
  const failed = requestFailed;

  async function loadInitialModel(): Promise<void> {
    try {
      await models.select(wantedModelDir());
    } catch (e) {
      if (settings.modelDir && !sameFile(settings.modelDir, settings.defaultModelDir)) {
        try {
          await models.select(settings.defaultModelDir);
          void connection.window.showWarningMessage(`arXiv Classifier: ${errorMessage(e)}. Using the default model instead.`);
        } catch {
          /* both failed: models.error says why, classifications report it */
        }
      }
    }
  }

  async function applyConfiguration(section: unknown): Promise<void> {
    const before = settings;
    settings = applyUserSettings(settings, section);
    if (settings.maxChars !== before.maxChars) reclassifyAll();
    if (settings.modelDir !== before.modelDir) {
      try {
        await models.select(wantedModelDir());
        reclassifyAll();
      } catch (e) {
        void connection.window.showErrorMessage(`arXiv Classifier: ${errorMessage(e)}`);
      }
    }
  }

  connection.onInitialize((params): InitializeResult => {
    settings = settingsFromInitOptions(params.initializationOptions, safeDefaultDir(deps));
    const rootUri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    workspaceRoot = rootUri ? uriToFsPath(rootUri) : undefined;
    canPullConfig = Boolean(params.capabilities.workspace?.configuration);
    canRegisterConfig = Boolean(params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration);
    canWatchFiles = Boolean(params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    return {
      capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, hoverProvider: true },
      serverInfo: { name: 'arxiv-classifier' },
    };
  });

  connection.onInitialized(
    guard('initialized', async () => {
      const attempt = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
        try {
          await fn();
        } catch (e) {
          logError(`${what} failed: ${errorMessage(e)}`);
        }
      };
      if (canRegisterConfig) await attempt('Registering for settings changes', () => connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION }));
      if (canPullConfig) {
        await attempt(`Reading the ${SECTION} settings`, async () => (settings = applyUserSettings(settings, await connection.workspace.getConfiguration(SECTION))));
      }
      // \input'ed files edited outside the editor (or by git) re-classify the drafts that include them.
      if (canWatchFiles) {
        await attempt('Watching .tex files', () => connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.tex' }] }));
      }
      try {
        await loadInitialModel();
      } finally {
        markReady();
      }
    }),
  );

  connection.onDidChangeConfiguration(
    guard('didChangeConfiguration', async (change) => {
      const pushed = (change.settings as Record<string, unknown> | null | undefined)?.[SECTION];
      const section = pushed ?? (canPullConfig ? await connection.workspace.getConfiguration(SECTION) : undefined);
      if (section !== undefined && section !== null) await applyConfiguration(section);
    }),
  );

  documents.onDidOpen(guard('didOpen', (e) => void justOpened.add(e.document.uri)));
  documents.onDidChangeContent(
    guard('didChange', (e) => {
      const uri = e.document.uri;
      scheduler.schedule(uri, justOpened.delete(uri) ? 0 : settings.debounceMs);
      for (const root of dependents(uri)) scheduler.schedule(root);
    }),
  );
  documents.onDidClose(
    guard('didClose', (e) => {
      const uri = e.document.uri;
      justOpened.delete(uri);
      scheduler.cancel(uri);
      results.delete(uri);
      papers.delete(uri);
      includes.delete(uri);
      diagnostics.clear(uri);
      // Roots that \input this file now read it from disk again (unsaved edits are gone).
      for (const root of dependents(uri)) scheduler.schedule(root);
    }),
  );
  connection.onDidChangeWatchedFiles(
    guard('didChangeWatchedFiles', (params) => {
      for (const change of params.changes) for (const root of dependents(change.uri)) scheduler.schedule(root);
    }),
  );

  connection.onHover((params) => {
    try {
      const uri = params.textDocument.uri;
      const own = results.get(uri);
      const others = [...results.values()].filter((r) => r !== own);
      return hoverFor(own ? [own, ...others] : others, uriToFsPath(uri) ?? uri, params.position);
    } catch (e) {
      logError(`hover failed: ${errorMessage(e)}`);
      return null;
    }
  });

  onRequest(Methods.classify, async (params: { uri?: unknown }) => {
    const uri = params?.uri;
    if (typeof uri !== 'string') throw failed('arxiv/classify needs { uri: string }.');
    const doc = documents.get(uri);
    if (doc) {
      await scheduler.runNow(uri);
      return results.get(uri) ?? null;
    }
    // Not open in the editor: classify the file on disk without publishing anything.
    const fsPath = uriToFsPath(uri);
    const text = fsPath ? readIncludedFile(fsPath) : undefined;
    if (text === undefined) return null;
    const analysis = await analyzeDocument(TextDocument.create(uri, '', 0, text));
    return analysis.classification;
  });

  onRequest(Methods.evidence, async (params: { uri?: unknown }) => {
    const uri = params?.uri;
    if (typeof uri !== 'string') throw failed('arxiv/evidence needs { uri: string }.');
    if (!documents.get(uri)) return null;
    await scheduler.runNow(uri);
    const current = results.get(uri);
    if (!current) return null;
    try {
      return (await attachEvidence(uri, current)) ?? null;
    } catch (e) {
      throw failed(`Could not explain the prediction: ${errorMessage(e)}`);
    }
  });

  onRequest(Methods.modelInfo, async () => {
    await ready;
    return models.infoDto();
  });

  onRequest(Methods.selectModel, async (params: { dir?: unknown }) => {
    const dir = params?.dir;
    if (dir !== null && dir !== undefined && (typeof dir !== 'string' || dir.trim() === '')) {
      throw failed('arxiv/selectModel needs { dir: string | null }.');
    }
    await ready;
    try {
      await models.select(typeof dir === 'string' ? resolveUserPath(dir, workspaceRoot) : settings.defaultModelDir);
    } catch (e) {
      throw failed(errorMessage(e));
    }
    reclassifyAll();
    return models.infoDto();
  });

  onRequest(Methods.trainStart, (params: unknown) => {
    try {
      return training.start(params);
    } catch (e) {
      throw failed(errorMessage(e));
    }
  });

  onRequest(Methods.trainCancel, (params: { runId?: unknown }) => training.cancel(params?.runId));

  onRequest(Methods.evaluationReport, async (params: { modelDir?: unknown }) => {
    await ready;
    const dir = typeof params?.modelDir === 'string' && params.modelDir ? params.modelDir : models.current?.dir;
    if (!dir) throw failed(`No model is loaded, so there is no evaluation report. ${models.error ?? ''}`.trim());
    try {
      return readEvaluationReport(dir);
    } catch (e) {
      throw failed(errorMessage(e));
    }
  });

  onRequest(DebugMethods.stats, (): ServerStats => ({
    ...analyzer.stats,
    published,
    pending: scheduler.pending,
    model: models.current?.name,
  }));

  connection.onShutdown(() => {
    scheduler.dispose();
    training.dispose();
    models.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

function safeDefaultDir(deps: ServerDeps): string {
  try {
    return deps.defaultModelDir();
  } catch {
    return path.join(__dirname, '..', 'models', 'default');
  }
}

/** Keeps the process alive through bugs in handlers or libraries; the error is logged instead. */
export function installProcessGuards(log: (msg: string) => void): void {
  process.on('uncaughtException', (e) => log(`Uncaught exception: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  process.on('unhandledRejection', (e) => log(`Unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
}
