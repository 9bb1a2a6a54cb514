/** Test helpers: a few real arXiv abstracts from the shared data set (by path, never copied into the repo). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as zlib from 'node:zlib';
import type { LabeledPaper } from '../../../src/model/types';
import { segment } from '../../../src/training/augment/protect';

export const SHARED_DATA = path.resolve(__dirname, '../../../../shared/data/arxiv_papers.jsonl.gz');

/** Hand-written abstract-style papers with math, citations, acronyms and names (always available). */
export const WRITTEN: LabeledPaper[] = [
  {
    id: 'w1',
    title: 'Efficient Fine-Tuning of Large Language Models',
    abstract:
      'We propose a simple method to adapt GPT-4 and BERT to new tasks with $O(n \\log n)$ memory. ' +
      'Following \\cite{hu2021lora}, we train small matrices and show that the approach improves accuracy by 3.5% on GLUE. ' +
      'The results suggest that careful initialization matters more than the number of parameters.',
    primary: 'cs.CL',
    categories: ['cs.CL', 'cs.LG'],
    date: '2024-01-02',
  },
  {
    id: 'w2',
    title: 'Ground States of Frustrated Magnets',
    abstract:
      'We study the ground state of the Heisenberg model on a kagome lattice in 3D using density matrix methods. ' +
      'The energy gap $\\Delta \\approx 0.13 J$ closes at a critical coupling, as predicted by Anderson. ' +
      'Our numerical results agree with the field theory of \\citet{sachdev}.',
    primary: 'cond-mat.str-el',
    categories: ['cond-mat.str-el'],
  },
  {
    id: 'w3',
    title: 'A note on prime gaps',
    abstract:
      'We give a short proof that the gaps between consecutive primes satisfy $g_n \\ll p_n^{0.525}$ for large n. ' +
      'The argument combines a sieve with a simple counting lemma and extends earlier work on the problem.',
    primary: 'math.NT',
    categories: ['math.NT'],
  },
];

/** The first `n` papers of the shared data set, or null when it is not there (e.g. a fresh CI machine). */
export async function realPapers(n: number): Promise<LabeledPaper[] | null> {
  if (!fs.existsSync(SHARED_DATA)) return null;
  const rl = readline.createInterface({ input: fs.createReadStream(SHARED_DATA).pipe(zlib.createGunzip()) });
  const out: LabeledPaper[] = [];
  for await (const line of rl) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as LabeledPaper;
    out.push({ id: r.id, title: r.title, abstract: r.abstract, primary: r.primary, categories: r.categories, date: r.date });
    if (out.length >= n) break;
  }
  rl.close();
  return out;
}

/** Protected spans of a text, in order. */
export function protectedSpans(text: string, terms?: Iterable<string>): string[] {
  return segment(text, { terms }).filter((s) => s.protected).map((s) => s.text);
}

/** True when every span occurs in `text` in the same order (as substrings, left to right). */
export function containsInOrder(text: string, spans: readonly string[]): boolean {
  let pos = 0;
  for (const s of spans) {
    const i = text.indexOf(s, pos);
    if (i < 0) return false;
    pos = i + s.length;
  }
  return true;
}
