/**
 * Learns a WordPiece vocabulary from a corpus, for the compact model's own tokenizer.
 *
 * Method: the one HF `tokenizers`' WordPieceTrainer uses, i.e. BPE merges learned over word types
 * with "##" marking continuation symbols ("model" starts as m ##o ##d ##e ##l; merging m + ##o
 * gives "mo", ##o + ##d gives "##od"), then the merged symbols are used as a WordPiece vocab with
 * greedy longest-match. BPE picks at each step the adjacent pair with the highest corpus
 * frequency, so frequent words end up whole and rare words split into frequent stems and
 * suffixes, which is exactly what WordPiece needs.
 *
 * Words are BERT basic tokens (the same pre-tokenization as WordPieceTokenizer, lower-cased),
 * so the learned vocab matches what the tokenizer will look up. Callers normally pass
 * normalizeForModel(text).
 *
 * Fast: word types are counted once; pair counts are updated incrementally and kept in a max-heap
 * with lazy deletion, and each merge only revisits the words that contain the pair.
 * Deterministic: ties in pair frequency are broken by the merged string (code-unit order), then
 * by the pair's symbols; characters are ordered by code point.
 *
 * Vocab layout: [PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3, [MASK]=4, then every character seen plus all
 * printable ASCII (c, then ##c for the same characters), then merged symbols in merge order.
 */
import { bertBasicTokenize } from '../model/text/bertBasic';
import { CLS, MASK, PAD, SEP, UNK } from '../model/text/tokenizer';

export interface VocabLearnOptions {
  /** Total vocab size including special tokens and characters. */
  size: number;
  /** Stop merging when the best pair occurs fewer times than this (default 2). */
  minFreq?: number;
  /** Lower-case words (default true, for an uncased tokenizer). */
  lowercase?: boolean;
  /** Always include printable ASCII characters (default true). */
  includeAscii?: boolean;
  /** Words longer than this (code points) are ignored: the tokenizer maps them to [UNK]. Default 100. */
  maxWordChars?: number;
}

export const SPECIAL_TOKENS = [PAD, UNK, CLS, SEP, MASK];
const PREFIX = '##';
/** Pair key = left * KEY_BASE + right; symbol ids stay far below 2^21. */
const KEY_BASE = 2 ** 21;

interface HeapItem {
  count: number;
  key: number;
  merged: string;
}

