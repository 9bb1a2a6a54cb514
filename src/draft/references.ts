/**
 * Tidies the words a removed citation or cross-reference leaves behind. The LaTeX and Markdown readers
 * put CITE_MARK / REF_MARK where a \cite, \ref or [@key] was; tidyReferences then drops each mark
 * together with what only made sense with it ("Fig.~\ref{x}", "see \cite{a} and \cite{b}", "(\cite{a})").
 * Kept to patterns that cannot eat prose: a word is only removed when a mark directly follows it.
 */

/** Private-use characters standing for a removed citation / cross-reference until tidyReferences runs. */
export const CITE_MARK = '\uE000';
export const REF_MARK = '\uE001';

const ANY = `[${CITE_MARK}${REF_MARK}]`;
/** Several references in a row: "\cite{a}, \cite{b} and \cite{c}", "\ref{a}--\ref{b}". */
const LIST = new RegExp(`${ANY}(?:\\s*(?:,\\s*and\\b|,|;|&|–|—|-|\\band\\b|\\bor\\b|\\bto\\b)\\s*${ANY})+`, 'g');
/**
 * The label word of a cross-reference, and a preposition before it: "Fig.~\ref{x}", "Eq.~(\ref{e})",
 * "Sections~\ref{a} and~\ref{b}", "shown in Table~\ref{t}" (which reads "shown"). Not before a
 * citation: "a lookup table \cite{x}" keeps its table.
 */
const LABEL = new RegExp(
  String.raw`(?:\b(?:in|of|from|by)\s+(?:the\s+)?)?(?:\b(?:Figs?\.|Figures?|Tabs?\.|Tables?|Secs?\.|Sections?|Eqs?\.|Eqns?\.|` +
    String.raw`Equations?|Apps?\.|Appendix|Appendices|Algs?\.|Algorithms?|Thms?\.|Theorems?|Lems?\.|Lemmas?|Props?\.|` +
    String.raw`Propositions?|Cors?\.|Corollary|Corollaries|Defs?\.|Definitions?|Chaps?\.|Ch\.|Chapters?|Listings?)|§§?)` +
    String.raw`\s*(?=\(?\s*${REF_MARK})`,
  'gi',
);
/** Lead-ins that only introduce the reference: "see \cite{x}", "cf. \cite{x}", "(e.g., \cite{x})". */
const LEAD_IN = new RegExp(String.raw`(?:\b(?:see(?:\s+also)?|cf\.)(?:\s*,?\s*e\.g\.)?|\be\.g\.|\bi\.e\.),?\s*(?=${ANY})`, 'gi');
/** A tie left before a mark: Markdown keeps the `~` of raw LaTeX such as `Fig.~\ref{f}`. */
const TIE = new RegExp(`~(?=${ANY})`, 'g');
const PARENTHESISED = new RegExp(String.raw`\(\s*(${ANY})\s*\)`, 'g');
/** A mark and the space before it; after a sentence's end the space stays, so "work. ." is tidied below. */
const MARK_WITH_SPACE = new RegExp(String.raw`(?<![.!?])\s*${ANY}|${ANY}`, 'g');

/** Removes every mark of a prose fragment and the fragments of sentence around it. */
export function tidyReferences(s: string): string {
  if (!s.includes(CITE_MARK) && !s.includes(REF_MARK)) return s;
  // Whitespace collapsed first (callers collapse it anyway): with runs of one space, the `\s*`/`\s+`
  // below cannot rescan a long run from every position (quadratic on 1 KB of spaces made by a macro).
  return s
    .replace(/\s+/g, ' ')
    .replace(TIE, ' ')
    .replace(LIST, (m) => m[0])
    .replace(LABEL, '')
    .replace(PARENTHESISED, '$1')
    .replace(LIST, (m) => m[0])
    .replace(LEAD_IN, '')
    .replace(MARK_WITH_SPACE, '')
    .replace(/\(\s*[,;:]?\s*\)|\[\s*[,;:]?\s*\]/g, '')
    .replace(/([([])\s*[,;:]\s*/g, '$1')
    .replace(/\s*[,;:]\s*([)\]])/g, '$1')
    .replace(/([,;:])\s*(?=[,;:.!?](?:\s|$))/g, '')
    .replace(/([.!?])\s+[.,;:](?=\s|$)/g, '$1')
    .replace(/\s+([.,;:!?)\]])/g, '$1');
}
