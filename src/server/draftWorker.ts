/**
 * Draft extraction off the server's main thread, in a small pool of worker threads (workerpool, as LaTeX
 * Workshop parses LaTeX), with a time budget per document: a draft that takes longer has its worker
 * terminated and replaced, and only that draft gets a "could not be read in time" answer.
 *
 * Included files: the worker reads them itself, through the same FileAccess policy as the CLI (workspace
 * folders only, regular files, byte caps). The main thread sends the unsaved text of open editors with each
 * request (the overlay). We chose this over answering readFile calls from the main thread because extraction
 * is synchronous (unified-latex and our scanners): a worker->main read would need Atomics.wait on shared
 * memory for every file and would put disk reads back on the main thread; the overlay is a few open drafts.
 */
import * as os from 'node:os';
import { isMainThread, workerData } from 'node:worker_threads';
import * as workerpool from 'workerpool';
import { extractInProject } from '../draft/extract';
import type { FileAccessPolicy } from '../draft/fileAccess';
import type { ExtractedDraft } from '../draft/types';

const ROLE = 'arxiv-draft-worker';

/** Everything a worker needs to read one draft (structured-cloneable). */
export interface DraftRequest {
  text: string;
  /** Path or URI of the document. */
  fileName: string;
  languageId?: string;
  maxChars: number;
  access: FileAccessPolicy;
  /** Unsaved text of open editors: [absolute path, text]. */
  overlay: [string, string][];
}

/** The extraction a worker runs (also used in-process when no worker script is given). */
export function extractForRequest(req: DraftRequest): ExtractedDraft {
  return extractInProject(req.text, { fileName: req.fileName, languageId: req.languageId, maxChars: req.maxChars }, req.access, new Map(req.overlay));
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
export function runDraftWorker(extract: (req: DraftRequest) => ExtractedDraft = extractForRequest): void {
  workerpool.worker({
    extract: (req: DraftRequest) => {
      // Tells the main thread the budget starts now (not while the worker was starting or the task queued).
      workerpool.workerEmit('started');
      return extract(req);
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

/** Main-thread side: a pool of draft workers with a per-document time budget. */
export class DraftReader {
  private readonly pool: workerpool.Pool;

  constructor(private readonly opts: DraftReaderOptions) {
    const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    this.pool = workerpool.pool(opts.script, {
      workerType: 'thread',
      minWorkers: 1,
      maxWorkers: opts.maxWorkers ?? Math.max(2, Math.min(4, cores)),
      // A timed-out worker is busy in synchronous code and cannot clean up: end it quickly.
      workerTerminateTimeout: 100,
      workerThreadOpts: { workerData: { role: ROLE }, resourceLimits: { maxOldGenerationSizeMb: opts.maxHeapMb ?? 512 } },
    });
  }

  /**
   * Extracts `req` in a worker. Rejects with DraftTimeoutError when it runs longer than `budgetMs` (counted
   * from when a worker starts on it), or with an Error when the worker died (e.g. out of memory).
   */
  read(req: DraftRequest, budgetMs: number): Promise<ExtractedDraft> {
    const task = this.pool.exec('extract', [req], {
      on: (event: unknown) => {
        if (event === 'started') task.timeout(budgetMs);
      },
    }) as workerpool.Promise<ExtractedDraft>;
    return new Promise<ExtractedDraft>((resolve, reject) => {
      task.then(resolve, (e: unknown) => {
        if (e instanceof workerpool.Promise.TimeoutError) {
          this.opts.log?.(`Reading ${req.fileName} took longer than ${budgetMs} ms: its worker was replaced.`);
          reject(new DraftTimeoutError(budgetMs));
        } else {
          reject(e instanceof Error ? new Error(`the draft worker failed: ${e.message}`) : new Error(String(e)));
        }
      });
    });
  }

  /** Workers alive (for tests and the debug stats). */
  get workers(): number {
    return this.pool.stats().totalWorkers;
  }

  async dispose(): Promise<void> {
    await this.pool.terminate(true);
  }
}
