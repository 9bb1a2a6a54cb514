/** Conversions between LSP document URIs and file-system paths. */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The file-system path of a `file:` URI, or undefined for other schemes (untitled:, vscode-notebook-cell:...). */
export function uriToFsPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** True when `s` is already a URI (scheme:...), not a path; a Windows drive letter (C:\) is a path. */
export function isUri(s: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(s) && !/^[a-zA-Z]:[\\/]/.test(s);
}

/** The URI for a path or URI string found in a SourceRange. */
export function toUri(fileOrUri: string): string {
  return isUri(fileOrUri) ? fileOrUri : pathToFileURL(fileOrUri).href;
}

/** Whether two path-or-URI strings name the same file. */
export function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  const pa = isUri(a) ? uriToFsPath(a) : path.resolve(a);
  const pb = isUri(b) ? uriToFsPath(b) : path.resolve(b);
  return pa !== undefined && pa === pb;
}
