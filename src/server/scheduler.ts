/**
 * Debounces classification per document and runs jobs one at a time, so a burst of edits costs one
 * classification and requests (hover, modelInfo) are answered between jobs instead of waiting behind a pile.
 */

export interface SchedulerOptions {
  debounceMs: () => number;
  /** Classifies the latest version of `uri`; it decides itself whether the result is still current. */
  run: (uri: string) => Promise<void>;
  onError: (uri: string, e: unknown) => void;
  /**
   * Jobs of different documents run at once up to this many (default 1); one document never runs twice at
   * once. With extraction and the model in worker threads, 2 lets one slow draft not hold up the others.
   */
  concurrency?: number;
}

export class ClassificationScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** URIs queued but not started: a second request for one of them is merged into the first. */
  private readonly waiting = new Map<string, { done: Promise<void>; resolve: () => void }>();
  private readonly running = new Set<string>();
  private disposed = false;

  constructor(private readonly opts: SchedulerOptions) {}

  /** (Re)starts the quiet period for `uri`; `delayMs` overrides the debounce (0 = as soon as possible). */
  schedule(uri: string, delayMs = this.opts.debounceMs()): void {
    if (this.disposed) return;
    this.cancel(uri);
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      void this.enqueue(uri);
    }, delayMs);
    this.timers.set(uri, timer);
  }

  /** Runs `uri` right after the jobs already queued, skipping the debounce; resolves when it has run. */
  runNow(uri: string): Promise<void> {
    this.cancel(uri);
    return this.enqueue(uri);
  }

  cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
  }

  get pending(): number {
    return this.timers.size + this.waiting.size;
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private enqueue(uri: string): Promise<void> {
    const queued = this.waiting.get(uri);
    if (queued) return queued.done;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    this.waiting.set(uri, { done, resolve });
    this.pump();
    return done;
  }

  /** Starts waiting jobs (oldest first) while there is room, skipping documents that are running. */
  private pump(): void {
    const limit = Math.max(1, this.opts.concurrency ?? 1);
    for (const [uri, job] of this.waiting) {
      if (this.running.size >= limit) return;
      if (this.running.has(uri)) continue;
      this.waiting.delete(uri);
      this.running.add(uri);
      void this.runOne(uri).finally(() => {
        this.running.delete(uri);
        job.resolve();
        this.pump();
      });
    }
  }

  private async runOne(uri: string): Promise<void> {
    if (this.disposed) return;
    try {
      await this.opts.run(uri);
    } catch (e) {
      this.opts.onError(uri, e);
    }
  }
}
