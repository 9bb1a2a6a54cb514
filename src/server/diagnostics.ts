/**
 * Declared-category check, as arXiv moderators do it (rules and their sources: arxivRules.ts). Diagnostics go
 * to the file that holds the declaration (an \input'ed file gets its own URI) and are merged when several root
 * documents touch one file. Each diagnostic that has a quick fix carries it in `data` (see codeActions.ts).
 */
import type { Diagnostic } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { DeclaredCategory } from '../draft/types';
import { isArxivCategory } from '../model/arxivTaxonomy';
import type { Prediction } from '../model/types';
import { formatPercent } from '../shared/format';
import { ARXIV_RULES, canonicalCategory, reviewCategories } from './arxivRules';
import { sameFile, toUri } from './paths';

export const DECLARED_MAX_P = ARXIV_RULES.reclassification.declaredMaxP;
export const SUGGESTED_MIN_P = ARXIV_RULES.reclassification.proposalMinP;
export const DIAGNOSTIC_SOURCE = 'arXiv Classifier';

/** What a quick fix on a diagnostic does; travels in Diagnostic.data. */
export type CategoryFix = { kind: 'make-primary'; category: string } | { kind: 'add-crosslist'; category: string };

/**
 * Diagnostics per file URI. `root` maps declarations in the document itself to its own URI. The first declared
 * category is the primary (`% arXiv: cs.CL, cs.LG` declares cs.CL with a cross-list to cs.LG). `noCheck`
 * (`% arXiv: no-check`) silences all of them.
 */
export function declaredCategoryDiagnostics(
  declared: DeclaredCategory[],
  prediction: Prediction | undefined,
  root: { uri: string; fsPath?: string },
  opts: { noCheck?: boolean } = {},
): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  const decl = declared[0];
  if (!prediction || !decl || opts.noCheck) return out;
  const uriOf = (file: string): string => (file === root.uri || (root.fsPath !== undefined && sameFile(file, root.fsPath)) ? root.uri : toUri(file));
  const add = (at: DeclaredCategory, severity: DiagnosticSeverity, code: string, message: string, data?: CategoryFix): void => {
    const uri = uriOf(at.range.file);
    const d: Diagnostic = { severity, range: { start: at.range.start, end: at.range.end }, message, source: DIAGNOSTIC_SOURCE, code };
    if (data) d.data = data;
    out.set(uri, [...(out.get(uri) ?? []), d]);
  };
  if (!isArxivCategory(decl.category)) {
    add(decl, DiagnosticSeverity.Warning, 'declared-category-unknown', `${decl.category} is not an arXiv category (see arxiv.org/category_taxonomy); it cannot be checked.`);
    return out;
  }
  const review = reviewCategories(
    declared.map((d) => d.category),
    prediction,
  );
  const primary = review.primary;
  if (review.proposal && primary) {
    const ownText = primary.atMost
      ? `at most ${formatPercent(primary.p ?? 0)} (the model scores ${decl.category} only within "other categories")`
      : formatPercent(primary.p ?? 0);
    const better = review.proposal;
    add(
      decl,
      DiagnosticSeverity.Warning,
      'declared-category-mismatch',
      `Declared primary ${decl.category}: ${ownText}. The model suggests ${better.category} (${formatPercent(better.p)})` +
        (better.name && better.name !== better.category ? ` — ${better.name}.` : '.'),
      { kind: 'make-primary', category: better.category },
    );
  }
  const auto = review.automaticCrossList;
  let declaredCrossLists = 0;
  for (const x of review.crossLists) {
    const at = declared[x.index];
    if (!at) continue;
    if (!x.automatic) declaredCrossLists += 1;
    if (x.automatic && auto) {
      add(at, DiagnosticSeverity.Information, 'crosslist-automatic', `arXiv adds ${auto.category} as a cross-list to every ${auto.forPrimary} primary by itself; declaring it is not needed.`);
    } else if (x.beyondAdvised) {
      add(
        at,
        DiagnosticSeverity.Information,
        'crosslists-too-many',
        `Cross-list ${x.category} is cross-list number ${declaredCrossLists}: arXiv's guidance is that more than one or two cross-lists is rarely appropriate (arxiv.org/help/cross).`,
      );
    }
    if (x.unlikely && x.p !== undefined) {
      add(
        at,
        DiagnosticSeverity.Hint,
        'crosslist-unlikely',
        `Cross-list ${x.category}: the model finds it very unlikely (${formatPercent(x.p)}, below ${formatPercent(ARXIV_RULES.crossLists.unlikelyBelowP)} on its cross-list head). Is it really of interest to ${x.category} readers?`,
      );
    }
  }
  // Suggest only as many cross-lists as arXiv's advised one or two leave room for.
  const room = ARXIV_RULES.crossLists.advisedMax - declaredCrossLists;
  if (room > 0) {
    const primaryNow = canonicalCategory(review.proposal?.category ?? decl.category);
    for (const s of review.suggestedCrossLists.filter((x) => x.category !== primaryNow).slice(0, room)) {
      add(decl, DiagnosticSeverity.Hint, 'crosslist-suggested', `The model suggests ${s.category} as a cross-list (${formatPercent(s.p)}) — ${s.name}.`, {
        kind: 'add-crosslist',
        category: s.category,
      });
    }
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
