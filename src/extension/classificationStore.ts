/**
 * The latest classification per document and the current model, fed by the server's notifications and
 * by explicit requests. The sidebar and the status bar render from here.
 */
import * as vscode from 'vscode';
import type { DocumentClassification, ModelInfoDto } from '../shared/protocol';
import type { ServerState } from './webview/messages';

export class ClassificationStore implements vscode.Disposable {
  private readonly results = new Map<string, DocumentClassification>();
  private readonly pendingUris = new Set<string>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  model: ModelInfoDto | undefined;
  server: ServerState = 'starting';
  notice: string | undefined;

  get(uri: vscode.Uri | string): DocumentClassification | undefined {
    return this.results.get(uri.toString());
  }

  isPending(uri: vscode.Uri | string): boolean {
    return this.pendingUris.has(uri.toString());
  }

  setPending(uri: vscode.Uri | string, pending: boolean): void {
    const key = uri.toString();
    if (pending) this.pendingUris.add(key);
    else this.pendingUris.delete(key);
    this.changed.fire();
  }

  /** Keeps the newer result: an older document version never replaces a newer one. */
  put(result: DocumentClassification): void {
    const key = normalizeUri(result.uri);
    const old = this.results.get(key);
    if (old && old.version > result.version) return;
    this.results.set(key, result);
    this.pendingUris.delete(key);
    this.changed.fire();
  }

  forget(uri: vscode.Uri): void {
    if (this.results.delete(uri.toString())) this.changed.fire();
  }

  setModel(model: ModelInfoDto | undefined): void {
    this.model = model;
    this.changed.fire();
  }

  setServer(state: ServerState, notice?: string): void {
    this.server = state;
    this.notice = notice;
    if (state !== 'running') this.pendingUris.clear();
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The server echoes URIs in LSP form; vscode.Uri.toString() may encode differently (e.g. ':' in drive letters). */
export function normalizeUri(uri: string): string {
  try {
    return vscode.Uri.parse(uri).toString();
  } catch {
    return uri;
  }
}
