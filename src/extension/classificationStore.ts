/**
 * The latest classification per document and the current model, fed by the server's notifications and
 * by explicit requests. The sidebar and the status bar render from here.
 */
import * as vscode from 'vscode';
import type { DocumentClassification, ModelInfoDto } from '../shared/protocol';
import type { ServerState } from '../shared/ui';

export class ClassificationStore implements vscode.Disposable {
  private readonly results = new Map<string, DocumentClassification>();
  /** Documents waiting for a result, with the version it must reach (0: any result will do). */
  private readonly pendingUris = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  model: ModelInfoDto | undefined;
  /** Why the last model load failed (the server pushes it with arxiv/modelChanged). */
  modelError: string | undefined;
  server: ServerState = 'starting';
  notice: string | undefined;

  get(uri: vscode.Uri | string): DocumentClassification | undefined {
    return this.results.get(uri.toString());
  }

  isPending(uri: vscode.Uri | string): boolean {
    return this.pendingUris.has(uri.toString());
  }

  setPending(uri: vscode.Uri | string, pending: boolean, version = 0): void {
    const key = uri.toString();
    const was = this.pendingUris.has(key);
    if (pending) this.pendingUris.set(key, Math.max(version, this.pendingUris.get(key) ?? 0));
    else this.pendingUris.delete(key);
    // Typing marks the document pending on every keystroke: repaint only when the flag flips.
    if (was !== pending) this.changed.fire();
  }

  /** Keeps the newer result: an older document version never replaces a newer one. */
  put(result: DocumentClassification): void {
    const key = normalizeUri(result.uri);
    const old = this.results.get(key);
    if (old && old.version > result.version) return;
    this.results.set(key, result);
    if (result.version >= (this.pendingUris.get(key) ?? 0)) this.pendingUris.delete(key);
    this.changed.fire();
  }

  forget(uri: vscode.Uri): void {
    if (this.results.delete(uri.toString())) this.changed.fire();
  }

  setModel(model: ModelInfoDto | undefined, error?: string): void {
    this.model = model;
    this.modelError = error;
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
