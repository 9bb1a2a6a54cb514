/**
 * Submission preflight: what arXiv's metadata rules check and what moderators send back, run on a draft's
 * title and abstract before the author is at the submission form. Pure functions; the server feeds them the
 * extracted text, the raw source of the title/abstract and the macros the draft defines.
 * Sources:
 *   [event]  arxiv/arxiv-submission-core core/arxiv/submission/domain/event/__init__.py (SetTitle: 5..240
 *            characters, not all caps; SetAbstract: 20..1920 characters) and event/validators.py
 *            (no_trailing_period)
 *   [prep]   arxiv/arxiv-docs source/help/prep.md (do not include the word "Abstract"; expand opaque TeX
 *            macros; omit font commands and TeX-isms such as ~ and \,; ASCII only, accents as TeX)
 */
import type { PreflightCheck } from '../shared/preflight';
import { nonAsciiCharacters, toTexAscii } from './texAscii';

export const PREFLIGHT_LIMITS = {
  /** [event] SetAbstract.MAX_LENGTH; [prep] "abstracts longer than 1920 characters will not be accepted". */
  abstractMax: 1920,
  /** [event] SetAbstract.MIN_LENGTH. */
  abstractMin: 20,
  /** [event] SetTitle.MAX_LENGTH / MIN_LENGTH. */
  titleMax: 240,
  titleMin: 5,
} as const;

const SRC_EVENT = 'arxiv-submission-core: submission/domain/event/__init__.py';
const SRC_PREP = 'arxiv.org/help/prep (arxiv-docs help/prep.md)';

export interface PreflightInput {
  /** Title and abstract as extracted (macros expanded, citations removed, math kept as TeX). */
  title?: string;
  abstract?: string;
  /** Their source text in the file, as written (LaTeX or Markdown). */
  rawTitle?: string;
  rawAbstract?: string;
  /** Names (without backslash) of macros the draft defines (\newcommand, \def, \DeclareMathOperator…). */
  definedMacros: ReadonlySet<string>;
}

/** arXiv's plain-text metadata: whitespace collapsed, ASCII with TeX accents (math stays TeX). */
export function arxivMetadata(title: string | undefined, abstract: string | undefined): { title: string; abstract: string } {
  const clean = (s: string | undefined) => toTexAscii((s ?? '').replace(/\s+/g, ' ').trim());
  return { title: clean(title), abstract: clean(abstract).replace(/^abstract\b[\s.:\u2014\u2013-]*/i, '') };
}

const n = (x: number) => x.toLocaleString('en-US');

export function preflightChecks(input: PreflightInput): PreflightCheck[] {
  const checks: PreflightCheck[] = [];
  const meta = { title: toTexAscii((input.title ?? '').replace(/\s+/g, ' ').trim()), abstract: toTexAscii((input.abstract ?? '').replace(/\s+/g, ' ').trim()) };
  const L = PREFLIGHT_LIMITS;

  // Abstract length, on the text arXiv would store.
  if (!meta.abstract) {
    checks.push({ id: 'abstract-length', level: 'error', label: 'Abstract', message: 'No abstract found: arXiv requires one.', source: SRC_EVENT });
  } else {
    const len = meta.abstract.length;
    checks.push(
      len > L.abstractMax
        ? { id: 'abstract-length', level: 'error', label: 'Abstract length', message: `${n(len)} characters: arXiv accepts at most ${n(L.abstractMax)}; shorten it by ${n(len - L.abstractMax)}.`, source: SRC_EVENT }
        : len < L.abstractMin
          ? { id: 'abstract-length', level: 'error', label: 'Abstract length', message: `${n(len)} characters: arXiv requires at least ${L.abstractMin}.`, source: SRC_EVENT }
          : { id: 'abstract-length', level: 'ok', label: 'Abstract length', message: `${n(len)} of at most ${n(L.abstractMax)} characters.`, source: SRC_EVENT },
    );
  }

  // Title: length, trailing period, all caps.
  if (!meta.title) {
    checks.push({ id: 'title', level: 'error', label: 'Title', message: 'No title found: arXiv requires one.', source: SRC_EVENT });
  } else {
    const len = meta.title.length;
    const problems: string[] = [];
    if (len > L.titleMax) problems.push(`${n(len)} characters, more than arXiv's ${L.titleMax}`);
    if (len < L.titleMin) problems.push(`${len} characters, fewer than arXiv's ${L.titleMin}`);
    if (/(?<!\.\.)\.$/.test(meta.title)) problems.push('ends with a period (arXiv refuses a trailing period, except an ellipsis)');
    if (/[A-Z]/.test(meta.title) && meta.title === meta.title.toUpperCase()) problems.push('is all capitals (arXiv refuses all-caps titles)');
    checks.push(
      problems.length
        ? { id: 'title', level: 'error', label: 'Title', message: `The title ${problems.join('; ')}.`, source: SRC_EVENT }
        : { id: 'title', level: 'ok', label: 'Title', message: `${len} of at most ${L.titleMax} characters.`, source: SRC_EVENT },
    );
  }

  // The word "Abstract" left at the start.
  const lead = /^\s*(abstract)\b[\s.:\u2014\u2013-]*/i.exec(input.abstract ?? '');
  if (lead) {
    checks.push({ id: 'abstract-word', level: 'warning', label: 'The word "Abstract"', message: `The abstract starts with "${lead[1]}": leave it out (the copied metadata already does).`, source: SRC_PREP });
  }

  // LaTeX that arXiv shows raw in the metadata.
  const raw = [input.rawTitle, input.rawAbstract].filter((s): s is string => !!s).join('\n');
  const found = rawLatex(raw, input.definedMacros);
  checks.push(
    found.length
      ? {
          id: 'raw-latex',
          level: 'warning',
          label: 'LaTeX arXiv shows raw',
          message: `${found.slice(0, 8).join('; ')}${found.length > 8 ? `; and ${found.length - 8} more` : ''}. Write these out in the metadata (Copy arXiv Metadata does).`,
          source: SRC_PREP,
        }
      : { id: 'raw-latex', level: 'ok', label: 'LaTeX in the metadata', message: 'Nothing that arXiv would show raw.', source: SRC_PREP },
  );

  // Non-ASCII characters.
  const chars = nonAsciiCharacters(`${input.title ?? ''}\n${input.abstract ?? ''}`);
  if (chars.length) {
    const punct = chars.filter((c) => !c.accent);
    const show = (cs: typeof chars) => cs.slice(0, 6).map((c) => `${c.char} → ${c.tex === undefined ? '(no ASCII form known: rewrite it)' : c.tex === '' ? '(remove)' : c.tex}`).join(', ');
    checks.push({
      id: 'non-ascii',
      level: punct.length ? 'warning' : 'info',
      label: 'Non-ASCII characters',
      message: punct.length
        ? `arXiv's metadata accepts ASCII only: ${show(punct)}${chars.length > punct.length ? `; accented letters ${show(chars.filter((c) => c.accent))}` : ''}.`
        : `Accented letters, written as TeX accents in the metadata: ${show(chars)}.`,
      source: SRC_PREP,
    });
  } else {
    checks.push({ id: 'non-ascii', level: 'ok', label: 'Characters', message: 'ASCII only.', source: SRC_PREP });
  }
  return checks;
}

