/**
 * The extension's output channel, wrapped so that the last lines written to it (by the extension and by the
 * language client: server logs, traces) can go into "arXiv: Show Status / Report Issue". A LogOutputChannel
 * cannot be read back, hence the copy.
 */
import type * as vscode from 'vscode';
import { errorMessage } from '../shared/errors';

const RECORDED = new Set(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine']);
/** Long traces (verbose mode) are cut: the report wants the shape of what happened, not every payload. */
const MAX_LINE = 400;

export interface RecordingChannel {
  readonly channel: vscode.LogOutputChannel;
  /** The last lines, oldest first. */
  lines(): string[];
}

export function recordingOutputChannel(inner: vscode.LogOutputChannel, keep = 200): RecordingChannel {
  const lines: string[] = [];
  let partial = '';
  const push = (line: string): void => {
    lines.push(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line);
    if (lines.length > keep) lines.splice(0, lines.length - keep);
  };
  const record = (method: string, args: unknown[]): void => {
    const text = args[0] instanceof Error ? errorMessage(args[0]) : String(args[0] ?? '');
    if (method === 'append' || method === 'appendLine') {
      const all = partial + text + (method === 'appendLine' ? '\n' : '');
      const parts = all.split('\n');
      partial = parts.pop() ?? '';
      parts.forEach(push);
    } else {
      for (const l of text.split('\n')) push(`${new Date().toISOString()} [${method}] ${l}`);
    }
  };
  const channel = new Proxy(inner, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (typeof prop === 'string' && RECORDED.has(prop)) {
        return (...args: unknown[]) => {
          record(prop, args);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
  return { channel, lines: () => (partial ? [...lines, partial] : [...lines]) };
}
