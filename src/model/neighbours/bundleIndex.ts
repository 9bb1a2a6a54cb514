/** Loading the paper index from a bundle (the files and manifest entry written by src/training/bundleExtras). */
import type { LoadedBundle } from '../bundle';
import { NgramFeaturizer } from '../ngram/featurizer';
import { PaperIndex, type Neighbour } from './paperIndex';
import { makeVectorizer } from './paperVector';
import type { NgramModel } from '../ngram/model';
import type { PaperText } from '../types';

export interface LoadedPaperIndex {
  nearest?: (p: PaperText, k: number) => Neighbour[];
  /** training papers per primary category (all primaries, also the rare ones folded into "other") */
  primaryCounts?: Map<string, number>;
  index?: PaperIndex;
}

/**
 * The index of a bundle, queried with the n-gram member's featurizer, or with the index's own featurizer when
 * the bundle has no n-gram member. A bundle without an index simply has no "papers like yours".
 */
export function loadPaperIndex(b: LoadedBundle, ngram?: NgramModel): LoadedPaperIndex {
  const entry = b.manifest.paperIndex;
  if (!entry) return {};
  const index = PaperIndex.load(b.file(entry.json).toString('utf8'), b.file(entry.weights));
  const own = index.json.featurizer;
  const featurizer = own ? new NgramFeaturizer({ options: own.options, nDocs: own.nDocs, vocab: own.vocab, idf: Float32Array.from(own.idf) }) : ngram?.featurizer;
  if (!featurizer) throw new Error('the paper index needs the n-gram featurizer, and the bundle has neither an n-gram member nor a featurizer in the index');
  const vectorize = makeVectorizer(index.projection, featurizer, ngram);
  return { index, nearest: (p, k) => index.nearestTo(vectorize, p, k), primaryCounts: index.primaryCounts() };
}
