/**
 * "arXiv: Show Status / Report Issue": collects versions, the server state, the model, the settings, the
 * workspace trust and the last log lines into a new untitled Markdown document (nothing leaves the machine).
 */
import * as vscode from 'vscode';
import type { Services } from '../services';
import { readSettings } from '../settings';
import { formatStatusReport } from '../statusReport';

export async function showStatusCommand(s: Services, recentLog: () => string[]): Promise<string> {
  const ext = s.context.extension;
  const info = s.server.serverInfo();
  const text = formatStatusReport({
    extension: { id: ext.id, version: String((ext.packageJSON as { version?: unknown }).version ?? 'unknown') },
    editor: { appName: vscode.env.appName, version: vscode.version, appHost: vscode.env.appHost },
    platform: { os: process.platform, arch: process.arch, node: process.versions.node },
    server: { state: s.store.server, notice: s.store.notice, name: info?.name, version: info?.version },
    model: s.store.model,
    modelError: s.store.modelError,
    settings: readSettings(),
    workspaceTrusted: vscode.workspace.isTrusted,
    log: recentLog(),
  });
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
  await vscode.window.showTextDocument(doc, { preview: false });
  return text;
}
