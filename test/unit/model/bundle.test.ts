/** Model bundle loading refuses broken bundles with a message naming the file and what to do, never hangs. */
import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readBundle, writeBundle } from '../../../src/model/bundle';
import { removeStaleSiblings } from '../../../src/model/fsAtomic';

function writeSmallBundle(dir: string): void {
  writeBundle(
    dir,
    {
      name: 'tiny',
      description: 'test bundle',
      createdAt: '2026-01-01T00:00:00Z',
      kind: 'ngram',
      labels: { primary: [{ code: 'cs.CL', name: 'Computation and Language' }], multi: [], minPrimary: 1, minListed: 1, fallback: 'other' },
      tokenizer: { type: 'wordpiece', file: 'vocab.txt', lowercase: true },
      ngram: { json: 'ngram.json', weights: 'ngram.bin' },
      multiSource: 'ngram',
      training: {},
      metrics: {},
    },
    { 'vocab.txt': '[PAD]\n[UNK]\nword\n', 'ngram.json': '{}', 'ngram.bin': new Uint8Array([1, 2, 3, 4]) },
  );
}

describe('model bundle loading: broken bundles get a clear message', () => {
  let tmp: string;
  let n = 0;
  const fresh = (): string => {
    const dir = path.join(tmp, `b${n++}`);
    writeSmallBundle(dir);
    return dir;
  };
  const manifestOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arxiv-bundle-'))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a valid bundle loads', () => {
    const b = readBundle(fresh());
    assert.equal(b.manifest.name, 'tiny');
    assert.equal(b.file('ngram.bin').length, 4);
  });

  it('a weight file replaced by a folder: names the file and says what to do (no raw EISDIR)', () => {
    const dir = fresh();
    fs.rmSync(path.join(dir, 'ngram.bin'));
    fs.mkdirSync(path.join(dir, 'ngram.bin'));
    assert.throws(() => readBundle(dir), (e: Error) => /Model file ngram\.bin in .* is a folder, not a file: retrain or restore the bundle/.test(e.message) && !/EISDIR/.test(e.message));
  });

  it('a manifest of null, a list, or without labels: says the manifest is malformed (no "Cannot read properties")', () => {
    for (const content of ['null', '[]', '42']) {
      const dir = fresh();
      fs.writeFileSync(path.join(dir, 'manifest.json'), content);
      assert.throws(() => readBundle(dir), /manifest\.json in .* does not hold a JSON object/, content);
    }
    const dir = fresh();
    const m = manifestOf(dir);
    delete m.labels;
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
    assert.throws(() => readBundle(dir), /manifest\.json in .* is malformed: "labels" is missing\. The bundle is corrupt: retrain or restore the bundle/);
    const m2 = manifestOf(dir);
    m2.labels = { primary: [{ code: 1 }], multi: [] };
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m2));
    assert.throws(() => readBundle(dir), /"labels\.primary" must be a non-empty list of \{code, name\}/);
  });

  it('vocab.txt as a FIFO is refused at once instead of hanging the loader', async function () {
    const dir = fresh();
    fs.rmSync(path.join(dir, 'vocab.txt'));
    try {
      execFileSync('mkfifo', [path.join(dir, 'vocab.txt')]);
    } catch {
      this.skip();
    }
    // In a child process, so a regression hangs that process (and fails here), not the test runner.
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', `
      const { readBundle } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/model/bundle.ts'))});
      try { readBundle(${JSON.stringify(dir)}); console.log('loaded'); } catch (e) { console.log(e.message); }`]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 30_000);
      child.on('exit', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    assert.notEqual(code, null, 'readBundle hung on a FIFO');
    assert.match(out, /Model file vocab\.txt in .* is not a regular file \(.*named pipe.*\): retrain or restore the bundle/);
  });

  it('a 300 MB manifest is refused without reading it all', () => {
    const dir = fresh();
    // Sparse: costs no disk, but stat and a naive read see 300 MB.
    fs.truncateSync(path.join(dir, 'manifest.json'), 300 * 1024 * 1024);
    assert.throws(() => readBundle(dir), /Model file manifest\.json in .* is larger than 16 MB/);
  });
});

describe('stale temp folders of killed bundle writes', () => {
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arxiv-stale-'))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('are removed when their writer process is gone, kept while it runs', async () => {
    const out = path.join(tmp, 'model');
    // A pid that surely is dead: a child that has exited.
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = dead.pid!;
    await new Promise((r) => dead.on('exit', r));
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const stale = `${out}.tmp-${deadPid}-1700000000000`;
      const live = `${out}.tmp-${alive.pid}-1700000000001`;
      const unrelated = path.join(tmp, 'model-other.tmp-1-2');
      for (const d of [stale, live, unrelated]) fs.mkdirSync(d, { recursive: true });
      writeSmallBundle(out); // writeBundle cleans first
      assert.equal(fs.existsSync(stale), false, 'stale folder of a dead writer removed');
      assert.equal(fs.existsSync(live), true, 'a running writer keeps its folder');
      assert.equal(fs.existsSync(unrelated), true, 'other folders are not touched');
      assert.deepEqual(removeStaleSiblings(out), []);
      assert.equal(readBundle(out).manifest.name, 'tiny');
    } finally {
      alive.kill();
    }
  });
});
