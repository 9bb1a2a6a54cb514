import type { DeclaredCategory, SourceRange } from './types';
import type { LineIndex } from './lineIndex';

/**
 * arXiv category identifiers look like `cs.CL`, `math.AG`, `hep-th`, `astro-ph.CO`, `cond-mat.stat-mech`:
 * a known archive, then (for most archives) a subject class. Anything else (an arXiv id such as
 * 2101.12345, a blog tag such as "news") is not a category.
 */
const ARCHIVES_WITH_SUBJECTS = new Set(['cs', 'math', 'stat', 'eess', 'econ', 'q-bio', 'q-fin', 'physics', 'astro-ph', 'cond-mat', 'nlin']);
const STANDALONE_ARCHIVES = new Set(['gr-qc', 'hep-ex', 'hep-lat', 'hep-ph', 'hep-th', 'math-ph', 'nucl-ex', 'nucl-th', 'quant-ph', 'astro-ph', 'cond-mat']);
const SUBJECT = /^[a-z]+(?:-[a-z]+)?$/i;

export function isArxivCategory(token: string): boolean {
  const parts = token.toLowerCase().split('.');
  if (parts.length === 1) return STANDALONE_ARCHIVES.has(parts[0]);
  return parts.length === 2 && ARCHIVES_WITH_SUBJECTS.has(parts[0]) && SUBJECT.test(parts[1]);
}

/** `CS.cl` -> `cs.CL`; long subject classes (`cond-mat.stat-mech`) stay lower case. */
export function normaliseCategory(token: string): string {
  const [archive, subject] = token.split('.');
  if (subject === undefined) return archive.toLowerCase();
  return `${archive.toLowerCase()}.${subject.length === 2 ? subject.toUpperCase() : subject.toLowerCase()}`;
}

/**
 * Splits a list such as "cs.CL, cs.LG" or "cs.CL cs.LG" found at `offset` of the file into categories,
 * each with the range of its own token. Tokens that are not categories are reported in `rejected`.
 */
export function categoriesInList(
  list: string,
  offset: number,
  file: string,
  lines: LineIndex,
): { found: DeclaredCategory[]; rejected: string[] } {
  const found: DeclaredCategory[] = [];
  const rejected: string[] = [];
  const token = /[^\s,;]+/g;
  for (let m = token.exec(list); m; m = token.exec(list)) {
    const raw = m[0].replace(/^["'[(]+|["')\]]+$/g, '');
    if (!raw) continue;
    const start = offset + m.index + m[0].indexOf(raw);
    if (isArxivCategory(raw)) found.push({ category: normaliseCategory(raw), range: lines.range(file, start, start + raw.length) });
    else rejected.push(raw);
  }
  return { found, rejected };
}

/**
 * Comment lines declaring categories: `% arXiv: cs.CL`, `% arxiv-category: cs.CL, cs.LG`,
 * `% arXiv categories = cs.CL` (case-insensitive). `commentStart` is the comment leader regex source
 * (`%+` for LaTeX, `<!--` for Markdown).
 */
export function declaredCategoriesInComments(
  text: string,
  file: string,
  lines: LineIndex,
  commentStart: string,
): { found: DeclaredCategory[]; warnings: string[]; noCheck?: SourceRange } {
  const found: DeclaredCategory[] = [];
  const warnings: string[] = [];
  let noCheck: SourceRange | undefined;
  const re = new RegExp(
    // The rest of the line is taken whole and trimmed below: a lazy group before `[ \t]*(?:-->)?[ \t]*$`
    // was cubic in a run of spaces (the fuzz benchmark hung on 9,500 spaces in a `% arXiv:` line).
    `^[ \\t]*${commentStart}[ \\t]*arxiv(?:[-_ ]?(?:primary[-_ ]?)?categor(?:y|ies))?[ \\t]*[:=][ \\t]*([^\\r\\n]*)`,
    'gim',
  );
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let list = m[1].trimEnd();
    if (list.endsWith('-->')) list = list.slice(0, -3).trimEnd();
    const listOffset = m.index + m[0].indexOf(list, m[0].search(/[:=]/) + 1);
    // `% arXiv: no-check` turns the category check off for this draft, visibly, so it can be undone.
    if (NO_CHECK.test(list)) {
      noCheck ??= lines.range(file, listOffset, listOffset + list.length);
      continue;
    }
    const r = categoriesInList(list, listOffset, file, lines);
    found.push(...r.found);
    if (r.rejected.length) {
      const line = lines.position(m.index).line + 1;
      warnings.push(`Ignored "${r.rejected.join(', ')}" in the arXiv category comment on line ${line}: not an arXiv category (e.g. cs.CL).`);
    }
  }
  return noCheck ? { found, warnings, noCheck } : { found, warnings };
}

/** The value of a category comment that turns the check off. */
export const NO_CHECK = /^no[-_ ]?check$/i;
