import { strict as assert } from 'node:assert';
import { logSoftmax } from '../../../src/model/calibration';
import { Rng } from '../../../src/training/random';
import { Stacker, type StackerMode } from '../../../src/model/stacking';
import { crossValidatedStacker, fitStacker } from '../../../src/training/stackerFit';

/**
 * Two complementary base models over 3 classes: A separates class 0 from the rest but cannot tell 1 from 2;
 * B separates 1 from 2 but has no signal for class 0.
 */
function complementary(n: number, seed: number) {
  const rng = new Rng(seed);
  const truth: number[] = [];
  const A: Float32Array[] = [];
  const B: Float32Array[] = [];
  for (let i = 0; i < n; i++) {
    const y = rng.randInt(3);
    truth.push(y);
    A.push(logSoftmax([3 * +(y === 0) + rng.normal(), rng.normal(), rng.normal()]));
    B.push(logSoftmax([rng.normal(), 2.5 * +(y === 1) + rng.normal(), 2.5 * +(y === 2) + rng.normal()]));
  }
  return { base: [A, B], truth };
}

const accuracyOf = (logits: ArrayLike<number>[], truth: number[]) =>
  truth.filter((y, i) => {
    const z = logits[i];
    let b = 0;
    for (let c = 1; c < z.length; c++) if (z[c] > z[b]) b = c;
    return b === y;
  }).length / truth.length;

describe('stacking', function () {
  this.timeout(120000);
  const { base, truth } = complementary(2000, 1);

  for (const mode of ['scalar', 'classwise', 'full'] as StackerMode[]) {
    it(`${mode}: k-fold held-out score beats or matches the best base model`, () => {
      const cv = crossValidatedStacker(base, truth, { mode, folds: 5, iterations: 150 });
      const bestAcc = Math.max(...cv.baseScores.map((s) => s.accuracy));
      const bestNll = Math.min(...cv.baseScores.map((s) => s.nll));
      assert.ok(cv.heldOut.accuracy >= bestAcc + 0.05, `stacker ${cv.heldOut.accuracy} vs best base ${bestAcc}`);
      assert.ok(cv.heldOut.nll < bestNll, `stacker NLL ${cv.heldOut.nll} vs best base ${bestNll}`);
      assert.equal(cv.outOfFoldLogits.length, truth.length);
      // the final stacker also generalises to fresh data from the same process
      const fresh = complementary(2000, 99);
      const logits = fresh.truth.map((_, i) => cv.stacker.predictLogits([fresh.base[0][i], fresh.base[1][i]]));
      const freshBest = Math.max(accuracyOf(fresh.base[0], fresh.truth), accuracyOf(fresh.base[1], fresh.truth));
      assert.ok(accuracyOf(logits, fresh.truth) >= freshBest + 0.05);
    });
  }

  it('classwise/full learn more than the plain average where models are complementary', () => {
    const cv = crossValidatedStacker(base, truth, { mode: 'classwise', folds: 5, iterations: 150 });
    assert.ok(cv.heldOut.nll <= cv.averageScore.nll + 1e-3, `${cv.heldOut.nll} vs average ${cv.averageScore.nll}`);
  });

  it('is deterministic and round-trips through JSON', () => {
    const s1 = fitStacker(base, truth, { mode: 'full', iterations: 50 });
    const s2 = fitStacker(base, truth, { mode: 'full', iterations: 50 });
    assert.deepEqual(Array.from(s1.weights), Array.from(s2.weights));
    const back = Stacker.fromJSON(JSON.parse(JSON.stringify(s1.toJSON())));
    const x = [base[0][0], base[1][0]];
    assert.deepEqual(Array.from(back.predictLogits(x)), Array.from(s1.predictLogits(x)));
  });

  it('strong regularisation gives the averaging ensemble; -Infinity log-probabilities are clipped', () => {
    const s = fitStacker(base, truth, { mode: 'classwise', l2: 1e6, iterations: 100 });
    const avg = Stacker.average(2, 3, 'classwise');
    const x = [base[0][5], base[1][5]];
    const a = s.predictLogits(x), b = avg.predictLogits(x);
    // biases are not regularised, so compare the logit differences
    for (let c = 1; c < 3; c++) assert.ok(Math.abs(a[c] - a[0] - (b[c] - b[0])) < 0.2);
    const z = s.predictLogits([Float32Array.of(0, -Infinity, -Infinity), Float32Array.of(-1, -1, -1.2)]);
    assert.ok(Array.from(z).every(Number.isFinite));
  });

  it('rejects bad input and corrupt JSON clearly', () => {
    assert.throws(() => fitStacker([], []), /no base models/);
    assert.throws(() => fitStacker(base, truth.slice(1)), /rows, truth has/);
    assert.throws(() => Stacker.fromJSON({ format: 'x' }), /Corrupt or incompatible stacker/);
    const j = fitStacker(base, truth, { iterations: 5 }).toJSON();
    assert.throws(() => Stacker.fromJSON({ ...j, weights: j.weights.slice(1) }), /parameter count/);
    assert.throws(() => fitStacker(base, truth, { iterations: 1 }).predictLogits([base[0][0]]), /expected 2 models/);
  });
});
