/**
 * `npm run bench:explain`: is the evidence faithful, and is it fast enough to follow typing?
 *
 * Faithfulness (deletion test): on test-split papers, delete the k words with the most evidence for the
 * predicted category (every occurrence) and measure how much that category's probability drops; compare with
 * deleting k random words of the same paper and the k most frequent words of the paper. A faithful
 * explanation names the words the model actually relies on, so its deletions must hurt most.
 * Texts are compared after the model's own normalisation (LaTeX removed), which is also where words are
 * counted; the unmodified normalised paper is the reference.
 *
 * Speed: wall time of explainDraft (classification + n-gram contributions + integrated gradients) per draft,
 * in this process, one draft at a time; plus a sweep of integrated-gradients steps (time and completeness gap)
 * on the first papers. The machine's load average is recorded beside the times.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadClassifier, defaultModelDir } from '../model/classifier';
import { explainDraft, wordScores, DEFAULT_IG_STEPS } from '../model/explain/explain';
import { ngramWordSpans } from '../model/explain/words';
import { normalizeForModel } from '../model/text/normalize';
import { Rng } from '../training/random';
import { readPapers } from '../training/data/readPapers';
import { splitOf } from '../training/data/split';
import { parse } from '../cli/args';
import type { PaperText } from '../model/types';

const KS = [1, 3, 5, 10] as const;
const STRATEGIES = ['evidence', 'random', 'frequent'] as const;
type Strategy = (typeof STRATEGIES)[number];

function pct(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** The paper without every occurrence of the given words (n-gram word units of the normalised text). */
export function deleteWords(paper: PaperText, words: ReadonlySet<string>): PaperText {
  const del = (text: string) => {
    let out = '';
    let at = 0;
    for (const s of ngramWordSpans(text)) {
      if (!words.has(s.word)) continue;
      out += text.slice(at, s.start) + ' ';
      at = s.end;
    }
    return (out + text.slice(at)).replace(/\s+/g, ' ').trim();
  };
  return { title: del(paper.title), abstract: del(paper.abstract) };
}

/** Distinct words of a normalised paper with their counts, in first-occurrence order. */
function wordCounts(paper: PaperText): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of [paper.title, paper.abstract]) for (const s of ngramWordSpans(t)) m.set(s.word, (m.get(s.word) ?? 0) + 1);
  return m;
}

