/**
 * Owns the loaded classifier and swaps it without a gap: the new bundle is loaded first and the old
 * one is disposed only after it succeeded and after classifications still using it have finished.
 */
import * as path from 'node:path';
import type { Classifier, ModelInfo } from '../model/types';
import type { ModelChangedParams, ModelInfoDto } from '../shared/protocol';
import { errorMessage } from '../shared/errors';

export type ClassifierLoader = (dir: string) => Promise<Classifier>;

/** What the document analyzer needs from a model owner. */
export interface ModelProvider {
  /** Runs `fn` with the current classifier; rejects with a readable Error when no model is loaded. */
  withClassifier<T>(fn: (classifier: Classifier, modelId: string) => Promise<T>): Promise<T>;
}

/** A load that failed; the previous model (named by `stillUsing`) stays current. */
export class ModelLoadError extends Error {
  constructor(
    message: string,
    readonly dir: string,
    readonly stillUsing: string | undefined,
  ) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

interface Loaded {
  classifier: Classifier;
  /** Unique per load, so a bundle retrained into the same folder never hits stale cache entries. */
  id: string;
  users: number;
  retired: boolean;
}

export class ModelHost implements ModelProvider {
  private loaded: Loaded | undefined;
  private lastError: string | undefined;
  private generation = 0;
  /** Loads and swaps run one at a time, in request order. */
  private chain: Promise<unknown> = Promise.resolve();

  /**
   * @param onChange called after every load attempt that changed the model or the error (the server
   *   pushes it to the client as arxiv/modelChanged, so nobody polls).
   */
  constructor(
    private readonly loader: ClassifierLoader,
    private readonly log: (msg: string) => void = () => undefined,
    private readonly onChange: (state: ModelChangedParams) => void = () => undefined,
  ) {}

  get current(): ModelInfo | undefined {
    return this.loaded?.classifier.info;
  }

  /** Message of the last failed load (cleared by a successful one). */
  get error(): string | undefined {
    return this.lastError;
  }

  /** Resolves once every load requested so far has finished (successfully or not). */
  async idle(): Promise<void> {
    await this.chain.catch(() => undefined);
  }

  /**
   * Loads the bundle in `dir` and makes it current. On failure the previous model stays current and
   * the returned promise rejects with an Error saying why. Selecting the folder that is already loaded
   * is a no-op unless `force` is set (e.g. after a training run overwrote it).
   */
  select(dir: string, force = false): Promise<ModelInfo> {
    const run = async (): Promise<ModelInfo> => {
      const resolved = path.resolve(dir);
      if (!force && this.loaded && path.resolve(this.loaded.classifier.info.dir) === resolved) {
        return this.loaded.classifier.info;
      }
      let classifier: Classifier;
      try {
        classifier = await this.loader(resolved);
      } catch (e) {
        const stillUsing = this.loaded?.classifier.info.name;
        const keep = stillUsing !== undefined ? ` Still using "${stillUsing}".` : '';
        this.lastError = `Could not load the model in ${resolved}: ${errorMessage(e)}.${keep}`;
        this.log(this.lastError);
        this.notify();
        throw new ModelLoadError(this.lastError, resolved, stillUsing);
      }
      const previous = this.loaded;
      this.generation += 1;
      this.loaded = { classifier, id: `${resolved}#${this.generation}`, users: 0, retired: false };
      this.lastError = undefined;
      this.log(`Model "${classifier.info.name}" loaded from ${resolved}.`);
      if (previous) this.retire(previous);
      this.notify();
      return classifier.info;
    };
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  async withClassifier<T>(fn: (classifier: Classifier, modelId: string) => Promise<T>): Promise<T> {
    await this.idle();
    const entry = this.loaded;
    if (!entry) throw new Error(this.lastError ?? 'No model is loaded.');
    entry.users += 1;
    try {
      return await fn(entry.classifier, entry.id);
    } finally {
      entry.users -= 1;
      if (entry.retired && entry.users === 0) this.disposeQuietly(entry);
    }
  }

  /** The loaded model as the client sees it; undefined when none is loaded (`error` says why). */
  async infoDto(): Promise<ModelInfoDto | undefined> {
    await this.idle();
    return this.dto();
  }

  /** What arxiv/modelChanged carries: the current model and the last load error. */
  state(): ModelChangedParams {
    const model = this.dto() ?? null;
    return this.lastError ? { model, error: this.lastError } : { model };
  }

  private dto(): ModelInfoDto | undefined {
    const info = this.loaded?.classifier.info;
    if (!info) return undefined;
    return { name: info.name, dir: info.dir, kind: info.kind, encoder: info.encoder, labels: info.labels.length, metrics: { ...info.metrics } };
  }

  private notify(): void {
    try {
      this.onChange(this.state());
    } catch (e) {
      this.log(`Reporting the model change failed: ${errorMessage(e)}`);
    }
  }

  dispose(): void {
    if (this.loaded) this.disposeQuietly(this.loaded);
    this.loaded = undefined;
  }

  private retire(entry: Loaded): void {
    entry.retired = true;
    if (entry.users === 0) this.disposeQuietly(entry);
  }

  private disposeQuietly(entry: Loaded): void {
    try {
      entry.classifier.dispose();
    } catch (e) {
      this.log(`Disposing model "${entry.classifier.info.name}" failed: ${errorMessage(e)}`);
    }
  }
}
