import { strict as assert } from 'node:assert';
import { Rng, normal, randInt, shuffle } from '../../../src/training/random';

describe('Rng (seeded mulberry32)', () => {
  it('same seed, same stream; different seeds, different streams', () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const sa = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(Array.from({ length: 5 }, () => b.next()), sa);
    assert.notDeepEqual(Array.from({ length: 5 }, () => c.next()), sa);
    assert.ok(sa.every((x) => x >= 0 && x < 1));
  });

  it('randInt stays in range and hits every value', () => {
    const r = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const v = randInt(7, r);
      assert.ok(Number.isInteger(v) && v >= 0 && v < 7);
      seen.add(v);
    }
    assert.equal(seen.size, 7);
    assert.throws(() => r.randInt(0), /positive integer/);
  });

  it('normal has the requested mean and standard deviation', () => {
    const r = new Rng(2);
    const xs = Array.from({ length: 20000 }, () => normal(r, 3, 2));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    assert.ok(Math.abs(mean - 3) < 0.05, `mean ${mean}`);
    assert.ok(Math.abs(sd - 2) < 0.05, `sd ${sd}`);
  });

  it('shuffle is a deterministic permutation', () => {
    const a = shuffle([...Array(50).keys()], new Rng(9));
    const b = shuffle([...Array(50).keys()], new Rng(9));
    assert.deepEqual(a, b);
    assert.deepEqual([...a].sort((x, y) => x - y), [...Array(50).keys()]);
    assert.notDeepEqual(a, [...Array(50).keys()]);
    assert.deepEqual(Array.from(new Rng(5).permutation(4)).sort(), [0, 1, 2, 3]);
  });
});
