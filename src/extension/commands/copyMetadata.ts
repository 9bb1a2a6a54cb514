/**
 * "arXiv: Copy arXiv Metadata": puts the draft's title and abstract, in arXiv's plain-text metadata form
 * (computed by the server's preflight: macros expanded, citations removed, math kept as TeX, ASCII with TeX
 * accents), on the clipboard. Classifies first when the server has no result for the current version yet.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../shared/errors';
import type { Services } from '../services';
import { classifyDocument } from './classify';

/** The copied text: title, blank line, abstract (what arXiv's form takes in its two fields). */
export function metadataText(m: { title: string; abstract: string }): string {
  return `${m.title}\n\n${m.abstract}\n`;
}

/** Command handler; returns the copied text (tests read it) or undefined when nothing was copied. */
export async function copyMetadataCommand(s: Services): Promise<string | undefined> {
  const doc = s.currentDocument();
  if (!doc) {
    void vscode.window.showWarningMessage('arXiv: open a LaTeX or Markdown draft (.tex, .md, .qmd, .Rmd) first.');
    return undefined;
  }
  let result = s.store.get(doc.uri);
  try {
    if (!result?.preflight || result.version !== doc.version) result = (await classifyDocument(s, doc)) ?? undefined;
  } catch (e) {
    void vscode.window.showErrorMessage(`arXiv: could not read the draft's metadata: ${errorMessage(e)}`);
    return undefined;
  }
  const meta = result?.preflight?.metadata;
  if (!meta || (!meta.title && !meta.abstract)) {
    void vscode.window.showWarningMessage(`arXiv: no title or abstract found to copy. ${result?.message ?? ''}`.trim());
    return undefined;
  }
  const text = metadataText(meta);
  await vscode.env.clipboard.writeText(text);
  const missing = !meta.title ? ' (no title found)' : !meta.abstract ? ' (no abstract found)' : '';
  void vscode.window.showInformationMessage(`arXiv: copied the title and abstract in arXiv's plain-text form (abstract: ${meta.abstract.length.toLocaleString('en-US')} of 1,920 characters)${missing}.`);
  return text;
}
