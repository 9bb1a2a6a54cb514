/**
 * The text of "arXiv: Show Status / Report Issue": versions, server state, model, settings, workspace trust and
 * the last log lines, as Markdown to paste into an issue. Pure (no `vscode` import) so it is unit-tested.
 */
import type { ModelInfoDto } from '../shared/protocol';
import { SETTINGS, settingId, type SettingKey, type Settings } from '../shared/settings';
import type { ServerState } from '../shared/ui';

export interface StatusInfo {
  extension: { id: string; version: string };
  editor: { appName: string; version: string; appHost: string };
  platform: { os: string; arch: string; node: string };
  server: { state: ServerState; notice?: string; name?: string; version?: string };
  model?: ModelInfoDto;
  modelError?: string;
  settings: Settings;
  workspaceTrusted: boolean;
  log: string[];
}

/** A table cell: one line, no pipes breaking the table. */
const cell = (v: unknown): string => String(v).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

/** A code fence longer than any run of backticks in `text`. */
function fenced(text: string, lang = 'text'): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

export function formatStatusReport(s: StatusInfo): string {
  const model = s.model
    ? `${s.model.name} (${s.model.kind}, encoder ${s.model.encoder}, ${s.model.labels} labels) in ${s.model.dir}`
    : 'none loaded';
  const rows: [string, string][] = [
    ['Extension', `${s.extension.id} ${s.extension.version}`],
    ['Editor', `${s.editor.appName} ${s.editor.version} (${s.editor.appHost})`],
    ['Platform', `${s.platform.os} ${s.platform.arch}, Node ${s.platform.node}`],
    ['Server', `${s.server.state}${s.server.name ? `, ${s.server.name} ${s.server.version ?? '(no version)'}` : ''}${s.server.notice ? ` — ${s.server.notice}` : ''}`],
    ['Workspace trust', s.workspaceTrusted ? 'trusted' : 'restricted mode (training disabled)'],
    ['Model', model],
  ];
  if (s.modelError) rows.push(['Last model error', s.modelError]);

  const settings = (Object.keys(SETTINGS) as SettingKey[]).map((key) => {
    const value = s.settings[key];
    const changed = value !== SETTINGS[key].default;
    return `| \`${settingId(key)}\` | ${cell(JSON.stringify(value))}${changed ? ' (changed)' : ''} | ${cell(JSON.stringify(SETTINGS[key].default))} |`;
  });

  return [
    '# arXiv Classifier: status',
    '',
    '_Review before sharing: paths and log lines may name your files. Nothing was sent anywhere._',
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`),
    '',
    '## Settings',
    '',
    '| Setting | Value | Default |',
    '|---|---|---|',
    ...settings,
    '',
    `## Last log lines (${s.log.length})`,
    '',
    s.log.length ? fenced(s.log.join('\n')) : '_The log is empty._',
    '',
  ].join('\n');
}
