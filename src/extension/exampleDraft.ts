/**
 * "arXiv: Open Example Draft" (used by the Get Started walkthrough): the example draft shipped in the VSIX
 * (examples/draft.tex) opened as a new untitled LaTeX file, so that edits never touch the installed extension.
 */
import * as vscode from 'vscode';
import { COMMANDS } from './commandIds';

export const OPEN_EXAMPLE_DRAFT_COMMAND = COMMANDS.openExampleDraft;
/** Relative to the extension root; .vscodeignore ships exactly this file from examples/. */
export const EXAMPLE_DRAFT_PATH = ['examples', 'draft.tex'] as const;
/** The example is a few lines; anything larger is not the file we shipped. */
const MAX_EXAMPLE_BYTES = 64 * 1024;

export async function openExampleDraft(extensionUri: vscode.Uri): Promise<vscode.TextEditor | undefined> {
  const uri = vscode.Uri.joinPath(extensionUri, ...EXAMPLE_DRAFT_PATH);
  try {
    const { size } = await vscode.workspace.fs.stat(uri);
    if (size > MAX_EXAMPLE_BYTES) throw new Error(`${uri.fsPath} is ${size} bytes, larger than the shipped example`);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const doc = await vscode.workspace.openTextDocument({ language: 'latex', content: text });
    return await vscode.window.showTextDocument(doc);
  } catch (e) {
    void vscode.window.showErrorMessage(`arXiv: the example draft could not be opened: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}
