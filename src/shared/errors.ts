/** The one way to turn a thrown value into text for a log line or a message (extension, server, model). */

/**
 * The message of an Error, or of any object with a string `message` (a JSON-RPC ResponseError that crossed
 * the wire), else String(e). One trailing period is dropped so that callers can end their own sentence
 * (`Could not read X: ${errorMessage(e)}.`).
 */
export function errorMessage(e: unknown): string {
  let text: string;
  if (e instanceof Error) text = e.message;
  else if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') text = (e as { message: string }).message;
  else text = String(e);
  return text.replace(/\.$/, '');
}
