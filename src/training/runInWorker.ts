/** Runs the n-gram member in a worker thread when the bundled worker exists, otherwise inline. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { trainNgramMember, type NgramMemberInput, type NgramMemberOutput } from './ngramMember';

export function trainNgramInBackground(inp: NgramMemberInput): Promise<NgramMemberOutput> {
  // In the esbuild bundle all entry points sit in dist/; under tsx (tests) there is no worker file.
  const workerFile = join(__dirname, 'ngramWorker.js');
  if (!existsSync(workerFile)) return new Promise((resolve, reject) => setImmediate(() => {
    try { resolve(trainNgramMember(inp)); } catch (e) { reject(e); }
  }));
  return new Promise((resolve, reject) => {
    const w = new Worker(workerFile, { workerData: inp });
    w.once('message', (m: { ok: boolean; out?: NgramMemberOutput; error?: string }) => {
      if (m.ok && m.out) resolve(m.out);
      else reject(new Error('n-gram training failed: ' + m.error));
      void w.terminate();
    });
    w.once('error', reject);
  });
}
