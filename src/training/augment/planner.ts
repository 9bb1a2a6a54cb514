/**
 * Decides how many augmented copies of which training papers to make, and runs text augmenters on that
 * plan. Augmented copies must only ever come from, and go to, the TRAINING split: pass training papers
 * only, and pass the validation/test ids as `heldOutIds` so a leak throws HeldOutLeakError instead of
 * silently inflating validation scores.
 */
import type { LabeledPaper } from '../../model/types';
import { Rng } from '../random';
import { throwIfAborted, type AugmentOptions, type TextAugmenter } from './types';

export class HeldOutLeakError extends Error {
  constructor(readonly ids: string[]) {
    super(
      `Augmentation input contains ${ids.length} held-out (validation/test) paper(s), e.g. ${ids.slice(0, 5).join(', ')}. ` +
        'Augment the training split only.',
    );
    this.name = 'HeldOutLeakError';
  }
}

/** Id of the original paper: augmented ids are "<id>#<tag>". */
export function sourceId(id: string): string {
  const i = id.indexOf('#');
  return i < 0 ? id : id.slice(0, i);
}

/** Throws HeldOutLeakError if any paper (or the paper an augmented copy came from) is held out. */
export function assertNoHeldOut(papers: readonly LabeledPaper[], heldOutIds: ReadonlySet<string> | undefined): void {
  if (!heldOutIds || heldOutIds.size === 0) return;
  const leaks = papers.filter((p) => heldOutIds.has(p.id) || heldOutIds.has(sourceId(p.id))).map((p) => p.id);
  if (leaks.length) throw new HeldOutLeakError(leaks);
}

export interface PlanOptions {
  /** Classes (primary categories) to augment. Default: classes with fewer papers than the median class. */
  targetClasses?: string[];
  /** Bring each target class up to this many papers, originals included. Default: the median class size. */
  upTo?: number;
  /** Or: bring each target class to round(ratio * count) papers (e.g. 2 doubles it). Not with upTo. */
  ratio?: number;
  /** Maximum copies of one paper (default 4): beyond that more copies add little but overfitting. */
  maxCopiesPerPaper?: number;
  /** Validation/test ids: any of them in `train` throws HeldOutLeakError. */
  heldOutIds?: ReadonlySet<string>;
  /** Seed for which papers get the extra copy when copies do not divide evenly (default 0). */
  seed?: number;
}

export interface PlannedCopy {
  paperId: string;
  primary: string;
  /** 0 for a paper's first copy, 1 for its second, ... */
  copy: number;
}

