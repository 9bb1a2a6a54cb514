/** Worker-thread entry: trains the n-gram member on the second core (see ngramMember.ts). */
import { parentPort } from 'node:worker_threads';
import type { NgramWorkerContract } from '../shared/workerContracts';
import { serveRpc, workerPort } from '../shared/workerRpc';
import { trainNgramMember } from './ngramMember';

if (parentPort) serveRpc<NgramWorkerContract>(workerPort(parentPort), { train: trainNgramMember });
