/** `train [--config FILE] [--data FILE] [--out DIR] [...]`: runs the training pipeline in this process. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { runPipeline, type PipelineOptions } from '../training/pipeline';
import { pipelineOptions } from '../training/defaults';
import type { AugmentTechnique, TrainEvent } from '../training/protocol';
import { parse, UsageError } from './args';

function fmtEta(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}

export async function trainCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values } = parse(argv, {
    config: { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string' },
    name: { type: 'string' },
    epochs: { type: 'string' },
    seed: { type: 'string' },
    labels: { type: 'string' },
    'max-papers': { type: 'string' },
    augment: { type: 'string' },
    'augment-ratio': { type: 'string' },
    'augment-classes': { type: 'string' },
    loss: { type: 'string' },
    gamma: { type: 'string' },
    members: { type: 'string' },
    'onnx-encoder': { type: 'string' },
    'base-model': { type: 'string' },
    'freeze-encoder': { type: 'boolean' },
    resume: { type: 'boolean' },
    'no-resume': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  let base: Partial<PipelineOptions> = {};
  if (values.config) {
    const cfgPath = resolve(values.config);
    try {
      base = JSON.parse(readFileSync(cfgPath, 'utf8')) as Partial<PipelineOptions>;
    } catch (e) {
      throw new UsageError(`Cannot read config ${values.config}: ${(e as Error).message}`);
    }
    const baseDir = dirname(cfgPath);
    // Paths in a config file are relative to the config file.
    if (base.dataPath) base.dataPath = resolve(baseDir, base.dataPath);
    if (base.outDir) base.outDir = resolve(baseDir, base.outDir);
  }
  const dataPath = values.data ? resolve(values.data) : base.dataPath;
  const outDir = values.out ? resolve(values.out) : base.outDir;
  if (!dataPath) throw new UsageError('train needs --data FILE (or a --config with dataPath)');
  if (!outDir) throw new UsageError('train needs --out DIR (or a --config with outDir)');
  const techniques = values.augment ? (values.augment.split(',').map((s) => s.trim()).filter(Boolean) as AugmentTechnique[]) : undefined;
  const opts = pipelineOptions(
    {
      dataPath,
      outDir,
      ...(values.name ? { name: values.name } : {}),
      ...(values.epochs ? { epochs: Number(values.epochs) } : {}),
      ...(values.seed ? { seed: Number(values.seed) } : {}),
      ...(values.labels ? { labels: values.labels.split(',').map((s) => s.trim()) } : {}),
      ...(values['max-papers'] ? { maxPapers: Number(values['max-papers']) } : {}),
      ...(techniques ? { augment: { techniques, ratio: values['augment-ratio'] ? Number(values['augment-ratio']) : undefined, targetClasses: values['augment-classes']?.split(',') } } : {}),
      ...(values.loss ? { loss: { kind: values.loss as 'ce' | 'focal' | 'dice', gamma: values.gamma ? Number(values.gamma) : 2, labelSmoothing: 0.1 } } : {}),
      ...(values.members ? { members: values.members.split(',') as PipelineOptions['members'] } : {}),
      ...(values['onnx-encoder'] ? { onnxEncoderDir: resolve(values['onnx-encoder']) } : {}),
      ...(values['base-model'] ? { baseModelDir: resolve(values['base-model']), freezeEncoder: values['freeze-encoder'] ?? false } : {}),
      resume: values['no-resume'] ? false : (values.resume ?? base.resume ?? true),
      command: 'npm run cli -- train ' + argv.join(' '),
    } as PipelineOptions,
    base,
  );
  let lastProgress = 0;
  const emit = (e: TrainEvent) => {
    if (values.json) {
      if (e.type !== 'progress' || Date.now() - lastProgress > 2000) {
        lastProgress = Date.now();
        err(JSON.stringify(e));
      }
      return;
    }
    if (e.type === 'progress') {
      if (Date.now() - lastProgress < 2000 && e.step !== e.steps) return;
      lastProgress = Date.now();
      err(`  [${e.phase}] epoch ${e.epoch}/${e.epochs} step ${e.step}/${e.steps}  loss ${e.loss.toFixed(4)}  ${e.examplesPerSec.toFixed(0)} ex/s  ETA ${fmtEta(e.etaSec)}`);
    } else if (e.type === 'epoch') {
      const m = e.metrics;
      err(`  epoch ${m.epoch}: train loss ${m.trainLoss.toFixed(4)} acc ${m.trainAccuracy.toFixed(4)} | val loss ${m.valLoss.toFixed(4)} acc ${m.valAccuracy.toFixed(4)} macro-F1 ${m.valMacroF1.toFixed(4)} | gap ${(m.trainAccuracy - m.valAccuracy).toFixed(4)}`);
    } else if (e.type === 'phase') err(`== ${e.message}`);
    else if (e.type === 'log') err(`${e.level === 'warn' ? 'warning: ' : ''}${e.message}`);
    else if (e.type === 'error') err(`error: ${e.message}`);
  };
  const ac = new AbortController();
  const onSig = () => {
    err('Interrupted: stopping after this step; the last epoch checkpoint is kept (re-run the same command to resume).');
    ac.abort();
  };
  process.once('SIGINT', onSig);
  const res = await runPipeline(opts, emit, ac.signal);
  process.removeListener('SIGINT', onSig);
  if (values.json) out(JSON.stringify({ modelDir: res.modelDir, metrics: res.manifest.metrics, chosen: res.report.chosen }));
  else {
    out(`Model written to ${res.modelDir} (${res.report.chosen}).`);
    for (const [k, v] of Object.entries(res.manifest.metrics)) out(`  ${k}: ${typeof v === 'number' ? Math.round(v * 1e4) / 1e4 : v}`);
  }
  return 0;
}
