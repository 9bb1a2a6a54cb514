/**
 * The `arxivClassifier.*` settings in one table: key, type, default, bounds and scope. The extension and the
 * server both read settings through `parseSettings`, and a unit test holds package.json
 * `contributes.configuration` to this table (descriptions live only in package.json: they are UI text).
 *
 * Adding a setting: add a row here, add the same key to package.json `contributes.configuration.properties`
 * (same type/default/bounds/scope, plus a description), and read it as `settings.<key>`. The test fails until
 * both agree. Settings reach the server only by the pull model (workspace/configuration, section SECTION).
 */
import { DEFAULT_EPOCHS } from '../training/defaults';

export const SECTION = 'arxivClassifier';

/** VS Code's configuration scopes (package.json `scope`). */
export type SettingScope = 'application' | 'machine' | 'machine-overridable' | 'window' | 'resource' | 'language-overridable';

type Row =
  | { type: 'string'; default: string; scope: SettingScope; enum?: readonly string[] }
  | { type: 'integer'; default: number; minimum: number; maximum: number; scope: SettingScope }
  | { type: 'boolean'; default: boolean; scope: SettingScope };

export const SETTINGS = {
  /** Model bundle folder; empty = the model shipped with the extension. */
  modelPath: { type: 'string', default: '', scope: 'machine-overridable' },
  /** Quiet time after the last edit before a draft is classified again. */
  debounceMs: { type: 'integer', default: 400, minimum: 0, maximum: 60_000, scope: 'window' },
  /** Drafts longer than this (characters) get status 'too-large' instead of a prediction. */
  maxDocumentChars: { type: 'integer', default: 2_000_000, minimum: 1_000, maximum: 1_000_000_000, scope: 'window' },
  /** Time budget for reading one draft (with its \input files) in a worker; longer reads are stopped. */
  extractionTimeoutMs: { type: 'integer', default: 1000, minimum: 100, maximum: 60_000, scope: 'window' },
  /** Read \input'ed files outside the workspace folders (the server honours it in trusted workspaces only). */
  allowOutsideIncludes: { type: 'boolean', default: false, scope: 'machine-overridable' },
  /** Dataset offered first by "arXiv: Train Model"; empty = none. */
  trainingDataPath: { type: 'string', default: '', scope: 'machine-overridable' },
  /** Epochs proposed by "arXiv: Train Model". */
  trainingEpochs: { type: 'integer', default: DEFAULT_EPOCHS, minimum: 1, maximum: 200, scope: 'window' },
  showStatusBar: { type: 'boolean', default: true, scope: 'window' },
  /** Highlights of the words that pull the prediction toward the top category or the runner-up. */
  evidenceHighlights: { type: 'boolean', default: true, scope: 'window' },
  /** LSP message tracing in the output channel; read by vscode-languageclient itself (`<client id>.trace.server`). */
  'trace.server': { type: 'string', default: 'off', enum: ['off', 'messages', 'verbose'], scope: 'window' },
} as const satisfies Record<string, Row>;

export type SettingKey = keyof typeof SETTINGS;

type ValueOf<R> = R extends { enum: readonly (infer E)[] } ? E : R extends { type: 'string' } ? string : R extends { type: 'integer' } ? number : boolean;
export type Settings = { -readonly [K in SettingKey]: ValueOf<(typeof SETTINGS)[K]> };

/** Full key, e.g. `arxivClassifier.debounceMs` (for affectsConfiguration and messages). */
export const settingId = (key: SettingKey): string => `${SECTION}.${key}`;

export function defaultSettings(): Settings {
  return parseSettings(() => undefined);
}

/**
 * Reads every setting through `get` (VS Code's `WorkspaceConfiguration.get`, or a lookup into the section
 * object a client returned). A value of the wrong type falls back to the default, a number out of bounds is
 * clamped and rounded, strings are trimmed, and a string outside its enum falls back to the default.
 */
export function parseSettings(get: (key: SettingKey) => unknown): Settings {
  const out: Record<string, unknown> = {};
  for (const [key, row] of Object.entries(SETTINGS) as [SettingKey, Row][]) {
    const v = get(key);
    if (row.type === 'integer') {
      out[key] = typeof v === 'number' && Number.isFinite(v) ? Math.min(row.maximum, Math.max(row.minimum, Math.round(v))) : row.default;
    } else if (row.type === 'boolean') {
      out[key] = typeof v === 'boolean' ? v : row.default;
    } else {
      const t = typeof v === 'string' ? v.trim() : undefined;
      out[key] = t !== undefined && (!row.enum || row.enum.includes(t)) ? t : row.default;
    }
  }
  return out as Settings;
}

/** `parseSettings` over a configuration section object; dotted keys (`trace.server`) are looked up nested too. */
export function parseSettingsSection(section: unknown): Settings {
  const obj = typeof section === 'object' && section !== null ? (section as Record<string, unknown>) : {};
  return parseSettings((key) => {
    if (key in obj) return obj[key];
    let v: unknown = obj;
    for (const part of key.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[part] : undefined;
    return v;
  });
}