export interface AugmentationPlan {
  copies: PlannedCopy[];
  targetClasses: string[];
  /** Papers per class before and after (originals + planned copies). */
  before: Record<string, number>;
  after: Record<string, number>;
  /** Per target class, copies that maxCopiesPerPaper prevented (0 when the target was reached). */
  shortfall: Record<string, number>;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Plans copies per class: copies are spread round-robin over the class's papers in a seeded order, so each
 * paper gets floor or ceil(needed / n) copies. Same input and options give the same plan.
 */
export function planAugmentation(train: readonly LabeledPaper[], opts: PlanOptions = {}): AugmentationPlan {
  assertNoHeldOut(train, opts.heldOutIds);
  if (opts.upTo !== undefined && opts.ratio !== undefined) throw new RangeError('planAugmentation: give upTo or ratio, not both');
  if (opts.upTo !== undefined && !(Number.isInteger(opts.upTo) && opts.upTo >= 0)) {
    throw new RangeError(`planAugmentation: upTo must be a non-negative integer, got ${opts.upTo}`);
  }
  if (opts.ratio !== undefined && !(opts.ratio >= 1 && Number.isFinite(opts.ratio))) {
    throw new RangeError(`planAugmentation: ratio must be a finite number >= 1, got ${opts.ratio}`);
  }
  const maxCopies = opts.maxCopiesPerPaper ?? 4;
  if (!(Number.isInteger(maxCopies) && maxCopies >= 0)) throw new RangeError(`planAugmentation: maxCopiesPerPaper must be an integer >= 0`);

  const byClass = new Map<string, LabeledPaper[]>();
  const seenIds = new Set<string>();
  for (const p of train) {
    if (seenIds.has(p.id)) throw new RangeError(`planAugmentation: duplicate paper id ${p.id}`);
    seenIds.add(p.id);
    let l = byClass.get(p.primary);
    if (!l) byClass.set(p.primary, (l = []));
    l.push(p);
  }
  const classes = [...byClass.keys()].sort();
  const before: Record<string, number> = {};
  for (const c of classes) before[c] = byClass.get(c)!.length;
  const med = classes.length ? median(classes.map((c) => before[c])) : 0;
  const targets = opts.targetClasses ? [...new Set(opts.targetClasses)].sort() : classes.filter((c) => before[c] < med);

  const copies: PlannedCopy[] = [];
  const after: Record<string, number> = { ...before };
  const shortfall: Record<string, number> = {};
  for (const c of targets) {
    const papers = byClass.get(c) ?? [];
    const n = papers.length;
    const goal = opts.ratio !== undefined ? Math.round(opts.ratio * n) : opts.upTo ?? Math.ceil(med);
    const wanted = Math.max(0, goal - n);
    const possible = n * maxCopies;
    const made = Math.min(wanted, possible);
    shortfall[c] = wanted - made;
    if (made === 0) continue;
    // Seeded order independent of the other classes, so adding a class does not reshuffle this one.
    const order = [...papers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    new Rng(`plan|${opts.seed ?? 0}|${c}`).shuffle(order);
    for (let k = 0; k < made; k++) {
      const p = order[k % n];
      copies.push({ paperId: p.id, primary: c, copy: Math.floor(k / n) });
    }
    after[c] = n + made;
  }
  return { copies, targetClasses: targets, before, after, shortfall };
}

export interface RunPlanOptions extends AugmentOptions {
  heldOutIds?: ReadonlySet<string>;
}

/**
 * Runs the plan: copy k of a paper goes to augmenters[k % n], except that back-translation (deterministic:
 * a second copy would be identical) is used at most once per paper; such a copy goes to the next augmenter.
 * Returns only the new papers, in plan order. Throws HeldOutLeakError on held-out ids.
 */
export async function runAugmentationPlan(
  plan: AugmentationPlan,
  train: readonly LabeledPaper[],
  augmenters: readonly TextAugmenter[],
  opts: RunPlanOptions,
): Promise<LabeledPaper[]> {
  if (augmenters.length === 0) throw new RangeError('runAugmentationPlan: no augmenters given');
  const byId = new Map(train.map((p) => [p.id, p]));
  const sources = plan.copies.map((c) => {
    const p = byId.get(c.paperId);
    if (!p) throw new RangeError(`runAugmentationPlan: planned paper ${c.paperId} is not in the training papers given`);
    return p;
  });
  assertNoHeldOut(sources, opts.heldOutIds);
  assertNoHeldOut(train, opts.heldOutIds);

  const assigned: number[] = [];
  const hadBt = new Set<string>();
  plan.copies.forEach((c) => {
    let a = -1;
    for (let t = 0; t < augmenters.length && a < 0; t++) {
      const cand = (c.copy + t) % augmenters.length;
      if (augmenters[cand].name !== 'backtranslation' || !hadBt.has(c.paperId)) a = cand;
    }
    if (a < 0) throw new RangeError(`runAugmentationPlan: only back-translation given, which makes one distinct copy per paper (${c.paperId})`);
    if (augmenters[a].name === 'backtranslation') hadBt.add(c.paperId);
    assigned.push(a);
  });

  const out: LabeledPaper[] = new Array(plan.copies.length);
  const total = plan.copies.length;
  let doneBefore = 0;
  for (let a = 0; a < augmenters.length; a++) {
    throwIfAborted(opts.signal);
    const idx = assigned.flatMap((x, i) => (x === a ? [i] : []));
    if (idx.length === 0) continue;
    const base = doneBefore;
    const res = await augmenters[a].augment(
      idx.map((i) => sources[i]),
      {
        seed: opts.seed,
        signal: opts.signal,
        onProgress: opts.onProgress ? (done) => opts.onProgress!(base + done, total) : undefined,
      },
    );
    idx.forEach((i, k) => (out[i] = res[k]));
    doneBefore += idx.length;
  }
  return out;
}
