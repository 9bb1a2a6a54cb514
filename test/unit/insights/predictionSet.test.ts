import { strict as assert } from 'node:assert';
import { evaluateSets, fitConformal, predictionSet, setIndices } from '../../../src/model/predictionSet';
import { Rng } from '../../../src/training/random';
import { setPhrase } from '../../../src/shared/insightText';

/** Synthetic classifier with known behaviour: softmax of random logits; the true label is drawn from it. */
function synthetic(n: number, classes: number, rng: Rng): { probs: Float32Array[]; truth: Int32Array } {
  const probs: Float32Array[] = [];
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const z = Float64Array.from({ length: classes }, () => 2.5 * rng.normal());
    const m = Math.max(...z);
    const e = z.map((x) => Math.exp(x - m));
    const s = e.reduce((a, b) => a + b, 0);
    const p = Float32Array.from(e, (x) => x / s);
    probs.push(p);
    let u = rng.next();
    let y = 0;
    while (y < classes - 1 && u >= p[y]) u -= p[y++];
    truth[i] = y;
  }
  return { probs, truth };
}

describe('prediction sets (split conformal)', function () {
  it('covers the true label at the target rate on fresh papers from the same distribution', function () {
    const rng = new Rng(11);
    const cal = synthetic(3000, 8, rng);
    const test = synthetic(20000, 8, rng);
    const c = fitConformal(cal.probs, cal.truth, 0.1);
    assert.equal(c.n, 3000);
    const r = evaluateSets(test.probs, test.truth, c.threshold);
    // Expected coverage is in [0.9, 0.9 + 1/(n+1)] up to sampling error (sd about 0.005 here).
    assert.ok(r.coverage >= 0.885 && r.coverage <= 0.92, `coverage ${r.coverage}`);
    assert.ok(r.meanSize > 1 && r.meanSize < 8, `mean size ${r.meanSize}`);
    // A stricter target needs bigger sets.
    const c95 = fitConformal(cal.probs, cal.truth, 0.05);
    assert.ok(c95.threshold < c.threshold);
    assert.ok(evaluateSets(test.probs, test.truth, c95.threshold).meanSize > r.meanSize);
  });

  it('uses the finite-sample quantile and never returns an empty set', function () {
    // scores 1 - p(true) = 0.1, 0.2, ..., 0.9 (n = 9): rank ceil(10 * 0.9) = 9 -> qhat = 0.9
    const probs = Array.from({ length: 9 }, (_, i) => Float32Array.from([1 - (i + 1) / 10, (i + 1) / 10]));
    const c = fitConformal(probs, new Int32Array(9), 0.1);
    assert.ok(Math.abs(c.threshold - 0.1) < 1e-6, String(c.threshold));
    // too few papers for the target: every category is in the set
    assert.equal(fitConformal(probs.slice(0, 3), new Int32Array(3), 0.1).threshold, 0);
    assert.deepEqual(setIndices([0.05, 0.03, 0.02], 0.5), [0]);
    assert.deepEqual(setIndices([0.2, 0.7, 0.1], 0.15), [0, 1]);
    assert.throws(() => fitConformal(probs, new Int32Array(9), 1), /alpha/);
    assert.throws(() => fitConformal(probs, new Int32Array(9).fill(-1), 0.1), /no calibration/);
  });

  it('reads as "cs.CL, or possibly cs.AI"', function () {
    const s = (category: string, p: number) => ({ category, name: category, p });
    const set = predictionSet([s('cs.CL', 0.6), s('cs.AI', 0.25), s('cs.LG', 0.1)], 0.2);
    assert.equal(setPhrase(set), 'cs.CL, or possibly cs.AI');
    assert.equal(setPhrase([s('a', 1), s('b', 1), s('c', 1)]), 'a, or possibly b or c');
    assert.equal(setPhrase(predictionSet([s('cs.CV', 0.1), s('cs.LG', 0.05)], 0.5)), 'cs.CV');
  });
});
