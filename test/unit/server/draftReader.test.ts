/** DraftReader: drafts read in worker threads (real worker loop via tsx), each with its own time budget. */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { DraftReader, DraftTimeoutError, type DraftRequest } from '../../../src/server/draftWorker';

const SCRIPT = path.join(__dirname, 'helpers', 'slowDraftWorker.cjs');
const request = (text: string): DraftRequest => ({
  text,
  fileName: '/nowhere/draft.tex',
  maxChars: 100_000,
  access: { roots: ['/nowhere'], allowOutside: false, maxBytes: 400_000, allowHint: 'x' },
  overlay: [],
});
const GOOD = '\\title{A title}\n\\begin{abstract}An abstract.\\end{abstract}\n';
const SPIN = `% test: spin forever\n${GOOD}`;

describe('DraftReader (worker pool with a time budget)', function () {
  this.timeout(60_000);

  it('reads a draft in a worker; an endless one is stopped after its budget and its worker replaced', async () => {
    const reader = new DraftReader({ script: SCRIPT, maxWorkers: 1 });
    try {
      const d = await reader.read(request(GOOD), 20_000);
      assert.equal(d.title, 'A title');
      // One worker only: the second endless draft waits for the first and gets its own full budget.
      const results = await Promise.allSettled([reader.read(request(SPIN), 500), reader.read(request(SPIN), 500)]);
      for (const r of results) {
        assert.equal(r.status, 'rejected');
        assert.ok((r as PromiseRejectedResult).reason instanceof DraftTimeoutError);
      }
      assert.equal((await reader.read(request(GOOD), 20_000)).title, 'A title', 'the replacement worker reads drafts');
      assert.equal(reader.workers, 1);
    } finally {
      await reader.dispose();
    }
  });

  it('a worker that dies rejects its draft with an error, not a timeout', async () => {
    const reader = new DraftReader({ script: SCRIPT, maxWorkers: 2 });
    try {
      await assert.rejects(reader.read(request(`% test: exit worker\n${GOOD}`), 20_000), (e: Error) => !(e instanceof DraftTimeoutError) && /draft worker stopped/.test(e.message));
      assert.equal((await reader.read(request(GOOD), 20_000)).title, 'A title');
    } finally {
      await reader.dispose();
    }
  });
});
