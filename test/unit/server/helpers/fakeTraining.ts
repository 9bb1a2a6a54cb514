/** TEST DOUBLE for src/training/runner.ts: "trains" by writing a fake bundle after a few events. */
import type { TrainEvent, TrainRequest } from '../../../../src/training/protocol';
import { writeFakeBundle } from './fakeClassifier';

export function fakeStartTraining(req: TrainRequest, onEvent: (e: TrainEvent) => void): { cancel(): void; done: Promise<TrainEvent> } {
  let cancelled = false;
  let finish: (e: TrainEvent) => void = () => undefined;
  const done = new Promise<TrainEvent>((resolve) => (finish = resolve));
  const steps = req.epochs ?? 2;
  let step = 0;
  onEvent({ type: 'phase', phase: 'train', message: 'fake training' });
  const timer = setInterval(() => {
    if (cancelled) {
      clearInterval(timer);
      const e: TrainEvent = { type: 'cancelled', checkpointDir: `${req.outDir}.ckpt` };
      onEvent(e);
      finish(e);
      return;
    }
    step += 1;
    onEvent({ type: 'progress', phase: 'train', epoch: step, epochs: steps, step, steps, loss: 1 / step, examplesPerSec: 100, etaSec: steps - step });
    if (step >= steps) {
      clearInterval(timer);
      writeFakeBundle(req.outDir, { name: `trained-${steps}` });
      const e: TrainEvent = { type: 'done', modelDir: req.outDir, metrics: { accuracy: 0.9 } };
      onEvent(e);
      finish(e);
    }
  }, 50);
  return { cancel: () => void (cancelled = true), done };
}
