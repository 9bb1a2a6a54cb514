/**
 * Training process entry (dist/trainWorker.js), forked by the language server or the CLI. Serves
 * TrainProcessContract (shared/workerContracts): `start` runs one training run and streams TrainEvent events,
 * `cancel` aborts it. Runs apart from the server so a crash, an out-of-memory or a kill never takes the
 * editor's classification down.
 */
import type { TrainProcessContract, TrainProcessEvent } from '../shared/workerContracts';
import { processPort, serveRpc } from '../shared/workerRpc';
import { runPipeline } from './pipeline';
import { pipelineOptions } from './defaults';

const controller = new AbortController();
let started = false;

const rpc = serveRpc<TrainProcessContract, TrainProcessEvent>(processPort(process), {
  start: async (request) => {
    if (started) throw new Error('this training process already ran');
    started = true;
    try {
      await runPipeline(pipelineOptions(request), (e) => rpc.emit(e), controller.signal);
      setImmediate(() => process.exit(0));
    } catch (e) {
      if (controller.signal.aborted) rpc.emit({ type: 'cancelled', checkpointDir: request.checkpointDir ?? request.outDir + '.ckpt' });
      else rpc.emit({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      setTimeout(() => process.exit(controller.signal.aborted ? 0 : 1), 50);
    }
  },
  cancel: () => controller.abort(),
});
process.on('disconnect', () => controller.abort());
