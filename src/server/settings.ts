/**
 * Server settings: where things are (initializationOptions: the shipped model, the training folder) and the
 * user's `arxivClassifier` section, pulled with workspace/configuration and read through the shared table.
 */
import * as path from 'node:path';
import type { InitializationOptions } from '../shared/protocol';
import { defaultSettings, parseSettingsSection } from '../shared/settings';

export interface ServerSettings {
  /** Model bundle the user chose (setting modelPath); undefined means the shipped default. */
  modelDir?: string;
  /** The shipped bundle (models/default in the extension root). */
  defaultModelDir: string;
  /** Quiet time after the last edit before a document is classified (setting debounceMs). */
  debounceMs: number;
  /** Documents longer than this (characters) are answered with status 'too-large' (setting maxDocumentChars). */
  maxChars: number;
  /** Where training runs write bundles when a request gives no outDir. */
  trainingDir?: string;
  /** Time budget for reading one draft (extraction in a worker); longer reads are stopped (setting extractionTimeoutMs). */
  extractionTimeoutMs: number;
  /** The user allows \input of files outside the workspace folders (setting allowOutsideIncludes; honoured only when trusted). */
  allowOutsideIncludes: boolean;
  /** The workspace is trusted: from initializationOptions only (see InitializationOptions.workspaceTrusted). */
  workspaceTrusted: boolean;
}

function nonEmptyString(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** Reads `initializationOptions` (InitializationOptions; a plain LSP client sends none); settings start at their defaults. */
export function settingsFromInitOptions(raw: unknown, fallbackDefaultModelDir: string): ServerSettings {
  const o: Partial<Record<keyof InitializationOptions, unknown>> = raw !== null && typeof raw === 'object' ? raw : {};
  return applyUserSettings(
    {
      defaultModelDir: nonEmptyString(o.defaultModelDir) ?? fallbackDefaultModelDir,
      trainingDir: nonEmptyString(o.trainingDir),
      workspaceTrusted: o.workspaceTrusted === true,
      debounceMs: 0,
      maxChars: 0,
      extractionTimeoutMs: 0,
      allowOutsideIncludes: false,
    },
    undefined,
  );
}

/** Applies the pulled `arxivClassifier` section (shared/settings table: missing or invalid keys get their defaults). */
export function applyUserSettings(base: ServerSettings, section: unknown): ServerSettings {
  const s = section === undefined ? defaultSettings() : parseSettingsSection(section);
  return {
    ...base,
    modelDir: s.modelPath || undefined,
    debounceMs: s.debounceMs,
    maxChars: s.maxDocumentChars,
    extractionTimeoutMs: s.extractionTimeoutMs,
    allowOutsideIncludes: s.allowOutsideIncludes,
  };
}

/** Whether includes outside the workspace folders may be read: the user's setting, in a trusted workspace only. */
export function outsideIncludesAllowed(s: ServerSettings): boolean {
  return s.allowOutsideIncludes && s.workspaceTrusted;
}

/**
 * Resolves a path setting the way the extension documents it: `${workspaceFolder}` is replaced and a
 * relative path is taken relative to the first workspace folder (when there is one).
 */
export function resolveUserPath(p: string, workspaceRoot: string | undefined): string {
  const replaced = p.replace(/\$\{workspaceFolder\}/g, workspaceRoot ?? '');
  if (workspaceRoot && !path.isAbsolute(replaced) && !/^[a-zA-Z]:[\\/]/.test(replaced)) return path.join(workspaceRoot, replaced);
  return replaced;
}
