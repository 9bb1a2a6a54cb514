/**
 * Word units shared by the two members' explanations. The n-gram member reads `wordsForNgrams` words
 * ("gpt-4", "[math]"); the cross-attention member reads WordPiece pieces of BERT basic tokens ("gpt", "-",
 * "4"). Both come from the same normalised text, so each piece is mapped to the n-gram word whose
 * characters contain it; pieces outside every word (punctuation) map to -1.
 */
import { bertBasicTokenize } from '../text/bertBasic';
import type { WordPieceTokenizer } from '../text/tokenizer';

export interface WordSpan {
  /** lower-cased word as the n-gram model sees it */
  word: string;
  /** character offsets in the normalised text */
  start: number;
  end: number;
}

const RE_WORD = /\[(?:math|url)\]|[\p{L}\p{N}]+(?:[-.][\p{L}\p{N}]+)*/gu;
/** How far ahead a BERT token is looked for (keeps the alignment linear on odd Unicode input). */
const ALIGN_WINDOW = 64;

/**
 * The n-gram words of a normalised text with their offsets: the same words as wordsForNgrams (which
 * deletes possessive 's; here it is blanked so offsets stay put).
 */
export function ngramWordSpans(normalized: string): WordSpan[] {
  const lower = normalized.toLowerCase().replace(/['\u2019]s\b/g, '  ');
  const out: WordSpan[] = [];
  for (const m of lower.matchAll(RE_WORD)) out.push({ word: m[0], start: m.index!, end: m.index! + m[0].length });
  return out;
}

/**
 * For each WordPiece position of `tokenizer.encode(normalized, maxLen, false)`, the index of the n-gram
 * word it belongs to (-1: punctuation or not aligned). Length = number of real (non-padding) pieces.
 */
export function pieceToWord(tokenizer: WordPieceTokenizer, normalized: string, words: WordSpan[], maxLen: number): Int32Array {
  const lower = tokenizer.lowercase ? normalized.toLowerCase() : normalized;
  const out: number[] = [];
  let cursor = 0;
  let w = 0;
  for (const tok of bertBasicTokenize(normalized, tokenizer.lowercase, tokenizer.stripAccents)) {
    if (out.length >= maxLen) break;
    const found = lower.slice(cursor, cursor + ALIGN_WINDOW + tok.length).indexOf(tok);
    let word = -1;
    if (found >= 0) {
      const start = cursor + found;
      cursor = start + tok.length;
      while (w < words.length && words[w].end <= start) w++;
      if (w < words.length && words[w].start <= start && start < words[w].end) word = w;
    }
    const n = tokenizer.ids(tok).length;
    for (let i = 0; i < n && out.length < maxLen; i++) out.push(word);
  }
  return Int32Array.from(out);
}
