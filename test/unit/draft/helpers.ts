import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceRange } from '../../../src/draft/types';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/drafts');

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

export function readFixture(name: string): string {
  return fs.readFileSync(fixture(name), 'utf8');
}

/** The readFile an editor or server would pass: undefined for missing files. */
export function diskReader(absolutePath: string): string | undefined {
  try {
    return fs.readFileSync(absolutePath, 'utf8');
  } catch {
    return undefined;
  }
}

/** "line:char-line:char" for compact range assertions. */
export function span(range: SourceRange | undefined): string | undefined {
  return range && `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** The text a range covers in its file, to check that ranges point at what was extracted. */
export function textAt(range: SourceRange): string {
  const lines = fs.readFileSync(range.file, 'utf8').split('\n');
  if (range.start.line === range.end.line) return lines[range.start.line].slice(range.start.character, range.end.character);
  return [
    lines[range.start.line].slice(range.start.character),
    ...lines.slice(range.start.line + 1, range.end.line),
    lines[range.end.line].slice(0, range.end.character),
  ].join('\n');
}
