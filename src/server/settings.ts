/**
 * Server settings: initializationOptions from the extension, overridden by the user's
 * `arxivClassifier.*` configuration section when the client sends or serves it.
 */
import * as path from 'node:path';

export interface ServerSettings {
  /** Model bundle the user chose; undefined means the shipped default. */
  modelDir?: string;
  /** The shipped bundle (models/default in the extension root). */
  defaultModelDir: string;
  /** Quiet time after the last edit before a document is classified. */
  debounceMs: number;
  /** Documents longer than this (characters) are answered with status 'too-large'. */
  maxChars: number;
  /** Where training runs write bundles when a request gives no outDir. */
  trainingDir?: string;
  /** Time budget for reading one draft (extraction in a worker); longer reads are stopped. */
  extractionTimeoutMs: number;
  /** The user allows \input of files outside the workspace folders (honoured only when trusted). */
  allowOutsideIncludes: boolean;
  /**
   * The workspace is trusted (VS Code's workspace trust). Only the extension says so, in initializationOptions:
   * never read from the settings section, which a workspace's own .vscode/settings.json can fill.
   */
  workspaceTrusted: boolean;
}

export const DEFAULT_DEBOUNCE_MS = 400;
export const DEFAULT_MAX_CHARS = 2_000_000;
export const DEFAULT_EXTRACTION_TIMEOUT_MS = 1000;
/** Range of the extraction budget: below 100 ms ordinary drafts on a busy machine would fail. */
const TIMEOUT_RANGE = [100, 60_000] as const;

type Raw = Record<string, unknown>;

function asRecord(v: unknown): Raw {
  return v !== null && typeof v === 'object' ? (v as Raw) : {};
}

function nonEmptyString(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function boundedNumber(v: unknown, min: number, max: number): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : undefined;
}

/**
 * Reads `initializationOptions` ({ modelDir?, defaultModelDir, debounceMs, maxChars, trainingDir,
 * extractionTimeoutMs, allowOutsideIncludes, workspaceTrusted }).
 */
export function settingsFromInitOptions(raw: unknown, fallbackDefaultModelDir: string): ServerSettings {
  const o = asRecord(raw);
  return {
    modelDir: nonEmptyString(o.modelDir),
    defaultModelDir: nonEmptyString(o.defaultModelDir) ?? fallbackDefaultModelDir,
    debounceMs: boundedNumber(o.debounceMs, 0, 60_000) ?? DEFAULT_DEBOUNCE_MS,
    maxChars: boundedNumber(o.maxChars ?? o.maxDocumentChars, 1, 1e9) ?? DEFAULT_MAX_CHARS,
    trainingDir: nonEmptyString(o.trainingDir),
    extractionTimeoutMs: boundedNumber(o.extractionTimeoutMs, ...TIMEOUT_RANGE) ?? DEFAULT_EXTRACTION_TIMEOUT_MS,
    allowOutsideIncludes: o.allowOutsideIncludes === true,
    workspaceTrusted: o.workspaceTrusted === true,
  };
}

/** Whether includes outside the workspace folders may be read: the user's setting, in a trusted workspace only. */
export function outsideIncludesAllowed(s: ServerSettings): boolean {
  return s.allowOutsideIncludes && s.workspaceTrusted;
}

/**
 * Applies the `arxivClassifier` configuration section. Keys: `modelDir` (alias `modelPath`),
 * `debounceMs`, `maxDocumentChars`, `trainingDir`. Missing or invalid keys keep the current value,
 * except an empty modelDir, which means "back to the default model".
 */
export function applyUserSettings(base: ServerSettings, section: unknown): ServerSettings {
  const s = asRecord(section);
  const next: ServerSettings = { ...base };
  if ('modelDir' in s || 'modelPath' in s) next.modelDir = nonEmptyString(s.modelDir ?? s.modelPath);
  next.debounceMs = boundedNumber(s.debounceMs, 0, 60_000) ?? base.debounceMs;
  next.maxChars = boundedNumber(s.maxDocumentChars, 1, 1e9) ?? base.maxChars;
  next.trainingDir = nonEmptyString(s.trainingDir) ?? base.trainingDir;
  next.extractionTimeoutMs = boundedNumber(s.extractionTimeoutMs, ...TIMEOUT_RANGE) ?? base.extractionTimeoutMs;
  if (typeof s.allowOutsideIncludes === 'boolean') next.allowOutsideIncludes = s.allowOutsideIncludes;
  return next;
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
