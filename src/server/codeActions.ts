/**
 * Quick fixes (standard textDocument/codeAction with a WorkspaceEdit, so any LSP client can apply them) for the
 * category diagnostics, plus "Declare arXiv categories" on the title of a draft that declares none.
 */
import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver/node';
import { CodeActionKind } from 'vscode-languageserver/node';
import type { DeclaredCategory } from '../draft/types';
import type { Prediction } from '../model/types';
import { reviewCategories, sameCategory } from './arxivRules';
import { addCrossListEdits, declareEdit, makePrimaryEdits, noCheckEdit, removeCrossListEdits, type Edit } from './categoryEdits';
import { DIAGNOSTIC_SOURCE, type CategoryFix } from './diagnostics';

export interface CodeActionInput {
  uri: string;
  /** Current text of the document the request is about. */
  text: string;
  format: 'latex' | 'markdown';
  /** Categories declared in this document's current text, in order. */
  declared: DeclaredCategory[];
  /** The request's range and the diagnostics the client sends with it. */
  range: Range;
  diagnostics: Diagnostic[];
  /**
   * For the "declare" action: the title range in this document and the prediction, when the draft this document
   * belongs to declares no category.
   */
  undeclared?: { titleRange: Range; prediction: Prediction };
}

const OUR_CODES = new Set(['declared-category-mismatch', 'crosslist-suggested', 'crosslists-too-many', 'crosslist-unlikely', 'crosslist-automatic']);

function isFix(v: unknown): v is CategoryFix {
  const f = v as CategoryFix | undefined;
  return !!f && typeof f === 'object' && (f.kind === 'make-primary' || f.kind === 'add-crosslist') && typeof f.category === 'string' && /^[A-Za-z.-]{2,24}$/.test(f.category);
}

function samePosition(a: Range['start'], b: Range['start']): boolean {
  return a.line === b.line && a.character === b.character;
}

function intersects(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

export function categoryCodeActions(input: CodeActionInput): CodeAction[] {
  const actions: CodeAction[] = [];
  const make = (title: string, edits: Edit[], diagnostics: Diagnostic[], preferred = false): void => {
    if (!edits.length) return;
    actions.push({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics,
      ...(preferred ? { isPreferred: true } : {}),
      edit: { changes: { [input.uri]: edits } },
    });
  };
  const ours = input.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && OUR_CODES.has(String(d.code)));
  let offeredNoCheck = false;
  for (const d of ours) {
    // The declaration as it is now: the diagnostic's range starts at one of its tokens.
    const at = input.declared.findIndex((c) => samePosition(c.range.start, d.range.start));
    const fix = d.data;
    if (isFix(fix) && at >= 0) {
      const primaryIndex = fix.kind === 'make-primary' || at === 0 ? at : 0;
      const list = input.declared.slice(primaryIndex);
      const old = list[0]?.category;
      if (fix.kind === 'make-primary' && old && !sameCategory(old, fix.category)) {
        make(`Make ${fix.category} the primary (keep ${old} as a cross-list)`, makePrimaryEdits(input.text, list, fix.category, sameCategory), [d], true);
      } else if (fix.kind === 'add-crosslist' && !list.some((c) => sameCategory(c.category, fix.category))) {
        make(`Add ${fix.category} as a cross-list`, addCrossListEdits(input.text, list, fix.category), [d]);
      }
    }
    if (d.code === 'crosslist-unlikely' && at > 0) {
      const cat = input.declared[at].category;
      make(`Remove ${cat} from the cross-lists`, removeCrossListEdits(input.text, input.declared, at), [d]);
    }
    if (!offeredNoCheck && d.code === 'declared-category-mismatch') {
      offeredNoCheck = true;
      make('Turn off the arXiv category check for this draft', [noCheckEdit(input.text, input.format, d.range.start)], [d]);
    }
  }

  const u = input.undeclared;
  if (u && input.declared.length === 0 && intersects(input.range, u.titleRange)) {
    const set = reviewCategories([], u.prediction).proposedSet;
    if (set.primary) {
      const title = set.crossLists.length
        ? `Declare arXiv categories: ${set.primary}, cross-list ${set.crossLists.join(', ')}`
        : `Declare arXiv category: ${set.primary}`;
      make(title, [declareEdit(input.text, input.format, set.primary, set.crossLists)], []);
    }
  }
  return actions;
}
