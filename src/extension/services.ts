/** What the commands need from the running extension, passed explicitly instead of module globals. */
import type * as vscode from 'vscode';
import type { ClassificationStore } from './classificationStore';
import type { ServerApi } from './serverApi';

export interface Services {
  readonly context: vscode.ExtensionContext;
  /** The language server's typed requests and notifications. */
  readonly server: ServerApi;
  readonly store: ClassificationStore;
  log(message: string): void;
  /** Resolves once the server is running; rejects with a readable message when it cannot start. */
  whenServerReady(): Promise<void>;
  /** The LaTeX/Markdown document the UI follows. */
  currentDocument(): vscode.TextDocument | undefined;
  revealSidebar(): Promise<void>;
}
