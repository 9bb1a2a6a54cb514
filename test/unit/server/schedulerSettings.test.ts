import { strict as assert } from 'node:assert';
import { ClassificationScheduler } from '../../../src/server/scheduler';
import { applyUserSettings, resolveUserPath, settingsFromInitOptions } from '../../../src/server/settings';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ClassificationScheduler', () => {
  it('debounces per document and runs jobs one at a time', async () => {
    const runs: string[] = [];
    let active = 0;
    let maxActive = 0;
    const s = new ClassificationScheduler({
      debounceMs: () => 30,
      run: async (uri) => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs.push(uri);
        await sleep(20);
        active--;
      },
      onError: () => assert.fail('no error expected'),
    });
    for (let i = 0; i < 5; i++) {
      s.schedule('a');
      s.schedule('b');
      await sleep(5);
    }
    assert.equal(s.pending, 2);
    await sleep(120);
    assert.deepEqual(runs.sort(), ['a', 'b']);
    assert.equal(maxActive, 1);
    await s.runNow('a');
    assert.deepEqual(runs.sort(), ['a', 'a', 'b']);
    s.dispose();
  });

  it('reports a failing job and keeps going', async () => {
    const errors: string[] = [];
    const done: string[] = [];
    const s = new ClassificationScheduler({
      debounceMs: () => 0,
      run: async (uri) => {
        if (uri === 'bad') throw new Error('boom');
        done.push(uri);
      },
      onError: (uri, e) => errors.push(`${uri}: ${(e as Error).message}`),
    });
    await s.runNow('bad');
    await s.runNow('good');
    assert.deepEqual(errors, ['bad: boom']);
    assert.deepEqual(done, ['good']);
  });
});

describe('server settings', () => {
  it('takes only locations from initializationOptions; settings start at the table defaults', () => {
    assert.deepEqual(settingsFromInitOptions(undefined, '/ext/models/default'), {
      modelDir: undefined,
      defaultModelDir: '/ext/models/default',
      debounceMs: 400,
      maxChars: 2_000_000,
      trainingDir: undefined,
    });
    // Settings smuggled in initializationOptions are ignored: they are pulled (one channel).
    const s = settingsFromInitOptions({ modelDir: ' /m ', modelPath: '/m', defaultModelDir: ' /d ', debounceMs: 5, maxChars: 9000, trainingDir: '/t' }, '/fallback');
    assert.deepEqual(s, { modelDir: undefined, defaultModelDir: '/d', debounceMs: 400, maxChars: 2_000_000, trainingDir: '/t' });
    assert.equal(settingsFromInitOptions({ defaultModelDir: 42 }, '/fallback').defaultModelDir, '/fallback');
  });

  it('applies the pulled arxivClassifier section by the table: no aliases, bounds clamped, junk gets the default', () => {
    const base = settingsFromInitOptions({ defaultModelDir: '/d' }, '/f');
    const s = applyUserSettings(base, { modelPath: ' /m ', debounceMs: 100, maxDocumentChars: 5000 });
    assert.deepEqual(s, { ...base, modelDir: '/m', debounceMs: 100, maxChars: 5000 });
    assert.equal(applyUserSettings(s, { modelPath: '' }).modelDir, undefined, 'empty: the default model');
    assert.equal(applyUserSettings(s, { modelDir: '/old-alias' }).modelDir, undefined, 'modelDir is not a setting');
    assert.equal(applyUserSettings(s, { maxChars: 9000 }).maxChars, 2_000_000, 'maxChars is not a setting');
    assert.equal(applyUserSettings(s, { debounceMs: -5 }).debounceMs, 0, 'clamped to the minimum');
    assert.equal(applyUserSettings(s, { maxDocumentChars: 'x' }).maxChars, 2_000_000, 'wrong type: default');
    assert.equal(applyUserSettings(s, { trainingDir: '/elsewhere' }).trainingDir, undefined, 'trainingDir is a location, not a setting');
  });
});

describe('resolveUserPath', () => {
  it('expands ${workspaceFolder} and resolves relative paths against the workspace', () => {
    assert.equal(resolveUserPath('${workspaceFolder}/models/x', '/ws'), '/ws/models/x');
    assert.equal(resolveUserPath('models/x', '/ws'), '/ws/models/x');
    assert.equal(resolveUserPath('/abs/x', '/ws'), '/abs/x');
    assert.equal(resolveUserPath('models/x', undefined), 'models/x');
  });
});
