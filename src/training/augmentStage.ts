/**
 * Text augmentation of the training split (back-translation, WordNet synonyms, EDA), targeted at chosen or
 * minority classes. Held-out ids are passed through so a leak throws instead of silently inflating scores.
 */
import {
  planAugmentation,
  runAugmentationPlan,
  BackTranslationAugmenter,
  SynonymAugmenter,
  EdaAugmenter,
  deriveDomainTerms,
  type TextAugmenter,
} from './augment';
import type { LabeledPaper } from '../model/types';
import type { TrainEvent, TrainRequest } from './protocol';

export async function augmentTrainingSet(
  train: LabeledPaper[],
  augment: NonNullable<TrainRequest['augment']>,
  ctx: { seed: number; heldOutIds: Set<string>; emit: (e: TrainEvent) => void; signal?: AbortSignal; cacheDir?: string },
): Promise<LabeledPaper[]> {
  const terms = deriveDomainTerms(train);
  const augmenters: TextAugmenter[] = [];
  let bt: BackTranslationAugmenter | undefined;
  for (const t of augment.techniques) {
    if (t === 'backtranslation') augmenters.push((bt = new BackTranslationAugmenter({ terms, cacheDir: ctx.cacheDir })));
    else if (t === 'synonyms') augmenters.push(new SynonymAugmenter({ terms }));
    else if (t === 'eda') augmenters.push(new EdaAugmenter({ terms }));
  }
  if (augmenters.length === 0) return train;
  const plan = planAugmentation(train, {
    targetClasses: augment.targetClasses,
    ratio: augment.ratio,
    heldOutIds: ctx.heldOutIds,
    seed: ctx.seed,
  });
  const before = Object.entries(plan.before).filter(([c]) => plan.targetClasses.includes(c));
  ctx.emit({
    type: 'log',
    level: 'info',
    message: `Augmenting ${plan.targetClasses.join(', ') || 'no class'}: ${plan.copies.length} new papers (${before.map(([c, n]) => `${c} ${n} -> ${plan.after[c]}`).join(', ')}).`,
  });
  const t0 = Date.now();
  let last = 0;
  try {
    const extra = await runAugmentationPlan(plan, train, augmenters, {
      seed: ctx.seed,
      heldOutIds: ctx.heldOutIds,
      signal: ctx.signal,
      onProgress: (done, total) => {
        if (Date.now() - last < 1000 && done !== total) return;
        last = Date.now();
        const s = (Date.now() - t0) / 1000;
        const rate = done / Math.max(1e-3, s);
        ctx.emit({ type: 'progress', phase: 'augment', epoch: 0, epochs: 0, step: done, steps: total, loss: 0, examplesPerSec: rate, etaSec: (total - done) / Math.max(1e-3, rate) });
      },
    });
    const secs = (Date.now() - t0) / 1000;
    ctx.emit({ type: 'log', level: 'info', message: `Augmentation: ${extra.length} papers in ${secs.toFixed(1)} s (${(extra.length / Math.max(1e-3, secs)).toFixed(1)} papers/s).` });
    return [...train, ...extra];
  } finally {
    await (bt as unknown as { close?: () => Promise<void> | void } | undefined)?.close?.();
  }
}
