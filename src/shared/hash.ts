/** SHA-256 (hex) of bytes, text or files: bundle checksums, cache keys, training-data and model fingerprints. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** SHA-256 (hex) of bytes, or of a string's UTF-8 encoding. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 (hex) of the files' bytes one after another, streamed (files can be gigabytes). */
export async function sha256Files(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

export function sha256File(file: string): Promise<string> {
  return sha256Files([file]);
}
