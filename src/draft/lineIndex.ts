import type { SourceRange } from './types';

/** Maps string offsets (UTF-16 code units, like LSP) to 0-based line/character positions. */
export class LineIndex {
  /** Line starts are found lazily, only as far as asked: a 2 MB draft usually needs a few near the top. */
  private readonly lineStarts: number[] = [0];
  private scanned = 0;
  /** Next \r at or after `scanned` (-1: none left), kept so LF-only files are not searched for \r per line. */
  private nextCr = -2;
  /** Next \n at or after `scanned` (-1: none left). */
  private nextNl = -2;

  constructor(readonly text: string) {}

  /** Extends lineStarts until it covers `offset` (or the whole text). */
  private scanTo(offset: number): void {
    const text = this.text;
    const limit = Math.min(offset, text.length);
    let i = this.scanned;
    while (i < limit) {
      // Both searches are remembered: a file with only \r (or only \n) line breaks must not search the
      // whole rest of the text for the other kind at every line.
      if (this.nextNl !== -1 && this.nextNl < i) this.nextNl = text.indexOf('\n', i);
      const nl = this.nextNl;
      if (this.nextCr !== -1 && this.nextCr < i) this.nextCr = text.indexOf('\r', i);
      const cr = this.nextCr;
      const next = nl === -1 ? cr : cr === -1 ? nl : Math.min(nl, cr);
      if (next === -1) {
        i = text.length;
        break;
      }
      // \r\n is one line break; a lone \r also ends a line (as LSP clients count it).
      const end = text.charCodeAt(next) === 13 && text.charCodeAt(next + 1) === 10 ? next + 2 : next + 1;
      this.lineStarts.push(end);
      i = end;
    }
    this.scanned = Math.max(this.scanned, i);
  }

  position(offset: number): { line: number; character: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    this.scanTo(o + 1);
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.lineStarts[lo] };
  }

  /** Offset of the start of a 0-based line (clamped). */
  lineStart(line: number): number {
    while (this.lineStarts.length <= line && this.scanned < this.text.length) this.scanTo(this.scanned + 4096);
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }

  get lineCount(): number {
    this.scanTo(this.text.length);
    return this.lineStarts.length;
  }

  range(file: string, start: number, end: number): SourceRange {
    return { file, start: this.position(start), end: this.position(end) };
  }

  /** Range of text[start, end) with surrounding whitespace excluded. */
  trimmedRange(file: string, start: number, end: number): SourceRange {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(this.text[s])) s++;
    while (e > s && /\s/.test(this.text[e - 1])) e--;
    return this.range(file, s, e);
  }
}
