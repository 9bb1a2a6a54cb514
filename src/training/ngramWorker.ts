/** Worker-thread entry: trains the n-gram member on the second core (see ngramMember.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { trainNgramMember, type NgramMemberInput } from './ngramMember';

try {
  const out = trainNgramMember(workerData as NgramMemberInput);
  parentPort!.postMessage({ ok: true, out });
} catch (e) {
  parentPort!.postMessage({ ok: false, error: (e as Error).stack ?? String(e) });
}
