/**
 * Caps on what a draft can yield, for both formats: the title and abstract are sent in every
 * notification and shown in the sidebar, and a runaway span (an \end{abstract} at the end of the paper,
 * a 500,000-character Markdown section, a macro that multiplies itself) must not reach them whole.
 */
import type { ExtractedDraft } from './types';
import { cutPoint } from './latexScan';
import { formatCount } from './inputGuards';

/** arXiv titles are well under 300 characters. */
export const MAX_TITLE_CHARS = 1000;
/** arXiv abstracts are at most 1,920 characters; LaTeX abstracts are read from at most 10,000 of source. */
export const MAX_ABSTRACT_CHARS = 10_000;
/** Warnings kept per draft (1 MB of broken \input lines would otherwise give one each). */
export const MAX_WARNINGS = 30;

/** `text` cut to `max` characters at a word boundary, or unchanged. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, cutPoint(text, 0, max)).trimEnd();
}

/** Applies the caps in place, with a warning for each one that bit. */
export function capDraft(draft: ExtractedDraft): void {
  if (draft.title && draft.title.length > MAX_TITLE_CHARS) {
    draft.warnings.push(`The title is ${formatCount(draft.title.length)} characters long: only its first ${formatCount(MAX_TITLE_CHARS)} were used.`);
    draft.title = capText(draft.title, MAX_TITLE_CHARS);
  }
  if (draft.abstract && draft.abstract.length > MAX_ABSTRACT_CHARS) {
    draft.warnings.push(
      `The abstract is ${formatCount(draft.abstract.length)} characters long: only its first ${formatCount(MAX_ABSTRACT_CHARS)} were used ` +
        '(arXiv abstracts are at most 1,920 characters). Does the abstract end where you meant it to?',
    );
    draft.abstract = capText(draft.abstract, MAX_ABSTRACT_CHARS);
  }
  if (draft.warnings.length > MAX_WARNINGS) {
    const more = draft.warnings.length - (MAX_WARNINGS - 1);
    draft.warnings = [...draft.warnings.slice(0, MAX_WARNINGS - 1), `… and ${formatCount(more)} more warnings like these.`];
  }
}
