/** `explain` and `classify --evidence` as users run them (node dist/cli.js, shipped model, example draft). */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { EvidenceDto } from '../../../src/shared/evidence';

const root = resolve(__dirname, '../../..');
const cli = join(root, 'dist', 'cli.js');
const draft = join(root, 'examples', 'draft.tex');
const run = (args: string[], input?: string) => {
  const r = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', cwd: root, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('CLI explain', function () {
  this.timeout(180_000);
  before(() => execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet'], { cwd: root }));

  it('explain --json prints one object whose evidence is placed in the draft', () => {
    const r = run(['explain', draft, '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { evidence: EvidenceDto };
    const e = j.evidence;
    assert.equal(e.top, 'cs.CL');
    assert.ok(e.items.some((i) => i.weight > 0 && i.ranges.length > 0 && i.ranges[0].start.line >= 5));
    assert.ok(e.items.some((i) => i.weight < 0), 'evidence for the runner-up too');
    assert.ok(Math.abs(e.logOdds) > 0 && e.method.crossAttention === 'integrated-gradients' && e.method.ngram === 'exact');
  });

  it('explain prints both sides in words, and classify --json gains the evidence field only with --evidence', () => {
    const r = run(['explain', draft]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Why cs\.CL \(\d+\.\d%\) rather than \S+ \(\d+\.\d%\)\?/);
    assert.match(r.out, /Evidence for cs\.CL:\n\s+\+\d\.\d\d\s+\S/);
    assert.match(r.out, /not a rule of arXiv/);
    const plain = JSON.parse(run(['classify', draft, '--json']).out);
    assert.equal(plain.evidence, undefined);
    const withEvidence = JSON.parse(run(['classify', draft, '--json', '--evidence']).out);
    assert.equal(withEvidence.evidence.top, withEvidence.primary[0].category);
  });

  it('explain reads {title, abstract} on stdin (no places to point at) and refuses a missing file', () => {
    const r = run(['explain', '-', '--json'], JSON.stringify({ title: 'Galaxy clusters and dark matter halos', abstract: 'We measure weak lensing masses of galaxy clusters.' }));
    assert.equal(r.code, 0, r.err);
    const e = JSON.parse(r.out).evidence as EvidenceDto;
    assert.ok(e.top.startsWith('astro-ph'), e.top);
    assert.ok(e.items.every((i) => i.ranges.length === 0));
    const bad = run(['explain']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /explain needs a FILE/);
  });
});
