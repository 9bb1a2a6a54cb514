/**
 * Where else an `\input{latex/sections/abstract}` is looked for when it is not beside the including file.
 * TeX resolves \input against the folder it runs in: the root file's folder, or - for projects compiled
 * from a folder above (latexmk -cd-, LaTeX Workshop's root detection, Makefiles) - one of its ancestors.
 */
import * as path from 'node:path';
import { isInside } from '../shared/regularFile';

/**
 * Folders to try, in order, after `includerDir`: the root file's folder, then each ancestor of it up to
 * and including `limit` (the workspace folder holding the project). None above `limit`, none without it.
 */
export function fallbackDirs(includerDir: string, rootDir: string, limit: string | undefined): string[] {
  const dirs: string[] = [];
  if (rootDir !== includerDir) dirs.push(rootDir);
  if (!limit || !isInside(rootDir, limit)) return dirs;
  for (let dir = rootDir; dir !== limit; ) {
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
    if (dir !== includerDir) dirs.push(dir);
  }
  return dirs;
}
