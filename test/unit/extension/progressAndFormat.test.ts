import { isDraftPath } from '../../../src/shared/draftFiles';
import * as assert from 'node:assert/strict';
import { CrashCounter } from '../../../src/extension/crashCounter';
import { formatDuration, formatMetric, formatPercent, headlineMetrics } from '../../../src/extension/format';
import { describeTrainEvent, trainPercent } from '../../../src/extension/trainProgress';

describe('extension formatting and training progress', () => {
  it('formats percentages and durations', () => {
    assert.equal(formatPercent(0.8712), '87%');
    assert.equal(formatPercent(0.004), '0.4%');
    assert.equal(formatPercent(0), '<0.1%');
    assert.equal(formatPercent(1), '>99.9%');
    assert.equal(formatPercent(0.0002), '<0.1%');
    assert.equal(formatPercent(0.9993), '99.9%');
    assert.equal(formatPercent(0.99999), '>99.9%');
    assert.equal(formatPercent(NaN), '–');
    assert.equal(formatDuration(12.4), '12s');
    assert.equal(formatDuration(185), '3m 05s');
    assert.equal(formatDuration(3725), '1h 02m');
    assert.equal(formatDuration(-1), '?');
  });

  it('shows headline metrics once each, fractions as percentages', () => {
    const h = headlineMetrics({ accuracy: 0.764, test_accuracy: 0.7, macro_f1: 0.7, ece: 0.016, n: 5000, other: 3 });
    assert.deepEqual(h.map((x) => x.label), ['accuracy', 'macro-F1', 'calibration error (ECE)', 'test papers']);
    assert.equal(h[0].text, '76.4%');
    assert.equal(h[2].text, '0.016');
    assert.equal(h[3].text, '5000');
    assert.equal(formatMetric('accuracy', undefined), '–');
  });

  it('describes progress events and computes overall completion', () => {
    const ev = { type: 'progress', phase: 'train', epoch: 2, epochs: 4, step: 5, steps: 10, loss: 0.51234, examplesPerSec: 100, etaSec: 75 } as const;
    assert.equal(describeTrainEvent(ev), 'epoch 2/4 · step 5/10 · loss 0.512 · ETA 1m 15s');
    assert.equal(trainPercent(ev), 37.5);
    assert.equal(trainPercent({ ...ev, steps: 0 }), undefined);
    assert.equal(describeTrainEvent({ type: 'log', level: 'info', message: 'x' }), undefined);
    assert.equal(describeTrainEvent({ type: 'log', level: 'warn', message: 'slow' }), '⚠ slow');
  });

  it('restarts a crashed server until it crashes too often within the window', () => {
    let t = 0;
    const c = new CrashCounter(2, 1000, () => t);
    assert.equal(c.recordCrash(), true);
    t = 100;
    assert.equal(c.recordCrash(), true);
    t = 200;
    assert.equal(c.recordCrash(), false, 'third crash within 1 s: give up');
    t = 5000;
    assert.equal(c.recordCrash(), true, 'old crashes age out');
    c.reset();
    assert.equal(c.recent, 0);
  });
});

describe('which files are drafts', () => {
  it('excludes LaTeX package, class and bibliography-style files, keeps drafts', () => {
    for (const p of ['/w/paper.tex', 'file:///w/notes.md', '/w/a.qmd', '/w/b.Rmd', 'untitled:Untitled-1']) assert.ok(isDraftPath(p), p);
    for (const p of ['/w/mystyle.sty', 'file:///w/acmart.cls', '/w/x.bbx', '/w/x.cbx', '/w/plain.bst', '/w/refs.bib', '/w/pkg.dtx']) assert.ok(!isDraftPath(p), p);
  });
});
