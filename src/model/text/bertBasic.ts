/**
 * BERT's BasicTokenizer (HF transformers `BasicTokenizer`, which the Rust `BertNormalizer` +
 * `BertPreTokenizer` reproduce): clean text, split CJK ideographs, lower-case, strip accents
 * (NFD, drop Mn), split on whitespace and punctuation.
 *
 * Written by hand (not taken from @huggingface/tokenizers) because that package differs from
 * BERT on a few inputs (see tokenizer.ts) and is ~2x slower on this corpus; the rules are
 * small and fixed, and tests check them against SciBERT's vocab.
 *
 * Pure-ASCII text (almost every arXiv abstract) takes a fast path with char codes only; other
 * text goes through Unicode property regexes, code point by code point.
 */

const RE_OTHER = /\p{C}/u; // Cc Cf Cs Co Cn: HF `_is_control` is `category.startswith("C")`
const RE_ZS = /\p{Zs}/u;
const RE_PUNCT = /\p{P}/u;
const RE_MN = /\p{Mn}/gu;
// eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL
const RE_NON_ASCII = /[^\x00-\x7f]/;
const RE_WS_SPLIT = /\s+/; // after cleaning, JS \s == Python str.split() whitespace

/** BERT's `_is_chinese_char`: CJK Unified Ideographs blocks (not Hiragana/Katakana/Hangul). */
export function isCjkIdeograph(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** ASCII punctuation as BERT counts it (33–47, 58–64, 91–96, 123–126), e.g. `$`, `^`, `` ` ``. */
function isAsciiPunct(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

function isPunctChar(ch: string, cp: number): boolean {
  return cp < 128 ? isAsciiPunct(cp) : RE_PUNCT.test(ch);
}

/**
 * Splits text into BERT basic tokens. `stripAccents` defaults to `lowercase`, as in HF
 * (BERT uncased lower-cases and strips accents; cased models do neither).
 */
export function bertBasicTokenize(text: string, lowercase: boolean, stripAccents: boolean = lowercase): string[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  return RE_NON_ASCII.test(text) ? basicUnicode(text, lowercase, stripAccents) : basicAscii(text, lowercase);
}

// ASCII: controls are dropped (without splitting the word), then one native regex pass splits
// words and single punctuation chars; this is ~10x faster than a char loop in JS.
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are stripped
const RE_ASCII_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
const RE_ASCII_TOKEN = /[^ \t\n\r!-/:-@[-`{-~]+|[!-/:-@[-`{-~]/g;

function basicAscii(text: string, lowercase: boolean): string[] {
  let t = text.replace(RE_ASCII_CONTROL, '');
  if (lowercase) t = t.toLowerCase();
  return t.match(RE_ASCII_TOKEN) ?? [];
}

function basicUnicode(text: string, lowercase: boolean, stripAccents: boolean): string[] {
  // 1. _clean_text + _tokenize_chinese_chars, code point by code point (then NFC, as HF
  //    transformers' BasicTokenizer does since 2023, so composed/decomposed forms agree).
  let cleaned = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0 || cp === 0xfffd) continue;
    if (cp === 9 || cp === 10 || cp === 13 || cp === 32) {
      cleaned += ' ';
      continue;
    }
    if (RE_OTHER.test(ch)) continue; // also drops lone surrogates (Cs)
    if (cp >= 128 && RE_ZS.test(ch)) cleaned += ' ';
    else if (isCjkIdeograph(cp)) cleaned += ' ' + ch + ' ';
    else cleaned += ch;
  }
  // 2. whitespace split, then per token: lower + strip accents, split on punctuation.
  const out: string[] = [];
  for (let tok of cleaned.normalize('NFC').split(RE_WS_SPLIT)) {
    if (!tok) continue;
    if (lowercase) tok = tok.toLowerCase();
    if (stripAccents && RE_NON_ASCII.test(tok)) tok = tok.normalize('NFD').replace(RE_MN, '');
    let word = '';
    for (const ch of tok) {
      if (isPunctChar(ch, ch.codePointAt(0)!)) {
        if (word) out.push(word);
        word = '';
        out.push(ch);
      } else {
        word += ch;
      }
    }
    if (word) out.push(word);
  }
  return out;
}
