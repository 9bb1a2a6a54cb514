/** What the commands need from the running extension, passed explicitly instead of module globals. */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { TrainEventMessage } from '../shared/protocol';
import type { ClassificationStore } from './classificationStore';

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly client: LanguageClient;
  readonly store: ClassificationStore;
  /** Training progress from the server (the client allows one handler per method, so it is fanned out here). */
  readonly onTrainEvent: vscode.Event<TrainEventMessage>;
  log(message: string): void;
  /** Resolves once the server is running; rejects with a readable message when it cannot start. */
  whenServerReady(): Promise<void>;
  /** The LaTeX/Markdown document the UI follows. */
  currentDocument(): vscode.TextDocument | undefined;
  revealSidebar(): Promise<void>;
  /** Asks the server which model is loaded and updates the store. */
  refreshModelInfo(): Promise<void>;
}
