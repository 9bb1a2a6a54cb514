/** Checks on raw input before any parsing: size, binary content, encoding. */

export const DEFAULT_MAX_CHARS = 2_000_000;

/** Share of U+FFFD (undecodable bytes) above which a file is treated as binary rather than text. */
const MAX_INVALID_RATIO = 0.02;

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function tooLargeWarning(chars: number, maxChars: number, unit = 'characters'): string {
  return `The draft is too large to analyse (${formatCount(chars)} ${unit}; the limit is ${formatCount(maxChars)} characters).`;
}

export const BINARY_WARNING = 'This file looks binary (it contains NUL bytes), not like a LaTeX or Markdown draft: not analysed.';

/**
 * Decodes file bytes as UTF-8 text, or explains why not: NUL bytes or too many invalid UTF-8
 * sequences mean a binary file; a few invalid sequences are replaced and reported.
 */
export function decodeDraftBytes(bytes: Uint8Array): { text?: string; warnings: string[] } {
  if (bytes.includes(0)) return { warnings: [BINARY_WARNING] };
  let text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let invalid = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) invalid++;
  if (invalid === 0) return { text, warnings: [] };
  if (invalid / Math.max(1, text.length) > MAX_INVALID_RATIO) {
    return { warnings: [`This file is not valid UTF-8 text (${formatCount(invalid)} undecodable byte sequences): not analysed. Save it as UTF-8.`] };
  }
  return { text, warnings: [`${formatCount(invalid)} byte sequence(s) are not valid UTF-8 and were replaced by �. Save the file as UTF-8.`] };
}
