/**
 * Runs one training run at a time (in its own process, via the runner) and forwards its events.
 * When a run ends with `done`, `onTrained` hot-swaps to the new bundle.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TrainEvent, TrainRequest } from '../training/protocol';
import type { TrainEventMessage } from '../shared/protocol';
import { errorMessage } from '../shared/errors';

export type StartTraining = (req: TrainRequest, onEvent: (e: TrainEvent) => void) => { cancel(): void; done: Promise<TrainEvent> };

export interface TrainingHostOptions {
  startTraining: StartTraining;
  send: (msg: TrainEventMessage) => void;
  onTrained: (modelDir: string) => Promise<void>;
  /** Folder for bundles when a request has no outDir. */
  trainingDir: () => string | undefined;
  log: (msg: string) => void;
}

const TERMINAL = new Set<TrainEvent['type']>(['done', 'cancelled', 'error']);

export class TrainingHost {
  private run: { runId: string; cancel(): void } | undefined;

  constructor(private readonly opts: TrainingHostOptions) {}

  get activeRunId(): string | undefined {
    return this.run?.runId;
  }

  /** Starts a run; throws an Error with a user-facing message when the request is invalid or one is running. */
  start(raw: unknown): { runId: string } {
    if (this.run) throw new Error(`A training run (${this.run.runId}) is already in progress; cancel it first.`);
    const req = this.validate(raw);
    const runId = randomUUID();
    let terminalSent = false;
    const forward = (event: TrainEvent): void => {
      if (TERMINAL.has(event.type)) {
        if (terminalSent) return;
        terminalSent = true;
      }
      this.opts.send({ runId, event });
    };
    const handle = this.opts.startTraining(req, (event) => {
      try {
        forward(event);
      } catch (e) {
        this.opts.log(`Forwarding a training event failed: ${errorMessage(e)}`);
      }
    });
    this.run = { runId, cancel: () => handle.cancel() };
    void handle.done
      .catch((e: unknown): TrainEvent => ({ type: 'error', message: errorMessage(e) }))
      .then(async (final) => {
        if (this.run?.runId === runId) this.run = undefined;
        forward(final);
        if (final.type === 'done') {
          try {
            await this.opts.onTrained(final.modelDir);
          } catch (e) {
            this.opts.send({ runId, event: { type: 'log', level: 'warn', message: `The trained model could not be loaded: ${errorMessage(e)}` } });
          }
        }
      })
      .catch((e: unknown) => this.opts.log(`Training run ${runId} finished with an internal error: ${errorMessage(e)}`));
    return { runId };
  }

  cancel(runId: unknown): { cancelled: boolean } {
    if (!this.run || (runId !== undefined && runId !== this.run.runId)) return { cancelled: false };
    this.run.cancel();
    return { cancelled: true };
  }

  dispose(): void {
    this.run?.cancel();
    this.run = undefined;
  }

  private validate(raw: unknown): TrainRequest {
    if (raw === null || typeof raw !== 'object') throw new Error('The training request must be an object with dataPath and outDir.');
    const req = { ...(raw as TrainRequest) };
    if (typeof req.dataPath !== 'string' || req.dataPath.trim() === '') throw new Error('The training request has no dataPath.');
    if (!fs.existsSync(req.dataPath)) throw new Error(`The training data file ${req.dataPath} does not exist.`);
    if (typeof req.outDir !== 'string' || req.outDir.trim() === '') {
      const root = this.opts.trainingDir();
      if (!root) throw new Error('The training request has no outDir and no training folder is configured.');
      req.outDir = path.join(root, `model-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    }
    return req;
  }
}
