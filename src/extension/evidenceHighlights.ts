/**
 * Evidence highlights in the editor: the strongest words and phrases behind the prediction, coloured by the
 * category they pull toward (top category / runner-up; contributed, theme-aware colours). They belong to one
 * document version: after an edit they disappear until the server sends the new version's evidence.
 * The hover text comes from the language server (it knows the evidence too).
 */
import * as vscode from 'vscode';
import { COMMANDS } from './commandIds';
import type { ClassificationStore } from './classificationStore';
import { readSettings, SECTION } from './settings';
import type { SettingKey } from '../shared/settings';
import { evidenceSides } from '../shared/evidence';
import type { SourceRange } from '../draft/types';

export const TOGGLE_EVIDENCE_COMMAND = COMMANDS.toggleEvidenceHighlights;
export const EVIDENCE_SETTING: SettingKey = 'evidenceHighlights';
/** Highlighted items per side: enough to see the pattern, few enough not to paint the whole abstract. */
export const HIGHLIGHTS_PER_SIDE = 6;

export function evidenceHighlightsEnabled(): boolean {
  return readSettings().evidenceHighlights;
}

/** Flips the setting where it is set (workspace if it has a value there, else user settings). */
export async function toggleEvidenceHighlights(): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const inspected = cfg.inspect<boolean>(EVIDENCE_SETTING);
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await cfg.update(EVIDENCE_SETTING, !evidenceHighlightsEnabled(), target);
}

function decoration(side: 'Top' | 'RunnerUp'): vscode.TextEditorDecorationType {
  return vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor(`arxivClassifier.evidenceFor${side}Background`),
    borderRadius: '2px',
    // high-contrast themes draw a border instead of relying on a faint background
    border: '1px solid',
    borderColor: new vscode.ThemeColor(`arxivClassifier.evidenceFor${side}Border`),
    overviewRulerColor: new vscode.ThemeColor(`arxivClassifier.evidenceFor${side}Background`),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
}

/** A range as the server sent it, checked before it becomes a vscode.Range (the server is another process). */
function validRange(r: SourceRange): boolean {
  const ok = (p: { line: number; character: number } | undefined) => !!p && Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0;
  return typeof r?.file === 'string' && ok(r.start) && ok(r.end);
}

function sameFile(rangeFile: string, doc: vscode.TextDocument): boolean {
  return rangeFile === doc.uri.fsPath || rangeFile === doc.uri.toString() || (doc.uri.scheme === 'file' && vscode.Uri.file(rangeFile).fsPath === doc.uri.fsPath);
}

export class EvidenceHighlights implements vscode.Disposable {
  private readonly forTop = decoration('Top');
  private readonly forRunnerUp = decoration('RunnerUp');
  private readonly disposables: vscode.Disposable[] = [];
  /** What is painted per editor document URI (for tests through the extension API). */
  private readonly painted = new Map<string, { forTop: vscode.Range[]; forRunnerUp: vscode.Range[] }>();

  constructor(private readonly store: ClassificationStore) {
    this.disposables.push(
      this.forTop,
      this.forRunnerUp,
      store.onDidChange(() => this.refresh()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.refresh()),
      vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length > 0 && this.refresh()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(`${SECTION}.${EVIDENCE_SETTING}`) && this.refresh()),
    );
  }

  refresh(): void {
    const enabled = evidenceHighlightsEnabled();
    for (const editor of vscode.window.visibleTextEditors) {
      const doc = editor.document;
      const result = this.store.get(doc.uri);
      const e = result?.evidence;
      let forTop: vscode.Range[] = [];
      let forRunnerUp: vscode.Range[] = [];
      if (enabled && e && result.version === doc.version) {
        const { forTop: top, forRunnerUp: runnerUp } = evidenceSides(e, HIGHLIGHTS_PER_SIDE);
        const toRanges = (items: typeof top) =>
          items.flatMap((i) => (Array.isArray(i.ranges) ? i.ranges : []).filter((r) => validRange(r) && sameFile(r.file, doc)).map((r) => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character)));
        forTop = toRanges(top);
        forRunnerUp = toRanges(runnerUp);
      }
      editor.setDecorations(this.forTop, forTop);
      editor.setDecorations(this.forRunnerUp, forRunnerUp);
      this.painted.set(doc.uri.toString(), { forTop, forRunnerUp });
    }
  }

  /** Painted ranges of a document as [line, character, line, character] (empty when none). */
  highlights(uri: vscode.Uri): { forTop: number[][]; forRunnerUp: number[][] } {
    const p = this.painted.get(uri.toString());
    const flat = (rs: vscode.Range[] | undefined) => (rs ?? []).map((r) => [r.start.line, r.start.character, r.end.line, r.end.character]);
    return { forTop: flat(p?.forTop), forRunnerUp: flat(p?.forRunnerUp) };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Opens the draft at the `occurrence`-th place of an evidence term of its current result and selects it. */
export async function revealEvidence(doc: vscode.TextDocument | undefined, store: ClassificationStore, term: string, occurrence: number): Promise<boolean> {
  if (!doc) return false;
  const item = store.get(doc.uri)?.evidence?.items.find((i) => i.term === term);
  const r = item?.ranges[occurrence] ?? item?.ranges[0];
  if (!r || !validRange(r)) return false;
  const uri = sameFile(r.file, doc) ? doc.uri : vscode.Uri.file(r.file);
  const sel = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
  await vscode.window.showTextDocument(uri, { selection: sel, preserveFocus: false });
  return true;
}
