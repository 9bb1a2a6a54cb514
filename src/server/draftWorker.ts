/**
 * Draft extraction off the server's main thread, in a small pool of worker threads (LaTeX Workshop parses
 * LaTeX in a worker pool too), with a time budget per document: a draft that takes longer has its worker
 * terminated and replaced, and only that draft gets a "could not be read in time" answer.
 *
 * Included files: the worker reads them itself, through the same FileAccess policy as the CLI (workspace
 * folders only, regular files, byte caps). The main thread sends the unsaved text of open editors with each
 * request (the overlay). We chose this over answering readFile calls from the main thread because extraction
 * is synchronous (unified-latex and our scanners): a worker->main read would need Atomics.wait on shared
 * memory for every file and would put disk reads back on the main thread; the overlay is a few open drafts.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { extractInProject } from '../draft/extract';
import { FileAccess } from '../draft/fileAccess';
import { toFsPath } from '../draft/paths';
import { draftPreflight } from './preflightRunner';
import type { ExtractedDraft } from '../draft/types';
import type { DraftRequest, DraftWorkerContract, DraftWorkerEvent } from '../shared/workerContracts';
import { RpcClient, serveRpc, workerPort } from '../shared/workerRpc';

export type { DraftRequest } from '../shared/workerContracts';

const ROLE = 'arxiv-draft-worker';

/** The extraction a worker runs (also used in-process when no worker script is given). */
export function extractForRequest(req: DraftRequest, onExtracted: () => void = () => undefined): ExtractedDraft {
  const overlay = new Map(req.overlay);
  const draft = extractInProject(req.text, { fileName: req.fileName, languageId: req.languageId, maxChars: req.maxChars }, req.access, overlay);
  if (req.preflightBibMs !== undefined && (draft.title || draft.abstract)) {
    onExtracted();
    // The preflight reads the draft's files and .bib files here, under the same access rule, not on the server's main thread.
    const access = new FileAccess(req.access, overlay);
    draft.preflight = draftPreflight(draft, req.text, { uri: req.fileName, fsPath: toFsPath(req.fileName) }, access.readFile, req.preflightBibMs);
  }
  return draft;
}

/** The draft took longer than its budget; its worker was replaced. */
export class DraftTimeoutError extends Error {
  constructor(readonly budgetMs: number) {
    super(`reading the draft took longer than ${budgetMs} ms`);
  }
}

/** True inside a worker started by DraftReader. */
export function isDraftWorker(): boolean {
  return !isMainThread && (workerData as { role?: string } | null)?.role === ROLE;
}

/** Worker side. `extract` is replaceable so tests can run a deliberately slow extractor through the same loop. */
export function runDraftWorker(extract: (req: DraftRequest, onExtracted: () => void) => ExtractedDraft = extractForRequest): void {
  if (!parentPort) return;
  const rpc = serveRpc<DraftWorkerContract, DraftWorkerEvent>(workerPort(parentPort), {
    extract: (req) => {
      // The budget starts now (posted before the synchronous extraction blocks this thread).
      rpc.emit('started');
      return extract(req, () => rpc.emit('extracted'));
    },
  });
}

export interface DraftReaderOptions {
  /** Worker entry (a bundle or .cjs that calls runDraftWorker). */
  script: string;
  /** Most workers at once; one slow draft then does not hold up the others. */
  maxWorkers?: number;
  /** Heap limit of a worker: a draft that needs more kills its worker, not the server. */
  maxHeapMb?: number;
  log?: (msg: string) => void;
}

interface Job {
  req: DraftRequest;
  budgetMs: number;
  resolve: (d: ExtractedDraft) => void;
  reject: (e: Error) => void;
}

/** One worker thread; `onStarted` is set while it runs a job. */
interface Slot {
  worker: Worker;
  rpc: RpcClient<DraftWorkerContract, DraftWorkerEvent>;
  busy: boolean;
  onStarted?: () => void;
  onExtracted?: () => void;
}

/** Main-thread side: a pool of draft workers with a per-document time budget. */
export class DraftReader {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private disposed = false;

  constructor(private readonly opts: DraftReaderOptions) {
    this.spawn(); // one warm worker: the first draft does not wait for a thread to start
  }

  /**
   * Extracts `req` in a worker. Rejects with DraftTimeoutError when it runs longer than `budgetMs` (counted
   * from when a worker starts on it), or with an Error when the worker died (e.g. out of memory).
   */
  read(req: DraftRequest, budgetMs: number): Promise<ExtractedDraft> {
    if (this.disposed) return Promise.reject(new Error('the draft reader was shut down'));
    return new Promise<ExtractedDraft>((resolve, reject) => {
      this.queue.push({ req, budgetMs, resolve, reject });
      this.next();
    });
  }

  /** Workers alive (for tests and the debug stats). */
  get workers(): number {
    return this.slots.size;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the draft reader was shut down'));
    await Promise.all([...this.slots].map((s) => s.worker.terminate()));
    this.slots.clear();
  }

  private spawn(): Slot {
    const worker = new Worker(this.opts.script, {
      workerData: { role: ROLE },
      resourceLimits: { maxOldGenerationSizeMb: this.opts.maxHeapMb ?? 512 },
      stdout: false,
      stderr: false,
    });
    const slot: Slot = {
      worker,
      busy: false,
      rpc: new RpcClient<DraftWorkerContract, DraftWorkerEvent>(workerPort(worker), (event) => {
        if (event === 'started') slot.onStarted?.();
        if (event === 'extracted') slot.onExtracted?.();
      }),
    };
    // Not replaced here: a worker script that cannot start would otherwise be respawned forever.
    const gone = (why: Error): void => {
      slot.rpc.close(why);
      this.slots.delete(slot);
    };
    worker.on('error', (e) => gone(new Error(`the draft worker crashed: ${e.message}`)));
    worker.on('exit', (code) => gone(new Error(`the draft worker stopped (exit code ${code})`)));
    this.slots.add(slot);
    return slot;
  }

  private next(): void {
    while (this.queue.length && !this.disposed) {
      let slot = [...this.slots].find((s) => !s.busy);
      if (!slot && this.slots.size < (this.opts.maxWorkers ?? 2)) slot = this.spawn();
      if (!slot) return;
      this.run(slot, this.queue.shift()!);
    }
  }

  private run(slot: Slot, job: Job): void {
    slot.busy = true;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const arm = (ms: number): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        this.opts.log?.(`Reading ${job.req.fileName} took longer than ${job.budgetMs} ms: its worker was replaced.`);
        // The worker is stuck in synchronous code: only terminating it stops it. A fresh one takes its place.
        this.slots.delete(slot);
        slot.rpc.close(new DraftTimeoutError(job.budgetMs));
        void slot.worker.terminate();
        if (!this.disposed && this.slots.size === 0) this.spawn();
      }, ms);
    };
    slot.onStarted = () => arm(job.budgetMs);
    // Extraction finished in time: the preflight (.bib parsing) gets its own window, bounded the same way.
    slot.onExtracted = () => arm(job.budgetMs + (job.req.preflightBibMs ?? 0));
    slot.rpc.call('extract', job.req).then(
      (draft) => job.resolve(draft),
      (e: unknown) => {
        if (timedOut || e instanceof DraftTimeoutError) job.reject(new DraftTimeoutError(job.budgetMs));
        else job.reject(e instanceof Error ? e : new Error(String(e)));
      },
    ).finally(() => {
      clearTimeout(timer);
      slot.onStarted = undefined;
      slot.onExtracted = undefined;
      slot.busy = false;
      this.next();
    });
  }
}
