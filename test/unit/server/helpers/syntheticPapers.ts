/**
 * A small, clearly separable JSONL data set (4 arXiv categories, class-specific vocabulary over shared filler)
 * so a real training run takes seconds and its model is confident on on-topic drafts.
 */
import * as fs from 'node:fs';
import { mulberry32 as rng } from '../../../../src/training/random';

export const TOPICS: Record<string, string[]> = {
  'cs.CV': ['image', 'images', 'pixel', 'segmentation', 'detection', 'convolutional', 'visual', 'camera', 'video', 'object'],
  'cs.CL': ['language', 'text', 'translation', 'parsing', 'speech', 'sentence', 'corpus', 'linguistic', 'dialogue', 'tokens'],
  'math.AG': ['variety', 'varieties', 'scheme', 'sheaf', 'cohomology', 'algebraic', 'divisor', 'curve', 'moduli', 'projective'],
  'q-bio.NC': ['neurons', 'neural', 'cortex', 'synaptic', 'brain', 'spiking', 'neuronal', 'firing', 'dendritic', 'hippocampus'],
};
const FILLER = ['we', 'propose', 'a', 'new', 'method', 'for', 'the', 'study', 'of', 'and', 'show', 'results', 'on', 'with', 'our', 'approach'];


export function writeSyntheticPapers(file: string, perClass = 60, seed = 7): void {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const lines: string[] = [];
  let n = 0;
  for (const [cat, words] of Object.entries(TOPICS)) {
    for (let i = 0; i < perClass; i++) {
      const sentence = (len: number) => Array.from({ length: len }, () => (r() < 0.5 ? pick(words) : pick(FILLER))).join(' ');
      lines.push(
        JSON.stringify({ id: `synthetic.${n++}`, title: sentence(8), abstract: `${sentence(40)}. ${sentence(40)}.`, primary: cat, categories: [cat], date: '2024-01-01' }),
      );
    }
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}
