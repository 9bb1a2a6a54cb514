/**
 * The one place where draft extraction touches the disk (server, model-free CLI path and draft worker).
 *
 * Least access: a draft may pull in files of its own project only. Includes (`\input`, `\import`,
 * `% !TEX root`, subfiles parents) are resolved inside the allowed folders (the workspace folders, or the
 * draft's own folder tree), after symlinks are resolved, unless the user allowed outside includes (a setting
 * the server never honours in an untrusted workspace). Only regular files are read, with a byte cap counted
 * while reading (stat sizes lie: /proc files report 0 and never end), never FIFOs, devices, sockets or
 * pseudo file systems.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeDraftBytes } from './inputGuards';
import { isInside, readRegularFile } from '../shared/regularFile';

export interface FileAccessPolicy {
  /** Absolute folders includes may come from (symlinks in them are resolved before comparing). */
  roots: string[];
  /** Read includes outside `roots` too (arxivClassifier.allowOutsideIncludes / --allow-outside-includes). */
  allowOutside: boolean;
  /** Most bytes read from one file. */
  maxBytes: number;
  /** How the user allows outside files, for the warning: a setting name or a command-line flag. */
  allowHint: string;
}

/** Resolves symlinks of `p`, or of its deepest existing ancestor for paths that do not exist (yet). */
function realOrNearest(p: string): string {
  const rest: string[] = [];
  let cur = p;
  for (;;) {
    try {
      return path.join(fs.realpathSync(cur), ...rest.reverse());
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return p;
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}

/**
 * A policy applied to one extraction: `readFile` is what ExtractOptions.readFile expects (undefined for
 * missing or refused files); every refusal is remembered so the draft's warnings can say what was skipped
 * and how to allow it. `overlay` holds the unsaved text of open editors (by absolute path); it wins over
 * the disk but obeys the same folder rule.
 */
export class FileAccess {
  private readonly realRoots: string[];
  private readonly outside = new Set<string>();
  private readonly refused: string[] = [];
  /** Paths refused for a reason the warnings explain (outside the folders, special or too large). */
  private readonly refusedPaths = new Set<string>();
  /** Absolute paths of the files that were read (overlay or disk). */
  readonly read: string[] = [];

  constructor(
    readonly policy: FileAccessPolicy,
    private readonly overlay: ReadonlyMap<string, string> = new Map(),
  ) {
    this.realRoots = [...new Set(policy.roots.map((r) => realOrNearest(path.resolve(r))))];
  }

  /** Whether `absolutePath` (symlinks resolved) may be read under this policy. */
  allows(absolutePath: string): boolean {
    if (this.policy.allowOutside) return true;
    const real = realOrNearest(path.resolve(absolutePath));
    return this.realRoots.some((root) => isInside(real, root));
  }

  /** The allowed folder that holds `absolutePath`, if any (for limiting the search of ancestor folders). */
  rootOf(absolutePath: string): string | undefined {
    const p = path.resolve(absolutePath);
    const lexical = this.policy.roots.map((r) => path.resolve(r)).filter((r) => isInside(p, r));
    return lexical.sort((a, b) => b.length - a.length)[0];
  }

  readFile = (absolutePath: string): string | undefined => {
    const p = path.resolve(absolutePath);
    if (!this.allows(p)) {
      this.outside.add(p);
      this.refusedPaths.add(p);
      return undefined;
    }
    const open = this.overlay.get(p);
    if (open !== undefined) {
      this.read.push(p);
      return open;
    }
    const r = readRegularFile(p, this.policy.maxBytes);
    if (!r.ok) {
      if (!r.missing) {
        this.refused.push(r.reason);
        this.refusedPaths.add(p);
      }
      return undefined;
    }
    this.read.push(p);
    const decoded = decodeDraftBytes(r.bytes);
    this.refused.push(...decoded.warnings.map((w) => `${path.basename(p)}: ${w}`));
    return decoded.text ?? '';
  };

  /** Whether `absolutePath` was refused (not merely missing): the warnings below explain it. */
  wasRefused = (absolutePath: string): boolean => this.refusedPaths.has(path.resolve(absolutePath));

  /** What was skipped, for the draft's warnings (each problem once). */
  warnings(): string[] {
    const out = [...new Set(this.refused)];
    if (this.outside.size) {
      const names = [...this.outside];
      const where = this.policy.roots.length ? this.policy.roots.join(', ') : 'the draft\'s folder';
      out.push(
        `Not read: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''} ` +
          `(outside ${where}; includes are read only from the paper's own folders). ` +
          `To read files outside, use ${this.policy.allowHint}.`,
      );
    }
    return out;
  }
}
