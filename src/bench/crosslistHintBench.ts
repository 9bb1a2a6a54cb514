/**
 * `npm run bench:crosslist`: how often would the "this cross-list is very unlikely" hint fire, at the
 * documented threshold (ARXIV_RULES.crossLists.unlikelyBelowP) and around it, on test-split papers?
 *  - on the cross-lists the papers really have (a hint there is a false alarm), and
 *  - on categories the papers are not listed in (a hint there would be right if an author declared one).
 * Only categories the model's cross-list head scores count; the model's top primary is excluded (the head
 * leaves it out), as the diagnostics do.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from '../cli/args';
import { defaultModelDir, loadClassifier } from '../model/classifier';
import { ARXIV_RULES, canonicalCategory } from '../server/arxivRules';
import { readPapers } from '../training/data/readPapers';
import { splitOf } from '../training/data/split';

const THRESHOLDS = [0.01, 0.02, 0.05, 0.1, 0.2];

export async function crosslistHintBenchCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values } = parse(argv, { json: { type: 'boolean' }, out: { type: 'string' }, model: { type: 'string' }, data: { type: 'string' }, papers: { type: 'string' } });
  const nPapers = Number(values.papers ?? 3000);
  const modelDir = resolve(values.model ?? defaultModelDir());
  const model = await loadClassifier(modelDir);
  const dataPath = resolve(values.data ?? join(__dirname, '..', '..', 'shared', 'data', 'arxiv_papers.jsonl.gz'));
  err(`Cross-list hint benchmark of ${model.manifestData.name} on up to ${nPapers} test papers of ${dataPath}`);
  const { papers } = await readPapers(dataPath);
  const test = papers.filter((p) => splitOf(p.id) === 'test').slice(0, nPapers);
  const listedP: number[] = [];
  const unlistedP: number[] = [];
  for (let i = 0; i < test.length; i += 64) {
    const batch = test.slice(i, i + 64);
    const preds = await model.classifyBatch(batch.map((p) => ({ title: p.title, abstract: p.abstract })));
    preds.forEach((pred, j) => {
      const paper = batch[j];
      const listed = new Set(paper.categories.map(canonicalCategory));
      const primary = canonicalCategory(paper.primary);
      for (const s of pred.crosslists) {
        const c = canonicalCategory(s.category);
        if (c === primary) continue;
        (listed.has(c) ? listedP : unlistedP).push(s.p);
      }
    });
  }
  model.dispose();
  const below = (xs: number[], t: number) => (xs.length ? xs.filter((p) => p < t).length / xs.length : 0);
  const rows = THRESHOLDS.map((t) => ({ threshold: t, realCrossListsHinted: below(listedP, t), unlistedCategoriesHinted: below(unlistedP, t) }));
  const result = {
    model: model.manifestData.name,
    data: dataPath,
    papers: test.length,
    realCrossLists: listedP.length,
    unlistedPairs: unlistedP.length,
    documentedThreshold: ARXIV_RULES.crossLists.unlikelyBelowP,
    rows,
    date: new Date().toISOString(),
  };
  const outFile = resolve(values.out ?? 'bench-results/crosslist-hint.json');
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
  if (values.json) out(JSON.stringify(result));
  else {
    out(`${test.length} test papers: ${listedP.length} real cross-lists, ${unlistedP.length} (paper, unlisted category) pairs scored by the cross-list head`);
    out('');
    out('| hint below | real cross-lists hinted (false alarms) | unlisted categories hinted |');
    out('|---:|---:|---:|');
    for (const r of rows) out(`| ${(r.threshold * 100).toFixed(0)}%${r.threshold === result.documentedThreshold ? ' (shipped)' : ''} | ${(100 * r.realCrossListsHinted).toFixed(1)}% | ${(100 * r.unlistedCategoriesHinted).toFixed(1)}% |`);
    out(`\nWrote ${outFile}`);
  }
  return 0;
}
