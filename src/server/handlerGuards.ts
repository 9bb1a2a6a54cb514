/**
 * Wrappers that keep a bug in one handler from killing the server: errors are logged and, for requests,
 * answered with a ResponseError the client can show.
 */
import type { Connection } from 'vscode-languageserver/node';
import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { errorMessage } from '../shared/errors';

/** An expected failure (bad input, missing file): the message is for the user. */
export const requestFailed = (message: string): ResponseError<void> => new ResponseError(LSPErrorCodes.RequestFailed, message);

/** Wraps a notification/event handler so a throw or a rejected promise is only logged. */
export function guarded<A extends unknown[]>(logError: (m: string) => void, what: string, fn: (...args: A) => void | Promise<void>): (...args: A) => void {
  return (...args: A) => {
    try {
      const r = fn(...args);
      if (r instanceof Promise) r.catch((e: unknown) => logError(`${what} failed: ${errorMessage(e)}`));
    } catch (e) {
      logError(`${what} failed: ${errorMessage(e)}`);
    }
  };
}

/** Registers a request handler; thrown ResponseErrors keep their code, anything else becomes InternalError. */
export function onGuardedRequest<P, R>(
  connection: Connection,
  logError: (m: string) => void,
  method: string,
  handler: (params: P) => Promise<R> | R,
): void {
  connection.onRequest(method, async (params: P) => {
    try {
      return await handler(params);
    } catch (e) {
      if (e instanceof ResponseError) return e;
      logError(`${method} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return new ResponseError(ErrorCodes.InternalError, `${method} failed: ${errorMessage(e)}`);
    }
  });
}
