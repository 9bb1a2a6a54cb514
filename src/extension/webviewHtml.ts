/** HTML shell for the extension's webviews: strict CSP, one nonce per render, only local media/ assets. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

/** Webview options that allow scripts and nothing outside the extension's media/ folder. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

export interface WebviewPage {
  title: string;
  /** Paths relative to media/. */
  script: string;
  styles: string[];
  /** Static markup for <body>; must not contain user text (the script renders that). */
  body: string;
}

export function renderWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = makeNonce();
  const media = (p: string): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', p)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  const styles = page.styles.map((s) => `<link rel="stylesheet" nonce="${nonce}" href="${media(s)}">`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>${page.title}</title>
  </head>
  <body>
    ${page.body}
    <script nonce="${nonce}" src="${media(page.script)}"></script>
  </body>
</html>`;
}
