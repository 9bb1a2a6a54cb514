import { strict as assert } from 'node:assert';
import type { ModelInfo } from '../../../src/model/types';
import { ModelHost, ModelLoadError } from '../../../src/server/modelHost';
import type { ModelChangedParams } from '../../../src/shared/protocol';
import { FakeClassifier } from './helpers/fakeClassifier';

const info = (name: string, dir: string): ModelInfo => ({ name, dir, kind: 'ngram', encoder: 'none', labels: ['cs.CL', 'cs.CV'], metrics: {} });

describe('ModelHost', () => {
  const loaded: FakeClassifier[] = [];
  const loader = async (dir: string) => {
    if (dir.includes('bad')) throw new Error('manifest.json is missing');
    const c = new FakeClassifier(info(dir.split('/').pop() ?? dir, dir), dir.includes('slow') ? 100 : 0);
    loaded.push(c);
    return c;
  };

  it('loads, swaps, and disposes the old model only after it is replaced', async () => {
    const host = new ModelHost(loader);
    await host.select('/m/one');
    const one = loaded.at(-1)!;
    await host.select('/m/two');
    assert.equal(host.current?.name, 'two');
    assert.equal(one.disposed, true);
    host.dispose();
  });

  it('keeps the current model when a load fails, says why, and reports every load attempt', async () => {
    const changes: ModelChangedParams[] = [];
    const host = new ModelHost(loader, undefined, (s) => changes.push(s));
    await host.select('/m/one');
    assert.deepEqual(changes.map((c) => [c.model?.name, c.error]), [['one', undefined]]);
    await assert.rejects(host.select('/m/bad'), (e: unknown) => {
      assert.ok(e instanceof ModelLoadError);
      assert.match(e.message, /Could not load the model in \/m\/bad: manifest\.json is missing\. Still using "one"\./);
      assert.equal(e.dir, '/m/bad');
      assert.equal(e.stillUsing, 'one');
      return true;
    });
    assert.equal(host.current?.name, 'one');
    assert.equal(loaded.at(-1)!.disposed, false);
    const dto = await host.infoDto();
    assert.equal(dto?.name, 'one');
    assert.match(host.state().error ?? '', /manifest\.json is missing/);
    assert.equal(changes.length, 2, 'the failed load was reported');
    assert.equal(changes[1].model?.name, 'one');
    assert.match(changes[1].error ?? '', /manifest\.json is missing/);
    await host.select('/m/one');
    assert.equal(changes.length, 2, 'selecting the loaded folder again changes nothing and reports nothing');
    const p = await host.withClassifier((c) => c.classify({ title: 'image pixel', abstract: '' }));
    assert.equal(p.primary[0].category, 'cs.CV');
    host.dispose();
  });

  it('does not dispose a model while a classification still uses it', async () => {
    const host = new ModelHost(loader);
    await host.select('/m/slow');
    const slow = loaded.at(-1)!;
    const running = host.withClassifier((c) => c.classify({ title: 'language', abstract: '' }));
    await new Promise((r) => setTimeout(r, 10));
    await host.select('/m/fast');
    assert.equal(slow.disposed, false, 'still in use');
    const p = await running; // would throw 'used after dispose()' otherwise
    assert.equal(p.model, 'slow');
    assert.equal(slow.disposed, true, 'disposed once the last user finished');
    host.dispose();
  });

  it('serialises loads, skips reloading the same folder unless forced, and waits for the first load', async () => {
    const host = new ModelHost(loader);
    const n = loaded.length;
    void host.select('/m/a');
    void host.select('/m/b');
    const id = await host.withClassifier(async (_c, modelId) => modelId);
    assert.match(id, /\/m\/b#2$/);
    await host.select('/m/b');
    assert.equal(loaded.length, n + 2, 'same folder not reloaded');
    await host.select('/m/b', true);
    assert.equal(loaded.length, n + 3);
    host.dispose();
  });

  it('reports "no model" with the load error when nothing could be loaded', async () => {
    const host = new ModelHost(loader);
    await host.select('/m/bad').catch(() => undefined);
    assert.equal(await host.infoDto(), undefined);
    assert.equal(host.state().model, null);
    assert.match(host.state().error ?? '', /bad/);
    await assert.rejects(host.withClassifier(async () => 1), /Could not load the model/);
  });
});
