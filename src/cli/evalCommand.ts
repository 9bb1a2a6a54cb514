/** `eval --data FILE [--labels a,b] [--model DIR] [--split test|all] [--json]` */
import { sha256File } from '../shared/hash';
import { readPapers } from '../training/data/readPapers';
import { splitOf } from '../training/data/split';
import { loadClassifier, defaultModelDir } from '../model/classifier';
import { primaryIndex, buildLabelSet } from '../training/labels';
import { evaluate, evaluateOnSubset, type EvaluationReport } from '../training/eval/metrics';
import { parse, UsageError } from './args';

export async function evalCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values } = parse(argv, {
    data: { type: 'string' },
    labels: { type: 'string' },
    model: { type: 'string' },
    split: { type: 'string' },
    json: { type: 'boolean' },
    limit: { type: 'string' },
  });
  if (!values.data) throw new UsageError('eval needs --data FILE (JSONL, JSONL.gz or CSV)');
  const model = await loadClassifier(values.model ?? defaultModelDir());
  const m = model.manifestData;
  // Scoring a model on its own training papers would flatter it: on its training file, default to its test split.
  const sameData = (await sha256File(values.data)) === m.training.dataSha256;
  const split = values.split ?? (sameData ? 'test' : 'all');
  if (!['test', 'validation', 'train', 'all'].includes(split)) throw new UsageError('--split must be test, validation, train or all');
  if (sameData && split !== 'test') err(`Warning: ${values.data} is this model's training file; split "${split}" includes papers it was trained or tuned on.`);
  const { papers: allPapers, report } = await readPapers(values.data);
  if (report.skipped) err(`Skipped ${report.skipped} bad rows: ${JSON.stringify(report.reasons)}`);
  let papers = split === 'all' ? allPapers : allPapers.filter((p) => splitOf(p.id) === split);
  const labels = model.info.labels;
  const subset = values.labels ? values.labels.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  if (subset) {
    const unknown = subset.filter((l) => !labels.includes(l));
    if (unknown.length) throw new UsageError(`The model has no label(s) ${unknown.join(', ')}; it knows ${labels.join(', ')}`);
    papers = papers.filter((p) => subset.includes(p.primary));
  }
  if (values.limit) papers = papers.slice(0, Number(values.limit));
  if (papers.length === 0) throw new UsageError('No papers to evaluate after filtering.');
  const ls = { primary: labels, multi: [], minPrimary: 0, minListed: 0 } as ReturnType<typeof buildLabelSet>;
  const truth = Int32Array.from(papers, (p) => primaryIndex(ls, p.primary));
  const probs: Float32Array[] = [];
  const t0 = Date.now();
  for (let i = 0; i < papers.length; i += 64) {
    const outs = await model.memberOutputs(papers.slice(i, i + 64));
    for (const o of outs) probs.push(model.combine(o).primary);
    if (!values.json && i % 1024 === 0) err(`  scored ${i}/${papers.length}`);
  }
  const keep = truth.map((t) => (t >= 0 ? 1 : 0));
  const kp = probs.filter((_, i) => keep[i]);
  const kt = truth.filter((t) => t >= 0);
  const rep: EvaluationReport = subset ? evaluateOnSubset(kp, kt, labels, subset) : evaluate(kp, kt, labels);
  const result = { model: m.name, data: values.data, split, labels: subset ?? labels, seconds: (Date.now() - t0) / 1000, ...rep };
  if (values.json) out(JSON.stringify(result));
  else {
    out(`Model ${m.name} on ${values.data} (split: ${split}${subset ? `, restricted to ${subset.join(', ')}` : ''}), n=${rep.n}`);
    out(`accuracy ${rep.accuracy.toFixed(4)}  macro-F1 ${rep.macro_f1.toFixed(4)}  top-3 ${rep.top3.toFixed(4)}  ECE ${rep.ece.toFixed(4)}`);
    out('');
    out(`${'label'.padEnd(20)} ${'prec'.padStart(6)} ${'recall'.padStart(6)} ${'f1'.padStart(6)} ${'support'.padStart(8)}`);
    for (const [l, c] of Object.entries(rep.per_class)) {
      if (c.support === 0 && subset === undefined) continue;
      out(`${l.padEnd(20)} ${c.precision.toFixed(3).padStart(6)} ${c.recall.toFixed(3).padStart(6)} ${c.f1.toFixed(3).padStart(6)} ${String(c.support).padStart(8)}`);
    }
  }
  model.dispose();
  return 0;
}
