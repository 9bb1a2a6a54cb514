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

describe('settings', () => {
  it('reads initializationOptions with defaults and rejects nonsense', () => {
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
    const s = settingsFromInitOptions({ modelDir: ' /m ', defaultModelDir: '/d', debounceMs: -5, maxChars: 'x', trainingDir: '/t' }, '/fallback');
    assert.equal(s.modelDir, '/m');
    assert.equal(s.defaultModelDir, '/d');
    assert.equal(s.debounceMs, 400);
    assert.equal(s.maxChars, 2_000_000);
  });

  it('applies the arxivClassifier section; an empty modelDir means the default model', () => {
    const base = settingsFromInitOptions({ modelDir: '/m', defaultModelDir: '/d' }, '/f');
    const s = applyUserSettings(base, { debounceMs: 100, maxDocumentChars: 5000 });
    assert.equal(s.modelDir, '/m');
    assert.equal(s.debounceMs, 100);
    assert.equal(s.maxChars, 5000);
    assert.equal(applyUserSettings(s, { modelDir: '' }).modelDir, undefined);
    assert.equal(applyUserSettings(s, { modelPath: '/other' }).modelDir, '/other');
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
