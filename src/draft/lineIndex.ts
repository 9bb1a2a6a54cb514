import type { SourceRange } from './types';

/** Maps string offsets (UTF-16 code units, like LSP) to 0-based line/character positions. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.lineStarts.push(i + 1);
    }
  }

  position(offset: number): { line: number; character: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
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
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }

  get lineCount(): number {
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
