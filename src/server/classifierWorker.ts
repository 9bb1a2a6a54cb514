/**
 * Runs a model in a worker thread so TensorFlow.js / ONNX compute never blocks the server's event loop:
 * hovers and other requests are answered while a draft is being classified.
 *
 * Both sides live in the server bundle: the main thread starts `new Worker(<this bundle>, { workerData })`
 * and the entry calls `runClassifierWorker` when it finds itself in such a worker.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Classifier, ModelInfo, PaperText, Prediction } from '../model/types';
import type { ClassifierWorkerContract } from '../shared/workerContracts';
import type { DraftExplanation } from '../model/explain/types';
import { RpcClient, serveRpc, workerPort } from '../shared/workerRpc';

const ROLE = 'arxiv-classifier-worker';

/** True inside a worker started by WorkerClassifier. */
export function isClassifierWorker(): boolean {
  return !isMainThread && (workerData as { role?: string } | null)?.role === ROLE;
}

/** Worker side: loads one model and answers classify requests until disposed. */
export function runClassifierWorker(load: (dir: string) => Promise<Classifier>): void {
  if (!parentPort) return;
  let classifier: Classifier | undefined;
  serveRpc<ClassifierWorkerContract>(workerPort(parentPort), {
    load: async (dir) => {
      classifier = await load(dir);
      return classifier.info;
    },
    classify: (papers) => {
      if (!classifier) throw new Error('no model loaded in the worker');
      return classifier.classifyBatch(papers);
    },
    explain: (paper) => {
      if (!classifier) throw new Error('no model loaded in the worker');
      if (!classifier.explain) throw new Error('this model cannot explain its predictions');
      return classifier.explain(paper);
    },
    dispose: () => classifier?.dispose(),
  });
}

/** Main-thread side: a Classifier whose model lives in its own worker thread (one worker per loaded model). */
export class WorkerClassifier implements Classifier {
  /** A worker that died (out of memory, a crash in native code that spares the process) is restarted this often. */
  static readonly MAX_RESTARTS = 3;
  private worker!: Worker;
  private rpc!: RpcClient<ClassifierWorkerContract>;
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
    if (this.exited) throw this.exited;
    return this.rpc.call('classify', papers);
  }

  /** Evidence for one draft, computed in the worker like a classification. */
  async explain(paper: PaperText): Promise<DraftExplanation> {
    if (this.restarting) await this.restarting;
    if (this.exited) throw this.exited;
    return this.rpc.call('explain', paper);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.exited) return;
    // Let the model free native memory, then end the thread either way.
    const worker = this.worker;
    this.rpc
      .call('dispose')
      .catch(() => undefined)
      .finally(() => void worker.terminate());
  }

  private async start(): Promise<void> {
    const worker = new Worker(this.script, { workerData: { role: ROLE } });
    const rpc = new RpcClient<ClassifierWorkerContract>(workerPort(worker));
    this.worker = worker;
    this.rpc = rpc;
    this.exited = undefined;
    worker.on('error', (e) => this.fail(worker, rpc, new Error(`the model worker crashed: ${e.message}`)));
    worker.on('exit', (code) => this.fail(worker, rpc, new Error(`the model worker exited (code ${code})`)));
    try {
      this.info = await rpc.call('load', this.dir);
    } catch (e) {
      void worker.terminate();
      throw e;
    }
  }

  private fail(worker: Worker, rpc: RpcClient<ClassifierWorkerContract>, e: Error): void {
    rpc.close(e);
    if (worker !== this.worker) return; // an old worker's late exit
    this.exited ??= e;
  }
}
