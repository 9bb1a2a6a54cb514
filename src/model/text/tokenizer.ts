/**
 * BERT uncased WordPiece tokenizer: BasicTokenizer (bertBasic.ts) + greedy longest-match-first
 * WordPiece with `##` continuation pieces, words over 100 code points -> [UNK].
 *
 * Why not @huggingface/tokenizers (0.2.0, pure JS, zero deps; checked with npm view and measured
 * here, 2026-11, on the 111,809 arXiv titles+abstracts with SciBERT's vocab, same runs for both):
 * it gave the same ids as this file on every text except the 43 that contain a literal
 * "[CLS]"/"[MASK]" (it turns those into special tokens), but it is ~10x slower: 772 vs 7,576
 * texts/s on the first 5,000, 365 s vs 32 s wall for the corpus on the shared, loaded machine
 * (it rebuilds a substring with Array.join for every WordPiece probe and has no word cache), so it
 * misses the 30 s budget. Its BertNormalizer also tests CJK ideographs with `charCodeAt`, so CJK
 * Extension B+ characters are not split, and it keeps unassigned (Cn) code points that BERT
 * drops; a plain vocab.txt would need a synthesized tokenizer.json. BERT's algorithm is small and
 * fully specified, so we keep our own, tested against SciBERT's real vocab.
 *
 * Literal special-token strings in the text ("[CLS]") are tokenized as ordinary text
 * (like Google's original BERT), so user text can never inject control tokens.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { EncodedText, Tokenizer } from '../types';
import { bertBasicTokenize } from './bertBasic';
import { parseVocabTxt } from './vocabTxt';
import { readRegularFile } from '../../shared/regularFile';

export const PAD = '[PAD]';
export const UNK = '[UNK]';
export const CLS = '[CLS]';
export const SEP = '[SEP]';
export const MASK = '[MASK]';

export interface WordPieceOptions {
  /** Lower-case text before WordPiece (BERT uncased). Default true. */
  lowercase?: boolean;
  /** Strip accents (NFD, drop Mn). Default: same as `lowercase`, as in HF. */
  stripAccents?: boolean;
  /** Prefix of continuation pieces. Default "##". */
  continuingPrefix?: string;
  /** Longer words (in code points) become [UNK]. Default 100. */
  maxInputCharsPerWord?: number;
  /** Name of the unknown token. Default "[UNK]". */
  unkToken?: string;
}

/** Largest vocab / tokenizer file we agree to read (SciBERT's vocab.txt is 0.2 MB). */
const MAX_VOCAB_FILE_BYTES = 64 * 1024 * 1024;
/** Word -> ids cache size; cleared when full (results never depend on it). */
const WORD_CACHE_LIMIT = 200_000;
const RE_SURROGATE = /[\ud800-\udfff]/;

