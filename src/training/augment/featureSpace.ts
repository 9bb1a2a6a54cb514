/**
 * Augmentation in feature space, on embedding rows (Float32Array) of training examples:
 * - mixup (Zhang et al. 2018): convex combinations of two rows and of their label distributions;
 * - SMOTE (Chawla et al. 2002): new minority rows on the segment between a row and one of its k nearest
 *   neighbours of the same class.
 * Pure TypeScript, seeded. Use them on the training split only.
 */
import { Rng } from '../random';

export interface MixupOptions {
  /** Beta(alpha, alpha) concentration for the mixing weight (e.g. 0.2 or 0.4); must be > 0. */
  alpha: number;
  /** Number of mixed rows to create. */
  count: number;
  seed: number;
  /**
   * When given, the first row of each pair is drawn from rows whose label argmax is one of these class
   * indexes (e.g. minority classes); the partner is drawn from all rows.
   */
  classes?: readonly number[];
}

export interface MixupResult {
  features: Float32Array[];
  /** Mixed label distributions: lambda * y_i + (1 - lambda) * y_j (sums to 1 when inputs do). */
  labels: Float32Array[];
  /** For each new row: the two source indexes and lambda (the weight of the first). */
  pairs: Array<{ i: number; j: number; lambda: number }>;
}

/** Gamma(shape, 1) sample, Marsaglia & Tsang (with the shape < 1 boost). */
function sampleGamma(rng: Rng, shape: number): number {
  if (shape < 1) {
    const u = rng.next();
    return sampleGamma(rng, shape + 1) * Math.pow(u === 0 ? Number.MIN_VALUE : u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) sample as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  const s = x + y;
  return s > 0 ? x / s : 0.5;
}

function argmax(v: Float32Array): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

function checkRows(features: readonly Float32Array[], what: string): number {
  if (features.length === 0) throw new RangeError(`${what}: no feature rows`);
  const dim = features[0].length;
  for (let i = 0; i < features.length; i++) {
    if (features[i].length !== dim) throw new RangeError(`${what}: row ${i} has length ${features[i].length}, expected ${dim}`);
  }
  return dim;
}

export function mixup(features: readonly Float32Array[], labels: readonly Float32Array[], opts: MixupOptions): MixupResult {
  const dim = checkRows(features, 'mixup');
  if (labels.length !== features.length) throw new RangeError(`mixup: ${features.length} feature rows but ${labels.length} label rows`);
  if (!(opts.alpha > 0)) throw new RangeError(`mixup: alpha must be > 0, got ${opts.alpha}`);
  if (!Number.isInteger(opts.count) || opts.count < 0) throw new RangeError(`mixup: count must be a non-negative integer, got ${opts.count}`);
  const nClasses = labels[0].length;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y.length !== nClasses) throw new RangeError(`mixup: label row ${i} has length ${y.length}, expected ${nClasses}`);
    let s = 0;
    for (let c = 0; c < y.length; c++) {
      if (!(y[c] >= 0)) throw new RangeError(`mixup: label row ${i} has a negative or NaN entry`);
      s += y[c];
    }
    if (Math.abs(s - 1) > 1e-3) throw new RangeError(`mixup: label row ${i} sums to ${s}, expected a distribution summing to 1`);
  }
  let firsts: number[] = features.map((_, i) => i);
  if (opts.classes) {
    const wanted = new Set(opts.classes);
    firsts = firsts.filter((i) => wanted.has(argmax(labels[i])));
    if (firsts.length === 0 && opts.count > 0) throw new RangeError('mixup: no rows belong to the requested classes');
  }
  const rng = new Rng(`mixup|${opts.seed}`);
  const out: MixupResult = { features: [], labels: [], pairs: [] };
  for (let k = 0; k < opts.count; k++) {
    const i = firsts[rng.randInt(firsts.length)];
    const j = rng.randInt(features.length);
    const lambda = sampleBeta(rng, opts.alpha, opts.alpha);
    const x = new Float32Array(dim);
    const a = features[i];
    const b = features[j];
    for (let d = 0; d < dim; d++) x[d] = lambda * a[d] + (1 - lambda) * b[d];
    const y = new Float32Array(nClasses);
    for (let c = 0; c < nClasses; c++) y[c] = lambda * labels[i][c] + (1 - lambda) * labels[j][c];
    out.features.push(x);
    out.labels.push(y);
    out.pairs.push({ i, j, lambda });
  }
  return out;
}

