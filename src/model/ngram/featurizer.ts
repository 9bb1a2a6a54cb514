/**
 * Word unigram + bigram TF-IDF features over a vocabulary chosen on the training set.
 *
 * - Terms: each token, and each pair of adjacent tokens joined by a space (ngramMax = 2).
 * - Vocabulary: terms with document frequency >= minDf (and <= maxDfRatio * nDocs), the maxFeatures
 *   most frequent by df (ties broken by the term's text, so the choice is deterministic).
 * - Value: (1 + ln tf) * idf when sublinearTf (raw tf otherwise), idf = ln((1 + n) / (1 + df)) + 1
 *   (sklearn's smooth idf), then the vector is L2-normalised. Indices are sorted ascending.
 *
 * Tokens come from the caller (the product tokenises with wordsForNgrams in src/model/text).
 */

export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

export interface FeaturizerOptions {
  /** cap on the vocabulary size (most frequent terms by document frequency) */
  maxFeatures: number;
  /** minimum number of training documents a term must occur in */
  minDf: number;
  /** 1 = unigrams only, 2 = unigrams + bigrams */
  ngramMax: 1 | 2;
  /** drop terms occurring in more than this fraction of documents (1 = keep all) */
  maxDfRatio?: number;
  /** 1 + ln(tf) instead of tf */
  sublinearTf?: boolean;
}

export interface FeaturizerState {
  options: Required<FeaturizerOptions>;
  nDocs: number;
  vocab: string[];
  idf: Float32Array;
}

export const DEFAULT_FEATURIZER_OPTIONS: Required<FeaturizerOptions> = {
  maxFeatures: 50000,
  minDf: 2,
  ngramMax: 2,
  maxDfRatio: 1,
  sublinearTf: true,
};

/** Tokens must not contain spaces (a bigram is "a b"); whitespace inside a token becomes "_". */
function cleanToken(t: string): string {
  return /\s/.test(t) ? t.replace(/\s+/g, '_') : t;
}

/** Calls fn once per term (unigrams, then bigrams) of a token list, duplicates included. */
export function forEachTerm(tokens: readonly string[], ngramMax: number, fn: (term: string) => void): void {
  const toks = tokens.map(cleanToken);
  for (let i = 0; i < toks.length; i++) fn(toks[i]);
  if (ngramMax >= 2) for (let i = 0; i + 1 < toks.length; i++) fn(toks[i] + ' ' + toks[i + 1]);
}

/** Bigrams are keyed by two token ids packed in one number (ids < 2^26 keeps keys exact doubles). */
const PAIR = 2 ** 26;

export class NgramFeaturizer {
  readonly options: Required<FeaturizerOptions>;
  readonly nDocs: number;
  readonly vocab: readonly string[];
  readonly idf: Float32Array;
  /** token -> compact token id, for tokens occurring in some vocabulary term */
  private readonly tokenId = new Map<string, number>();
  /** token id -> feature index of the unigram (-1 when the unigram is not a feature) */
  private unigramFeature: Int32Array;
  /** packed token-id pair -> feature index */
  private readonly bigramFeature = new Map<number, number>();

  constructor(state: FeaturizerState) {
    if (state.vocab.length !== state.idf.length) {
      throw new Error(`NgramFeaturizer: vocabulary has ${state.vocab.length} terms but ${state.idf.length} idf values`);
    }
    this.options = { ...state.options };
    this.nDocs = state.nDocs;
    this.vocab = state.vocab;
    this.idf = state.idf;
    const idOf = (t: string) => {
      let id = this.tokenId.get(t);
      if (id === undefined) {
        id = this.tokenId.size;
        this.tokenId.set(t, id);
      }
      return id;
    };
    const uni: [number, number][] = [];
    const seen = new Set<string>();
    state.vocab.forEach((term, f) => {
      if (typeof term !== 'string' || term.length === 0) throw new Error(`NgramFeaturizer: invalid vocabulary term at ${f}`);
      if (seen.has(term)) throw new Error(`NgramFeaturizer: duplicate vocabulary term ${JSON.stringify(term)}`);
      seen.add(term);
      const sp = term.indexOf(' ');
      if (sp < 0) uni.push([idOf(term), f]);
      else {
        if (term.indexOf(' ', sp + 1) >= 0) throw new Error(`NgramFeaturizer: term ${JSON.stringify(term)} has more than two words`);
        this.bigramFeature.set(idOf(term.slice(0, sp)) * PAIR + idOf(term.slice(sp + 1)), f);
      }
    });
    this.unigramFeature = new Int32Array(this.tokenId.size).fill(-1);
    for (const [id, f] of uni) this.unigramFeature[id] = f;
  }

