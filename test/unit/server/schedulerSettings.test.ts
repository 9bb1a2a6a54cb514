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

  it('with concurrency 2, a job that never ends does not hold up another document, and one document never runs twice at once', async () => {
    let releaseSlow!: () => void;
    const slowGate = new Promise<void>((r) => (releaseSlow = r));
    const started: string[] = [];
    const s = new ClassificationScheduler({
      debounceMs: () => 0,
      concurrency: 2,
      run: async (uri) => {
        started.push(uri);
        if (uri === 'slow') await slowGate;
      },
      onError: () => assert.fail('no error expected'),
    });
    const slowDone = s.runNow('slow');
    await s.runNow('fast'); // resolves while 'slow' is still blocked
    const slowAgain = s.runNow('slow'); // queued behind the running 'slow', not started beside it
    await s.runNow('fast2');
    assert.deepEqual(started, ['slow', 'fast', 'fast2']);
    releaseSlow();
    await slowDone;
    await slowAgain;
    assert.deepEqual(started, ['slow', 'fast', 'fast2', 'slow']);
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
      extractionTimeoutMs: 1000,
      allowOutsideIncludes: false,
      workspaceTrusted: false,
    });
    // Settings smuggled in initializationOptions are ignored: they are pulled (one channel).
    const s = settingsFromInitOptions(
      { modelDir: ' /m ', modelPath: '/m', defaultModelDir: ' /d ', debounceMs: 5, maxChars: 9000, trainingDir: '/t', allowOutsideIncludes: true, workspaceTrusted: true },
      '/fallback',
    );
    assert.deepEqual(s, {
      modelDir: undefined,
      defaultModelDir: '/d',
      debounceMs: 400,
      maxChars: 2_000_000,
      trainingDir: '/t',
      extractionTimeoutMs: 1000,
      allowOutsideIncludes: false,
      workspaceTrusted: true,
    });
    assert.equal(settingsFromInitOptions({ workspaceTrusted: 'yes' }, '/f').workspaceTrusted, false, 'trust is true only when the extension says true');
    assert.equal(settingsFromInitOptions({ defaultModelDir: 42 }, '/fallback').defaultModelDir, '/fallback');
  });

  it('applies the pulled arxivClassifier section by the table: no aliases, bounds clamped, junk gets the default', () => {
    const base = settingsFromInitOptions({ defaultModelDir: '/d', trainingDir: '/t' }, '/f');
    const s = applyUserSettings(base, { modelPath: ' /m ', debounceMs: 100, maxDocumentChars: 5000, extractionTimeoutMs: 3000, allowOutsideIncludes: true });
    assert.deepEqual(s, { ...base, modelDir: '/m', debounceMs: 100, maxChars: 5000, extractionTimeoutMs: 3000, allowOutsideIncludes: true });
    assert.equal(applyUserSettings(s, { workspaceTrusted: true }).workspaceTrusted, false, 'a settings section cannot claim trust');
    assert.equal(applyUserSettings(s, { extractionTimeoutMs: 5 }).extractionTimeoutMs, 100, 'clamped to the 100 ms minimum');
    assert.equal(applyUserSettings(s, { modelPath: '' }).modelDir, undefined, 'empty: the default model');
    assert.equal(applyUserSettings(s, { modelDir: '/old-alias' }).modelDir, undefined, 'modelDir is not a setting');
    assert.equal(applyUserSettings(s, { maxChars: 9000 }).maxChars, 2_000_000, 'maxChars is not a setting');
    assert.equal(applyUserSettings(s, { debounceMs: -5 }).debounceMs, 0, 'clamped to the minimum');
    assert.equal(applyUserSettings(s, { maxDocumentChars: 'x' }).maxChars, 2_000_000, 'wrong type: default');
    assert.equal(applyUserSettings(s, { trainingDir: '/elsewhere' }).trainingDir, '/t', 'trainingDir is a location, not a setting');
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
