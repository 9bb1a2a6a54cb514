/**
 * Checks on the text a prediction is made from, before anyone trusts the prediction:
 * - provisional: too little text (under PROVISIONAL_WORDS words of title + abstract) - the model has little to
 *   go on, so the answer is marked provisional with what to write next;
 * - language: the model was trained on English arXiv abstracts only; text in another language (franc-min, a
 *   trigram language identifier over at most its first 2,048 characters) gets a note instead of a confident
 *   answer.
 */
import { franc } from 'franc-min';
import { normalizeForModel } from './text/normalize';
import type { PaperText } from './types';

/** Fewer words than this in title + abstract: the result is provisional. */
export const PROVISIONAL_WORDS = 40;
/** Below this many letters the language identifier is not asked (too short to tell). */
const MIN_LETTERS_FOR_LANGUAGE = 80;
/** franc reads at most 2,048 characters; we pass no more than this. */
const LANGUAGE_SAMPLE_CHARS = 2048;

export interface TextCheck {
  /** words in title + abstract as the model reads them */
  words: number;
  /** set when the result should be read as provisional */
  provisional?: { reason: string; next: string };
  /** set when the text does not look like English */
  language?: { code: string; name: string; note: string };
}

const LANGUAGE_NAMES: Record<string, string> = {
  fra: 'French', deu: 'German', spa: 'Spanish', por: 'Portuguese', ita: 'Italian', rus: 'Russian', ukr: 'Ukrainian',
  cmn: 'Chinese', jpn: 'Japanese', kor: 'Korean', nld: 'Dutch', pol: 'Polish', tur: 'Turkish', arb: 'Arabic',
  pes: 'Persian', hin: 'Hindi', ind: 'Indonesian', vie: 'Vietnamese', ces: 'Czech', swe: 'Swedish', ron: 'Romanian',
  hun: 'Hungarian', ell: 'Greek', ben: 'Bengali', tha: 'Thai',
};

function countWords(s: string): number {
  return (s.match(/[\p{L}\p{N}]+/gu) ?? []).length;
}

/** Language of the text by franc-min, or undefined when it is English or too short to tell. */
export function detectNonEnglish(text: string): { code: string; name: string } | undefined {
  const sample = normalizeForModel(text.slice(0, LANGUAGE_SAMPLE_CHARS * 2)).replace(/\[(?:math|url)\]/g, ' ').slice(0, LANGUAGE_SAMPLE_CHARS);
  if ((sample.match(/\p{L}/gu) ?? []).length < MIN_LETTERS_FOR_LANGUAGE) return undefined;
  const code = franc(sample, { minLength: MIN_LETTERS_FOR_LANGUAGE });
  if (code === 'eng' || code === 'und') return undefined;
  // Scots and similar are how franc reads some English jargon: only languages we can name count.
  // (Measured in the benchmark: the rate at which English test abstracts are flagged.)
  const name = LANGUAGE_NAMES[code];
  return name ? { code, name } : undefined;
}

export function checkText(p: PaperText): TextCheck {
  const titleWords = countWords(p.title);
  const abstractWords = countWords(p.abstract);
  const words = titleWords + abstractWords;
  const out: TextCheck = { words };
  if (words < PROVISIONAL_WORDS) {
    const reason = `only ${words} word${words === 1 ? '' : 's'} of title and abstract`;
    let next: string;
    if (abstractWords === 0) next = titleWords === 0 ? 'Write a title and an abstract.' : 'Write an abstract: a few sentences on the problem, the method and the main result.';
    else if (titleWords === 0) next = `Add a title, and about ${PROVISIONAL_WORDS - words} more words of abstract.`;
    else next = `Write about ${PROVISIONAL_WORDS - words} more words of abstract: the problem, the method and the main result.`;
    out.provisional = { reason, next };
  }
  const lang = detectNonEnglish(`${p.title}. ${p.abstract}`);
  if (lang) {
    out.language = {
      ...lang,
      note: `The text looks like ${lang.name}; this model was trained on English arXiv abstracts only, so its categories are not reliable here. An English title and abstract (as arXiv requires) will give a meaningful answer.`,
    };
  }
  return out;
}
