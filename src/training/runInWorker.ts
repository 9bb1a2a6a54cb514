/** Runs the n-gram member in a worker thread when the bundled worker exists, otherwise inline. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { errorMessage } from '../shared/errors';
import type { NgramWorkerContract } from '../shared/workerContracts';
import { RpcClient, workerPort } from '../shared/workerRpc';
import { trainNgramMember, type NgramMemberInput, type NgramMemberOutput } from './ngramMember';

export async function trainNgramInBackground(inp: NgramMemberInput, workerFile = join(__dirname, 'ngramWorker.js')): Promise<NgramMemberOutput> {
  // In the esbuild bundle all entry points sit in dist/; under tsx (tests) there is no worker file.
  if (!existsSync(workerFile)) {
    await new Promise((r) => setImmediate(r));
    return trainNgramMember(inp);
  }
  const worker = new Worker(workerFile);
  const rpc = new RpcClient<NgramWorkerContract>(workerPort(worker));
  worker.once('error', (e) => rpc.close(e));
  worker.once('exit', (code) => rpc.close(new Error(`the worker exited (code ${code})`)));
  try {
    return await rpc.call('train', inp);
  } catch (e) {
    throw new Error(`n-gram training failed: ${errorMessage(e)}`, { cause: e });
  } finally {
    void worker.terminate();
  }
}
