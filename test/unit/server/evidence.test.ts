/**
 * Evidence in the language server: placing terms in the LaTeX source (unit), and the real server
 * (dist/server.js, shipped model in its worker thread) over IPC publishing evidence after each prediction,
 * answering arxiv/evidence and the hover on an evidence phrase.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver/node';
import { locateTerms, termPattern } from '../../../src/server/evidence';
import { evidenceSentence } from '../../../src/shared/evidence';
import { Requests } from '../../../src/shared/protocol';
import { fileUri, TestClient } from './helpers/lspClient';

const ROOT = path.resolve(__dirname, '../../..');

describe('evidence: placing terms in the source', () => {
  const text = 'x\n\\begin{abstract}\nEnd-to-end \\emph{Speech}~translation: speech\ntranslation of \\speech tokens. GPT-4 and speeches.\n\\end{abstract}\n';
  const part = { file: '/d.tex', start: { line: 2, character: 0 }, end: { line: 3, character: 51 } };

  it('finds a phrase across LaTeX markup and line breaks, case-insensitively, not inside macro names or longer words', () => {
    const [phrase, word, gpt, math] = locateTerms(text, [part], ['speech translation', 'speech', 'gpt-4', '[math]']);
    assert.deepEqual(phrase.map((r) => [r.start.line, r.start.character, r.end.line, r.end.character]), [[2, 17, 2, 36], [2, 38, 3, 11]]);
    // "\speech" is a macro and "speeches" a longer word: neither counts
    assert.deepEqual(word.map((r) => [r.start.line, r.start.character]), [[2, 17], [2, 38]]);
    assert.deepEqual(gpt.map((r) => [r.start.line, r.start.character, r.end.character]), [[3, 31, 36]]);
    assert.deepEqual(math, []);
    assert.equal(termPattern('[url]'), undefined);
  });

  it('searches only inside the given parts', () => {
    const [none] = locateTerms(text, [{ ...part, start: { line: 1, character: 0 }, end: { line: 1, character: 16 } }], ['speech']);
    assert.deepEqual(none, []);
  });

  it('is bounded on hostile input (long runs between words, many occurrences)', () => {
    const big = 'speech '.repeat(20_000) + 'a'.repeat(100_000);
    const t0 = process.hrtime.bigint();
    const [r] = locateTerms(big, [{ file: 'f', start: { line: 0, character: 0 }, end: { line: 0, character: big.length } }], ['speech translation', 'speech']);
    assert.equal(r.length, 0);
    const [s] = locateTerms(big, [{ file: 'f', start: { line: 0, character: 0 }, end: { line: 0, character: big.length } }], ['speech']);
    assert.equal(s.length, 20); // at most 20 places per term
    assert.ok(process.hrtime.bigint() > t0); // (no timing assertion: the bound is structural)
  });
});

describe('evidence over LSP (dist/server.js with the shipped model)', function () {
  this.timeout(180_000);
  let tmp: string;
  let client: TestClient;

  before(async function () {
    this.timeout(240_000);
    execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arxiv-evidence-'));
    client = await TestClient.start({
      module: path.join(ROOT, 'dist', 'server.js'),
      initializationOptions: { defaultModelDir: path.join(ROOT, 'models', 'default'), trainingDir: path.join(tmp, 'runs') },
      settings: { debounceMs: 100, maxDocumentChars: 2_000_000 },
    });
  });

  after(async () => {
    await client?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const withEvidence = (uri: string, version: number) =>
    client.waitFor(`evidence for ${uri} v${version}`, () => client.classifications.find((c) => c.uri === uri && c.version === version && c.evidence), 120_000);

  it('publishes the evidence after the prediction, placed in the title and abstract', async () => {
    const uri = fileUri(path.join(tmp, 'draft.tex'));
    const text = fs.readFileSync(path.join(ROOT, 'examples', 'draft.tex'), 'utf8');
    client.open(uri, text);
    const first = await client.classificationOf(uri, 1, 120_000);
    const c = await withEvidence(uri, 1);
    const e = c.evidence!;
    assert.equal(e.top, c.prediction!.primary[0].category);
    assert.equal(e.runnerUp, c.prediction!.primary[1].category);
    assert.ok(first.evidence === undefined || first === c, 'the prediction does not wait for the evidence');
    assert.ok(Math.abs(e.logOdds - Math.log(c.prediction!.primary[0].p / c.prediction!.primary[1].p)) < 1e-3);
    assert.ok(e.items.length > 5 && e.items.some((i) => i.weight > 0) && e.items.some((i) => i.weight < 0));
    const placed = e.items.filter((i) => i.ranges.length > 0);
    assert.ok(placed.length >= 5, `placed ${placed.length}`);
    const lines = text.split('\n');
    const title = c.extracted.titleRange!;
    const abs = c.extracted.abstractRange!;
    for (const item of placed) {
      for (const r of item.ranges) {
        assert.ok((r.start.line >= title.start.line && r.end.line <= title.end.line) || (r.start.line >= abs.start.line && r.end.line <= abs.end.line), `${item.term} outside title/abstract`);
        if (r.start.line === r.end.line) {
          const found = lines[r.start.line].slice(r.start.character, r.end.character).toLowerCase();
          assert.equal(found.replace(/[^a-z0-9]+/g, ' ').trim(), item.term.replace(/[^a-z0-9]+/g, ' ').trim());
        }
      }
    }
    // the request answers the same evidence for the current version
    const asked = await client.request(Requests.evidence, { uri });
    assert.ok(asked);
    assert.deepEqual(asked.items.map((i) => i.term), e.items.map((i) => i.term));

    // hovering a placed phrase says what it pulls toward
    const item = placed[0];
    const at = item.ranges[0].start;
    const hover = (await client.hover(uri, at.line, at.character + 1)) as Hover;
    const value = (hover.contents as MarkupContent).value;
    assert.ok(value.startsWith(`**${evidenceSentence(e, item)}**`), value);
    assert.match(value, new RegExp(`evidence for ${item.weight > 0 ? e.top : e.runnerUp}; against ${item.weight > 0 ? e.runnerUp : e.top}`));
    assert.deepEqual(hover.range, { start: item.ranges[0].start, end: item.ranges[0].end });
  });

  it('follows edits: a new version gets its own evidence', async () => {
    const uri = fileUri(path.join(tmp, 'edit.tex'));
    client.open(uri, '\\title{Object detection in images}\n\\begin{abstract}\nWe detect objects in camera images with a convolutional network for image segmentation.\n\\end{abstract}\n');
    const v1 = (await withEvidence(uri, 1)).evidence!;
    assert.equal(v1.top, 'cs.CV');
    const v2 = client.change(uri, '\\title{Speech translation}\n\\begin{abstract}\nWe translate spoken language into text in another language with a neural machine translation model.\n\\end{abstract}\n');
    const e2 = (await withEvidence(uri, v2)).evidence!;
    assert.equal(e2.top, 'cs.CL');
    assert.ok(e2.items.some((i) => i.term.includes('translation') && i.weight > 0 && i.ranges.length > 0));
  });

  it('answers null for a document that is not open and refuses bad params', async () => {
    assert.equal(await client.request(Requests.evidence, { uri: fileUri(path.join(tmp, 'nope.tex')) }), null);
    await assert.rejects(client.request(Requests.evidence, { uri: 42 as unknown as string }), /needs \{ uri: string \}/);
  });
});
