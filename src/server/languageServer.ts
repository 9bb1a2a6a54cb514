/**
 * Wires the LSP connection to the analyzer, model host, training host, hovers and diagnostics.
 * Every dependency that touches the file system, the model or the training process comes in through
 * `ServerDeps`, so tests can run this exact wiring with doubles.
 */
import * as path from 'node:path';
import type { Connection, InitializeResult } from 'vscode-languageserver/node';
import { CodeActionKind, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, RequestType, TextDocumentSyncKind, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentClassification } from '../shared/protocol';
import { Notifications, Requests } from '../shared/protocol';
import { isDraftPath } from '../shared/draftFiles';
import { SECTION } from '../shared/settings';
import { version as SERVER_VERSION } from '../../package.json';
import { FileAccess, type FileAccessPolicy } from '../draft/fileAccess';
import { isInside, readRegularFile } from '../shared/regularFile';
import { decodeDraftBytes } from '../draft/inputGuards';
import type { DeclaredCategory, ExtractOptions } from '../draft/types';
import { DraftReader, extractForRequest, type DraftRequest } from './draftWorker';
import { detectFormat } from '../draft/extract';
import { categoryCodeActions } from './codeActions';
import { declaredCategoryDiagnostics, DIAGNOSTIC_SOURCE, DiagnosticsStore } from './diagnostics';
import type { Analysis, Extracted } from './documentAnalyzer';
import { DocumentAnalyzer } from './documentAnalyzer';
import { EvidenceCache, evidenceDto } from './evidence';
import type { EvidenceDto } from '../shared/evidence';
import type { SourceRange } from '../draft/types';
import type { PaperText } from '../model/types';
import { readEvaluationReport } from './evaluationReport';
import { guarded, onGuardedRequest, requestFailed } from './handlerGuards';
import { hoverFor } from './hover';
import type { ClassifierLoader } from './modelHost';
import { ModelHost, ModelLoadError } from './modelHost';
import { errorMessage } from '../shared/errors';
import { sameFile, uriToFsPath } from './paths';
import { withCategories } from './preflightRunner';
import { ClassificationScheduler } from './scheduler';
import type { ServerSettings } from './settings';
import { applyUserSettings, outsideIncludesAllowed, resolveUserPath, settingsFromInitOptions } from './settings';
import type { StartTraining } from './trainingHost';
import { TrainingHost } from './trainingHost';

export interface ServerDeps {
  /**
   * Worker entry that reads drafts (it calls runDraftWorker; dist/draftWorker.js in the extension). Undefined:
   * drafts are read on the main thread, without a time budget (ARXIV_CLASSIFIER_IN_PROCESS=1, for debugging).
   */
  draftWorkerScript?: string;
  loadClassifier: ClassifierLoader;
  /** The shipped bundle, used when initializationOptions carry no defaultModelDir. */
  defaultModelDir: () => string;
  startTraining: StartTraining;
}

/** Server-only requests (not part of the extension contract), used by tests and for troubleshooting. */
export const DebugRequests = {
  stats: new RequestType<Record<string, never>, ServerStats, void>('arxiv/debug/stats'),
} as const;

export interface ServerStats {
  analyses: number;
  classifications: number;
  cacheHits: number;
  /** classificationChanged notifications sent. */
  published: number;
  /** Documents waiting for their debounce or in the queue. */
  pending: number;
  /** Draft-reading worker threads alive (0 when drafts are read in-process). */
  draftWorkers: number;
  model?: string;
}


/** Time the draft worker may spend parsing a draft's .bib files for the preflight (after its extraction budget). */
const PREFLIGHT_BIB_MS = 2_500;

