/**
 * Starts a training run in a separate Node process (dist/trainWorker.js) and relays its events.
 * Used by the language server (Train Model command) and usable by any host.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainProcessContract, TrainProcessEvent } from '../shared/workerContracts';
import { processPort, RpcClient } from '../shared/workerRpc';
import type { TrainEvent, TrainRequest } from './protocol';

export interface TrainingHandle {
  cancel(): void;
  /** Resolves with the final event: done, cancelled or error. Never rejects. */
  done: Promise<TrainEvent>;
  readonly process: ChildProcess;
}

export function trainWorkerPath(distDir: string = __dirname): string {
  return join(distDir, 'trainWorker.js');
}

export function startTraining(req: TrainRequest, onEvent: (e: TrainEvent) => void, opts: { workerPath?: string; execArgv?: string[] } = {}): TrainingHandle {
  const worker = opts.workerPath ?? trainWorkerPath();
  if (!existsSync(worker)) throw new Error(`Training worker not found at ${worker}; run "npm run build".`);
  const child = fork(worker, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: opts.execArgv ?? ['--max-old-space-size=8192'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let final: TrainEvent | undefined;
  const rpc = new RpcClient<TrainProcessContract, TrainProcessEvent>(processPort(child), (e) => {
    if (e.type === 'done' || e.type === 'cancelled' || e.type === 'error') final = e;
    onEvent(e);
  });
  const done = new Promise<TrainEvent>((resolve) => {
    child.on('exit', (code, sig) => {
      rpc.close(new Error('the training process exited'));
      if (!final) {
        final = sig === 'SIGTERM' || sig === 'SIGKILL'
          ? { type: 'cancelled' }
          : { type: 'error', message: `Training process exited with code ${code ?? sig}${stderr ? ': ' + stderr.trim().split('\n').slice(-3).join(' | ') : ''}` };
        onEvent(final);
      }
      resolve(final);
    });
  });
  // The run's outcome arrives as its final event (or the exit code): the reply itself carries nothing.
  rpc.call('start', req).catch(() => undefined);
  return {
    process: child,
    done,
    cancel() {
      if (child.exitCode !== null) return;
      void rpc.call('cancel').catch(() => undefined);
      // A step can take a while; make sure it stops.
      setTimeout(() => child.exitCode === null && child.kill('SIGTERM'), 10_000).unref();
    },
  };
}
