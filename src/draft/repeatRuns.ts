/**
 * Runs of one short unit repeated many times (`[@[@[@...`, `\input{\input{...`, 1 MB of a pasted token)
 * shortened before a snippet reaches unified-latex: its PEG parser costs 30-70 ms per KB on such runs
 * (backtracking on every `[`), so 10,000 characters of them took half a second, and no real title or
 * abstract repeats a unit of up to 16 characters 200 times in a row. Whitespace runs are shortened too
 * (they read the same); only other runs get a warning.
 */

/** Longest repeated unit looked for, and how many copies of it are kept. */
export const MAX_RUN_UNIT = 16;
export const MAX_RUN_COPIES = 200;

// Lazy unit, so the shortest period wins (`[@[@` is `[@` x n, not `[@[@` x n/2). The work per start
// position is bounded by MAX_RUN_UNIT x MAX_RUN_COPIES x unit characters, so it stays linear in the snippet.
const RUN_RE = new RegExp(`([^]{1,${MAX_RUN_UNIT}}?)\\1{${MAX_RUN_COPIES - 1},}`, 'g');

export interface ShortenedRuns {
  text: string;
  /** Non-whitespace runs shortened: unit and how many copies there were. */
  runs: { unit: string; copies: number }[];
}

/** `text` with every run of more than MAX_RUN_COPIES copies of a short unit cut to MAX_RUN_COPIES copies. */
export function shortenRepeatedRuns(text: string): ShortenedRuns {
  const runs: { unit: string; copies: number }[] = [];
  const out = text.replace(RUN_RE, (run: string, unit: string) => {
    if (/\S/.test(unit)) runs.push({ unit, copies: run.length / unit.length });
    return unit.repeat(MAX_RUN_COPIES);
  });
  return { text: out, runs };
}
