/**
 * One small typed request/reply channel for everything we run off the main thread: worker threads
 * (classifier, n-gram training) and the forked training process. A contract is an interface of methods
 * that take one structured-clonable argument; the caller gets `call(method, arg)` typed from it, the
 * worker implements the same interface, and it may stream events of a declared type back.
 *
 * Wire format (internal, but checked on arrival: a message that is not ours is ignored):
 *   { rpc: 'call', id, method, arg } -> { rpc: 'reply', id, ok: true, value } | { rpc: 'reply', id, ok: false, error }
 *   { rpc: 'event', event }
 */
import type { ChildProcess } from 'node:child_process';
import type { MessagePort, Worker } from 'node:worker_threads';

/** Methods of a contract (declare it as a `type`, not an `interface`): one argument (`void` for none), a structured-clonable result. */
export type RpcMethods = Record<string, (arg: never) => unknown>;

export type RpcArg<F> = F extends (arg: infer A) => unknown ? A : never;
export type RpcResult<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;

/** The two ends the helper talks through; see workerPort and processPort. */
export interface RpcPort {
  send(message: unknown): void;
  onMessage(handler: (message: unknown) => void): void;
}

type CallMessage = { rpc: 'call'; id: number; method: string; arg: unknown };
type ReplyMessage = { rpc: 'reply'; id: number; ok: true; value: unknown } | { rpc: 'reply'; id: number; ok: false; error: string };
type EventMessage = { rpc: 'event'; event: unknown };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
const isCall = (m: unknown): m is CallMessage => isRecord(m) && m.rpc === 'call' && typeof m.id === 'number' && typeof m.method === 'string';
const isReply = (m: unknown): m is ReplyMessage =>
  isRecord(m) && m.rpc === 'reply' && typeof m.id === 'number' && (m.ok === true || (m.ok === false && typeof m.error === 'string'));
const isEvent = (m: unknown): m is EventMessage => isRecord(m) && m.rpc === 'event' && 'event' in m;

/** A worker thread (main side) or the worker's parentPort (worker side). */
export function workerPort(target: Worker | MessagePort): RpcPort {
  return { send: (m) => target.postMessage(m), onMessage: (h) => void target.on('message', h) };
}

/** A forked child (parent side) or `process` inside the child. Sending after the channel closed is a no-op. */
export function processPort(target: ChildProcess | NodeJS.Process): RpcPort {
  return {
    send: (m) => {
      if (target.connected && target.send) target.send(m as object);
    },
    onMessage: (h) => void target.on('message', h),
  };
}

/** Caller side of a contract. */
export class RpcClient<M extends RpcMethods, Event = never> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private closed: Error | undefined;

  constructor(
    private readonly port: RpcPort,
    onEvent?: (event: Event) => void,
  ) {
    port.onMessage((m) => {
      if (isReply(m)) this.settle(m);
      // Events are typed by the contract; the worker is our own code, so only the envelope is checked.
      else if (isEvent(m)) onEvent?.(m.event as Event);
    });
  }

  call<K extends keyof M & string>(method: K, ...arg: RpcArg<M[K]> extends void ? [] : [RpcArg<M[K]>]): Promise<RpcResult<M[K]>> {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId++;
    return new Promise<RpcResult<M[K]>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      const message: CallMessage = { rpc: 'call', id, method, arg: arg[0] };
      try {
        this.port.send(message);
      } catch (e) {
        this.pending.delete(id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** The other end is gone: fail every call in flight and every later call with `error`. */
  close(error: Error): void {
    this.closed ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  get inFlight(): number {
    return this.pending.size;
  }

  private settle(m: ReplyMessage): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(new Error(m.error));
  }
}

/** Worker-side implementation of a contract: every method, taking the argument, returning (a promise of) the result. */
export type RpcHandlers<M extends RpcMethods> = { [K in keyof M]: (arg: RpcArg<M[K]>) => RpcResult<M[K]> | Promise<RpcResult<M[K]>> };

/**
 * Answers calls on `port` with `handlers`; a thrown error becomes the caller's rejection (its message).
 * Returns `emit` for streaming events to the caller.
 */
export function serveRpc<M extends RpcMethods, Event = never>(port: RpcPort, handlers: RpcHandlers<M>): { emit(event: Event): void } {
  port.onMessage((m) => {
    if (!isCall(m)) return;
    const reply = (r: ReplyMessage): void => port.send(r);
    const fail = (e: unknown): void => reply({ rpc: 'reply', id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) });
    const handler = Object.prototype.hasOwnProperty.call(handlers, m.method) ? handlers[m.method as keyof M] : undefined;
    if (!handler) return fail(new Error(`unknown method ${m.method}`));
    try {
      Promise.resolve(handler(m.arg as RpcArg<M[keyof M]>)).then((value) => reply({ rpc: 'reply', id: m.id, ok: true, value }), fail);
    } catch (e) {
      fail(e);
    }
  });
  return { emit: (event) => port.send({ rpc: 'event', event } satisfies EventMessage) };
}
