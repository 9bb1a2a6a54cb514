/** "arXiv: Show Evaluation Report": per-class table, confusion heatmap and training curves of the current model. */
import * as vscode from 'vscode';
import type { Services } from './services';
import { errorMessage } from '../shared/errors';
import { renderWebviewHtml, webviewOptions } from './webviewHtml';
import { parseReportMessage, type ExtensionToReport } from '../webview/messages';

export class ReportPanel {
  static current: ReportPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static show(s: Services): ReportPanel {
    if (ReportPanel.current) {
      ReportPanel.current.panel.reveal(vscode.ViewColumn.Beside);
      void ReportPanel.current.load();
      return ReportPanel.current;
    }
    const panel = vscode.window.createWebviewPanel('arxivClassifier.report', 'arXiv: Evaluation Report', vscode.ViewColumn.Beside, {
      ...webviewOptions(s.context.extensionUri),
      retainContextWhenHidden: false,
    });
    ReportPanel.current = new ReportPanel(panel, s);
    return ReportPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly s: Services,
  ) {
    panel.iconPath = vscode.Uri.joinPath(s.context.extensionUri, 'media', 'arxiv-icon.svg');
    panel.webview.html = renderWebviewHtml(panel.webview, s.context.extensionUri, {
      title: 'arXiv: Evaluation Report',
      script: 'dist/report.js',
      styles: ['report.css'],
      body: '<main id="root"><p class="muted">Loading the evaluation report…</p></main>',
    });
    panel.webview.onDidReceiveMessage((raw: unknown) => {
      const msg = parseReportMessage(raw);
      if (!msg) {
        s.log('Ignored a malformed message from the report view.');
        return;
      }
      void this.load();
    }, undefined, this.disposables);
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
  }

  async load(): Promise<void> {
    let msg: ExtensionToReport;
    try {
      await this.s.whenServerReady();
      const model = this.s.store.model;
      const report = await this.s.server.evaluationReport(model?.dir);
      msg = { type: 'report', report, modelName: model?.name ?? 'unknown model', modelDir: model?.dir ?? '' };
    } catch (e) {
      msg = { type: 'error', message: `No evaluation report for the current model: ${errorMessage(e)}` };
    }
    void this.panel.webview.postMessage(msg);
  }

  private dispose(): void {
    ReportPanel.current = undefined;
    for (const d of this.disposables) d.dispose();
  }
}
