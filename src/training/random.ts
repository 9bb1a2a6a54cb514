/**
 * Small seeded PRNG (mulberry32) so that shuffling, initialisation and sampling are reproducible
 * across runs and machines. Not cryptographic.
 */

/** Mixes an arbitrary (possibly non-integer or string) seed into a 32-bit state. */
export function seedFrom(seed: number | string): number {
  let h = 2166136261 >>> 0; // FNV-1a over the seed's text form: distinct seeds -> distinct streams
  const s = String(seed);
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

/** A bare mulberry32 stream from a 32-bit seed (no seed mixing), for generators that need only floats. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  private state: number;
  private spareNormal: number | null = null;

  constructor(seed: number | string = 0) {
    this.state = seedFrom(seed);
  }

  /** Uniform float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  randInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`randInt: n must be a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Gaussian sample (Box-Muller, caching the second value). */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** In-place Fisher-Yates shuffle; returns the same array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(arr: T): T {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.randInt(i + 1);
      const tmp = arr[i];
      arr[i] = arr[j];
      arr[j] = tmp;
    }
    return arr;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }
}

/** Convenience functions for one-off use: each call takes an Rng so the caller owns the stream. */
export function shuffle<T extends { length: number; [i: number]: unknown }>(arr: T, rng: Rng): T {
  return rng.shuffle(arr);
}
export function randInt(n: number, rng: Rng): number {
  return rng.randInt(n);
}
export function normal(rng: Rng, mean = 0, std = 1): number {
  return rng.normal(mean, std);
}
