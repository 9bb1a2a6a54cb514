/**
 * package.json `contributes` agrees with the tables the code reads: every setting with shared/settings (type,
 * default, bounds, enum, scope), every command with extension/commandIds; activation on languages only.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS } from '../../../src/extension/commandIds';
import { formatStatusReport, type StatusInfo } from '../../../src/extension/statusReport';
import { defaultSettings, parseSettings, parseSettingsSection, SECTION, SETTINGS, settingId, type SettingKey } from '../../../src/shared/settings';

const ROOT = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
type Property = Record<string, unknown>;
const properties = pkg.contributes.configuration.properties as Record<string, Property>;

describe('package.json contributes = the code tables', () => {
  it('declares exactly the settings of the table, each with the same type, default, bounds, enum and scope', () => {
    const declared = Object.keys(properties).sort();
    assert.deepEqual(declared, (Object.keys(SETTINGS) as SettingKey[]).map(settingId).sort(), 'same keys on both sides');
    for (const [key, row] of Object.entries(SETTINGS) as [SettingKey, (typeof SETTINGS)[SettingKey]][]) {
      const p = properties[settingId(key)];
      const id = settingId(key);
      assert.equal(p.type, row.type, `${id}: type`);
      assert.deepEqual(p.default, row.default, `${id}: default`);
      assert.equal(p.scope, row.scope, `${id}: scope (declared on every setting)`);
      assert.equal(p.minimum, 'minimum' in row ? row.minimum : undefined, `${id}: minimum`);
      assert.equal(p.maximum, 'maximum' in row ? row.maximum : undefined, `${id}: maximum`);
      assert.deepEqual(p.enum, 'enum' in row ? row.enum : undefined, `${id}: enum`);
      assert.ok(typeof (p.description ?? p.markdownDescription) === 'string', `${id}: has a description`);
    }
  });

  it('contributes exactly the commands of the command table', () => {
    const contributed = (pkg.contributes.commands as { command: string }[]).map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(COMMANDS).sort());
    for (const id of Object.values(COMMANDS)) assert.match(id, /^arxivClassifier\.\w+$/);
  });

  it('menus and the walkthrough name only table commands', () => {
    const ids = new Set<string>(Object.values(COMMANDS));
    for (const [menu, items] of Object.entries(pkg.contributes.menus as Record<string, { command: string }[]>)) {
      for (const item of items) assert.ok(ids.has(item.command), `${menu}: ${item.command}`);
    }
  });

  it('activates on languages only (commands and views activate implicitly), never on workspaceContains', () => {
    const events = pkg.activationEvents as string[];
    assert.ok(events.length > 0);
    for (const e of events) assert.match(e, /^(onLanguage|onCommand):/, e);
  });
});

describe('settings table', () => {
  it('defaults are the table defaults; epochs has one default (the training default)', () => {
    const d = defaultSettings();
    for (const key of Object.keys(SETTINGS) as SettingKey[]) assert.equal(d[key], SETTINGS[key].default, key);
    assert.equal(SECTION, 'arxivClassifier');
    assert.equal(d.trainingEpochs, 6);
  });

  it('parses by the table: clamps and rounds integers, trims strings, rejects wrong types and unknown enum values', () => {
    const s = parseSettings((key) => ({ debounceMs: 70_000.4, maxDocumentChars: 2500.6, trainingEpochs: 0, modelPath: '  /m  ', showStatusBar: 'no', 'trace.server': 'loud' })[key as string]);
    assert.equal(s.debounceMs, 60_000);
    assert.equal(s.maxDocumentChars, 2501);
    assert.equal(s.trainingEpochs, 1);
    assert.equal(s.modelPath, '/m');
    assert.equal(s.showStatusBar, true, 'a string is not a boolean: default');
    assert.equal(s['trace.server'], 'off', 'not one of off/messages/verbose: default');
    assert.equal(parseSettings(() => Number.NaN).debounceMs, 400);
  });

  it('reads a section object as clients send it, dotted keys flat or nested', () => {
    assert.equal(parseSettingsSection({ trace: { server: 'verbose' } })['trace.server'], 'verbose');
    assert.equal(parseSettingsSection({ 'trace.server': 'messages' })['trace.server'], 'messages');
    assert.deepEqual(parseSettingsSection(null), defaultSettings());
    assert.deepEqual(parseSettingsSection('junk'), defaultSettings());
  });
});

describe('status report', () => {
  const base: StatusInfo = {
    extension: { id: 'arxiv-classifier.arxiv-classifier', version: '0.1.0' },
    editor: { appName: 'Visual Studio Code', version: '1.95.0', appHost: 'desktop' },
    platform: { os: 'linux', arch: 'x64', node: '20.18.0' },
    server: { state: 'running', name: 'arxiv-classifier', version: '0.1.0' },
    model: { name: 'arxiv-xattn-ngram-v1', dir: '/ext/models/default', kind: 'stacked', encoder: 'xattn', labels: 21, metrics: {} },
    settings: { ...defaultSettings(), debounceMs: 800 },
    workspaceTrusted: false,
    log: ['2026-12-03T10:00:00.000Z [info] Model "arxiv-xattn-ngram-v1" loaded', 'a line with ``` fences | and a pipe'],
  };

  it('lists versions, server, trust, model, every setting (changed ones marked) and the log', () => {
    const text = formatStatusReport(base);
    assert.match(text, /\| Extension \| arxiv-classifier\.arxiv-classifier 0\.1\.0 \|/);
    assert.match(text, /\| Editor \| Visual Studio Code 1\.95\.0 \(desktop\) \|/);
    assert.match(text, /\| Server \| running, arxiv-classifier 0\.1\.0 \|/);
    assert.match(text, /\| Workspace trust \| restricted mode/);
    assert.match(text, /\| Model \| arxiv-xattn-ngram-v1 \(stacked, encoder xattn, 21 labels\) in \/ext\/models\/default \|/);
    for (const key of Object.keys(SETTINGS) as SettingKey[]) assert.ok(text.includes(`\`${settingId(key)}\``), key);
    assert.match(text, /`arxivClassifier\.debounceMs` \| 800 \(changed\) \| 400 \|/);
    assert.match(text, /`arxivClassifier\.maxDocumentChars` \| 2000000 \| 2000000 \|/);
    assert.match(text, /## Last log lines \(2\)\n\n````text\n.*loaded\na line with ``` fences \| and a pipe\n````/);
  });

  it('says when no model is loaded and why, and when the log is empty', () => {
    const text = formatStatusReport({ ...base, model: undefined, modelError: 'Could not load the model in /x: no manifest', log: [] });
    assert.match(text, /\| Model \| none loaded \|/);
    assert.match(text, /\| Last model error \| Could not load the model in \/x: no manifest \|/);
    assert.match(text, /_The log is empty\._/);
  });
});
