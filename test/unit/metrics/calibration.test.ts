import { strict as assert } from 'node:assert';
import { sigmoid, softmaxWithTemperature } from '../../../src/model/calibration';
import { fitPlatt, fitTemperature, fitBinaryTemperature, temperatureNll } from '../../../src/training/calibrationFit';
import { Rng } from '../../../src/training/random';

/** Samples labels from softmax(trueLogits) and returns logits distorted by a known temperature. */
function synthetic(T: number, n: number, C: number, seed: number) {
  const rng = new Rng(seed);
  const logits: Float32Array[] = [];
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = new Float32Array(C);
    for (let c = 0; c < C; c++) z[c] = rng.normal(0, 2);
    const p = softmaxWithTemperature(z, 1);
    let u = rng.next(), y = 0;
    while (y < C - 1 && u >= p[y]) u -= p[y++];
    truth.push(y);
    // a model whose logits are the true ones multiplied by T needs temperature T to be calibrated
    logits.push(z.map((v) => v * T));
  }
  return { logits, truth };
}

describe('calibration', () => {
  it('softmaxWithTemperature sums to 1 and flattens with larger T', () => {
    const p1 = softmaxWithTemperature([1, 2, 3], 1);
    const p5 = softmaxWithTemperature([1, 2, 3], 5);
    assert.ok(Math.abs(p1.reduce((a, b) => a + b, 0) - 1) < 1e-6);
    assert.ok(p5[2] < p1[2] && p5[0] > p1[0]);
    assert.ok(Number.isFinite(softmaxWithTemperature([1000, -1000], 0.05)[0]), 'stable for huge logits');
    assert.throws(() => softmaxWithTemperature([1], 0));
  });

  for (const T of [2.5, 0.5]) {
    it(`fitTemperature recovers a known temperature (${T})`, () => {
      const { logits, truth } = synthetic(T, 20000, 5, 11);
      const fitted = fitTemperature(logits, truth);
      assert.ok(Math.abs(fitted / T - 1) < 0.06, `fitted ${fitted}, true ${T}`);
      // and it is at least as good as T = 1 on the data it was fitted on
      assert.ok(temperatureNll(logits, truth, fitted) <= temperatureNll(logits, truth, 1));
    });
  }

  it('fitTemperature stays in [0.05, 20] on degenerate data', () => {
    const T = fitTemperature([new Float32Array([10, 0]), new Float32Array([10, 0])], [0, 0]);
    assert.ok(T >= 0.05 && T <= 20);
    assert.throws(() => fitTemperature([], []), /no validation examples/);
  });

  it('fitPlatt and fitBinaryTemperature recover known sigmoid distortions', () => {
    const rng = new Rng(5);
    const logits: number[][] = [];
    const targets: number[][] = [];
    for (let i = 0; i < 4000; i++) {
      const z = [rng.normal(0, 3), rng.normal(0, 3), rng.normal(0, 3)];
      logits.push(z);
      targets.push(z.map((v) => (rng.next() < sigmoid(0.5 * v - 1) ? 1 : 0)));
    }
    const { a, b } = fitPlatt(logits, targets);
    assert.ok(Math.abs(a - 0.5) < 0.06 && Math.abs(b + 1) < 0.12, `a=${a} b=${b}`);
    const t2: number[][] = logits.map((z) => z.map((v) => (rng.next() < sigmoid(v / 3) ? 1 : 0)));
    const T = fitBinaryTemperature(logits, t2);
    assert.ok(Math.abs(T / 3 - 1) < 0.1, `T=${T}`);
  });
});
