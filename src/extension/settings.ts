/** The `arxivClassifier.*` settings the extension reads (declared in package.json `contributes.configuration`). */
import * as vscode from 'vscode';

export const SECTION = 'arxivClassifier';

export interface ExtensionSettings {
  /** Model bundle folder; empty = the shipped default model. */
  modelPath: string;
  debounceMs: number;
  maxDocumentChars: number;
  /** Dataset offered first by "arXiv: Train Model"; empty = none. */
  trainingDataPath: string;
  trainingEpochs: number;
  showStatusBar: boolean;
  /** Time budget for reading one draft, in ms. */
  extractionTimeoutMs: number;
  /** Read \input'ed files outside the workspace folders (the server honours it in trusted workspaces only). */
  allowOutsideIncludes: boolean;
}

function clampInt(v: unknown, min: number, max: number, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : fallback;
}

export function readSettings(): ExtensionSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const str = (k: string): string => {
    const v = c.get<unknown>(k);
    return typeof v === 'string' ? v.trim() : '';
  };
  return {
    modelPath: str('modelPath'),
    debounceMs: clampInt(c.get('debounceMs'), 0, 60_000, 400),
    maxDocumentChars: clampInt(c.get('maxDocumentChars'), 1_000, 1_000_000_000, 2_000_000),
    trainingDataPath: str('trainingDataPath'),
    trainingEpochs: clampInt(c.get('trainingEpochs'), 1, 200, 5),
    showStatusBar: c.get('showStatusBar') !== false,
    extractionTimeoutMs: clampInt(c.get('extractionTimeoutMs'), 100, 60_000, 1000),
    allowOutsideIncludes: c.get('allowOutsideIncludes') === true,
  };
}

/** Resolves a possibly workspace-relative path setting (`${workspaceFolder}` or relative to the first folder). */
export function resolveSettingPath(p: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  let out = p.replace(/\$\{workspaceFolder\}/g, folder ?? '');
  if (folder && !/^([a-zA-Z]:)?[\\/]/.test(out)) out = vscode.Uri.joinPath(vscode.Uri.file(folder), out).fsPath;
  return out;
}
