/**
 * Runs a model in a worker thread so TensorFlow.js / ONNX compute never blocks the server's event loop:
 * hovers and other requests are answered while a draft is being classified.
 *
 * Both sides live in the server bundle: the main thread starts `new Worker(<this bundle>, { workerData })`
 * and the entry calls `runClassifierWorker` when it finds itself in such a worker.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Classifier, ModelInfo, PaperText, Prediction } from '../model/types';
import type { DraftExplanation } from '../model/explain/explain';

const ROLE = 'arxiv-classifier-worker';

type Request =
  | { id: number; type: 'load'; dir: string }
  | { id: number; type: 'classify'; papers: PaperText[] }
  | { id: number; type: 'explain'; paper: PaperText }
  | { id: number; type: 'dispose' };
type Reply =
  | { id: number; ok: true; info?: ModelInfo; predictions?: Prediction[]; explanation?: DraftExplanation }
  | { id: number; ok: false; error: string };

/** True inside a worker started by WorkerClassifier. */
export function isClassifierWorker(): boolean {
  return !isMainThread && (workerData as { role?: string } | null)?.role === ROLE;
}

/** Worker side: loads one model and answers classify requests until disposed. */
export function runClassifierWorker(load: (dir: string) => Promise<Classifier>): void {
  const port = parentPort;
  if (!port) return;
  let classifier: Classifier | undefined;
  port.on('message', (req: Request) => {
    const reply = (r: Reply): void => port.postMessage(r);
    const fail = (e: unknown): void => reply({ id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) });
    if (req.type === 'load') {
      load(req.dir).then((c) => {
        classifier = c;
        reply({ id: req.id, ok: true, info: c.info });
      }, fail);
    } else if (req.type === 'classify') {
      if (!classifier) return fail(new Error('no model loaded in the worker'));
      classifier.classifyBatch(req.papers).then((predictions) => reply({ id: req.id, ok: true, predictions }), fail);
    } else if (req.type === 'explain') {
      if (!classifier) return fail(new Error('no model loaded in the worker'));
      if (!classifier.explain) return fail(new Error('this model cannot explain its predictions'));
      classifier.explain(req.paper).then((explanation) => reply({ id: req.id, ok: true, explanation }), fail);
    } else if (req.type === 'dispose') {
      try {
        classifier?.dispose();
      } finally {
        reply({ id: req.id, ok: true });
      }
    }
  });
}

/** Main-thread side: a Classifier whose model lives in its own worker thread (one worker per loaded model). */
export class WorkerClassifier implements Classifier {
  /** A worker that died (out of memory, a crash in native code that spares the process) is restarted this often. */
  static readonly MAX_RESTARTS = 3;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Reply & { ok: true }) => void; reject: (e: Error) => void }>();
  private worker!: Worker;
  private exited: Error | undefined;
  private restarts = 0;
  private disposed = false;
  /** Concurrent calls after a crash share one restart. */
  private restarting: Promise<void> | undefined;
  info: ModelInfo;

  private constructor(
    private readonly script: string,
    private readonly dir: string,
  ) {
    this.info = { name: '', dir, kind: 'ngram', encoder: 'none', labels: [], metrics: {} };
  }

  /** Starts a worker running `script` (the server bundle) and loads `dir` in it; rejects with the load error. */
  static async load(script: string, dir: string): Promise<WorkerClassifier> {
    const wc = new WorkerClassifier(script, dir);
    await wc.start();
    return wc;
  }

  async classify(paper: PaperText): Promise<Prediction> {
    const [p] = await this.classifyBatch([paper]);
    return p;
  }

  async classifyBatch(papers: PaperText[]): Promise<Prediction[]> {
    if (this.exited && !this.disposed && !this.restarting && this.restarts < WorkerClassifier.MAX_RESTARTS) {
      this.restarts += 1;
      this.restarting = this.start().finally(() => (this.restarting = undefined));
    }
    if (this.restarting) await this.restarting;
    const r = await this.call({ type: 'classify', papers });
    return r.predictions ?? [];
  }

  /** Evidence for one draft, computed in the worker like a classification. */
  async explain(paper: PaperText): Promise<DraftExplanation> {
    if (this.restarting) await this.restarting;
    const r = await this.call({ type: 'explain', paper });
    if (!r.explanation) throw new Error('the model worker returned no explanation');
    return r.explanation;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.exited) return;
    // Let the model free native memory, then end the thread either way.
    const worker = this.worker;
    this.call({ type: 'dispose' })
      .catch(() => undefined)
      .finally(() => void worker.terminate());
  }

  private async start(): Promise<void> {
    const worker = new Worker(this.script, { workerData: { role: ROLE } });
    this.worker = worker;
    this.exited = undefined;
    worker.on('message', (r: Reply) => this.settle(r));
    worker.on('error', (e) => this.fail(worker, new Error(`the model worker crashed: ${e.message}`)));
    worker.on('exit', (code) => this.fail(worker, new Error(`the model worker exited (code ${code})`)));
    try {
      const r = await this.call({ type: 'load', dir: this.dir });
      if (r.info) this.info = r.info;
    } catch (e) {
      void worker.terminate();
      throw e;
    }
  }

  private call(req: { type: 'load'; dir: string } | { type: 'classify'; papers: PaperText[] } | { type: 'explain'; paper: PaperText } | { type: 'dispose' }): Promise<Reply & { ok: true }> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id } as Request);
    });
  }

  private settle(r: Reply): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    if (r.ok) p.resolve(r);
    else p.reject(new Error(r.error));
  }

  private fail(worker: Worker, e: Error): void {
    if (worker !== this.worker) return; // an old worker's late exit
    this.exited ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
