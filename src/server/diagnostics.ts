/**
 * Declared-category check, as arXiv moderators do it: a declared category the model finds unlikely while
 * another one is clearly likely gets a Warning at the declaration. Diagnostics go to the file that holds the
 * declaration (an \input'ed file gets its own URI) and are merged when several root documents touch one file.
 */
import type { Diagnostic } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { DeclaredCategory } from '../draft/types';
import type { Prediction } from '../model/types';
import { sameFile, toUri } from './paths';

export const DECLARED_MAX_P = 0.5;
export const SUGGESTED_MIN_P = 0.57;
export const DIAGNOSTIC_SOURCE = 'arXiv Classifier';

/** Warnings per file URI. `rootUri`/`rootPath` map declarations in the document itself to its own URI. */
export function declaredCategoryDiagnostics(
  declared: DeclaredCategory[],
  prediction: Prediction | undefined,
  root: { uri: string; fsPath?: string },
): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  if (!prediction) return out;
  for (const decl of declared) {
    const own = prediction.primary.find((s) => s.category === decl.category);
    if (!own || own.p >= DECLARED_MAX_P) continue; // unknown to the model: no opinion, no warning
    const better = prediction.primary.find((s) => s.category !== decl.category && s.p >= SUGGESTED_MIN_P);
    if (!better) continue;
    const file = decl.range.file;
    const isRoot = file === root.uri || (root.fsPath !== undefined && sameFile(file, root.fsPath));
    const uri = isRoot ? root.uri : toUri(file);
    const diagnostic: Diagnostic = {
      severity: DiagnosticSeverity.Warning,
      range: { start: decl.range.start, end: decl.range.end },
      message: `Declared ${decl.category} has p=${own.p.toFixed(2)}; the model suggests ${better.category} (p=${better.p.toFixed(2)})` +
        (better.name && better.name !== better.category ? ` — ${better.name}.` : '.'),
      source: DIAGNOSTIC_SOURCE,
      code: 'declared-category-mismatch',
    };
    const list = out.get(uri) ?? [];
    list.push(diagnostic);
    out.set(uri, list);
  }
  return out;
}

/** Remembers which root document published what on which file, so clearing one never clears another's. */
export class DiagnosticsStore {
  private readonly byFile = new Map<string, Map<string, Diagnostic[]>>();

  constructor(private readonly publish: (uri: string, diagnostics: Diagnostic[]) => void) {}

  /** Replaces everything `rootUri` published with `perFile`, republishing every file that changed. */
  set(rootUri: string, perFile: Map<string, Diagnostic[]>): void {
    const touched = new Set<string>(perFile.keys());
    for (const [file, roots] of this.byFile) if (roots.has(rootUri)) touched.add(file);
    for (const file of touched) {
      const roots = this.byFile.get(file) ?? new Map<string, Diagnostic[]>();
      const before = roots.get(rootUri);
      const after = perFile.get(file);
      if (after && after.length > 0) roots.set(rootUri, after);
      else roots.delete(rootUri);
      if (roots.size > 0) this.byFile.set(file, roots);
      else this.byFile.delete(file);
      if (JSON.stringify(before ?? []) !== JSON.stringify(after ?? [])) this.publish(file, unique([...roots.values()].flat()));
    }
  }

  clear(rootUri: string): void {
    this.set(rootUri, new Map());
  }
}

/** Two open files of one project (a chapter with `% !TEX root` and the root) report the same declaration once. */
function unique(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = JSON.stringify([d.range, d.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
