import { strict as assert } from 'node:assert';
import { Rng } from '../../../src/training/random';
import { mixup, sampleBeta, smoteOversample } from '../../../src/training/augment/featureSpace';

function randomRows(n: number, dim: number, seed: number, offset = 0): Float32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: dim }, () => offset + rng.normal()));
}

function oneHot(c: number, n: number): Float32Array {
  const y = new Float32Array(n);
  y[c] = 1;
  return y;
}

describe('augment/featureSpace', () => {
  const dim = 16;
  const X = randomRows(40, dim, 1);
  const Y = X.map((_, i) => oneHot(i % 4, 4));

  it('mixup: labels are distributions (sum to 1), rows are the same convex combination', () => {
    const soft = Y.map((y, i) => (i % 5 === 0 ? Float32Array.from([0.25, 0.25, 0.5, 0]) : y));
    const r = mixup(X, soft, { alpha: 0.4, count: 200, seed: 3 });
    assert.equal(r.features.length, 200);
    r.labels.forEach((y, k) => {
      const s = y.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(s - 1) < 1e-5, `label sum ${s}`);
      const { i, j, lambda } = r.pairs[k];
      assert.ok(lambda >= 0 && lambda <= 1);
      for (let d = 0; d < dim; d++) assert.ok(Math.abs(r.features[k][d] - (lambda * X[i][d] + (1 - lambda) * X[j][d])) < 1e-5);
      for (let c = 0; c < 4; c++) assert.ok(Math.abs(y[c] - (lambda * soft[i][c] + (1 - lambda) * soft[j][c])) < 1e-6);
    });
  });

  it('mixup: deterministic per seed; classes restrict the first row', () => {
    const a = mixup(X, Y, { alpha: 0.2, count: 20, seed: 9, classes: [2] });
    const b = mixup(X, Y, { alpha: 0.2, count: 20, seed: 9, classes: [2] });
    assert.deepEqual(a, b);
    assert.ok(a.pairs.every((p) => p.i % 4 === 2));
    assert.notDeepEqual(mixup(X, Y, { alpha: 0.2, count: 20, seed: 10 }).pairs, a.pairs);
  });

  it('mixup: rejects labels that are not distributions and mismatched shapes', () => {
    assert.throws(() => mixup(X, X.map(() => Float32Array.from([1, 1, 0, 0])), { alpha: 1, count: 1, seed: 1 }), /sums to 2/);
    assert.throws(() => mixup(X, Y.slice(1), { alpha: 1, count: 1, seed: 1 }), /label rows/);
    assert.throws(() => mixup(X, Y, { alpha: 0, count: 1, seed: 1 }), /alpha/);
  });

  it('Beta sampler has the right mean and spread', () => {
    const rng = new Rng(4);
    for (const [a, b] of [[0.2, 0.2], [2, 5]]) {
      const xs = Array.from({ length: 20000 }, () => sampleBeta(rng, a, b));
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
      const m0 = a / (a + b);
      const v0 = (a * b) / ((a + b) ** 2 * (a + b + 1));
      assert.ok(Math.abs(mean - m0) < 0.01, `mean ${mean} vs ${m0}`);
      assert.ok(Math.abs(v - v0) < 0.01, `var ${v} vs ${v0}`);
    }
  });

  it('SMOTE: new rows lie on segments between a row and one of its k nearest same-class neighbours', () => {
    // class 0: 30 rows around 0; class 1: 6 rows around 10 (minority)
    const feats = [...randomRows(30, dim, 2), ...randomRows(6, dim, 3, 10)];
    const labels = [...Array(30).fill(0), ...Array(6).fill(1)];
    const r = smoteOversample(feats, labels, { targetPerClass: 30, k: 3, seed: 5 });
    assert.equal(r.features.length, 24);
    assert.ok(r.labelIdx.every((c) => c === 1));
    r.features.forEach((x, n) => {
      const { base, neighbour, gap } = r.sources[n];
      assert.equal(labels[base], 1);
      assert.equal(labels[neighbour], 1);
      assert.notEqual(base, neighbour);
      // neighbour is among the 3 nearest same-class rows of base
      const d = (i: number) => feats[i].reduce((s, v, k) => s + (v - feats[base][k]) ** 2, 0);
      const nearest = labels.map((c, i) => i).filter((i) => labels[i] === 1 && i !== base).sort((a, b) => d(a) - d(b)).slice(0, 3);
      assert.ok(nearest.includes(neighbour));
      // x = a + t (b - a) with one t in [0, 1) for every coordinate
      assert.ok(gap >= 0 && gap < 1);
      for (let k = 0; k < dim; k++) {
        const expect = feats[base][k] + gap * (feats[neighbour][k] - feats[base][k]);
        assert.ok(Math.abs(x[k] - expect) < 1e-4);
      }
    });
    // every minority row is used as a base 4 times (round-robin)
    const uses = new Map<number, number>();
    for (const s of r.sources) uses.set(s.base, (uses.get(s.base) ?? 0) + 1);
    assert.deepEqual([...uses.values()], Array(6).fill(4));
  });

  it('SMOTE: ratio, determinism, classes with one row are reported', () => {
    const feats = randomRows(11, 4, 6);
    const labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2];
    const a = smoteOversample(feats, labels, { ratio: 1, seed: 1 });
    assert.deepEqual(a, smoteOversample(feats, labels, { ratio: 1, seed: 1 }));
    assert.equal(a.labelIdx.filter((c) => c === 0).length, 5);
    assert.equal(a.labelIdx.filter((c) => c === 1).length, 5);
    assert.deepEqual(a.skippedClasses, [2]);
    assert.throws(() => smoteOversample(feats, labels, { seed: 1 }), /exactly one of targetPerClass and ratio/);
  });
});
