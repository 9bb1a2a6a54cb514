/**
 * Stage 1 of the training job: read the papers, subsample, split, fix the label set (or take the base
 * model's when fine-tuning) and fingerprint the data file.
 */
import { createHash } from 'node:crypto';
import { readPapers, type ReadReport } from '../data/readPapers';
import { splitPapers, DEFAULT_SPLIT, type SplitName } from '../data/split';
import { buildLabelSet, primaryIndex, type LabelSet } from '../labels';
import { readBundle, type LoadedBundle } from '../../model/bundle';
import type { CrossAttentionConfig } from '../../model/crossAttention/config';
import type { LabeledPaper } from '../../model/types';
import { sha256File } from '../../shared/hash';
import type { TrainEvent } from '../protocol';
import type { PipelineOptions } from '../pipeline';

export interface PreparedData {
  /** The options to train with: a fine-tuned model takes its base model's architecture. */
  options: PipelineOptions;
  /** Papers kept after the label filter and subsample (before the split). */
  paperCount: number;
  dataReport: ReadReport;
  split: Record<SplitName, LabeledPaper[]>;
  labels: LabelSet;
  /** The model being fine-tuned, if any. */
  base?: LoadedBundle;
  dataSha256: string;
}

export function selectPapers(papers: LabeledPaper[], o: Pick<PipelineOptions, 'labels' | 'maxPapers'>): LabeledPaper[] {
  let out = papers;
  if (o.labels && o.labels.length) {
    const keep = new Set(o.labels);
    out = out.filter((p) => keep.has(p.primary));
  }
  if (o.maxPapers && out.length > o.maxPapers) {
    // Deterministic subsample by id hash, independent of file order.
    const key = (id: string) => createHash('sha1').update('subsample:' + id).digest().readUInt32BE(0);
    out = [...out].sort((a, b) => key(a.id) - key(b.id)).slice(0, o.maxPapers);
  }
  return out;
}

/**
 * The label set for a run. A user's small dataset may have no category with minPrimary (100) papers: then the
 * thresholds drop to what the data supports (at least 5 papers) and the log says so, instead of failing.
 */
export function labelSetFor(
  train: LabeledPaper[],
  o: Pick<PipelineOptions, 'minPrimary' | 'minListed' | 'labels'>,
  emit: (e: TrainEvent) => void,
): LabelSet {
  let ls = buildLabelSet(train, o.minPrimary, o.minListed, o.labels);
  const real = ls.primary.filter((c) => c !== 'other');
  if (real.length < 2 && !o.labels?.length) {
    const minPrimary = Math.max(5, Math.floor(train.length / 50));
    ls = buildLabelSet(train, Math.min(o.minPrimary, minPrimary), Math.min(o.minListed, minPrimary), o.labels);
    emit({ type: 'log', level: 'warn', message: `Fewer than two categories have ${o.minPrimary} training papers; using categories with at least ${ls.minPrimary} papers instead (${ls.primary.length} labels).` });
  }
  if (ls.primary.filter((c) => c !== 'other').length < 2) {
    throw new Error(`The training data needs at least two categories with ${ls.minPrimary} or more papers each (found: ${real.join(', ') || 'none'}).`);
  }
  return ls;
}

/** The architecture fields of a cross-attention config that a fine-tuned model must share with its base. */
function pickModelShape(c: CrossAttentionConfig): PipelineOptions['model'] {
  return { hidden: c.hidden, heads: c.heads, titleLen: c.titleLen, abstractLen: c.abstractLen, poolDim: c.poolDim, mlp: c.mlp, dropout: c.dropout, embedDropout: c.embedDropout };
}

export async function prepareData(o: PipelineOptions, emit: (e: TrainEvent) => void): Promise<PreparedData> {
  emit({ type: 'phase', phase: 'data', message: `Reading ${o.dataPath}` });
  const { papers: all, report: dataReport } = await readPapers(o.dataPath);
  if (dataReport.skipped > 0) {
    emit({ type: 'log', level: 'warn', message: `Skipped ${dataReport.skipped} bad rows: ${Object.entries(dataReport.reasons).map(([r, n]) => `${n} ${r}`).join(', ')}` });
  }
  const papers = selectPapers(all, o);
  const split = splitPapers(papers, DEFAULT_SPLIT);
  if (split.train.length < 20 || split.validation.length < 5) throw new Error(`Too few papers to train (${split.train.length} train, ${split.validation.length} validation).`);
  // Fine-tuning keeps the base model's labels, vocabulary and architecture.
  const base = o.baseModelDir ? readBundle(o.baseModelDir) : undefined;
  const baseX = base?.manifest.crossAttention;
  if (base && (!baseX || baseX.config.encoder !== 'compact' || !base.manifest.tokenizer)) {
    throw new Error(`Fine-tuning needs a model with a compact cross-attention member; ${base.dir} has none.`);
  }
  const labels: LabelSet = base
    ? { primary: base.manifest.labels.primary.map((l) => l.code), multi: base.manifest.labels.multi.map((l) => l.code), minPrimary: base.manifest.labels.minPrimary, minListed: base.manifest.labels.minListed }
    : labelSetFor(split.train, o, emit);
  if (base) {
    // Papers whose primary the base model cannot predict (and no fallback label) cannot be used.
    for (const k of ['train', 'validation', 'test'] as const) split[k] = split[k].filter((p) => primaryIndex(labels, p.primary) >= 0);
    if (baseX) o = { ...o, model: { ...o.model, ...pickModelShape(baseX.config) } };
  }
  emit({ type: 'log', level: 'info', message: `${papers.length} papers (${split.train.length} train / ${split.validation.length} validation / ${split.test.length} test), ${labels.primary.length} primary labels, ${labels.multi.length} cross-list labels.` });
  const dataSha256 = await sha256File(o.dataPath);
  return { options: o, paperCount: papers.length, dataReport, split, labels, base, dataSha256 };
}
