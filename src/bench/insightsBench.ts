/**
 * `npm run bench` section for the honest views: prediction-set coverage and mean size on the test split,
 * "papers like yours" (how often the majority primary of the 5 nearest training papers is the true primary,
 * and the query time), how often "other" in the top 3 names the true archive, and how often English test
 * abstracts are flagged as not English or provisional.
 */
import type { BundleClassifier } from '../model/classifier';
import { readBundle } from '../model/bundle';
import { loadPaperIndex } from '../model/neighbours/bundleIndex';
import { majorityPrimary } from '../model/neighbours/paperIndex';
import { NgramModel } from '../model/ngram/model';
import { archiveOf, explainOther } from '../model/otherBucket';
import { evaluateSets } from '../model/predictionSet';
import { checkText } from '../model/textCheck';
import type { LabeledPaper, Prediction } from '../model/types';

export const NEIGHBOUR_QUERIES = 2000;

function pct(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

export interface InsightsBench {
  prediction_set?: { target: number; threshold: number; calibration_n: number; test_n: number; coverage: number; mean_size: number; size_histogram: Record<string, number>; coverage_within_1_5_points: boolean };
  neighbours?: { queries: number; index_papers: number; dims: number; projection: string; majority_primary_acc: number; top1_neighbour_primary_acc: number; query_p50_ms: number; query_p95_ms: number; index_load_ms: number };
  other?: { test_n: number; other_in_top3: number; archive_named: number; archive_correct_when_true_primary_folded: number; folded_cases: number };
  text?: { test_n: number; flagged_not_english: number; flagged_rate: number; provisional: number };
}

export async function benchInsights(
  model: BundleClassifier,
  test: readonly LabeledPaper[],
  probs: readonly Float32Array[],
  predictions: readonly Prediction[],
  truth: Int32Array,
  log: (s: string) => void,
): Promise<InsightsBench> {
  const man = model.manifestData;
  const out: InsightsBench = {};
  if (man.predictionSet) {
    const c = man.predictionSet;
    const r = evaluateSets(probs, truth, c.threshold);
    out.prediction_set = {
      target: 1 - c.alpha,
      threshold: c.threshold,
      calibration_n: c.n,
      test_n: r.n,
      coverage: r.coverage,
      mean_size: r.meanSize,
      size_histogram: r.sizeHistogram,
      coverage_within_1_5_points: Math.abs(r.coverage - (1 - c.alpha)) <= 0.015,
    };
  } else log('No prediction-set threshold in this bundle (run "cli bundle-extras"): section skipped.');

  if (man.paperIndex) {
    const t0 = performance.now();
    const b = readBundle(model.info.dir);
    const ngram = man.ngram ? NgramModel.deserialize(JSON.parse(b.file(man.ngram.json).toString('utf8')), b.file(man.ngram.weights)) : undefined;
    const idx = loadPaperIndex(b, ngram);
    const loadMs = performance.now() - t0;
    const n = Math.min(NEIGHBOUR_QUERIES, test.length);
    log(`Papers like yours: ${n} test papers against ${idx.index!.size} training papers…`);
    const times: number[] = [];
    let major = 0, first = 0;
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      const ns = idx.nearest!(test[i], 5);
      times.push(performance.now() - s);
      if (majorityPrimary(ns) === test[i].primary) major++;
      if (ns[0]?.primary === test[i].primary) first++;
    }
    out.neighbours = {
      queries: n,
      index_papers: idx.index!.size,
      dims: idx.index!.projection.dims,
      projection: idx.index!.projection.kind,
      majority_primary_acc: major / n,
      top1_neighbour_primary_acc: first / n,
      query_p50_ms: pct(times, 0.5),
      query_p95_ms: pct(times, 0.95),
      index_load_ms: loadMs,
    };
  } else log('No paper index in this bundle (run "cli bundle-extras"): section skipped.');

  const labels = man.labels.primary.map((l) => l.code);
  const known = new Set(labels);
  let inTop3 = 0, named = 0, folded = 0, foldedRight = 0, notEnglish = 0, provisional = 0;
  test.forEach((p, i) => {
    const pred = predictions[i];
    const o = explainOther(pred.primary, pred.crosslists, labels, man.labels.minPrimary);
    if (o) {
      inTop3++;
      if (o.archive) named++;
      if (!known.has(p.primary)) {
        folded++;
        if (o.archive?.code === archiveOf(p.primary)) foldedRight++;
      }
    }
    const t = checkText(p);
    if (t.language) notEnglish++;
    if (t.provisional) provisional++;
  });
  out.other = { test_n: test.length, other_in_top3: inTop3, archive_named: named, folded_cases: folded, archive_correct_when_true_primary_folded: folded ? foldedRight / folded : 0 };
  out.text = { test_n: test.length, flagged_not_english: notEnglish, flagged_rate: notEnglish / test.length, provisional };
  return out;
}

export function printInsights(r: InsightsBench, out: (s: string) => void): void {
  out('');
  out('Honest views (test split)');
  if (r.prediction_set) {
    const s = r.prediction_set;
    out(`  prediction set (target ${(100 * s.target).toFixed(0)}%, p >= ${s.threshold.toFixed(4)}, calibrated on ${s.calibration_n} validation papers)`);
    out(`    coverage ${(100 * s.coverage).toFixed(2)}%   mean size ${s.mean_size.toFixed(2)}   within 1.5 points: ${s.coverage_within_1_5_points ? 'yes' : 'NO'}   sizes ${JSON.stringify(s.size_histogram)}`);
  }
  if (r.neighbours) {
    const n = r.neighbours;
    out(`  papers like yours (${n.queries} test papers, ${n.index_papers} indexed, ${n.projection} ${n.dims}-d int8)`);
    out(`    majority primary of 5 nearest = true primary: ${(100 * n.majority_primary_acc).toFixed(1)}%   nearest paper's primary: ${(100 * n.top1_neighbour_primary_acc).toFixed(1)}%`);
    out(`    query p50 ${n.query_p50_ms.toFixed(1)} ms   p95 ${n.query_p95_ms.toFixed(1)} ms   index load ${n.index_load_ms.toFixed(0)} ms   target p50 < 20 ms: ${n.query_p50_ms < 20 ? 'yes' : 'NO'}`);
  }
  if (r.other) {
    const o = r.other;
    out(`  "other" in the top 3: ${o.other_in_top3} papers (archive named for ${o.archive_named}); true primary folded into other: ${o.folded_cases}, named archive right for ${(100 * o.archive_correct_when_true_primary_folded).toFixed(1)}% of those in the top 3`);
  }
  if (r.text) out(`  text checks: ${r.text.flagged_not_english} of ${r.text.test_n} English test abstracts flagged as not English (${(100 * r.text.flagged_rate).toFixed(2)}%); ${r.text.provisional} provisional`);
}
