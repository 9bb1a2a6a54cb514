/**
 * The offline index of training papers behind "papers like yours": arXiv id, title, primary category and
 * cross-lists of every training-split paper (arXiv metadata, CC0), with an int8 vector per paper
 * (paperVector.ts). Query = exact cosine search over all rows (brute force over int8 is a few ms for 90k
 * papers; no approximate structure whose misses we would have to explain).
 *
 * Files in the bundle: neighbours.json (metadata, projection spec, category table) and neighbours.bin
 * (float32 row scales, then int8 rows).
 */
import type { FeaturizerOptions, NgramFeaturizer } from '../ngram/featurizer';
import type { PaperText } from '../types';
import { Int8DotScanner } from './int8Dot';
import type { IndexedPaper, Neighbour } from './types';

export type { IndexedPaper, Neighbour } from './types';
import { quantizeRow, type ProjectionSpec, type Vectorizer } from './paperVector';

export const INDEX_FORMAT = 'arxiv-classifier/paper-index';
export const INDEX_FORMAT_VERSION = 1;

export interface PaperIndexJson {
  format: typeof INDEX_FORMAT;
  version: number;
  projection: ProjectionSpec;
  /** category table; papers refer to it by position */
  categories: string[];
  ids: string[];
  titles: string[];
  /** per paper: index of its primary, then of its cross-lists */
  cats: number[][];
  /** the TF-IDF featurizer, only when the bundle has no n-gram member whose featurizer the index uses */
  featurizer?: { options: Required<FeaturizerOptions>; nDocs: number; vocab: string[]; idf: number[] };
}

export class PaperIndex {
  /** built on the first query */
  private scanner?: Int8DotScanner;

  private constructor(
    readonly json: PaperIndexJson,
    private readonly scales: Float32Array,
    private readonly rows: Int8Array,
  ) {}

  get size(): number {
    return this.json.ids.length;
  }

  get projection(): ProjectionSpec {
    return this.json.projection;
  }

  /** Training papers per primary category. */
  primaryCounts(): Map<string, number> {
    const m = new Map<string, number>();
    for (const c of this.json.cats) {
      const k = this.json.categories[c[0]];
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  }

  /** @param ownFeaturizer stored in the index (for bundles without an n-gram member) */
  static build(vectorize: (p: PaperText, i: number) => Float32Array, papers: readonly (PaperText & { id: string; primary: string; categories: string[] })[], projection: ProjectionSpec, ownFeaturizer?: NgramFeaturizer): PaperIndex {
    const d = projection.dims;
    const categories: string[] = [];
    const catId = new Map<string, number>();
    const idOf = (c: string) => {
      let i = catId.get(c);
      if (i === undefined) {
        i = categories.length;
        categories.push(c);
        catId.set(c, i);
      }
      return i;
    };
    const scales = new Float32Array(papers.length);
    const rows = new Int8Array(papers.length * d);
    const json: PaperIndexJson = { format: INDEX_FORMAT, version: INDEX_FORMAT_VERSION, projection, categories, ids: [], titles: [], cats: [] };
    if (ownFeaturizer) {
      const st = ownFeaturizer.state();
      json.featurizer = { options: st.options, nDocs: st.nDocs, vocab: st.vocab, idf: Array.from(st.idf) };
    }
    papers.forEach((p, i) => {
      scales[i] = quantizeRow(vectorize(p, i), rows, i * d);
      json.ids.push(p.id);
      json.titles.push(p.title.replace(/\s+/g, ' ').trim());
      json.cats.push([idOf(p.primary), ...p.categories.filter((c) => c !== p.primary).map(idOf)]);
    });
    return new PaperIndex(json, scales, rows);
  }

  /** Serialised files: metadata JSON and the binary rows. */
  files(): { json: string; bin: Uint8Array } {
    const n = this.size;
    const bin = new Uint8Array(n * 4 + this.rows.length);
    bin.set(new Uint8Array(this.scales.buffer, this.scales.byteOffset, n * 4), 0);
    bin.set(new Uint8Array(this.rows.buffer, this.rows.byteOffset, this.rows.length), n * 4);
    return { json: JSON.stringify(this.json), bin };
  }

  /** Reads the files written by files(); throws Error with what is wrong. */
  static load(jsonText: string, bin: Uint8Array): PaperIndex {
    const j = JSON.parse(jsonText) as PaperIndexJson;
    if (j.format !== INDEX_FORMAT || j.version !== INDEX_FORMAT_VERSION) throw new Error(`not a paper index of version ${INDEX_FORMAT_VERSION}`);
    const n = j.ids.length;
    const d = j.projection?.dims;
    if (!(Number.isInteger(d) && d > 0) || j.titles.length !== n || j.cats.length !== n) throw new Error('paper index metadata is inconsistent');
    if (bin.length !== n * 4 + n * d) throw new Error(`paper index rows have ${bin.length} bytes, expected ${n * 4 + n * d}`);
    const copy = new Uint8Array(bin); // aligned copy
    return new PaperIndex(j, new Float32Array(copy.buffer, 0, n), new Int8Array(copy.buffer, n * 4, n * d));
  }

  paper(i: number): IndexedPaper {
    const c = this.json.cats[i];
    return { id: this.json.ids[i], title: this.json.titles[i], primary: this.json.categories[c[0]], crosslists: c.slice(1).map((k) => this.json.categories[k]) };
  }

  /** The k most similar papers to a query vector (L2-normalised float), best first. */
  nearest(query: Float32Array, k: number): Neighbour[] {
    const d = this.json.projection.dims;
    if (query.length !== d) throw new Error(`query has ${query.length} dims, index has ${d}`);
    // Quantise the query too: an int32 dot product per row, exact in int arithmetic.
    const q = new Int8Array(d);
    const qs = quantizeRow(query, q, 0);
    if (qs === 0) return [];
    this.scanner ??= new Int8DotScanner(this.rows, this.size, d);
    const dots = this.scanner.scan(q);
    const bestI = new Int32Array(k).fill(-1);
    const bestS = new Float64Array(k).fill(-Infinity);
    for (let i = 0; i < dots.length; i++) {
      const s = dots[i] * this.scales[i];
      if (s <= bestS[k - 1]) continue;
      let j = k - 1;
      while (j > 0 && bestS[j - 1] < s) {
        bestS[j] = bestS[j - 1];
        bestI[j] = bestI[j - 1];
        j--;
      }
      bestS[j] = s;
      bestI[j] = i;
    }
    const out: Neighbour[] = [];
    for (let j = 0; j < k; j++) if (bestI[j] >= 0) out.push({ ...this.paper(bestI[j]), similarity: Math.max(-1, Math.min(1, bestS[j] * qs)) });
    return out;
  }

  nearestTo(vectorize: Vectorizer, p: PaperText, k: number): Neighbour[] {
    return this.nearest(vectorize(p), k);
  }
}

/** Majority primary of neighbours (ties: the earlier, i.e. more similar, one). */
export function majorityPrimary(ns: readonly { primary: string }[]): string | undefined {
  const count = new Map<string, number>();
  let best: string | undefined;
  let bestN = 0;
  for (const n of ns) {
    const c = (count.get(n.primary) ?? 0) + 1;
    count.set(n.primary, c);
    if (c > bestN) {
      bestN = c;
      best = n.primary;
    }
  }
  return best;
}