export async function explainBenchCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values } = parse(argv, {
    json: { type: 'boolean' },
    out: { type: 'string' },
    model: { type: 'string' },
    data: { type: 'string' },
    papers: { type: 'string' },
    steps: { type: 'string' },
    'sweep-papers': { type: 'string' },
  });
  const nPapers = Number(values.papers ?? 1000);
  const steps = Number(values.steps ?? DEFAULT_IG_STEPS);
  const nSweep = Number(values['sweep-papers'] ?? 100);
  const modelDir = resolve(values.model ?? defaultModelDir());
  const model = await loadClassifier(modelDir);
  const labels = model.manifestData.labels.primary.map((l) => l.code);
  const dataPath = resolve(values.data ?? join(__dirname, '..', '..', 'shared', 'data', 'arxiv_papers.jsonl.gz'));
  err(`Explanation benchmark of ${model.manifestData.name} on the test split of ${dataPath}`);
  const { papers } = await readPapers(dataPath);
  const test = papers
    .filter((p) => splitOf(p.id) === 'test')
    .map((p) => ({ id: p.id, title: normalizeForModel(p.title), abstract: normalizeForModel(p.abstract) }))
    .filter((p) => p.title && p.abstract)
    .slice(0, nPapers);
  const load0 = loadavg()[0];

  // 1. integrated-gradients steps: time and completeness gap
  const sweep: { steps: number; p50Ms: number; p50CpuMs: number; medianRelGap: number; p90RelGap: number; meanAbsGap: number }[] = [];
  for (const s of [1, 2, 4, 8, 16, 32]) {
    const times: number[] = [];
    const cpus: number[] = [];
    const rel: number[] = [];
    const abs: number[] = [];
    for (let i = 0; i < Math.min(nSweep, test.length); i++) {
      const cpu0 = process.cpuUsage();
      const e = await explainDraft(model, test[i], { steps: s, maxTerms: 0 });
      const cpu = process.cpuUsage(cpu0);
      if (i >= 5) {
        times.push(e.elapsedMs);
        cpus.push((cpu.user + cpu.system) / 1000);
      }
      rel.push(Math.abs(e.igGap) / Math.max(1e-6, Math.abs(e.igDelta)));
      abs.push(Math.abs(e.igGap));
    }
    const row = { steps: s, p50Ms: pct(times, 0.5), p50CpuMs: pct(cpus, 0.5), medianRelGap: pct(rel, 0.5), p90RelGap: pct(rel, 0.9), meanAbsGap: abs.reduce((a, b) => a + b, 0) / abs.length };
    sweep.push(row);
    err(`  IG steps ${s}: p50 ${row.p50Ms.toFixed(1)} ms (CPU ${row.p50CpuMs.toFixed(1)} ms), median |gap| ${(100 * row.medianRelGap).toFixed(1)}% of the attributed change, mean |gap| ${row.meanAbsGap.toFixed(3)} log-odds`);
  }

  // 2. deletion test
  const drops: Record<Strategy, Record<number, number[]>> = { evidence: {}, random: {}, frequent: {} };
  for (const s of STRATEGIES) for (const k of KS) drops[s][k] = [];
  const times: number[] = [];
  /** CPU time of this (single-threaded) process per explanation: what the wall time would be on an idle core */
  const cpuTimes: number[] = [];
  let wins = 0, comparisons = 0;
  for (let i = 0; i < test.length; i++) {
    const paper = test[i];
    const cpu0 = process.cpuUsage();
    const e = await explainDraft(model, paper, { steps, maxTerms: Infinity });
    const cpu = process.cpuUsage(cpu0);
    times.push(e.elapsedMs);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    const top = labels.indexOf(e.top);
    const counts = wordCounts(paper);
    const distinct = [...counts.keys()];
    const scores = wordScores(e);
    const byEvidence = [...distinct].sort((a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0));
    const byFreq = [...distinct].sort((a, b) => counts.get(b)! - counts.get(a)!); // stable: first occurrence breaks ties
    const rng = new Rng(`explain-bench:${paper.id}`);
    const shuffled = Array.from(rng.permutation(distinct.length), (j) => distinct[j]);
    const variants: PaperText[] = [paper];
    for (const k of KS) for (const list of [byEvidence, shuffled, byFreq]) variants.push(deleteWords(paper, new Set(list.slice(0, k))));
    const preds = await model.memberOutputs(variants);
    const p = preds.map((o) => model.combine(o).primary[top]);
    let v = 1;
    for (const k of KS) {
      const d = STRATEGIES.map((_, j) => p[0] - p[v + j]);
      STRATEGIES.forEach((s, j) => drops[s][k].push(d[j]));
      comparisons++;
      if (d[0] > d[1] && d[0] > d[2]) wins++;
      v += 3;
    }
    if ((i + 1) % 100 === 0) err(`  ${i + 1}/${test.length} papers, explain p50 so far ${pct(times, 0.5).toFixed(1)} ms`);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const table = KS.map((k) => ({ k, evidence: mean(drops.evidence[k]), random: mean(drops.random[k]), frequent: mean(drops.frequent[k]) }));
  const result = {
    model: model.manifestData.name,
    modelDir,
    data: dataPath,
    papers: test.length,
    igSteps: steps,
    deletion: table,
    evidenceBeatsBothShare: wins / comparisons,
    explainMs: { p50: pct(times, 0.5), p95: pct(times, 0.95), mean: mean(times) },
    explainCpuMs: { p50: pct(cpuTimes, 0.5), p95: pct(cpuTimes, 0.95), mean: mean(cpuTimes) },
    igStepSweep: { papers: Math.min(nSweep, test.length), rows: sweep },
    loadAverage: { start: load0, end: loadavg()[0], cores: 2 },
    date: new Date().toISOString(),
  };
  const outFile = resolve(values.out ?? 'bench-results/explain.json');
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
  if (values.json) {
    out(JSON.stringify(result));
  } else {
    out(`Deletion test on ${test.length} test papers: mean drop of the predicted category's probability`);
    out('');
    out('| k words deleted | top-k evidence | k random | k most frequent |');
    out('|---:|---:|---:|---:|');
    for (const r of table) out(`| ${r.k} | **${r.evidence.toFixed(4)}** | ${r.random.toFixed(4)} | ${r.frequent.toFixed(4)} |`);
    out('');
    out(`Evidence deletion hurt more than both baselines in ${(100 * result.evidenceBeatsBothShare).toFixed(1)}% of (paper, k) cases.`);
    out(`Explanation time per draft (IG ${steps} steps, classification included): p50 ${result.explainMs.p50.toFixed(1)} ms, p95 ${result.explainMs.p95.toFixed(1)} ms ` +
      `(load average ${load0.toFixed(1)} -> ${result.loadAverage.end.toFixed(1)} on 2 cores); CPU time p50 ${result.explainCpuMs.p50.toFixed(1)} ms, p95 ${result.explainCpuMs.p95.toFixed(1)} ms.`);
    out('');
    out(`IG steps on the first ${result.igStepSweep.papers} papers (gap = sum of attributions - (f(x) - f(baseline)), relative to f(x) - f(baseline)):`);
    out('');
    out('| IG steps | explain p50 (ms, wall) | p50 CPU (ms) | median gap | 90th pct gap | mean gap (log-odds) |');
    out('|---:|---:|---:|---:|---:|---:|');
    for (const r of sweep) out(`| ${r.steps} | ${r.p50Ms.toFixed(1)} | ${r.p50CpuMs.toFixed(1)} | ${(100 * r.medianRelGap).toFixed(1)}% | ${(100 * r.p90RelGap).toFixed(1)}% | ${r.meanAbsGap.toFixed(3)} |`);
    out(`\nWrote ${outFile}`);
  }
  model.dispose();
  return 0;
}
