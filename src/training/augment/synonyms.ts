/**
 * WordNet synonym replacement (EDA's "SR"): replaces a fraction of the replaceable words of each text by a
 * WordNet synonym. Never touched: protected spans (math, LaTeX, acronyms, names, numbers; protect.ts),
 * capitalised words, stop words and caller/domain terms (see deriveDomainTerms).
 */
import type { LabeledPaper } from '../../model/types';
import { Rng } from '../random';
import { isTitleCase } from './protect';
import { detokenize, isReplaceable, tokenize, type Token } from './tokens';
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

export interface SynonymOptions {
  /** Fraction of word tokens to replace (default 0.1); at least one when the text has a replaceable word. */
  rate?: number;
  /** Words/phrases never replaced (case-insensitive), e.g. from deriveDomainTerms(). */
  terms?: Iterable<string>;
  /** Fields to rewrite (default title and abstract). */
  fields?: PaperField[];
  /** WordNet to use (default: the shared one, loaded on first use). */
  wordnet?: WordNet;
}

/** Keeps the case pattern of the original word (the augmenters only replace lower-case words today). */
export function matchCase(original: string, replacement: string): string {
  if (original === original.toUpperCase() && original !== original.toLowerCase()) return replacement.toUpperCase();
  if (/^\p{Lu}/u.test(original)) return replacement[0].toUpperCase() + replacement.slice(1);
  return replacement;
}

/** Indexes of word tokens that may be replaced and have at least one synonym. */
export function replaceableIndexes(
  tokens: readonly Token[],
  wn: WordNet,
  terms: ReadonlySet<string> | undefined,
  titleCase = false,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'word' && isReplaceable(t.text, terms, titleCase) && wn.synonymsOfForm(t.text.toLowerCase()).length > 0) {
      out.push(i);
    }
  }
  return out;
}

/** Replaces about `rate` of the words of one text; deterministic for a given rng state. */
export function replaceSynonyms(
  text: string,
  rng: Rng,
  opts: { rate: number; terms?: ReadonlySet<string>; wordnet: WordNet },
): string {
  const tokens = tokenize(text, { terms: opts.terms });
  const nWords = tokens.reduce((n, t) => n + (t.kind === 'word' ? 1 : 0), 0);
  const candidates = replaceableIndexes(tokens, opts.wordnet, opts.terms, isTitleCase(text));
  if (candidates.length === 0 || opts.rate <= 0) return text;
  const n = Math.min(candidates.length, Math.max(1, Math.round(opts.rate * nWords)));
  rng.shuffle(candidates);
  for (const i of candidates.slice(0, n)) {
    const syns = opts.wordnet.synonymsOfForm(tokens[i].text.toLowerCase());
    tokens[i] = { text: matchCase(tokens[i].text, syns[rng.randInt(syns.length)]), kind: 'word' };
  }
  return detokenize(tokens);
}

/** Per-paper stream: the same paper, seed and copy number always give the same output. */
export function paperRng(seed: number, id: string, occurrence: number, tag: string): Rng {
  return new Rng(`${seed}|${tag}|${id}|${occurrence}`);
}

export class SynonymAugmenter implements TextAugmenter {
  readonly name = 'synonyms' as const;
  private readonly rate: number;
  private readonly terms: ReadonlySet<string> | undefined;
  private readonly fields: PaperField[];
  private wordnet: WordNet | undefined;

  constructor(opts: SynonymOptions = {}) {
    this.rate = opts.rate ?? 0.1;
    if (!(this.rate >= 0 && this.rate <= 1)) throw new RangeError(`synonyms: rate must be in [0, 1], got ${opts.rate}`);
    this.terms = opts.terms ? new Set([...opts.terms].map((t) => t.toLowerCase())) : undefined;
    this.fields = opts.fields ?? ['title', 'abstract'];
    this.wordnet = opts.wordnet;
  }

  async augment(papers: LabeledPaper[], opts: AugmentOptions): Promise<LabeledPaper[]> {
    const wn = (this.wordnet ??= getWordNet());
    const ids = copyIds(papers, 'syn');
    const occ = occurrenceIndex(papers);
    const out: LabeledPaper[] = [];
    for (let i = 0; i < papers.length; i++) {
      if (i % 64 === 0) {
        throwIfAborted(opts.signal);
        if (i > 0) await yieldToEventLoop(); // keeps cancellation and progress responsive
      }
      const p = papers[i];
      const rng = paperRng(opts.seed, p.id, occ[i], 'syn');
      const o = { rate: this.rate, terms: this.terms, wordnet: wn };
      const title = this.fields.includes('title') ? replaceSynonyms(textOf(p.title), rng, o) : textOf(p.title);
      const abstract = this.fields.includes('abstract') ? replaceSynonyms(textOf(p.abstract), rng, o) : textOf(p.abstract);
      out.push(withText(p, ids[i], title, abstract));
      opts.onProgress?.(i + 1, papers.length);
    }
    return out;
  }
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
