/**
 * What the main thread and its workers say to each other, in one place (transport: shared/workerRpc).
 * Add a method here and TypeScript makes both the caller and the worker follow.
 */
import type { FileAccessPolicy } from '../draft/fileAccess';
import type { ExtractedDraft } from '../draft/types';
import type { ModelInfo, PaperText, Prediction } from '../model/types';
import type { DraftExplanation } from '../model/explain/types';
import type { NgramMemberInput, NgramMemberOutput } from '../training/ngramMember';
import type { TrainEvent, TrainRequest } from '../training/protocol';

/** Language server <-> classifier worker thread (src/server/classifierWorker.ts): one model per worker. */
export type ClassifierWorkerContract = {
  load(dir: string): ModelInfo;
  classify(papers: PaperText[]): Prediction[];
  /** Evidence behind one draft's prediction (src/model/explain). */
  explain(paper: PaperText): DraftExplanation;
  dispose(arg: void): void;
};

/** Training pipeline <-> n-gram training worker thread (src/training/ngramWorker.ts). */
export type NgramWorkerContract = {
  train(input: NgramMemberInput): NgramMemberOutput;
};

/**
 * Language server or CLI <-> training process (src/training/trainWorker.ts). `start` resolves when the run
 * ends; progress streams as TrainEvent events, the last of which is done, cancelled or error.
 */
export type TrainProcessContract = {
  start(request: TrainRequest): void;
  cancel(arg: void): void;
};
export type TrainProcessEvent = TrainEvent;

/** Everything a draft worker needs to read one draft (structured-clonable). */
export interface DraftRequest {
  text: string;
  /** Path or URI of the document. */
  fileName: string;
  languageId?: string;
  maxChars: number;
  access: FileAccessPolicy;
  /** Unsaved text of open editors: [absolute path, text]. */
  overlay: [string, string][];
  /** Also compute the draft's part of the preflight; .bib parsing gets at most this many ms. */
  preflightBibMs?: number;
}

/**
 * Language server <-> draft-reading worker thread (src/server/draftWorker.ts). The worker emits 'started'
 * when it begins a draft: the time budget counts from then, not from worker start-up or queueing.
 */
export type DraftWorkerContract = {
  extract(request: DraftRequest): ExtractedDraft;
};
/** 'extracted': the draft is read and the preflight starts; it gets its own window (DraftRequest.preflightBibMs). */
export type DraftWorkerEvent = 'started' | 'extracted';
