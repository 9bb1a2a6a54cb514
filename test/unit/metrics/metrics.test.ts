import { strict as assert } from 'node:assert';
import {
  accuracy, confusionMatrix, evaluate, evaluateOnSubset, expectedCalibrationError, logLoss, macroF1,
  mapTruthToSubset, perClassPRF, restrictToLabels, topKAccuracy,
} from '../../../src/training/eval/metrics';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

/** one-hot-ish probability rows whose argmax is the given prediction */
const rowsFor = (preds: number[], k: number) =>
  preds.map((p) => Array.from({ length: k }, (_, j) => (j === p ? 0.6 : 0.4 / (k - 1))));

describe('metrics', () => {
  // truth 0,0,1,1,2,2 predicted 0,1,1,1,0,0: class 2 is never predicted
  const truth = [0, 0, 1, 1, 2, 2];
  const probs = rowsFor([0, 1, 1, 1, 0, 0], 3);

  it('confusion matrix has truth rows and predicted columns', () => {
    assert.deepEqual(confusionMatrix(probs, truth), [
      [1, 1, 0],
      [0, 2, 0],
      [2, 0, 0],
    ]);
  });

  it('accuracy, per-class PRF and macro-F1 match hand computation (class never predicted gets F1 0)', () => {
    close(accuracy(probs, truth), 0.5);
    const prf = perClassPRF(probs, truth);
    close(prf[0].precision, 1 / 3);
    close(prf[0].recall, 1 / 2);
    close(prf[0].f1, 0.4);
    close(prf[1].precision, 2 / 3);
    close(prf[1].recall, 1);
    close(prf[1].f1, 0.8);
    assert.deepEqual(prf[2], { precision: 0, recall: 0, f1: 0, support: 2 });
    assert.deepEqual(prf.map((p) => p.support), [2, 2, 2]);
    close(macroF1(probs, truth), (0.4 + 0.8 + 0) / 3);
  });

  it('macro-F1 ignores a class that neither occurs nor is predicted', () => {
    // 4 columns, class 3 absent everywhere: same value as with 3 classes
    const p4 = rowsFor([0, 1, 1, 1, 0, 0], 4);
    close(macroF1(p4, truth), 0.4);
  });

  it('top-k accuracy', () => {
    const p = [
      [0.5, 0.3, 0.2],
      [0.1, 0.7, 0.2],
    ];
    close(topKAccuracy(p, [2, 1], 1), 0.5);
    close(topKAccuracy(p, [2, 1], 2), 0.5);
    close(topKAccuracy(p, [2, 1], 3), 1);
  });

  it('ECE of a hand-computed example', () => {
    const p = [
      [0.9, 0.1], // conf 0.9, correct
      [0.9, 0.1], // conf 0.9, wrong
      [0.3, 0.7], // conf 0.7, correct
      [0.4, 0.6], // conf 0.6, correct
    ];
    const t = [0, 1, 1, 1];
    // 10 bins: (0.8,0.9]: acc 0.5 conf 0.9 -> 2/4*0.4; (0.6,0.7]: 1/4*0.3; (0.5,0.6]: 1/4*0.4
    close(expectedCalibrationError(p, t, 10), 0.2 + 0.075 + 0.1);
    // one bin: |accuracy - mean confidence| = |0.75 - 0.775|
    close(expectedCalibrationError(p, t, 1), 0.025);
    // a perfectly calibrated set: ECE 0
    close(expectedCalibrationError([[0.5, 0.5], [0.5, 0.5]], [0, 1], 15), 0);
  });

  it('log loss', () => {
    close(logLoss([[0.25, 0.75], [0.5, 0.5]], [1, 0]), -(Math.log(0.75) + Math.log(0.5)) / 2);
    assert.ok(Number.isFinite(logLoss([[1, 0]], [1])), 'zero probability is clipped, not infinite');
  });

  it('evaluate returns exactly the documented keys', () => {
    const r = evaluate(probs, truth, ['a', 'b', 'c']);
    assert.deepEqual(Object.keys(r).sort(), ['accuracy', 'confusion', 'ece', 'macro_f1', 'n', 'per_class', 'top3'].sort());
    assert.equal(r.n, 6);
    close(r.accuracy, 0.5);
    close(r.top3, 1);
    assert.deepEqual(Object.keys(r.per_class), ['a', 'b', 'c']);
    close(r.per_class.b.f1, 0.8);
  });

  it('restrictToLabels renormalises over the subset', () => {
    const r = restrictToLabels([[0.1, 0.2, 0.3, 0.4]], [1, 3]);
    close(r[0][0], 0.2 / 0.6, 1e-7);
    close(r[0][1], 0.4 / 0.6, 1e-7);
    const u = restrictToLabels([[1, 0, 0]], [1, 2]);
    assert.deepEqual(Array.from(u[0]), [0.5, 0.5]);
    assert.deepEqual(Array.from(mapTruthToSubset([0, 1, 3, 2], [1, 3])), [-1, 0, 1, -1]);
  });

  it('evaluateOnSubset drops other truths and can flip the prediction to the best subset label', () => {
    const labels = ['x', 'cs.AI', 'cs.LG'];
    const p = [
      [0.7, 0.2, 0.1], // truth cs.AI: argmax over subset is cs.AI -> correct
      [0.8, 0.05, 0.15], // truth cs.LG: correct within subset
      [0.9, 0.05, 0.05], // truth x: dropped
    ];
    const r = evaluateOnSubset(p, [1, 2, 0], labels, ['cs.AI', 'cs.LG']);
    assert.equal(r.n, 2);
    close(r.accuracy, 1);
    assert.throws(() => evaluateOnSubset(p, [1, 2, 0], labels, ['cs.CV']), /cs\.CV/);
  });

  it('rejects mismatched lengths', () => {
    assert.throws(() => accuracy([[1, 0]], [0, 1]), /1 prediction rows but 2/);
  });
});
