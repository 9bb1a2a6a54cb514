import * as path from 'node:path';
import { toFsPath, texCandidates } from './paths';

/** How far into a file the magic comment is looked for (TeXShop and LaTeX Workshop read the top lines). */
const HEADER_CHARS = 4000;

/** The value of a `% !TEX root = ../main.tex` magic comment (case-insensitive), if any. */
export function texRootComment(text: string): string | undefined {
  const m = /^[ \t]*%[ \t]*!T[Ee]X[ \t]+root[ \t]*=[ \t]*(.+?)[ \t]*$/im.exec(text.slice(0, HEADER_CHARS));
  return m ? m[1].replace(/^"(.*)"$/, '$1') : undefined;
}

/** The main file of a `\documentclass[../main.tex]{subfiles}` child. */
export function subfilesParent(text: string): string | undefined {
  const m = /\\documentclass[ \t]*\[([^\]]+)\][ \t]*\{subfiles\}/.exec(text.slice(0, HEADER_CHARS));
  return m ? m[1].trim() : undefined;
}

/**
 * Absolute path of the root document named by `% !TEX root = ...` (or by a subfiles child's
 * \documentclass[../main.tex]{subfiles}), resolved against the directory of `fileName`.
 * Returns undefined when there is no such comment or when `readFile` cannot read the target.
 */
export function findTexRoot(
  text: string,
  fileName: string,
  readFile: (absolutePath: string) => string | undefined,
): string | undefined {
  const fsPath = toFsPath(fileName);
  if (!fsPath) return undefined;
  const declared = texRootComment(text) ?? subfilesParent(text);
  if (!declared) return undefined;
  for (const candidate of texCandidates(path.dirname(fsPath), declared)) {
    if (candidate === fsPath) return undefined;
    try {
      if (readFile(candidate) !== undefined) return candidate;
    } catch {
      // Unreadable: try the next spelling, then give up.
    }
  }
  return undefined;
}
