/** The CLI as users and scripts run it: `node dist/cli.js <command>` (built by the before hook). */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeSyntheticPapers } from '../server/helpers/syntheticPapers';

const root = resolve(__dirname, '../../..');
const cli = join(root, 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'cli-test-'));
const data = join(dir, 'papers.jsonl');
const model = join(dir, 'model');

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', cwd: root, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('CLI', function () {
  this.timeout(240_000);
  before(() => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet'], { cwd: root });
    writeSyntheticPapers(data, 50, 5);
    const cfg = join(dir, 'train.json');
    writeFileSync(cfg, JSON.stringify({
      dataPath: data, outDir: model, name: 'cli-test', epochs: 2, minPrimary: 5, minListed: 5, vocabSize: 300,
      model: { hidden: 16, heads: 8, titleLen: 8, abstractLen: 32, poolDim: 8, mlp: [16], dropout: 0.1, embedDropout: 0 },
      xattn: { batchSize: 16, lr: 0.005, weightDecay: 0.01, warmupFraction: 0.1, clipNorm: 1, patience: 3, multiWeight: 0.5, trainEvalSample: 40 },
      ngram: { maxFeatures: 2000, minDf: 1, epochs: 3, lr: 0.05, l2: 0.0001, batchSize: 32, classWeights: 'sqrt', patience: 2 },
    }));
    const r = run(['train', '--config', cfg, '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.modelDir, model);
    assert.match(r.err, /"type":"epoch"/, 'progress goes to stderr as JSON events');
  });

  it('classify --json on a LaTeX draft prints exactly one JSON object of the documented shape', () => {
    const tex = join(dir, 'draft.tex');
    writeFileSync(tex, '\\documentclass{article}\n\\title{Image segmentation with convolutional object detection}\n\\begin{document}\\maketitle\n\\begin{abstract}We propose a visual method for video object detection and image segmentation from camera pixels.\\end{abstract}\\end{document}\n');
    const r = run(['classify', tex, '--model', model, '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    // The training run ended with the bundle stage: prediction set and papers like yours are in the output.
    assert.deepEqual(Object.keys(j).filter((k) => k !== 'other').sort(), ['abstract', 'crosslists', 'language', 'model', 'neighbours', 'predictionSet', 'primary', 'provisional', 'title', 'warnings']);
    assert.equal(j.predictionSet.categories[0], j.primary[0].category);
    assert.equal(j.predictionSet.coverage, 0.9);
    assert.equal(j.neighbours.length, 5);
    assert.match(j.neighbours[0].url, /^https:\/\/arxiv\.org\/abs\//);
    assert.match(j.provisional.reason, /only 21 words/, 'a 21-word draft is provisional');
    assert.equal(j.title, 'Image segmentation with convolutional object detection');
    assert.match(j.abstract, /^We propose a visual method/);
    assert.equal(j.primary[0].category, 'cs.CV');
    assert.equal(j.primary[0].name, 'Computer Vision and Pattern Recognition');
    assert.equal(j.model, 'cli-test');
    for (let i = 1; i < j.primary.length; i++) assert.ok(j.primary[i - 1].p >= j.primary[i].p);
  });

  it('classify reads includes from the draft\'s folder only, unless --allow-outside-includes', () => {
    const project = join(dir, 'project');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(dir, 'secret.tex'), '\\title{Zanzibar secret marker}\n');
    writeFileSync(join(project, 'main.tex'), '\\documentclass{article}\n\\begin{document}\n\\input{../secret}\n\\begin{abstract}Image segmentation of video frames.\\end{abstract}\n\\end{document}\n');
    const refused = run(['classify', join(project, 'main.tex'), '--model', model, '--json']);
    assert.equal(refused.code, 0, refused.err);
    assert.ok(!refused.out.includes('Zanzibar'), refused.out);
    assert.ok(JSON.parse(refused.out).warnings.some((w: string) => w.includes('--allow-outside-includes')), refused.out);
    // One message per refused include: the policy's, not also the extractor's "Could not read".
    assert.ok(!JSON.parse(refused.out).warnings.some((w: string) => w.startsWith('Could not read')), refused.out);
    const allowed = run(['classify', join(project, 'main.tex'), '--model', model, '--json', '--allow-outside-includes']);
    assert.equal(allowed.code, 0, allowed.err);
    assert.equal(JSON.parse(allowed.out).title, 'Zanzibar secret marker');
  });

  it('classify --json shows the title and abstract as readable text (math as Unicode)', () => {
    const f = join(dir, 'math.tex');
    writeFileSync(f, '\\documentclass{article}\n\\title{Searches for $\\mathrm{CP}$-odd Higgs bosons}\n\\begin{document}\\maketitle\n\\begin{abstract}Masses of $10^2-10^6\\ M_\\odot$ in galaxies.\\end{abstract}\n\\end{document}\n');
    const r = run(['classify', f, '--model', model, '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.title, 'Searches for CP-odd Higgs bosons');
    assert.match(j.abstract, /10²–10⁶ M⊙/);
  });

  it('classify - reads {title, abstract} JSON from stdin', () => {
    const r = run(['classify', '-', '--model', model, '--json'], JSON.stringify({ title: 'cortex neurons', abstract: 'spiking neurons in the hippocampus and synaptic firing in the brain' }));
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).primary[0].category, 'q-bio.NC');
  });

  it('human-readable output names the category and the model', () => {
    const r = run(['classify', '-', '--model', model], JSON.stringify({ title: 'language translation', abstract: 'a text corpus for speech translation and sentence parsing' }));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /cs\.CL\s+Computation and Language/);
    assert.match(r.out, /Model: cli-test/);
  });

  it('bad input gets a clear message and a non-zero exit, never a stack trace', () => {
    const empty = join(dir, 'empty.tex');
    writeFileSync(empty, '');
    const cases = [
      run(['classify', empty, '--model', model]),
      run(['classify', '-', '--model', model], 'not json'),
      run(['classify', join(dir, 'draft.tex'), '--model', join(dir, 'missing-model')]),
      run(['eval', '--model', model]),
      run(['frobnicate']),
      // 5 MB on stdin: refused while reading, not read whole and then parsed.
      run(['classify', '-', '--model', model], JSON.stringify({ title: 't', abstract: 'x'.repeat(5 * 1024 * 1024) })),
    ];
    const expected = [/Nothing to classify/, /stdin is not JSON/, /Model folder not found/, /eval needs --data/, /Unknown command/, /stdin has more than 4,194,304 bytes/];
    cases.forEach((r, i) => {
      assert.notEqual(r.code, 0);
      assert.match(r.err, expected[i]);
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
    });
  });

  it('eval --json reports the documented keys, restricted to a label subset', () => {
    const r = run(['eval', '--data', data, '--model', model, '--labels', 'cs.CV,cs.CL', '--split', 'all', '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    for (const k of ['n', 'accuracy', 'macro_f1', 'top3', 'ece', 'per_class', 'confusion']) assert.ok(k in j, k);
    assert.equal(j.n, 100);
    assert.deepEqual(Object.keys(j.per_class), ['cs.CV', 'cs.CL']);
    assert.ok(j.accuracy > 0.9, String(j.accuracy));
    const own = run(['eval', '--data', data, '--model', model, '--json']);
    assert.equal(JSON.parse(own.out).split, 'test', "on the model's own training file eval defaults to its test split");
  });
});
