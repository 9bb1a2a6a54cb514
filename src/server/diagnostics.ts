/**
 * Declared-category check, as arXiv moderators do it: a declared category the model finds unlikely while
 * another one is clearly likely gets a Warning at the declaration. Diagnostics go to the file that holds the
 * declaration (an \input'ed file gets its own URI) and are merged when several root documents touch one file.
 */
import type { Diagnostic } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { DeclaredCategory } from '../draft/types';
import { FALLBACK_LABEL, isArxivCategory } from '../model/arxivTaxonomy';
import type { Prediction } from '../model/types';
import { formatPercent } from '../shared/format';
import { sameFile, toUri } from './paths';

export const DECLARED_MAX_P = 0.5;
export const SUGGESTED_MIN_P = 0.57;
export const DIAGNOSTIC_SOURCE = 'arXiv Classifier';

/**
 * How likely the model finds a declared category: its own probability when it is one of the model's labels;
 * for a real arXiv category the model folds into `other`, at most p(other) (an upper bound, `atMost`).
 */
export function declaredProbability(category: string, prediction: Prediction): { p: number; atMost: boolean } | undefined {
  const own = prediction.primary.find((s) => s.category === category);
  if (own && category !== FALLBACK_LABEL) return { p: own.p, atMost: false };
  const other = prediction.primary.find((s) => s.category === FALLBACK_LABEL);
  if (other && isArxivCategory(category)) return { p: other.p, atMost: true };
  return undefined;
}

/**
 * Warnings per file URI. `rootUri`/`rootPath` map declarations in the document itself to its own URI.
 * Only the primary is checked, as on arXiv: the first declared category (`% arXiv: cs.CL, cs.LG` declares
 * cs.CL with a cross-list to cs.LG). The suggestion is always a real category, never the `other` bucket.
 */
export function declaredCategoryDiagnostics(
  declared: DeclaredCategory[],
  prediction: Prediction | undefined,
  root: { uri: string; fsPath?: string },
): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  const decl = declared[0];
  if (!prediction || !decl) return out;
  const file = decl.range.file;
  const isRoot = file === root.uri || (root.fsPath !== undefined && sameFile(file, root.fsPath));
  const uri = isRoot ? root.uri : toUri(file);
  const add = (d: Diagnostic): void => {
    out.set(uri, [...(out.get(uri) ?? []), d]);
  };
  const range = { start: decl.range.start, end: decl.range.end };
  if (!isArxivCategory(decl.category)) {
    add({
      severity: DiagnosticSeverity.Warning,
      range,
      message: `${decl.category} is not an arXiv category (see arxiv.org/category_taxonomy); it cannot be checked.`,
      source: DIAGNOSTIC_SOURCE,
      code: 'declared-category-unknown',
    });
    return out;
  }
  const own = declaredProbability(decl.category, prediction);
  if (!own || own.p >= DECLARED_MAX_P) return out;
  const better = prediction.primary.find((s) => s.category !== decl.category && s.category !== FALLBACK_LABEL && s.p >= SUGGESTED_MIN_P);
  if (!better) return out;
  const ownText = own.atMost
    ? `at most ${formatPercent(own.p)} (the model scores ${decl.category} only within "other categories")`
    : formatPercent(own.p);
  add({
    severity: DiagnosticSeverity.Warning,
    range,
    message:
      `Declared primary ${decl.category}: ${ownText}. The model suggests ${better.category} (${formatPercent(better.p)})` +
      (better.name && better.name !== better.category ? ` — ${better.name}.` : '.'),
    source: DIAGNOSTIC_SOURCE,
    code: 'declared-category-mismatch',
  });
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
