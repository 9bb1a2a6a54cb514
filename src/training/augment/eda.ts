/**
 * EDA (Wei & Zou 2019) operations on one text: random insertion of a synonym of a random word, random swap
 * of two words, random deletion. Protected spans (protect.ts) and caller terms are never moved, deleted or
 * used as swap partners; insertions go between tokens, never inside a protected span. Synonym replacement,
 * EDA's fourth operation, is synonyms.ts.
 */
import type { LabeledPaper } from '../../model/types';
import type { Rng } from '../random';
import { paperRng, replaceableIndexes, yieldToEventLoop } from './synonyms';
import { isTitleCase } from './protect';
import { detokenize, tokenize, type Token } from './tokens';
import { getWordNet, type WordNet } from './wordnet';
import {
  copyIds,
  occurrenceIndex,
  textOf,
  throwIfAborted,
  withText,
  type AugmentOptions,
  type PaperField,
  type TextAugmenter,
} from './types';

export interface EdaRates {
  /** Swaps per word: round(swap * words) swaps of two movable words (default 0.1). */
  swap?: number;
  /** Probability that each movable word is deleted (default 0.1); at least one word always stays. */
  delete?: number;
  /** Insertions per word: round(insert * words) synonyms inserted at random places (default 0.1). */
  insert?: number;
}

export interface EdaOptions extends EdaRates {
  /** Words/phrases never edited (case-insensitive). */
  terms?: Iterable<string>;
  fields?: PaperField[];
  wordnet?: WordNet;
}

function count(rate: number, words: number): number {
  return rate > 0 ? Math.max(1, Math.round(rate * words)) : 0;
}

/**
 * Applies insert, then swap, then delete to one text. Only unprotected word tokens are moved or deleted;
 * punctuation and protected spans keep their order.
 */
export function edaText(
  text: string,
  rng: Rng,
  opts: { swap: number; delete: number; insert: number; terms?: ReadonlySet<string>; wordnet: WordNet },
): string {
  let tokens: Token[] = tokenize(text, { terms: opts.terms });
  const words = (): number[] => {
    const idx: number[] = [];
    for (let i = 0; i < tokens.length; i++) if (tokens[i].kind === 'word' && !opts.terms?.has(tokens[i].text.toLowerCase())) idx.push(i);
    return idx;
  };
  const nWords = words().length;
  const titleCase = isTitleCase(text);
  if (nWords === 0) return text;

  // Insertion: synonyms of random replaceable words, each placed before a random word or protected span
  // (never inside one). Candidates and slots come from the original tokens, so the cost stays linear.
  const nIns = count(opts.insert, nWords);
  const cands = nIns > 0 ? replaceableIndexes(tokens, opts.wordnet, opts.terms, titleCase) : [];
  if (cands.length > 0) {
    const slots: number[] = [];
    for (let i = 0; i < tokens.length; i++) if (tokens[i].kind === 'word' || tokens[i].kind === 'protected') slots.push(i);
    const before = new Map<number, string[]>();
    for (let k = 0; k < nIns; k++) {
      const syns = opts.wordnet.synonymsOfForm(tokens[cands[rng.randInt(cands.length)]].text.toLowerCase());
      const word = syns[rng.randInt(syns.length)];
      const at = slots[rng.randInt(slots.length)];
      const list = before.get(at);
      if (list) list.push(word);
      else before.set(at, [word]);
    }
    const next: Token[] = [];
    tokens.forEach((t, i) => {
      for (const w of before.get(i) ?? []) next.push({ text: w, kind: 'word' }, { text: ' ', kind: 'space' });
      next.push(t);
    });
    tokens = next;
  }

  // Swap: exchange the text of two movable words.
  const movable = words();
  const nSwap = movable.length >= 2 ? count(opts.swap, nWords) : 0;
  for (let k = 0; k < nSwap; k++) {
    const a = movable[rng.randInt(movable.length)];
    const b = movable[rng.randInt(movable.length)];
    const t = tokens[a];
    tokens[a] = tokens[b];
    tokens[b] = t;
  }

  // Deletion: each movable word with probability p, with the space before it (after it at text start).
  if (opts.delete > 0) {
    const idx = words();
    const drop = new Set<number>();
    for (const i of idx) if (rng.next() < opts.delete) drop.add(i);
    if (drop.size >= idx.length) drop.delete(idx[rng.randInt(idx.length)]); // keep at least one word
    const kept: Token[] = [];
    for (let i = 0; i < tokens.length; i++) {
      if (drop.has(i)) {
        if (kept.length && kept[kept.length - 1].kind === 'space') kept.pop();
        else if (i + 1 < tokens.length && tokens[i + 1].kind === 'space') i++;
        continue;
      }
      kept.push(tokens[i]);
    }
    tokens = kept;
  }
  return detokenize(tokens);
}

export class EdaAugmenter implements TextAugmenter {
  readonly name = 'eda' as const;
  private readonly rates: Required<EdaRates>;
  private readonly terms: ReadonlySet<string> | undefined;
  private readonly fields: PaperField[];
  private wordnet: WordNet | undefined;

  constructor(opts: EdaOptions = {}) {
    this.rates = { swap: opts.swap ?? 0.1, delete: opts.delete ?? 0.1, insert: opts.insert ?? 0.1 };
    for (const [k, v] of Object.entries(this.rates)) {
      if (!(v >= 0 && v <= 1)) throw new RangeError(`eda: ${k} rate must be in [0, 1], got ${v}`);
    }
    this.terms = opts.terms ? new Set([...opts.terms].map((t) => t.toLowerCase())) : undefined;
    this.fields = opts.fields ?? ['title', 'abstract'];
    this.wordnet = opts.wordnet;
  }

  async augment(papers: LabeledPaper[], opts: AugmentOptions): Promise<LabeledPaper[]> {
    const wn = (this.wordnet ??= getWordNet());
    const ids = copyIds(papers, 'eda');
    const occ = occurrenceIndex(papers);
    const o = { ...this.rates, terms: this.terms, wordnet: wn };
    const out: LabeledPaper[] = [];
    for (let i = 0; i < papers.length; i++) {
      if (i % 64 === 0) {
        throwIfAborted(opts.signal);
        if (i > 0) await yieldToEventLoop();
      }
      const p = papers[i];
      const rng = paperRng(opts.seed, p.id, occ[i], 'eda');
      const title = this.fields.includes('title') ? edaText(textOf(p.title), rng, o) : textOf(p.title);
      const abstract = this.fields.includes('abstract') ? edaText(textOf(p.abstract), rng, o) : textOf(p.abstract);
      out.push(withText(p, ids[i], title, abstract));
      opts.onProgress?.(i + 1, papers.length);
    }
    return out;
  }
}