export class WordPieceTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly padId: number;
  readonly unkId: number;
  readonly clsId: number;
  readonly sepId: number;
  /** -1 when the vocab has no [MASK]. */
  readonly maskId: number;
  readonly lowercase: boolean;
  readonly stripAccents: boolean;

  private readonly tokens: string[];
  private readonly index = new Map<string, number>();
  private readonly prefix: string;
  private readonly maxChars: number;
  /** Longest vocab entry in code points (without the prefix): no longer probe can match. */
  private readonly maxPieceLen: number;
  private readonly cache = new Map<string, readonly number[]>();

  private constructor(tokens: string[], opts: WordPieceOptions = {}) {
    if (!Array.isArray(tokens) || tokens.length === 0) throw new Error('WordPiece vocab is empty');
    this.tokens = tokens.slice();
    this.lowercase = opts.lowercase ?? true;
    this.stripAccents = opts.stripAccents ?? this.lowercase;
    this.prefix = opts.continuingPrefix ?? '##';
    this.maxChars = opts.maxInputCharsPerWord ?? 100;
    let maxLen = 1;
    for (let i = 0; i < this.tokens.length; i++) {
      const t = this.tokens[i];
      if (typeof t !== 'string') throw new Error(`WordPiece vocab entry ${i} is not a string`);
      // SciBERT's vocab.txt has one empty line (id 30106): it keeps its id and never matches.
      if (t.length === 0) continue;
      // Later duplicates win, as in HF's load_vocab (a dict filled line by line).
      this.index.set(t, i);
      const body = t.startsWith(this.prefix) && t.length > this.prefix.length ? t.slice(this.prefix.length) : t;
      const len = RE_SURROGATE.test(body) ? Array.from(body).length : body.length;
      if (len > maxLen) maxLen = len;
    }
    this.maxPieceLen = maxLen;
    this.vocabSize = this.tokens.length;
    const need = (name: string): number => {
      const id = this.index.get(name);
      if (id === undefined) throw new Error(`WordPiece vocab has no ${name} token`);
      return id;
    };
    this.unkId = need(opts.unkToken ?? UNK);
    this.padId = need(PAD);
    this.clsId = need(CLS);
    this.sepId = need(SEP);
    this.maskId = this.index.get(MASK) ?? -1;
  }

  static fromVocab(tokens: string[], opts?: WordPieceOptions): WordPieceTokenizer {
    return new WordPieceTokenizer(tokens, opts);
  }

  /** Reads a BERT vocab.txt (one token per line, id = line number). */
  static fromVocabFile(file: string, opts?: WordPieceOptions): WordPieceTokenizer {
    const text = readTextFile(file);
    return new WordPieceTokenizer(parseVocabTxt(text, file), opts);
  }

  /** A copy of the vocabulary, indexed by id. */
  vocab(): string[] {
    return this.tokens.slice();
  }

  tokenToId(token: string): number | undefined {
    return this.index.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.tokens[id];
  }

  tokenize(text: string): string[] {
    return this.ids(text).map((id) => this.tokens[id]);
  }

  /** Token ids without special tokens or padding; stops early once `limit` ids are produced. */
  ids(text: string, limit = Infinity): number[] {
    const out: number[] = [];
    if (typeof text !== 'string') return out;
    for (const word of bertBasicTokenize(text, this.lowercase, this.stripAccents)) {
      const pieces = this.wordIds(word);
      for (let i = 0; i < pieces.length; i++) out.push(pieces[i]);
      if (out.length >= limit) {
        out.length = limit;
        break;
      }
    }
    return out;
  }

  /**
   * ids padded with padId to maxLen. With `special`: [CLS] tokens... [SEP]; truncation drops
   * tokens from the end of the text but always keeps the closing [SEP].
   */
  encode(text: string, maxLen: number, special = true): EncodedText {
    const min = special ? 2 : 1;
    if (!Number.isInteger(maxLen) || maxLen < min) {
      throw new RangeError(`encode: maxLen must be an integer >= ${min}, got ${maxLen}`);
    }
    const out = new Int32Array(maxLen).fill(this.padId);
    const body = this.ids(text, special ? maxLen - 2 : maxLen);
    let n = 0;
    if (special) out[n++] = this.clsId;
    for (const id of body) out[n++] = id;
    if (special) out[n++] = this.sepId;
    return { ids: out, length: n };
  }

  /** Greedy longest-match-first WordPiece of one basic token (BERT's WordpieceTokenizer). */
  private wordIds(word: string): readonly number[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    const chars = RE_SURROGATE.test(word) ? Array.from(word) : null;
    const n = chars ? chars.length : word.length;
    let result: number[];
    if (n > this.maxChars) {
      result = [this.unkId];
    } else {
      result = [];
      let start = 0;
      while (start < n) {
        let end = Math.min(n, start + this.maxPieceLen);
        let found = -1;
        while (start < end) {
          const sub = chars ? chars.slice(start, end).join('') : word.slice(start, end);
          const id = this.index.get(start > 0 ? this.prefix + sub : sub);
          if (id !== undefined) {
            found = id;
            break;
          }
          end--;
        }
        if (found < 0) {
          result = [this.unkId]; // one unmatched piece makes the whole word [UNK]
          break;
        }
        result.push(found);
        start = end;
      }
    }
    if (this.cache.size >= WORD_CACHE_LIMIT) this.cache.clear();
    this.cache.set(word, result);
    return result;
  }
}

/**
 * Loads the tokenizer of a model folder: `tokenizer.json` (HF format, WordPiece model) if present,
 * else `vocab.txt` (lower-casing from `tokenizer_config.json`'s do_lower_case when present).
 */
