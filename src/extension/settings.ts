/** The `arxivClassifier.*` settings as the extension reads them: the table in shared/settings, via VS Code. */
import * as vscode from 'vscode';
import { parseSettings, SECTION, type Settings } from '../shared/settings';

export { SECTION };

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return parseSettings((key) => c.get<unknown>(key));
}

/** Resolves a possibly workspace-relative path setting (`${workspaceFolder}` or relative to the first folder). */
export function resolveSettingPath(p: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  let out = p.replace(/\$\{workspaceFolder\}/g, folder ?? '');
  if (folder && !/^([a-zA-Z]:)?[\\/]/.test(out)) out = vscode.Uri.joinPath(vscode.Uri.file(folder), out).fsPath;
  return out;
}
