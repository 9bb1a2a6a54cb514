import * as assert from 'node:assert/strict';
import { normalizeReport } from '../../../src/webview/evaluationReport';

describe('evaluation report normalisation (report webview)', () => {
  const report = {
    n: 10,
    accuracy: 0.8,
    macro_f1: 0.75,
    ece: 0.03,
    labels: ['a', 'b'],
    per_class: { a: { precision: 0.9, recall: 0.8, f1: 0.85, support: 6 }, b: { precision: 0.6, recall: 0.75, f1: 0.67, support: 4 } },
    confusion: [[5, 1], [1, 3]],
    history: [{ epoch: 1, trainLoss: 1, valLoss: 1.2, trainAccuracy: 0.5, valAccuracy: 0.4 }, { epoch: 2, train_loss: 0.5, val_loss: 0.9 }],
  };

  it('reads summary, classes, confusion and history', () => {
    const r = normalizeReport(report);
    assert.deepEqual(r.summary.map((s) => s.key), ['accuracy', 'macro_f1', 'ece', 'n']);
    assert.deepEqual(r.classes.map((c) => c.label), ['a', 'b']);
    assert.deepEqual(r.confusionLabels, ['a', 'b']);
    assert.deepEqual(r.confusion, [[5, 1], [1, 3]]);
    assert.equal(r.history.length, 2);
    assert.equal(r.history[1].trainLoss, 0.5, 'snake_case keys are read too');
    assert.deepEqual(r.missing, []);
  });

  it('finds the evaluation under a "test" key', () => {
    const r = normalizeReport({ test: report, history: report.history });
    assert.equal(r.classes.length, 2);
    const bundle = normalizeReport({ labels: report.labels, history: report.history, test: { all: report, fourClass: {} } });
    assert.equal(bundle.classes.length, 2, 'the training pipeline layout { test: { all } }');
    assert.deepEqual(bundle.confusion, report.confusion);
  });

  it('lists what is missing instead of throwing on bad input', () => {
    assert.deepEqual(normalizeReport('nope').missing, ['the report is not a JSON object']);
    const r = normalizeReport({ per_class: { a: { precision: 'x' } }, confusion: [[1, 2], [3]] });
    assert.equal(r.classes.length, 0);
    assert.deepEqual(r.confusion, [], 'a ragged matrix is not drawn');
    assert.ok(r.missing.some((m) => m.includes('confusion')));
    assert.ok(r.missing.some((m) => m.includes('training curves')));
  });

  it('labels a matrix whose labels do not match', () => {
    const r = normalizeReport({ confusion: [[1, 0], [0, 1]], labels: ['only-one'] });
    assert.deepEqual(r.confusionLabels, ['#0', '#1']);
  });
});
