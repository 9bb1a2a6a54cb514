/**
 * Imported first by the server entry. With `--stdio` the LSP stream is stdout, so a library that prints with
 * console.log (TensorFlow.js greets on start-up, for one) would corrupt it; send all console output to stderr,
 * which the client shows in its output channel.
 */
import { format } from 'node:util';

for (const level of ['log', 'info', 'debug', 'warn', 'trace'] as const) {
  console[level] = (...args: unknown[]): void => {
    process.stderr.write(`${format(...args)}\n`);
  };
}
