/**
 * `npm run bench:augment`: what each augmentation technique buys, measured the way the original research set
 * it up: 12,000 training papers (3,000 each of cs.AI/cs.CL/cs.CV/cs.LG from our train split), cs.AI augmented
 * up to 1.5x, one fixed test split (every 4-class paper of our test split), several seeds per setting.
 * Reports mean and standard deviation of 4-class macro-F1 and cs.AI recall for: no augmentation, each
 * technique alone, the best combination (techniques that helped on validation), and focal loss vs
 * cross-entropy. Also times one Train Model run with back-translation on a warm cache.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { readPapers } from '../training/data/readPapers';
import { splitOf } from '../training/data/split';
import { runPipeline, type PipelineOptions } from '../training/pipeline';
import { pipelineOptions } from '../training/defaults';
import { parse } from '../cli/args';
import type { AugmentTechnique } from '../training/protocol';
import type { LabeledPaper } from '../model/types';

const CLASSES = ['cs.AI', 'cs.CL', 'cs.CV', 'cs.LG'];

/**
 * The cross-attention model at a size that lets 8 settings x 3 seeds run in well under an hour on 2 cores
 * (--full-model uses the shipped model's size instead). Same architecture, smaller widths and lengths.
 */
const BENCH_MODEL = { hidden: 32, heads: 8, titleLen: 16, abstractLen: 64, poolDim: 32, mlp: [256, 128], dropout: 0.35, embedDropout: 0.1 };

