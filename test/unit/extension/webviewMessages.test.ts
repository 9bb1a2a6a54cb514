import * as assert from 'node:assert/strict';
import { parseReportMessage, parseSidebarMessage } from '../../../src/webview/messages';

describe('webview message validation', () => {
  it('accepts the known sidebar messages', () => {
    assert.deepEqual(parseSidebarMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseSidebarMessage({ type: 'command', command: 'train' }), { type: 'command', command: 'train' });
    assert.deepEqual(parseSidebarMessage({ type: 'reveal', target: 'abstract' }), { type: 'reveal', target: 'abstract' });
  });

  it('drops extra fields instead of passing them on', () => {
    assert.deepEqual(parseSidebarMessage({ type: 'command', command: 'classify', args: ['rm -rf /'] }), { type: 'command', command: 'classify' });
  });

  it('rejects unknown types, free command ids and wrong field types', () => {
    for (const bad of [
      null,
      'ready',
      [],
      {},
      { type: 'exec' },
      { type: 'command', command: 'workbench.action.terminal.new' },
      { type: 'command', command: 42 },
      { type: 'reveal', target: 'body' },
      { type: 'reveal' },
    ]) {
      assert.equal(parseSidebarMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('validates report view messages', () => {
    assert.deepEqual(parseReportMessage({ type: 'refresh' }), { type: 'refresh' });
    assert.equal(parseReportMessage({ type: 'command', command: 'train' }), undefined);
    assert.equal(parseReportMessage(undefined), undefined);
  });
});