  get numFeatures(): number {
    return this.vocab.length;
  }

  static fit(docs: readonly (readonly string[])[], opts: Partial<FeaturizerOptions> = {}): NgramFeaturizer {
    const options: Required<FeaturizerOptions> = { ...DEFAULT_FEATURIZER_OPTIONS, ...opts };
    if (!(options.maxFeatures >= 1)) throw new RangeError('maxFeatures must be >= 1');
    if (options.ngramMax !== 1 && options.ngramMax !== 2) throw new RangeError('ngramMax must be 1 or 2');
    if (!(options.minDf >= 1)) throw new RangeError('minDf must be >= 1');
    const n = docs.length;
    if (n === 0) throw new Error('NgramFeaturizer.fit: no documents');
    // Count document frequencies on integer token ids with an open-addressing table for bigrams:
    // a Map with millions of string (or >2^31 number) keys is several times slower.
    const tokenId = new Map<string, number>();
    const tokens: string[] = [];
    let uniDf: Int32Array = new Int32Array(1 << 16);
    let uniStamp: Int32Array = new Int32Array(1 << 16).fill(-1);
    const pairs = new PairCounter();
    for (let d = 0; d < n; d++) {
      const doc = docs[d];
      let prev = -1;
      for (let i = 0; i < doc.length; i++) {
        const tok = cleanToken(doc[i]);
        let id = tokenId.get(tok);
        if (id === undefined) {
          id = tokens.length;
          if (id >= PAIR) throw new Error('NgramFeaturizer.fit: more than 2^26 distinct tokens');
          tokenId.set(tok, id);
          tokens.push(tok);
          if (id >= uniDf.length) {
            uniDf = growInt32(uniDf, 0);
            uniStamp = growInt32(uniStamp, -1);
          }
        }
        if (uniStamp[id] !== d) {
          uniStamp[id] = d;
          uniDf[id]++;
        }
        if (options.ngramMax >= 2 && prev >= 0) pairs.addOncePerDoc(prev, id, d);
        prev = id;
      }
    }
    // Pick the maxFeatures terms with the highest df without building strings for all candidates:
    // find the df cut-off from a histogram, then sort only the terms tied at the cut-off by their text.
    const maxDf = options.maxDfRatio * n;
    const ok = (d: number) => d >= options.minDf && d <= maxDf;
    const hist = new Map<number, number>();
    const bump = (d: number) => ok(d) && hist.set(d, (hist.get(d) ?? 0) + 1);
    for (let id = 0; id < tokens.length; id++) bump(uniDf[id]);
    pairs.forEach((_a, _b, d) => bump(d));
    const dfs = [...hist.keys()].sort((x, y) => y - x);
    let cut = options.minDf;
    let above = 0;
    for (const d of dfs) {
      if (above + hist.get(d)! >= options.maxFeatures) {
        cut = d;
        break;
      }
      above += hist.get(d)!;
    }
    const kept: [string, number][] = [];
    for (let id = 0; id < tokens.length; id++) if (ok(uniDf[id]) && uniDf[id] >= cut) kept.push([tokens[id], uniDf[id]]);
    pairs.forEach((a, b, d) => {
      if (ok(d) && d >= cut) kept.push([tokens[a] + ' ' + tokens[b], d]);
    });
    kept.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const chosen = kept.slice(0, options.maxFeatures);
    const idf = new Float32Array(chosen.length);
    chosen.forEach(([, d], i) => (idf[i] = Math.log((1 + n) / (1 + d)) + 1));
    return new NgramFeaturizer({ options, nDocs: n, vocab: chosen.map((c) => c[0]), idf });
  }

