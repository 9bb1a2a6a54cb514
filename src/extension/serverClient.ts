/**
 * Starts the language server (dist/server.js) over IPC and restarts it when it dies, up to a limit:
 * a server that keeps crashing (e.g. a corrupt model that kills it on load) must not loop forever.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { CrashCounter } from './crashCounter';
import type { InitializationOptions } from '../shared/protocol';

export const LANGUAGE_IDS = ['latex', 'tex', 'markdown', 'quarto', 'rmd'] as const;
export const FILE_PATTERN = '**/*.{tex,md,qmd,Rmd}';

/** Restart after a crash unless the server crashed this many times within the window. */
export const MAX_CRASHES = 4;
export const CRASH_WINDOW_MS = 3 * 60_000;

export function documentSelector(): LanguageClientOptions['documentSelector'] {
  return [
    ...LANGUAGE_IDS.map((language) => ({ language })),
    // For .tex/.qmd/.Rmd files that no installed extension gives a language id.
    { scheme: 'file', pattern: FILE_PATTERN },
  ];
}

/** Crash-counting error handler: restart while the crash rate is low, then stop and tell the user. */
export class RestartPolicy implements ErrorHandler {
  private readonly counter = new CrashCounter(MAX_CRASHES, CRASH_WINDOW_MS);
  /** Called once the policy gave up restarting. */
  onGaveUp: (message: string) => void = () => undefined;

  error(_error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    // A few read/write errors in a row usually mean the process is gone; `closed` decides then.
    return { action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    if (this.counter.recordCrash()) return { action: CloseAction.Restart, handled: true };
    const message =
      `The arXiv Classifier server stopped ${this.counter.recent} times in the last ${CRASH_WINDOW_MS / 60_000} minutes ` +
      'and will not be restarted. See the "arXiv Classifier" output; run "arXiv: Restart Server" to try again.';
    this.onGaveUp(message);
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  reset(): void {
    this.counter.reset();
  }
}

export function createLanguageClient(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  policy: RestartPolicy,
): LanguageClient {
  const serverModule = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    outputChannel: output,
    errorHandler: policy,
    // Where things are and whether the workspace is trusted, not settings: the server pulls the arxivClassifier
    // section (workspace/configuration). A function: read again on every (re)start, e.g. after trust was granted.
    initializationOptions: (): InitializationOptions => ({
      defaultModelDir: vscode.Uri.joinPath(context.extensionUri, 'models', 'default').fsPath,
      trainingDir: vscode.Uri.joinPath(context.globalStorageUri, 'models').fsPath,
      workspaceTrusted: vscode.workspace.isTrusted,
    }),
  };
  return new LanguageClient('arxivClassifier', 'arXiv Classifier', serverOptions, clientOptions);
}