const CITE = /\\(?:[a-z]*cite[a-z]*|nocite)\*?(?![A-Za-z])/gi;
const REF = /\\(?:ref|eqref|autoref|cref|Cref|pageref|label)\*?(?![A-Za-z])/g;
const FONT = /\\(?:emph|textbf|textit|texttt|textsc|textsf|textrm|underline|em|it|bf|sc|tt|rm|sl)(?![A-Za-z])/g;
const OTHER = /\\(?:footnote|url|href|thanks|vspace|hspace|newline|linebreak|noindent)(?![A-Za-z])/g;
/** Environments MathJax renders itself in arXiv's abstract pages. */
const MATH_ENVS = new Set(['equation', 'equation*', 'align', 'align*', 'gather', 'gather*', 'multline', 'multline*', 'eqnarray', 'eqnarray*', 'array', 'matrix', 'pmatrix', 'bmatrix', 'cases', 'split']);

/** Masks $…$, $$…$$, \(…\) and \[…\] (kept as TeX: MathJax renders them). Bounded: one linear pass. */
function withoutMath(s: string): string {
  return s.replace(/\$\$[\s\S]{0,2000}?\$\$|\$(?:\\.|[^$\\]){0,1000}\$|\\\([\s\S]{0,1000}?\\\)|\\\[[\s\S]{0,2000}?\\\]/g, (m) => ' '.repeat(m.length));
}

/** Descriptions of the LaTeX in `source` that arXiv would show raw. */
export function rawLatex(source: string, defined: ReadonlySet<string>): string[] {
  const text = source.slice(0, 20_000).replace(/(^|[^\\])%[^\n]*/g, '$1');
  const out: string[] = [];
  const uniq = (xs: string[]) => [...new Set(xs)];
  const custom = uniq([...text.matchAll(/\\([A-Za-z@]+)/g)].map((m) => m[1]).filter((name) => defined.has(name)));
  if (custom.length) out.push(`custom macro${custom.length > 1 ? 's' : ''} ${custom.slice(0, 4).map((c) => `\\${c}`).join(', ')}`);
  const plain = withoutMath(text);
  const list = (re: RegExp) => uniq([...plain.matchAll(re)].map((m) => m[0]));
  const cites = list(CITE);
  if (cites.length) out.push(`citations (${cites.slice(0, 3).join(', ')})`);
  const refs = list(REF);
  if (refs.length) out.push(`references (${refs.slice(0, 3).join(', ')})`);
  const envs = uniq([...plain.matchAll(/\\begin\s*\{([^}\s]{1,40})\}/g)].map((m) => m[1]).filter((e) => !MATH_ENVS.has(e)));
  if (envs.length) out.push(`environment${envs.length > 1 ? 's' : ''} ${envs.slice(0, 3).map((e) => `\\begin{${e}}`).join(', ')}`);
  const fonts = list(FONT);
  if (fonts.length) out.push(`font commands (${fonts.slice(0, 3).join(', ')})`);
  const other = list(OTHER);
  if (other.length) out.push(`layout commands (${other.slice(0, 3).join(', ')})`);
  const isms = uniq([...plain.matchAll(/(?<!\\)~|\\[,; ]/g)].map((m) => m[0]));
  if (isms.length) out.push(`TeX spacing (${isms.join(' ')})`);
  return out;
}

/** Macro names a LaTeX source defines (\newcommand{\x}, \renewcommand\x, \def\x, \DeclareMathOperator{\x}, …). */
export function definedMacros(source: string, into = new Set<string>()): Set<string> {
  const re = /\\(?:(?:re)?newcommand|providecommand|DeclareMathOperator|DeclareRobustCommand)\*?\s*\{?\s*\\([A-Za-z@]+)|\\[gex]?def\s*\\([A-Za-z@]+)/g;
  for (const m of source.slice(0, 2_000_000).matchAll(re)) {
    into.add(m[1] ?? m[2]);
    if (into.size > 5000) break;
  }
  return into;
}
