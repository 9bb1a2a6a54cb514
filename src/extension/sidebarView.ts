/** The sidebar webview view: probabilities, cross-lists, extracted title/abstract and the model of the active draft. */
import * as vscode from 'vscode';
import type { ClassificationStore } from './classificationStore';
import { renderWebviewHtml, webviewOptions } from './webviewHtml';
import { parseSidebarMessage, type ExtensionToSidebar, type SidebarCommand, type SidebarState } from '../webview/messages';

export const SIDEBAR_VIEW_ID = 'arxivClassifier.sidebar';

export interface SidebarHost {
  /** The document the sidebar follows (last active supported editor). */
  currentDocument(): vscode.TextDocument | undefined;
  runCommand(command: SidebarCommand): void;
  reveal(target: 'title' | 'abstract'): void;
  /** Opens a (validated) arXiv id's abstract page in the browser. */
  openPaper(id: string): void;
  /** Jump to an evidence term of the current result (looked up there: the webview only names it). */
  revealEvidence(term: string, occurrence: number): void;
}

export class SidebarViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: ClassificationStore,
    private readonly host: SidebarHost,
    private readonly log: (msg: string) => void,
  ) {
    this.disposables.push(store.onDidChange(() => this.post()));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = renderWebviewHtml(view.webview, this.extensionUri, {
      title: 'arXiv Classifier',
      script: 'dist/sidebar.js',
      styles: ['sidebar.css', 'preflight.css'],
      body: '<main id="root" aria-live="polite"><p class="muted">Loading…</p></main>',
    });
    view.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw), undefined, this.disposables);
    view.onDidChangeVisibility(() => view.visible && this.post(), undefined, this.disposables);
    view.onDidDispose(() => {
      this.view = undefined;
      this.ready = false;
    });
  }

  /** The state the sidebar shows now (also used by tests through the extension API). */
  state(): SidebarState {
    const doc = this.host.currentDocument();
    return {
      document: doc && { uri: doc.uri.toString(), fileName: doc.fileName, languageId: doc.languageId },
      classification: doc && this.store.get(doc.uri),
      model: this.store.model,
      server: this.store.server,
      pending: doc ? this.store.isPending(doc.uri) : false,
      notice: this.store.notice ?? (this.store.model ? undefined : this.store.modelError && `The model could not be loaded: ${this.store.modelError}`),
    };
  }

  post(): void {
    if (!this.view || !this.ready) return;
    const msg: ExtensionToSidebar = { type: 'state', state: this.state() };
    void this.view.webview.postMessage(msg);
  }

  private onMessage(raw: unknown): void {
    const msg = parseSidebarMessage(raw);
    if (!msg) {
      this.log(`Ignored a malformed message from the sidebar: ${safePreview(raw)}`);
      return;
    }
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.post();
        break;
      case 'command':
        this.host.runCommand(msg.command);
        break;
      case 'reveal':
        this.host.reveal(msg.target);
        break;
      case 'openPaper':
        this.host.openPaper(msg.id);
        break;
      case 'revealEvidence':
        this.host.revealEvidence(msg.term, msg.occurrence);
        break;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function safePreview(v: unknown): string {
  try {
    return JSON.stringify(v).slice(0, 200);
  } catch {
    return String(v).slice(0, 200);
  }
}
