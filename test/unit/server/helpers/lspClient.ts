/**
 * A real LSP client connection to a server child process over Node IPC (what vscode-languageclient's
 * TransportKind.ipc does), with helpers to wait for notifications.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  IPCMessageReader,
  IPCMessageWriter,
  type Hover,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type RequestParam,
  type RequestType,
} from 'vscode-languageserver/node';
import type { DocumentClassification, InitializationOptions, ModelChangedParams, TrainEventMessage } from '../../../../src/shared/protocol';
import { Notifications } from '../../../../src/shared/protocol';

export interface StartOptions {
  /** Server module (a .js bundle, or a .ts file run through tsx). */
  module: string;
  /** Locations and trust (InitializationOptions): defaultModelDir, trainingDir, workspaceTrusted. */
  initializationOptions: InitializationOptions;
  /** The arxivClassifier section the client serves when the server pulls workspace/configuration. */
  settings?: Record<string, unknown>;
  /** Workspace folders (paths) the client announces; none by default. */
  workspaceFolders?: string[];
}

export class TestClient {
  readonly classifications: DocumentClassification[] = [];
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  readonly trainEvents: TrainEventMessage[] = [];
  readonly modelChanges: ModelChangedParams[] = [];
  private waiters: (() => void)[] = [];
  private versions = new Map<string, number>();
  private settings: Record<string, unknown> = {};
  /** How often the server pulled the settings. */
  private pulls = 0;
  private hold: { arrived: () => void; released: Promise<void> } | undefined;

  private constructor(
    readonly child: ChildProcess,
    readonly conn: ProtocolConnection,
  ) {
    const notify = () => this.notifyWaiters();
    conn.onNotification(Notifications.classificationChanged, (c) => {
      this.classifications.push(c);
      notify();
    });
    conn.onNotification('textDocument/publishDiagnostics', (d: PublishDiagnosticsParams) => {
      this.diagnostics.push(d);
      notify();
    });
    conn.onNotification(Notifications.trainEvent, (e) => {
      this.trainEvents.push(e);
      notify();
    });
    conn.onNotification(Notifications.modelChanged, (m) => {
      this.modelChanges.push(m);
      notify();
    });
    conn.onNotification('window/logMessage', (m: { message: string }) => {
      this.logs.push(m.message);
      notify();
    });
    conn.onNotification('window/showMessage', (m: { message: string }) => {
      this.logs.push(`[showMessage] ${m.message}`);
      notify();
    });
  }

  static async start(opts: StartOptions): Promise<TestClient> {
    const ts = opts.module.endsWith('.ts');
    const child = fork(opts.module, ['--node-ipc'], {
      execArgv: ts ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout?.on('data', (d: Buffer) => (stderr += d.toString()));
    const conn = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const client = new TestClient(child, conn);
    client.settings = opts.settings ?? {};
    // The pull model, as VS Code answers it: one result per requested section.
    conn.onRequest(ConfigurationRequest.type, async (params) => {
      const hold = client.hold;
      client.hold = undefined;
      if (hold) {
        hold.arrived();
        await hold.released;
      }
      client.pulls += 1;
      setImmediate(() => client.notifyWaiters());
      return params.items.map((item) => (item.section === 'arxivClassifier' ? client.settings : null));
    });
    conn.listen();
    child.once('exit', (code) => {
      if (code !== 0 && code !== null) client.logs.push(`[server exited ${code}] ${stderr}`);
    });
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: opts.workspaceFolders?.length ? pathToFileURL(opts.workspaceFolders[0]).href : null,
      workspaceFolders: opts.workspaceFolders?.map((p) => ({ uri: pathToFileURL(p).href, name: p })) ?? null,
      capabilities: { workspace: { configuration: true } },
      initializationOptions: opts.initializationOptions,
    });
    await conn.sendNotification('initialized', {});
    return client;
  }

  private notifyWaiters(): void {
    const ws = this.waiters;
    this.waiters = [];
    ws.forEach((w) => w());
  }

  /**
   * Holds the answer to the server's next settings pull (a slow client): `arrived` resolves when the server has
   * asked, and the answer (the settings at that moment) goes out on `release()`.
   */
  holdNextPull(): { arrived: Promise<void>; release: () => void } {
    let arrived: () => void = () => undefined;
    let release: () => void = () => undefined;
    const arrivedP = new Promise<void>((r) => (arrived = r));
    const released = new Promise<void>((r) => (release = r));
    this.hold = { arrived, released };
    return { arrived: arrivedP, release };
  }

  /** Says the settings changed without waiting for the server to pull them. */
  notifySettingsChanged(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    return this.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  /**
   * Changes the settings the client serves and says so; resolves once the server pulled them (it never reads
   * the notification's payload).
   */
  async setSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    const before = this.pulls;
    await this.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await this.waitFor('the server to pull the settings', () => (this.pulls > before ? true : undefined));
  }

  /** Resolves with the first value `probe` returns that is not undefined, re-checked on each notification. */
  waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}. Logs:\n${this.logs.join('\n')}`)), timeoutMs);
      const check = () => {
        let v: T | undefined;
        try {
          v = probe();
        } catch (e) {
          clearTimeout(timer);
          reject(e);
          return;
        }
        if (v !== undefined) {
          clearTimeout(timer);
          resolve(v);
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }

  /** The classification of `uri` at `version` (waits for it). */
  classificationOf(uri: string, version: number, timeoutMs?: number): Promise<DocumentClassification> {
    return this.waitFor(`classification of ${uri} v${version}`, () => this.classifications.find((c) => c.uri === uri && c.version === version), timeoutMs);
  }

  /** The diagnostics most recently published for `uri`. */
  latestDiagnostics(uri: string): PublishDiagnosticsParams | undefined {
    return [...this.diagnostics].reverse().find((d) => d.uri === uri);
  }

  open(uri: string, text: string, languageId = 'latex'): void {
    this.versions.set(uri, 1);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text; returns the new version. */
  change(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  close(uri: string): void {
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  /** A request as the extension sends it: types from the shared descriptor. */
  request<P, R, E>(type: RequestType<P, R, E>, params: RequestParam<P>): Promise<R> {
    return this.conn.sendRequest(type, params);
  }

  /** A request with arbitrary params (hostile-input tests); the result is unchecked. */
  requestUntyped(method: string, params: unknown): Promise<unknown> {
    return this.conn.sendRequest(method, params);
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    this.conn.dispose();
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.child.kill();
        resolve();
      }, 2000);
      this.child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

export const fileUri = (p: string): string => pathToFileURL(p).href;
