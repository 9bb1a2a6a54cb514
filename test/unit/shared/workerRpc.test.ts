/** The typed request/reply helper that every worker (threads and the training process) talks through. */
import { strict as assert } from 'node:assert';
import { fork } from 'node:child_process';
import * as path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { processPort, RpcClient, serveRpc, workerPort } from '../../../src/shared/workerRpc';

type Contract = {
  add(arg: { a: number; b: number }): number;
  fail(message: string): never;
  slow(ms: number): string;
  ping(arg: void): 'pong';
};

describe('workerRpc', () => {
  it('answers typed calls, in any order, and turns a thrown error into the caller\'s rejection', async () => {
    const { port1, port2 } = new MessageChannel();
    serveRpc<Contract>(workerPort(port2), {
      add: ({ a, b }) => a + b,
      fail: (message) => {
        throw new Error(message);
      },
      slow: (ms) => new Promise((r) => setTimeout(() => r(`after ${ms}`), ms)),
      ping: () => 'pong',
    });
    const rpc = new RpcClient<Contract>(workerPort(port1));
    try {
      const slow = rpc.call('slow', 30);
      assert.equal(await rpc.call('add', { a: 2, b: 3 }), 5);
      assert.equal(await rpc.call('ping'), 'pong');
      await assert.rejects(rpc.call('fail', 'model file is corrupt'), /^Error: model file is corrupt$/);
      assert.equal(await slow, 'after 30');
      assert.equal(rpc.inFlight, 0);
    } finally {
      port1.close();
    }
  });

  it('rejects an unknown method and ignores messages that are not its own', async () => {
    const { port1, port2 } = new MessageChannel();
    serveRpc<Contract>(workerPort(port2), { add: ({ a, b }) => a + b, fail: () => assert.fail(), slow: () => '', ping: () => 'pong' });
    port1.postMessage({ hello: 'world' });
    port1.postMessage({ rpc: 'call', id: 'x', method: 'add' });
    // A contract the worker does not implement (e.g. an old worker bundle).
    const other = new RpcClient<{ missing(arg: void): void }>(workerPort(port1));
    try {
      await assert.rejects(other.call('missing'), /unknown method missing/);
    } finally {
      port1.close();
    }
  });

  it('fails the calls in flight and later calls once closed', async () => {
    const { port1, port2 } = new MessageChannel();
    serveRpc<Contract>(workerPort(port2), { add: () => 0, fail: () => assert.fail(), slow: () => new Promise(() => undefined), ping: () => 'pong' });
    const rpc = new RpcClient<Contract>(workerPort(port1));
    const hanging = rpc.call('slow', 1);
    rpc.close(new Error('the worker exited (code 3)'));
    await assert.rejects(hanging, /exited \(code 3\)/);
    await assert.rejects(rpc.call('ping'), /exited \(code 3\)/);
    port1.close();
  });

  it('works across a forked process, streams events, and reports the child dying', async function () {
    this.timeout(30_000);
    type ChildContract = { add(arg: { a: number; b: number }): number; count(n: number): number; crash(arg: void): void };
    const child = fork(path.join(__dirname, 'rpcChild.cjs'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const ticks: number[] = [];
    const rpc = new RpcClient<ChildContract, { tick: number }>(processPort(child), (e) => ticks.push(e.tick));
    child.on('exit', (code) => rpc.close(new Error(`child exited (code ${code})`)));
    try {
      assert.equal(await rpc.call('add', { a: 40, b: 2 }), 42);
      assert.equal(await rpc.call('count', 3), 3);
      assert.deepEqual(ticks, [1, 2, 3], 'events arrive before the reply, in order');
      await assert.rejects(rpc.call('crash'), /child exited \(code 7\)/);
    } finally {
      if (child.exitCode === null) child.kill();
    }
  });
});
