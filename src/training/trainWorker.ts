/**
 * Training process entry (dist/trainWorker.js), forked by the language server or the CLI. Receives one
 * {type:'start', request} message, streams TrainEvent messages, honours {type:'cancel'}. Runs apart from the
 * server so a crash, an out-of-memory or a kill never takes the editor's classification down.
 */
import { runPipeline } from './pipeline';
import { pipelineOptions } from './defaults';
import type { TrainEvent, TrainRequest } from './protocol';

const controller = new AbortController();
const send = (e: TrainEvent) => process.send?.(e);

process.on('message', (msg: { type: string; request?: TrainRequest }) => {
  if (msg.type === 'cancel') controller.abort();
  if (msg.type === 'start' && msg.request) {
    runPipeline(pipelineOptions(msg.request), send, controller.signal)
      .then(() => process.exit(0))
      .catch((e: Error) => {
        if (controller.signal.aborted) send({ type: 'cancelled', checkpointDir: msg.request!.checkpointDir ?? msg.request!.outDir + '.ckpt' });
        else send({ type: 'error', message: e.message });
        setTimeout(() => process.exit(controller.signal.aborted ? 0 : 1), 50);
      });
  }
});
process.on('disconnect', () => controller.abort());
