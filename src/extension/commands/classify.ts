/** "arXiv: Classify Current Document": classifies now (no debounce), shows the result, reveals the sidebar. */
import * as vscode from 'vscode';
import type { DocumentClassification } from '../../shared/protocol';
import { formatPercent } from '../format';
import type { Services } from '../services';
import { errorMessage } from '../../shared/errors';

export async function classifyDocument(s: Services, doc: vscode.TextDocument): Promise<DocumentClassification | null> {
  await s.whenServerReady();
  s.store.setPending(doc.uri, true);
  try {
    const result = await s.server.classify(doc.uri.toString());
    if (result) s.store.put(result);
    return result;
  } finally {
    s.store.setPending(doc.uri, false);
  }
}

/** Command handler; returns the classification so tests and other extensions can use it. */
export async function classifyCommand(s: Services, uri?: vscode.Uri): Promise<DocumentClassification | undefined> {
  const doc = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : s.currentDocument();
  if (!doc) {
    void vscode.window.showWarningMessage('arXiv: open a LaTeX or Markdown draft (.tex, .md, .qmd, .Rmd) first.');
    return undefined;
  }
  let result: DocumentClassification | null;
  try {
    result = await classifyDocument(s, doc);
  } catch (e) {
    void vscode.window.showErrorMessage(`arXiv: could not classify ${vscode.workspace.asRelativePath(doc.uri)}: ${errorMessage(e)}`);
    return undefined;
  }
  void s.revealSidebar();
  if (!result) {
    void vscode.window.showWarningMessage('arXiv: the server did not classify this document (is it a LaTeX or Markdown file?).');
    return undefined;
  }
  const top = result.status === 'ok' ? result.prediction?.primary[0] : undefined;
  if (top) {
    const next = result.prediction?.primary[1];
    const runnerUp = next ? `; next: ${next.category} ${formatPercent(next.p)}` : '';
    void vscode.window.showInformationMessage(`arXiv: ${top.category} (${top.name}) ${formatPercent(top.p)}${runnerUp}`);
  } else {
    void vscode.window.showWarningMessage(`arXiv: ${result.message ?? `no prediction (${result.status})`}`);
  }
  return result;
}