export function runServer(connection: Connection, deps: ServerDeps): void {
  const log = (msg: string): void => connection.console.log(msg);
  const logError = (msg: string): void => connection.console.error(msg);
  const documents = new TextDocuments(TextDocument);
  let settings: ServerSettings = settingsFromInitOptions(undefined, safeDefaultDir(deps));
  let workspaceRoot: string | undefined;
  /** Workspace folders (file system paths): includes and arxiv/classify stay inside them. */
  let workspaceFolders: string[] = [];
  /** The model folder the settings ask for (user's choice, else the shipped default). */
  const wantedModelDir = (): string => (settings.modelDir ? resolveUserPath(settings.modelDir, workspaceRoot) : settings.defaultModelDir);
  let canPullConfig = false;
  let canRegisterConfig = false;
  let canWatchFiles = false;
  let canWatchFolders = false;
  let published = 0;
  let markReady: () => void = () => undefined;
  /** Resolves once the first model load has finished (or failed): classifications wait for it. */
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const results = new Map<string, DocumentClassification>();
  /** Declared categories found by each document's last analysis (with ranges, for quick fixes). */
  const declaredSeen = new Map<string, DeclaredCategory[]>();
  /** Root document URI -> absolute paths of the files it \input's (for re-classifying when one changes). */
  const includes = new Map<string, Set<string>>();
  /** Documents opened but not yet scheduled: the first classification skips the debounce. */
  const justOpened = new Set<string>();

  const models = new ModelHost(deps.loadClassifier, log, (state) => {
    void connection.sendNotification(Notifications.modelChanged, state).catch(() => undefined);
  });
  const drafts = deps.draftWorkerScript ? new DraftReader({ script: deps.draftWorkerScript, log }) : undefined;
  const analyzer = new DocumentAnalyzer({
    extract: readDraft,
    models,
    maxChars: () => settings.maxChars,
    timeoutSetting: 'arxivClassifier.extractionTimeoutMs',
  });
  const evidence = new EvidenceCache(models);
  /** Document URI -> what the classifier read for its current result (explained after publishing). */
  const papers = new Map<string, PaperText>();
  const diagnostics = new DiagnosticsStore((uri, list) => {
    connection.sendDiagnostics({ uri, diagnostics: list }).catch((e: unknown) => logError(`sendDiagnostics failed: ${errorMessage(e)}`));
  });
  const scheduler = new ClassificationScheduler({
    debounceMs: () => settings.debounceMs,
    // Two at a time: a draft that is slow to read (up to its time budget) does not hold up the others.
    concurrency: 2,
    run: classifyLatest,
    onError: (uri, e) => logError(`Classifying ${uri} failed: ${errorMessage(e)}`),
  });
  const training = new TrainingHost({
    startTraining: deps.startTraining,
    send: (msg) => void connection.sendNotification(Notifications.trainEvent, msg).catch(() => undefined),
    onTrained: async (modelDir) => {
      chooseModel(modelDir);
      await models.select(modelDir, true);
      reclassifyAll();
    },
    trainingDir: () => settings.trainingDir,
    log,
  });

  /** The folders a document's includes may come from: the workspace folders, plus its own folder if outside them. */
  function accessPolicy(fsPath: string | undefined): FileAccessPolicy {
    const roots = [...workspaceFolders];
    if (fsPath && !roots.some((r) => isInside(fsPath, r))) roots.push(path.dirname(fsPath));
    return {
      roots,
      allowOutside: outsideIncludesAllowed(settings),
      maxBytes: settings.maxChars * 4,
      allowHint: settings.workspaceTrusted
        ? 'the setting arxivClassifier.allowOutsideIncludes'
        : 'the setting arxivClassifier.allowOutsideIncludes in a trusted workspace (this workspace is not trusted)',
    };
  }

  /** Reads a draft in a draft worker (or in-process) with its includes, under the workspace's file policy. */
  async function readDraft(text: string, opts: ExtractOptions): Promise<Extracted> {
    const self = uriToFsPath(opts.fileName) ?? (path.isAbsolute(opts.fileName) ? opts.fileName : undefined);
    const access = accessPolicy(self);
    // Open editors' unsaved text wins over the disk for included files (only texts the policy could allow).
    const overlay: [string, string][] = [];
    for (const doc of documents.all()) {
      const p = uriToFsPath(doc.uri);
      if (!p || p === self || (!access.allowOutside && !access.roots.some((r) => isInside(p, r)))) continue;
      const t = doc.getText();
      if (t.length <= settings.maxChars) overlay.push([p, t]);
    }
    const req: DraftRequest = { text, fileName: opts.fileName, languageId: opts.languageId, maxChars: opts.maxChars ?? settings.maxChars, access, overlay, preflightBibMs: PREFLIGHT_BIB_MS };
    return drafts ? drafts.read(req, settings.extractionTimeoutMs) : extractForRequest(req);
  }

  /** Text of a file that is not open, for arxiv/classify: inside the workspace folders only, capped. */
  function readWorkspaceFile(fsPath: string): string | undefined {
    if (!workspaceFolders.length || !new FileAccess({ ...accessPolicy(undefined), allowOutside: false }).allows(fsPath)) {
      throw failed(`arxiv/classify reads open documents and files inside the workspace folders only; ${fsPath} is neither.`);
    }
    const r = readRegularFile(fsPath, settings.maxChars * 4);
    if (!r.ok && r.missing) return undefined;
    if (!r.ok) throw failed(r.reason);
    const decoded = decodeDraftBytes(r.bytes);
    if (decoded.text === undefined) throw failed(decoded.warnings.join(' '));
    return decoded.text;
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
    // The preflight's file work was done in the draft worker; the category set needs the prediction.
    const { classification: c, draft } = analysis;
    if (c.status === 'ok' && draft?.preflight) c.preflight = withCategories(draft.preflight, draft, c.prediction);
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
    void connection.sendNotification(Notifications.classificationChanged, classification).catch(() => undefined);
    return classification.evidence;
  }

  function publish({ classification, draft, paper }: Analysis): void {
    const uri = classification.uri;
    const fsPath = uriToFsPath(uri);
    results.set(uri, classification);
    if (paper) papers.set(uri, paper);
    else papers.delete(uri);
    declaredSeen.set(uri, draft?.declaredCategories ?? []);
    includes.set(uri, new Set((draft?.files ?? []).filter((f) => !sameFile(f, fsPath ?? uri)).map((f) => path.resolve(f))));
    diagnostics.set(uri, declaredCategoryDiagnostics(draft?.declaredCategories ?? [], classification.prediction, { uri, fsPath }, { noCheck: Boolean(draft?.noCheck) }));
    published += 1;
    void connection.sendNotification(Notifications.classificationChanged, classification).catch(() => undefined);
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
  const onRequest = <P, R, E>(type: RequestType<P, R, E>, handler: (params: P) => Promise<R> | R) => onGuardedRequest(connection, logError, type, handler);
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

  /**
   * Counts explicit model choices (Select Model, a finished training run). The extension persists each choice in
   * modelPath afterwards; a settings pull that was answered before that must not undo the choice with the old value.
   */
  let modelChoices = 0;
  function chooseModel(dir: string | undefined): void {
    modelChoices += 1;
    settings = { ...settings, modelDir: dir };
  }

  async function pullConfiguration(): Promise<void> {
    const choicesBefore = modelChoices;
    const section = await connection.workspace.getConfiguration(SECTION);
    await applyConfiguration(section, modelChoices === choicesBefore);
  }

  async function applyConfiguration(section: unknown, includingModel = true): Promise<void> {
    const before = settings;
    settings = applyUserSettings(settings, section);
    if (!includingModel) settings = { ...settings, modelDir: before.modelDir };
    if (settings.maxChars !== before.maxChars || settings.allowOutsideIncludes !== before.allowOutsideIncludes) reclassifyAll();
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
    const folderUris = params.workspaceFolders?.length ? params.workspaceFolders.map((f) => f.uri) : rootUri ? [rootUri] : [];
    workspaceFolders = folderUris.map(uriToFsPath).filter((p): p is string => Boolean(p));
    canWatchFolders = Boolean(params.capabilities.workspace?.workspaceFolders);
    canPullConfig = Boolean(params.capabilities.workspace?.configuration);
    canRegisterConfig = Boolean(params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration);
    canWatchFiles = Boolean(params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'arxiv-classifier', version: SERVER_VERSION },
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
      if (canWatchFolders) {
        connection.workspace.onDidChangeWorkspaceFolders(
          guard('didChangeWorkspaceFolders', (e) => {
            const removed = new Set(e.removed.map((f) => uriToFsPath(f.uri)));
            workspaceFolders = [...workspaceFolders.filter((p) => !removed.has(p)), ...e.added.map((f) => uriToFsPath(f.uri)).filter((p): p is string => Boolean(p))];
            reclassifyAll();
          }),
        );
      }
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
    guard('didChangeConfiguration', async () => {
      // One channel: the notification only says "changed"; the values are pulled (never read from the push).
      if (canPullConfig) await pullConfiguration();
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
      declaredSeen.delete(uri);
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

  connection.onCodeAction((params) => {
    try {
      const uri = params.textDocument.uri;
      const doc = documents.get(uri);
      if (!doc || !isDraftPath(uri)) return null;
      const fsPath = uriToFsPath(uri);
      const inThisFile = (file: string): boolean => file === uri || (fsPath !== undefined && sameFile(file, fsPath));
      const ours = params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
      // A draft (this document, or a root that \input's it) that declares nothing and has its title here.
      const undeclared = [...results.values()].find((r) => r.status === 'ok' && r.prediction && r.declared.length === 0 && r.extracted.titleRange && inThisFile(r.extracted.titleRange.file));
      if (!ours.length && !undeclared) return null;
      const text = doc.getText();
      if (text.length > settings.maxChars) return null;
      const fileName = fsPath ?? uri;
      const format = detectFormat(text, { fileName, languageId: doc.languageId }).format;
      // From the last analyses (the ones the diagnostics come from): never a draft read on the main thread here.
      const declared = uniqueDeclarations([...declaredSeen.values()].flat().filter((d) => inThisFile(d.range.file)));
      const titleRange = undeclared?.extracted.titleRange;
      return categoryCodeActions({
        uri,
        text,
        format,
        declared,
        range: params.range,
        diagnostics: ours,
        ...(undeclared?.prediction && titleRange ? { undeclared: { titleRange: { start: titleRange.start, end: titleRange.end }, prediction: undeclared.prediction } } : {}),
      });
    } catch (e) {
      logError(`codeAction failed: ${errorMessage(e)}`);
      return null;
    }
  });

  onRequest(Requests.classify, async (params) => {
    const uri: unknown = params?.uri;
    if (typeof uri !== 'string') throw failed('arxiv/classify needs { uri: string }.');
    const doc = documents.get(uri);
    if (doc) {
      await scheduler.runNow(uri);
      return results.get(uri) ?? null;
    }
    // Not open in the editor: classify the file on disk (inside the workspace only) without publishing anything.
    const fsPath = uriToFsPath(uri);
    if (!fsPath) return null;
    const text = readWorkspaceFile(fsPath);
    if (text === undefined) return null;
    const analysis = await analyzeDocument(TextDocument.create(uri, '', 0, text));
    return analysis.classification;
  });

  onRequest(Requests.evidence, async (params) => {
    const uri: unknown = params?.uri;
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

  onRequest(Requests.modelInfo, async () => {
    await ready;
    const info = await models.infoDto();
    if (!info) throw failed(models.error ?? 'No model is loaded.', { code: 'noModel' });
    return info;
  });

  onRequest(Requests.selectModel, async (params) => {
    const dir: unknown = params?.dir;
    if (dir !== null && dir !== undefined && (typeof dir !== 'string' || dir.trim() === '')) {
      throw failed('arxiv/selectModel needs { dir: string | null }.');
    }
    await ready;
    try {
      await models.select(typeof dir === 'string' ? resolveUserPath(dir, workspaceRoot) : settings.defaultModelDir);
      chooseModel(typeof dir === 'string' ? dir : undefined);
    } catch (e) {
      const data = e instanceof ModelLoadError ? { dir: e.dir, ...(e.stillUsing !== undefined ? { stillUsing: e.stillUsing } : {}) } : {};
      throw failed(errorMessage(e), { code: 'modelLoadFailed', ...data });
    }
    reclassifyAll();
    const info = await models.infoDto();
    if (!info) throw failed(models.error ?? 'No model is loaded.', { code: 'noModel' });
    return info;
  });

  onRequest(Requests.trainStart, (params: unknown) => {
    try {
      return training.start(params);
    } catch (e) {
      throw failed(errorMessage(e));
    }
  });

  onRequest(Requests.trainCancel, (params) => training.cancel(params?.runId));

  onRequest(Requests.evaluationReport, async (params) => {
    await ready;
    const asked: unknown = params?.modelDir;
    const dir = typeof asked === 'string' && asked ? asked : models.current?.dir;
    if (!dir) throw failed(`No model is loaded, so there is no evaluation report. ${models.error ?? ''}`.trim(), { code: 'noModel' });
    try {
      return readEvaluationReport(dir);
    } catch (e) {
      throw failed(errorMessage(e));
    }
  });

  onRequest(DebugRequests.stats, (): ServerStats => ({
    ...analyzer.stats,
    published,
    pending: scheduler.pending,
    draftWorkers: drafts?.workers ?? 0,
    model: models.current?.name,
  }));

  connection.onShutdown(() => {
    scheduler.dispose();
    training.dispose();
    models.dispose();
    void drafts?.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

/** The same declaration seen through several roots (a file \input by two open drafts) counts once. */
function uniqueDeclarations(list: DeclaredCategory[]): DeclaredCategory[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.category}@${d.range.file}:${d.range.start.line}:${d.range.start.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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