/** Learns a WordPiece vocabulary (see file comment). */
export function learnWordPieceVocab(texts: Iterable<string>, opts: VocabLearnOptions): string[] {
  const size = opts.size;
  if (!Number.isInteger(size) || size < SPECIAL_TOKENS.length) {
    throw new RangeError(`learnWordPieceVocab: size must be an integer >= ${SPECIAL_TOKENS.length}`);
  }
  const minFreq = Math.max(1, opts.minFreq ?? 2);
  const lowercase = opts.lowercase ?? true;
  const maxWordChars = opts.maxWordChars ?? 100;

  // 1. Word type counts.
  const wordFreq = new Map<string, number>();
  for (const text of texts) {
    if (typeof text !== 'string') continue;
    for (const w of bertBasicTokenize(text, lowercase)) wordFreq.set(w, (wordFreq.get(w) ?? 0) + 1);
  }
  const wordList = [...wordFreq.keys()].sort(); // fixed order, independent of Map insertion order

  // 2. Alphabet: every character, by code point. If it cannot fit, keep the most frequent.
  const charFreq = new Map<string, number>();
  const split: string[][] = [];
  const freqs: number[] = [];
  for (const w of wordList) {
    const chars = Array.from(w);
    if (chars.length > maxWordChars) continue;
    const f = wordFreq.get(w)!;
    for (const c of chars) charFreq.set(c, (charFreq.get(c) ?? 0) + f);
    split.push(chars);
    freqs.push(f);
  }
  // Printable ASCII is always in the alphabet, so text that skipped normalizeForModel
  // (raw `\`, `{`, `~`) still has no [UNK] from a missing ASCII character.
  for (let cp = 33; cp < 127 && (opts.includeAscii ?? true); cp++) {
    const c = String.fromCharCode(cp);
    if (!charFreq.has(c)) charFreq.set(c, 0);
  }
  let chars = [...charFreq.keys()];
  const room = size - SPECIAL_TOKENS.length;
  if (chars.length * 2 > room) {
    chars.sort((a, b) => charFreq.get(b)! - charFreq.get(a)! || cmp(a, b));
    chars = chars.slice(0, Math.floor(room / 2));
  }
  chars.sort(cmpCodePoint);

  const vocab: string[] = [...SPECIAL_TOKENS];
  const symId = new Map<string, number>();
  const symbols: string[] = [];
  const addSymbol = (s: string): number => {
    let id = symId.get(s);
    if (id === undefined) {
      id = symbols.length;
      symbols.push(s);
      symId.set(s, id);
    }
    return id;
  };
  for (const c of chars) vocab.push(c);
  for (const c of chars) vocab.push(PREFIX + c);
  for (const t of vocab.slice(SPECIAL_TOKENS.length)) addSymbol(t);
  const vocabSet = new Set(vocab);

  // 3. Words as symbol id sequences (words with a character outside the alphabet are skipped).
  const words: Int32Array[] = [];
  const wfreq: number[] = [];
  for (let i = 0; i < split.length; i++) {
    const cs = split[i];
    const ids = new Int32Array(cs.length);
    let ok = true;
    for (let k = 0; k < cs.length; k++) {
      const id = symId.get(k === 0 ? cs[k] : PREFIX + cs[k]);
      if (id === undefined) {
        ok = false;
        break;
      }
      ids[k] = id;
    }
    if (ok && cs.length > 1) {
      words.push(ids);
      wfreq.push(freqs[i]);
    }
  }
  const lens = words.map((w) => w.length);

  // 4. Initial pair counts and where each pair occurs.
  const pairCount = new Map<number, number>();
  const pairWords = new Map<number, number[]>();
  const inc = (a: number, b: number, f: number, w: number): void => {
    const key = a * KEY_BASE + b;
    const c = (pairCount.get(key) ?? 0) + f;
    pairCount.set(key, c);
    let ws = pairWords.get(key);
    if (!ws) pairWords.set(key, (ws = []));
    if (ws[ws.length - 1] !== w) ws.push(w);
  };
  const dec = (a: number, b: number, f: number): void => {
    const key = a * KEY_BASE + b;
    pairCount.set(key, (pairCount.get(key) ?? 0) - f);
  };
  for (let w = 0; w < words.length; w++) {
    const s = words[w];
    for (let k = 0; k + 1 < s.length; k++) inc(s[k], s[k + 1], wfreq[w], w);
  }
  const mergedOf = (key: number): string => {
    const a = symbols[Math.floor(key / KEY_BASE)];
    const b = symbols[key % KEY_BASE];
    return a + b.slice(PREFIX.length);
  };
  const heap = new MaxHeap();
  for (const [key, count] of pairCount) heap.push({ count, key, merged: mergedOf(key) });

  // 5. Merge until the vocab is full or pairs get rare.
  const stamp = new Int32Array(words.length).fill(-1);
  let round = 0;
  while (vocab.length < size && heap.size > 0) {
    const top = heap.pop()!;
    const current = pairCount.get(top.key) ?? 0;
    if (current !== top.count) {
      if (current > 0) heap.push({ count: current, key: top.key, merged: top.merged });
      continue;
    }
    if (current < minFreq) break;
    const a = Math.floor(top.key / KEY_BASE);
    const b = top.key % KEY_BASE;
    const c = addSymbol(top.merged);
    if (!vocabSet.has(top.merged)) {
      vocab.push(top.merged);
      vocabSet.add(top.merged);
    }
    const touched = new Set<number>();
    round++;
    for (const w of pairWords.get(top.key) ?? []) {
      if (stamp[w] === round) continue;
      stamp[w] = round;
      const s = words[w];
      const f = wfreq[w];
      let len = lens[w];
      for (let k = 0; k + 1 < len; k++) {
        if (s[k] !== a || s[k + 1] !== b) continue;
        if (k > 0) dec(s[k - 1], a, f);
        if (k + 2 < len) dec(b, s[k + 2], f);
        dec(a, b, f);
        s[k] = c;
        s.copyWithin(k + 1, k + 2, len);
        len--;
        if (k > 0) {
          inc(s[k - 1], c, f, w);
          touched.add(s[k - 1] * KEY_BASE + c);
        }
        if (k + 1 < len) {
          inc(c, s[k + 1], f, w);
          touched.add(c * KEY_BASE + s[k + 1]);
        }
      }
      lens[w] = len;
    }
    pairCount.delete(top.key);
    pairWords.delete(top.key);
    for (const key of touched) {
      const count = pairCount.get(key) ?? 0;
      if (count > 0) heap.push({ count, key, merged: mergedOf(key) });
    }
  }
  return vocab;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpCodePoint(a: string, b: string): number {
  return a.codePointAt(0)! - b.codePointAt(0)!;
}

/** Higher count first; ties: smaller merged string, then smaller key. */
function before(x: HeapItem, y: HeapItem): boolean {
  if (x.count !== y.count) return x.count > y.count;
  if (x.merged !== y.merged) return x.merged < y.merged;
  return x.key < y.key;
}

class MaxHeap {
  private items: HeapItem[] = [];
  get size(): number {
    return this.items.length;
  }
  push(item: HeapItem): void {
    const h = this.items;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  pop(): HeapItem | undefined {
    const h = this.items;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
