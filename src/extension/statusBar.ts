/** Status bar item with the active draft's top category; clicking it reveals the sidebar. */
import * as vscode from 'vscode';
import type { ClassificationStore } from './classificationStore';
import { COMMANDS } from './commandIds';
import { statusView } from './statusText';

export const REVEAL_SIDEBAR_COMMAND = COMMANDS.revealSidebar;

export class CategoryStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('arxivClassifier.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly store: ClassificationStore,
    private readonly currentDocument: () => vscode.TextDocument | undefined,
    private readonly enabled: () => boolean,
  ) {
    this.item.name = 'arXiv Category';
    this.item.command = REVEAL_SIDEBAR_COMMAND;
    this.disposables.push(store.onDidChange(() => this.update()));
    this.update();
  }

  update(): void {
    const doc = this.currentDocument();
    if (!doc || !this.enabled()) {
      this.item.hide();
      return;
    }
    const result = this.store.get(doc.uri);
    const top = result?.status === 'ok' ? result.prediction?.primary[0] : undefined;
    if (this.store.server === 'failed' || this.store.server === 'stopped') {
      this.item.text = '$(error) arXiv';
      this.item.tooltip = this.store.notice ?? 'The arXiv Classifier server is not running.';
    } else if (top) {
      const view = statusView(top, result?.prediction?.insights);
      this.item.text = view.text;
      this.item.tooltip = view.tooltip;
    } else if (this.store.isPending(doc.uri) || !result) {
      this.item.text = '$(sync~spin) arXiv';
      this.item.tooltip = 'Classifying…';
    } else {
      this.item.text = '$(mortar-board) arXiv: —';
      this.item.tooltip = result.message ?? 'No prediction for this document.';
    }
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.item.dispose();
  }
}
