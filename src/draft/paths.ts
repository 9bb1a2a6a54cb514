import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** File-system path of a document name that may be a `file://` URI; undefined for other URIs (`untitled:`). */
export function toFsPath(fileName: string): string | undefined {
  if (fileName.startsWith('file://')) {
    try {
      return fileURLToPath(fileName);
    } catch {
      return undefined;
    }
  }
  // A URI scheme (but not a Windows drive letter such as C:).
  if (/^[a-z][a-z0-9+.-]+:/i.test(fileName)) return undefined;
  return path.resolve(fileName);
}

/** Candidate paths for `\input{name}`: LaTeX adds `.tex` when the name has no extension. */
export function texCandidates(baseDir: string, name: string): string[] {
  const p = path.resolve(baseDir, name);
  return path.extname(name) === '' ? [`${p}.tex`, p] : name.endsWith('.tex') ? [p] : [p, `${p}.tex`];
}