export function loadTokenizer(dir: string): WordPieceTokenizer {
  const jsonPath = path.join(dir, 'tokenizer.json');
  const vocabPath = path.join(dir, 'vocab.txt');
  if (fs.existsSync(jsonPath)) return fromTokenizerJson(jsonPath);
  if (fs.existsSync(vocabPath)) {
    const opts: WordPieceOptions = {};
    const cfgPath = path.join(dir, 'tokenizer_config.json');
    if (fs.existsSync(cfgPath)) {
      const cfg = parseJson(readTextFile(cfgPath), cfgPath);
      if (isObject(cfg) && typeof cfg.do_lower_case === 'boolean') opts.lowercase = cfg.do_lower_case;
      if (isObject(cfg) && typeof cfg.strip_accents === 'boolean') opts.stripAccents = cfg.strip_accents;
    }
    return WordPieceTokenizer.fromVocabFile(vocabPath, opts);
  }
  throw new Error(`No tokenizer in ${dir}: expected tokenizer.json or vocab.txt`);
}

function fromTokenizerJson(file: string): WordPieceTokenizer {
  const where = `${file}`;
  const json = parseJson(readTextFile(file), file);
  if (!isObject(json) || !isObject(json.model)) throw new Error(`${where}: no "model" object`);
  const model = json.model;
  if (model.type !== undefined && model.type !== 'WordPiece') {
    throw new Error(`${where}: model type ${JSON.stringify(model.type)} is not supported (need WordPiece)`);
  }
  if (!isObject(model.vocab)) throw new Error(`${where}: model.vocab must be an object {token: id}`);
  const byId: string[] = [];
  const put = (tok: string, id: unknown): void => {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 10_000_000) {
      throw new Error(`${where}: bad id ${JSON.stringify(id)} for token ${JSON.stringify(tok)}`);
    }
    if (byId[id] !== undefined && byId[id] !== tok) {
      throw new Error(`${where}: id ${id} is used by both ${JSON.stringify(byId[id])} and ${JSON.stringify(tok)}`);
    }
    byId[id] = tok;
  };
  for (const [tok, id] of Object.entries(model.vocab)) put(tok, id);
  if (Array.isArray(json.added_tokens)) {
    for (const t of json.added_tokens) if (isObject(t) && typeof t.content === 'string') put(t.content, t.id);
  }
  for (let i = 0; i < byId.length; i++) {
    if (byId[i] === undefined) throw new Error(`${where}: vocab ids are not contiguous (id ${i} missing)`);
  }
  const opts: WordPieceOptions = {};
  if (typeof model.unk_token === 'string') opts.unkToken = model.unk_token;
  if (typeof model.continuing_subword_prefix === 'string') opts.continuingPrefix = model.continuing_subword_prefix;
  if (typeof model.max_input_chars_per_word === 'number') opts.maxInputCharsPerWord = model.max_input_chars_per_word;
  Object.assign(opts, normalizerOptions(json.normalizer));
  try {
    return WordPieceTokenizer.fromVocab(byId, opts);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`, { cause: e });
  }
}

/** lowercase / stripAccents from an HF normalizer (BertNormalizer, or a Sequence with Lowercase). */
function normalizerOptions(n: unknown): WordPieceOptions {
  if (n === null) return { lowercase: false };
  if (!isObject(n)) return {};
  if (n.type === 'BertNormalizer' || typeof n.lowercase === 'boolean') {
    const o: WordPieceOptions = {};
    if (typeof n.lowercase === 'boolean') o.lowercase = n.lowercase;
    if (typeof n.strip_accents === 'boolean') o.stripAccents = n.strip_accents;
    return o;
  }
  if (n.type === 'Sequence' && Array.isArray(n.normalizers)) {
    const types = n.normalizers.map((x) => (isObject(x) ? x.type : undefined));
    return { lowercase: types.includes('Lowercase'), stripAccents: types.includes('StripAccents') };
  }
  return {};
}

function readTextFile(file: string): string {
  // Regular files only, capped while reading: a FIFO named vocab.txt must not hang the model load.
  const r = readRegularFile(file, MAX_VOCAB_FILE_BYTES);
  if (!r.ok) {
    throw new Error(r.problem === 'too-large' ? `${file} is too large for a tokenizer file (over ${MAX_VOCAB_FILE_BYTES} bytes)` : `Cannot read ${file}: ${r.reason}`);
  }
  return r.bytes.toString('utf8');
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: malformed JSON (${(e as Error).message})`, { cause: e });
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
