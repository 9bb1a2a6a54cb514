/**
 * Debounces classification per document and runs jobs one at a time, so a burst of edits costs one
 * classification and requests (hover, modelInfo) are answered between jobs instead of waiting behind a pile.
 */

export interface SchedulerOptions {
  debounceMs: () => number;
  /** Classifies the latest version of `uri`; it decides itself whether the result is still current. */
  run: (uri: string) => Promise<void>;
  onError: (uri: string, e: unknown) => void;
}

export class ClassificationScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** URIs queued but not started: a second request for one of them is merged into the first. */
  private readonly waiting = new Set<string>();
  private tail: Promise<void> = Promise.resolve();
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
    if (this.waiting.has(uri)) return this.tail;
    this.waiting.add(uri);
    this.tail = this.tail.then(async () => {
      this.waiting.delete(uri);
      if (this.disposed) return;
      try {
        await this.opts.run(uri);
      } catch (e) {
        this.opts.onError(uri, e);
      }
    });
    return this.tail;
  }
}
