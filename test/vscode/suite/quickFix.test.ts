/**
 * One quick fix end to end in the real VS Code: the language server's declared-category warning, VS Code's own
 * code-action machinery (vscode.executeCodeActionProvider, as the lightbulb uses it), and the edit applied.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const VISION_DECLARED_CL = String.raw`% arXiv: cs.CL
\documentclass{article}
\title{Object Detection and Instance Segmentation from Camera Video}
\begin{document}
\maketitle
\begin{abstract}
We propose a convolutional network for object detection and pixel-level instance segmentation of images
and video frames. A feature pyramid over the image and a region proposal stage locate each object; a
mask head segments it. On COCO and Cityscapes our detector improves box and mask average precision over
strong baselines while running in real time on a single GPU, and it tracks objects across camera frames.
\end{abstract}
\end{document}
`;

async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 90_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const code = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);

describe('quick fix in VS Code (extension host, real server and model)', () => {
  let uri: vscode.Uri;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace folder is open');
    uri = vscode.Uri.joinPath(folder.uri, 'quickfix-vision.tex');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(VISION_DECLARED_CL, 'utf8'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  it('"Make cs.CV the primary (keep cs.CL as a cross-list)" rewrites % arXiv: and the warning goes away', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const warning = await waitFor('the declared-category warning', () =>
      vscode.languages.getDiagnostics(uri).find((d) => code(d) === 'declared-category-mismatch'),
    );
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(warning.range.start.line, 0);
    assert.match(warning.message, /^Declared primary cs\.CL: .* The model suggests cs\.CV/);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, warning.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.title === 'Make cs.CV the primary (keep cs.CL as a cross-list)');
    assert.ok(fix?.edit, `the quick fix is offered (got: ${titles.join(' | ')})`);
    assert.ok(titles.includes('Turn off the arXiv category check for this draft'));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(doc.lineAt(0).text, '% arXiv: cs.CV, cs.CL');
    await waitFor('the warning to go away', () => !vscode.languages.getDiagnostics(uri).some((d) => code(d) === 'declared-category-mismatch') || undefined);
    await doc.save();
  });
});