interface Setting {
  name: string;
  techniques: AugmentTechnique[];
  loss?: 'ce' | 'focal';
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
function std(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
}

const key = (id: string) => createHash('sha1').update('augbench:' + id).digest().readUInt32BE(0);

export async function augmentBenchCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values } = parse(argv, {
    data: { type: 'string' },
    seeds: { type: 'string' },
    'per-class': { type: 'string' },
    members: { type: 'string' },
    out: { type: 'string' },
    settings: { type: 'string' },
    epochs: { type: 'string' },
    'full-model': { type: 'boolean' },
    merge: { type: 'boolean' },
  });
  const outFile = resolve(values.out ?? 'bench-results/augment.json');
  const dataPath = resolve(values.data ?? join(__dirname, '..', '..', 'shared', 'data', 'arxiv_papers.jsonl.gz'));
  const seeds = (values.seeds ?? '1,2,3').split(',').map(Number);
  const perClass = Number(values['per-class'] ?? 3000);
  const members = (values.members ?? 'cross-attention') as string;
  const { papers } = await readPapers(dataPath);
  // Training pool: 3,000 per class from our train split; validation: 500 per class; test: the whole 4-class test split.
  const pick = (split: string, n: number) =>
    CLASSES.flatMap((c) => papers.filter((p) => p.primary === c && splitOf(p.id) === split).sort((a, b) => key(a.id) - key(b.id)).slice(0, n));
  const train = pick('train', perClass);
  const validation = pick('validation', 500);
  const test = CLASSES.flatMap((c) => papers.filter((p) => p.primary === c && splitOf(p.id) === 'test'));
  const work = mkdtempSync(join(tmpdir(), 'augbench-'));
  // The pipeline splits by id hash, so write one file whose ids keep their original split.
  const dataFile = join(work, 'augbench.jsonl');
  writeFileSync(dataFile, [...train, ...validation, ...test].map((p: LabeledPaper) => JSON.stringify(p)).join('\n') + '\n');
  err(`augment bench: ${train.length} train / ${validation.length} validation / ${test.length} test papers; seeds ${seeds.join(',')}; members ${members}`);

  const singles: Setting[] = [
    { name: 'none', techniques: [] },
    { name: 'back-translation', techniques: ['backtranslation'] },
    { name: 'WordNet synonyms', techniques: ['synonyms'] },
    { name: 'EDA', techniques: ['eda'] },
    { name: 'mixup', techniques: ['mixup'] },
    { name: 'SMOTE (embedding space)', techniques: ['smote'] },
  ];
  const wanted = values.settings?.split(',');
  type Result = { f1: number[]; aiRecall: number[]; valF1: number[]; seconds: number[] };
  // --merge: continue a results file (settings can run in separate processes, one per core).
  let results: Record<string, Result> = {};
  if (values.merge && existsSync(outFile)) results = (JSON.parse(readFileSync(outFile, 'utf8')) as { perSetting: Record<string, Result> }).perSetting;
  const save = () => {
    mkdirSync(dirname(outFile), { recursive: true });
    const fresh = values.merge && existsSync(outFile) ? (JSON.parse(readFileSync(outFile, 'utf8')) as { perSetting: Record<string, Result> }).perSetting : {};
    writeFileSync(outFile, JSON.stringify({ train: train.length, test: test.length, seeds, members, model: values['full-model'] ? 'shipped size' : BENCH_MODEL, perSetting: { ...fresh, ...results } }, null, 2) + '\n');
  };
  const runSetting = async (s: Setting) => {
    results[s.name] = { f1: [], aiRecall: [], valF1: [], seconds: [] };
    for (const seed of seeds) {
      const outDir = join(work, `${s.name.replace(/\W+/g, '_')}-${seed}`);
      const t0 = Date.now();
      const opts: PipelineOptions = pipelineOptions({
        dataPath: dataFile,
        outDir,
        name: `augbench-${s.name}-${seed}`,
        seed,
        labels: CLASSES,
        epochs: Number(values.epochs ?? 3),
        vocabSize: 8000,
        ...(values['full-model'] ? {} : { model: BENCH_MODEL }),
        members: members.split(',') as PipelineOptions['members'],
        resume: false,
        augment: s.techniques.length ? { techniques: s.techniques, targetClasses: ['cs.AI'], ratio: 1.5 } : undefined,
        loss: { kind: s.loss ?? 'ce', gamma: 2, labelSmoothing: 0.1, classWeights: 'auto' },
      } as PipelineOptions);
      const res = await runPipeline(opts, (e) => {
        if (e.type === 'log' && /Augment/.test(e.message)) err('   ' + e.message);
      });
      const four = res.report.test.fourClass!;
      const chosen = res.report.members[res.report.chosen];
      results[s.name].f1.push(four.macro_f1);
      results[s.name].aiRecall.push(four.per_class['cs.AI'].recall);
      results[s.name].valF1.push(chosen.validation.macro_f1);
      results[s.name].seconds.push((Date.now() - t0) / 1000);
      err(`  ${s.name} seed ${seed}: macro-F1 ${four.macro_f1.toFixed(4)}, cs.AI recall ${four.per_class['cs.AI'].recall.toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      rmSync(outDir, { recursive: true, force: true });
      rmSync(outDir + '.ckpt', { recursive: true, force: true });
    }
    save();
  };
  for (const s of singles) if (!wanted || wanted.includes(s.name)) await runSetting(s);
  // Best combination: the techniques whose mean *validation* macro-F1 beat no augmentation.
  if (results.none && (!wanted || wanted.includes('combination'))) {
    const base = mean(results.none.valF1);
    const helpful = singles.filter((s) => s.techniques.length && results[s.name] && mean(results[s.name].valF1) > base).flatMap((s) => s.techniques);
    if (helpful.length > 1) await runSetting({ name: `combination (${helpful.join('+')})`, techniques: helpful });
    else err(`  combination: ${helpful.length === 0 ? 'no technique beat "none" on validation' : 'only one technique helped on validation'}; nothing to combine`);
  }
  if (!wanted || wanted.includes('focal')) await runSetting({ name: 'focal loss (gamma 2), no augmentation', techniques: [], loss: 'focal' });

  if (values.merge && existsSync(outFile)) results = { ...(JSON.parse(readFileSync(outFile, 'utf8')) as { perSetting: Record<string, Result> }).perSetting, ...results };
  const table: Record<string, Record<string, number>> = {};
  out('');
  out(`| setting | macro-F1 (mean ± sd) | cs.AI recall (mean ± sd) | Δ macro-F1 vs none | Δ cs.AI recall vs none | s/run |`);
  out(`|---|---:|---:|---:|---:|---:|`);
  for (const [name, r] of Object.entries(results)) {
    table[name] = { f1_mean: mean(r.f1), f1_std: std(r.f1), ai_recall_mean: mean(r.aiRecall), ai_recall_std: std(r.aiRecall), seconds_mean: mean(r.seconds) };
    const d = results.none ? [mean(r.f1) - mean(results.none.f1), mean(r.aiRecall) - mean(results.none.aiRecall)] : [NaN, NaN];
    out(`| ${name} | ${mean(r.f1).toFixed(4)} ± ${std(r.f1).toFixed(4)} | ${mean(r.aiRecall).toFixed(4)} ± ${std(r.aiRecall).toFixed(4)} | ${(d[0] * 100).toFixed(2)} pts | ${(d[1] * 100).toFixed(2)} pts | ${mean(r.seconds).toFixed(0)} |`);
  }
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify({ train: train.length, test: test.length, seeds, members, model: values['full-model'] ? 'shipped size' : BENCH_MODEL, perSetting: results, summary: table }, null, 2) + '\n');
  out(`\nJSON written to ${outFile}`);
  rmSync(work, { recursive: true, force: true });
  return 0;
}
