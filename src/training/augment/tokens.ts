/**
 * Word-level view of a text for the synonym and EDA augmenters: words, spaces, punctuation and protected
 * spans (protect.ts), which are never edited. Joining the tokens' text gives the input back.
 */
import { segment, type ProtectOptions } from './protect';

export type TokenKind = 'word' | 'space' | 'punct' | 'protected';

export interface Token {
  text: string;
  kind: TokenKind;
}

export function tokenize(text: string, opts: ProtectOptions = {}): Token[] {
  const out: Token[] = [];
  for (const seg of segment(text, opts)) {
    if (seg.protected) {
      out.push({ text: seg.text, kind: 'protected' });
      continue;
    }
    for (const m of seg.text.matchAll(/\p{L}+(?:['’-]\p{L}+)*|\s+|[^\s\p{L}]+/gu)) {
      const t = m[0];
      const kind: TokenKind = /^\s/.test(t) ? 'space' : /^\p{L}/u.test(t) ? 'word' : 'punct';
      out.push({ text: t, kind });
    }
  }
  return out;
}

export function detokenize(tokens: readonly Token[]): string {
  let s = '';
  for (const t of tokens) s += t.text;
  return s;
}

/**
 * English stop words (function words and scientific boilerplate verbs like "show"): never replaced by
 * a synonym, since swapping them adds noise without new wording.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each either few for from further had has ' +
    'have having he her here hers herself him himself his how however i if in into is it its itself just ' +
    'let may me might more most must my myself neither no nor not now of off on once only or other our ours ' +
    'ourselves out over own per same shall she should so some such than that the their theirs them ' +
    'themselves then there these they this those through thus to too under until up upon us very via was we ' +
    'were what when where whether which while who whom whose why will with within without would yet you ' +
    'your yours yourself yourselves one two three first second new well many much often using used use ' +
    'based show shows shown showed paper present presents study studies propose proposed result results ' +
    'work approach method methods'
  ).split(/\s+/),
);

/**
 * True when a word may be replaced by a synonym: plain lower-case (or, in Title Case text, capitalised
 * with the rest lower-case), 3+ letters, not a stop word or term. Acronyms and words with digits never are.
 */
export function isReplaceable(word: string, terms: ReadonlySet<string> | undefined, titleCase = false): boolean {
  if (word.length < 3) return false;
  const ok = titleCase ? /^[A-Za-z][a-z]*(?:-[A-Za-z][a-z]*)*$/ : /^[a-z]+(?:-[a-z]+)*$/;
  if (!ok.test(word)) return false;
  const lower = word.toLowerCase();
  if (STOP_WORDS.has(lower)) return false;
  if (terms?.has(lower)) return false;
  return true;
}
