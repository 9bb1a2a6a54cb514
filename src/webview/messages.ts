/**
 * Messages between the extension and its webviews, and the validators the extension runs on every
 * message a webview sends (a webview is untrusted input: it renders document text).
 * Pure TypeScript, no `vscode` import, so the webview bundles and unit tests can use it too.
 */
import type { DocumentClassification, ModelInfoDto } from '../shared/protocol';
import { isArxivId } from '../shared/arxivId';

import type { ServerState } from '../shared/ui';

/** Everything the sidebar renders; sent whole on every change (it is small). */
export interface SidebarState {
  /** The document the sidebar is about (the active LaTeX/Markdown editor), if any. */
  document?: { uri: string; fileName: string; languageId: string };
  classification?: DocumentClassification;
  model?: ModelInfoDto;
  server: ServerState;
  /** A classification for the document was requested and has not arrived yet. */
  pending: boolean;
  /** One-line note shown above everything (e.g. "the model failed to load"). */
  notice?: string;
}

export type ExtensionToSidebar = { type: 'state'; state: SidebarState };

/** Commands the sidebar's buttons may trigger, by name (never a free command id). */
export const SIDEBAR_COMMANDS = ['classify', 'train', 'selectModel', 'showReport', 'copyMetadata'] as const;
export type SidebarCommand = (typeof SIDEBAR_COMMANDS)[number];

export type SidebarToExtension =
  | { type: 'ready' }
  | { type: 'command'; command: SidebarCommand }
  /** Jump to where the title or abstract was found. */
  | { type: 'reveal'; target: 'title' | 'abstract' }
  /** Open a similar paper's arXiv abstract page (user click; the id is validated). */
  | { type: 'openPaper'; id: string }
  /** Jump to the occurrence-th place of an evidence term of the current result. */
  | { type: 'revealEvidence'; term: string; occurrence: number };

/** Longest evidence term a webview may name (terms are one or two words). */
export const MAX_TERM_CHARS = 200;

export type ExtensionToReport =
  | { type: 'report'; report: unknown; modelName: string; modelDir: string }
  | { type: 'error'; message: string };

export type ReportToExtension = { type: 'ready' } | { type: 'refresh' };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Returns the message when it is a well-formed SidebarToExtension, otherwise undefined. */
export function parseSidebarMessage(raw: unknown): SidebarToExtension | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'command':
      return typeof raw.command === 'string' && (SIDEBAR_COMMANDS as readonly string[]).includes(raw.command)
        ? { type: 'command', command: raw.command as SidebarCommand }
        : undefined;
    case 'reveal':
      return raw.target === 'title' || raw.target === 'abstract' ? { type: 'reveal', target: raw.target } : undefined;
    case 'openPaper':
      return isArxivId(raw.id) ? { type: 'openPaper', id: raw.id } : undefined;
    case 'revealEvidence':
      return typeof raw.term === 'string' && raw.term.length > 0 && raw.term.length <= MAX_TERM_CHARS &&
        Number.isInteger(raw.occurrence) && (raw.occurrence as number) >= 0 && (raw.occurrence as number) < 1000
        ? { type: 'revealEvidence', term: raw.term, occurrence: raw.occurrence as number }
        : undefined;
    default:
      return undefined;
  }
}

/** Returns the message when it is a well-formed ReportToExtension, otherwise undefined. */
export function parseReportMessage(raw: unknown): ReportToExtension | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw.type === 'ready') return { type: 'ready' };
  if (raw.type === 'refresh') return { type: 'refresh' };
  return undefined;
}