export interface SmoteOptions {
  /** Bring each oversampled class up to this many rows (originals + synthetic). */
  targetPerClass?: number;
  /** Or: create round(ratio * count) synthetic rows per oversampled class (e.g. 1 doubles it). */
  ratio?: number;
  /** Neighbours per row (default 5; fewer when the class is smaller). */
  k?: number;
  seed: number;
  /** Class indexes to oversample (default: every class below targetPerClass, or all with ratio). */
  classes?: readonly number[];
}

export interface SmoteResult {
  /** Synthetic rows only (append them to the originals). */
  features: Float32Array[];
  labelIdx: number[];
  /** For each synthetic row: base row, neighbour row and the gap t (row = base + t * (neighbour - base)). */
  sources: Array<{ base: number; neighbour: number; gap: number }>;
  /** Classes asked for that had fewer than 2 rows, so nothing to interpolate. */
  skippedClasses: number[];
}

function sqDist(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let d = 0; d < a.length; d++) {
    const t = a[d] - b[d];
    s += t * t;
  }
  return s;
}

/**
 * SMOTE oversampling. Base rows of a class are visited round-robin in a seeded random order (so each
 * row is used about equally), a neighbour is drawn from its k nearest same-class rows (squared Euclidean
 * distance, ties by index) and t ~ U[0, 1). Neighbour search is O(n_c^2 * dim) per oversampled class:
 * fine for minority classes of a few thousand rows.
 */
export function smoteOversample(features: readonly Float32Array[], labelIdx: readonly number[], opts: SmoteOptions): SmoteResult {
  const dim = checkRows(features, 'smoteOversample');
  if (labelIdx.length !== features.length) {
    throw new RangeError(`smoteOversample: ${features.length} feature rows but ${labelIdx.length} labels`);
  }
  if ((opts.targetPerClass === undefined) === (opts.ratio === undefined)) {
    throw new RangeError('smoteOversample: give exactly one of targetPerClass and ratio');
  }
  if (opts.targetPerClass !== undefined && !(Number.isInteger(opts.targetPerClass) && opts.targetPerClass >= 0)) {
    throw new RangeError(`smoteOversample: targetPerClass must be a non-negative integer, got ${opts.targetPerClass}`);
  }
  if (opts.ratio !== undefined && !(opts.ratio >= 0 && Number.isFinite(opts.ratio))) {
    throw new RangeError(`smoteOversample: ratio must be a finite number >= 0, got ${opts.ratio}`);
  }
  const k = opts.k ?? 5;
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`smoteOversample: k must be a positive integer, got ${k}`);

  const byClass = new Map<number, number[]>();
  labelIdx.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0) throw new RangeError(`smoteOversample: label ${i} is not a class index: ${c}`);
    let l = byClass.get(c);
    if (!l) byClass.set(c, (l = []));
    l.push(i);
  });
  const classes = opts.classes ? [...opts.classes] : [...byClass.keys()].sort((a, b) => a - b);
  const rng = new Rng(`smote|${opts.seed}`);
  const out: SmoteResult = { features: [], labelIdx: [], sources: [], skippedClasses: [] };

  for (const c of classes) {
    const rows = byClass.get(c) ?? [];
    const need = opts.targetPerClass !== undefined ? Math.max(0, opts.targetPerClass - rows.length) : Math.round(opts.ratio! * rows.length);
    if (need === 0) continue;
    if (rows.length < 2) {
      out.skippedClasses.push(c);
      continue;
    }
    const kk = Math.min(k, rows.length - 1);
    const neighbours = new Map<number, number[]>();
    const nearest = (base: number): number[] => {
      let nb = neighbours.get(base);
      if (nb) return nb;
      const cand = rows.filter((r) => r !== base).map((r) => ({ r, d: sqDist(features[base], features[r]) }));
      cand.sort((a, b) => a.d - b.d || a.r - b.r);
      nb = cand.slice(0, kk).map((x) => x.r);
      neighbours.set(base, nb);
      return nb;
    };
    const order = [...rows];
    rng.shuffle(order);
    for (let n = 0; n < need; n++) {
      const base = order[n % order.length];
      const nb = nearest(base);
      const neighbour = nb[rng.randInt(nb.length)];
      const gap = rng.next();
      const x = new Float32Array(dim);
      const a = features[base];
      const b = features[neighbour];
      for (let d = 0; d < dim; d++) x[d] = a[d] + gap * (b[d] - a[d]);
      out.features.push(x);
      out.labelIdx.push(c);
      out.sources.push({ base, neighbour, gap });
    }
  }
  return out;
}
