/**
 * Wrappers that keep a bug in one handler from killing the server: errors are logged and, for requests,
 * answered with a ResponseError the client can show.
 */
import type { Connection, RequestHandler, RequestType } from 'vscode-languageserver/node';
import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { ArxivErrorData } from '../shared/protocol';
import { errorMessage } from '../shared/errors';

/**
 * An expected failure (bad input, missing file): the message is for the user; `data` (typed by the
 * request's descriptor in shared/protocol) tells the client what happened without parsing the message.
 */
export function requestFailed(message: string): ResponseError<void>;
export function requestFailed(message: string, data: ArxivErrorData): ResponseError<ArxivErrorData>;
export function requestFailed(message: string, data?: ArxivErrorData): ResponseError<ArxivErrorData | void> {
  return new ResponseError(LSPErrorCodes.RequestFailed, message, data);
}

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
export function onGuardedRequest<P, R, E>(
  connection: Connection,
  logError: (m: string) => void,
  type: RequestType<P, R, E>,
  handler: (params: P) => Promise<R> | R,
): void {
  const wrapped = async (params: P): Promise<R | ResponseError<E>> => {
    try {
      return await handler(params);
    } catch (e) {
      if (e instanceof ResponseError) return e as ResponseError<E>;
      logError(`${type.method} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return new ResponseError<E>(ErrorCodes.InternalError, `${type.method} failed: ${errorMessage(e)}`);
    }
  };
  // RequestHandler's result type is a conditional type on R that TypeScript cannot resolve for a generic R.
  connection.onRequest(type, wrapped as RequestHandler<P, R, E>);
}
