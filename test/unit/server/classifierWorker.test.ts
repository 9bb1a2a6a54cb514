/** WorkerClassifier: the model runs in a worker thread (real worker loop, fake model loaded via tsx). */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkerClassifier } from '../../../src/server/classifierWorker';
import { writeFakeBundle } from './helpers/fakeClassifier';

const SCRIPT = path.join(__dirname, 'helpers', 'fakeClassifierWorker.cjs');

describe('WorkerClassifier', function () {
  this.timeout(30_000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arxiv-worker-'));
    writeFakeBundle(path.join(tmp, 'm'), { name: 'in-worker' });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('loads a model in a worker thread and classifies there', async () => {
    const c = await WorkerClassifier.load(SCRIPT, path.join(tmp, 'm'));
    try {
      assert.equal(c.info.name, 'in-worker');
      assert.deepEqual(c.info.labels, ['cs.CL', 'cs.CV', 'cs.LG', 'math.AG']);
      const p = await c.classify({ title: 'image segmentation', abstract: 'pixel vision' });
      assert.equal(p.primary[0].category, 'cs.CV');
      assert.equal(p.model, 'in-worker');
      const batch = await c.classifyBatch([{ title: 'language', abstract: '' }, { title: 'algebraic variety', abstract: '' }]);
      assert.deepEqual(batch.map((x) => x.primary[0].category), ['cs.CL', 'math.AG']);
      await assert.rejects(c.classify({ title: 'CRASH-CLASSIFIER', abstract: '' }), /simulated classifier crash/);
      assert.equal((await c.classify({ title: 'language', abstract: '' })).primary[0].category, 'cs.CL', 'still usable');
    } finally {
      c.dispose();
    }
  });

  it('rejects with the load error', async () => {
    await assert.rejects(WorkerClassifier.load(SCRIPT, path.join(tmp, 'missing')), /fake-model\.json is missing/);
  });

  it('fails the call in flight when the worker dies, restarts it for later calls, and stops after dispose', async () => {
    const c = await WorkerClassifier.load(SCRIPT, path.join(tmp, 'm'));
    await assert.rejects(c.classify({ title: 'EXIT-WORKER', abstract: '' }), /the model worker exited \(code 3\)/);
    assert.equal((await c.classify({ title: 'language', abstract: '' })).primary[0].category, 'cs.CL', 'restarted');
    for (let i = 1; i < WorkerClassifier.MAX_RESTARTS; i++) {
      await assert.rejects(c.classify({ title: 'EXIT-WORKER', abstract: '' }), /exited/);
      await c.classify({ title: 'language', abstract: '' });
    }
    await assert.rejects(c.classify({ title: 'EXIT-WORKER', abstract: '' }), /exited/);
    await assert.rejects(c.classify({ title: 'language', abstract: '' }), /the model worker exited/, 'gives up after MAX_RESTARTS');
    const d = await WorkerClassifier.load(SCRIPT, path.join(tmp, 'm'));
    d.dispose();
    await new Promise((r) => setTimeout(r, 300));
    await assert.rejects(d.classify({ title: 'language', abstract: '' }), /the model worker exited/);
  });
});