  /** TF-IDF vector of one tokenised document (empty vector when no term is in the vocabulary). */
  transform(tokens: readonly string[]): SparseVector {
    const ids = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) ids[i] = this.tokenId.get(cleanToken(tokens[i])) ?? -1;
    const hits = new Int32Array(2 * tokens.length);
    let h = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id < 0) continue;
      const f = this.unigramFeature[id];
      if (f >= 0) hits[h++] = f;
      if (this.options.ngramMax >= 2 && i + 1 < ids.length && ids[i + 1] >= 0) {
        const g = this.bigramFeature.get(id * PAIR + ids[i + 1]);
        if (g !== undefined) hits[h++] = g;
      }
    }
    const sorted = hits.subarray(0, h).sort();
    // run-length count of the sorted feature hits = term frequencies
    let u = 0;
    for (let i = 0; i < h; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) u++;
    const indices = new Int32Array(u);
    const values = new Float32Array(u);
    let norm = 0;
    for (let i = 0, k = -1; i < h; i++) {
      if (i === 0 || sorted[i] !== sorted[i - 1]) {
        k++;
        indices[k] = sorted[i];
        values[k] = 0;
      }
      values[k]++;
    }
    for (let k = 0; k < u; k++) {
      const tf = values[k];
      const v = (this.options.sublinearTf ? 1 + Math.log(tf) : tf) * this.idf[indices[k]];
      values[k] = v;
      norm += v * v;
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let k = 0; k < u; k++) values[k] *= inv;
    }
    return { indices, values };
  }

  transformAll(docs: readonly (readonly string[])[]): SparseVector[] {
    return docs.map((d) => this.transform(d));
  }

  state(): FeaturizerState {
    return { options: { ...this.options }, nDocs: this.nDocs, vocab: [...this.vocab], idf: this.idf };
  }
}

function growInt32(a: Int32Array, fill: number): Int32Array {
  const b = new Int32Array(a.length * 2).fill(fill);
  b.set(a);
  return b;
}

/** Document frequencies of token-id pairs: open addressing, linear probing, counted once per document. */
class PairCounter {
  private cap = 1 << 20;
  private size = 0;
  private ka = new Int32Array(this.cap).fill(-1);
  private kb = new Int32Array(this.cap);
  private df = new Int32Array(this.cap);
  private lastDoc = new Int32Array(this.cap);

  private slot(a: number, b: number): number {
    const mask = this.cap - 1;
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 0;
    h = (h ^ (h >>> 15)) & mask;
    while (this.ka[h] !== -1 && (this.ka[h] !== a || this.kb[h] !== b)) h = (h + 1) & mask;
    return h;
  }

  addOncePerDoc(a: number, b: number, doc: number): void {
    let h = this.slot(a, b);
    if (this.ka[h] === -1) {
      if ((this.size + 1) * 10 > this.cap * 6) {
        this.grow();
        h = this.slot(a, b);
      }
      this.ka[h] = a;
      this.kb[h] = b;
      this.df[h] = 1;
      this.lastDoc[h] = doc;
      this.size++;
    } else if (this.lastDoc[h] !== doc) {
      this.lastDoc[h] = doc;
      this.df[h]++;
    }
  }

  forEach(fn: (a: number, b: number, df: number) => void): void {
    for (let h = 0; h < this.cap; h++) if (this.ka[h] !== -1) fn(this.ka[h], this.kb[h], this.df[h]);
  }

  private grow(): void {
    const { ka, kb, df, lastDoc } = this;
    this.cap *= 2;
    this.ka = new Int32Array(this.cap).fill(-1);
    this.kb = new Int32Array(this.cap);
    this.df = new Int32Array(this.cap);
    this.lastDoc = new Int32Array(this.cap);
    for (let h = 0; h < ka.length; h++) {
      if (ka[h] === -1) continue;
      const s = this.slot(ka[h], kb[h]);
      this.ka[s] = ka[h];
      this.kb[s] = kb[h];
      this.df[s] = df[h];
      this.lastDoc[s] = lastDoc[h];
    }
  }
}

/** Lower-case split on non-alphanumerics: the simple tokeniser used by tests and the experiment. */
export function simpleTokens(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
}
