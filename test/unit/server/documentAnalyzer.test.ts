/** DocumentAnalyzer without LSP: the real extractor, a deterministic classifier double, the real ModelHost. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { extractDraft } from '../../../src/draft/extract';
import { DocumentAnalyzer, looksBinary, missingNote } from '../../../src/server/documentAnalyzer';
import { ModelHost } from '../../../src/server/modelHost';
import { loadFakeClassifier, writeFakeBundle } from './helpers/fakeClassifier';
import { NO_ABSTRACT_DRAFT, VISION_DRAFT_DECLARED_CL } from './fixtures';

describe('DocumentAnalyzer', () => {
  let tmp: string;
  let models: ModelHost;
  let maxChars = 2_000_000;
  const files = new Map<string, string>();
  const make = () =>
    new DocumentAnalyzer({ extract: extractDraft, models, readFile: (p) => files.get(p), maxChars: () => maxChars, cacheSize: 3 });

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arxiv-analyzer-'));
    writeFakeBundle(path.join(tmp, 'a'), { name: 'A' });
    writeFakeBundle(path.join(tmp, 'b'), { name: 'B' });
    models = new ModelHost(loadFakeClassifier);
    await models.select(path.join(tmp, 'a'));
  });
  after(() => {
    models.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  beforeEach(() => {
    maxChars = 2_000_000;
    files.clear();
  });

  const input = (text: string, version = 1) => ({ uri: 'file:///d/paper.tex', fsPath: '/d/paper.tex', version, text, languageId: 'latex' });

  it('classifies title + abstract and reports declared categories with their probability', async () => {
    const a = make();
    const { classification: c, draft } = await a.analyze(input(VISION_DRAFT_DECLARED_CL, 7));
    assert.equal(c.status, 'ok');
    assert.equal(c.version, 7);
    assert.equal(c.message, undefined);
    assert.equal(c.prediction?.primary[0].category, 'cs.CV');
    assert.equal(c.prediction?.model, 'A');
    assert.equal(c.extracted.usedBodyText, false);
    assert.equal(c.extracted.titleRange?.file, '/d/paper.tex');
    assert.equal(c.declared.length, 1);
    assert.equal(c.declared[0].category, 'cs.CL');
    assert.equal(c.declared[0].p, c.prediction?.primary.find((s) => s.category === 'cs.CL')?.p);
    assert.equal(draft?.declaredCategories[0].range.start.line, 1);
  });

  it('sends the display form (math as Unicode) for people and keeps the TeX form the model read', async () => {
    const draft = '\\documentclass{article}\n\\title{Searches for $\\mathrm{CP}$-odd Higgs bosons}\n\\begin{document}\\maketitle\n' +
      '\\begin{abstract}Black holes of $10^2-10^6\\ M_\\odot$ in dwarf galaxies, with $\\alpha \\le 0.3$.\\end{abstract}\n\\end{document}\n';
    const { classification: c } = await make().analyze(input(draft));
    assert.equal(c.status, 'ok');
    assert.match(c.extracted.title ?? '', /\\mathrm|\$/, 'the model form stays TeX');
    assert.equal(c.extracted.titleDisplay, 'Searches for CP-odd Higgs bosons');
    assert.match(c.extracted.abstractDisplay ?? '', /10²–10⁶ M⊙/);
    assert.match(c.extracted.abstractDisplay ?? '', /α ≤ 0\.3/);
  });

  it('falls back to the body text and says what is missing', async () => {
    const { classification: c } = await make().analyze(input(NO_ABSTRACT_DRAFT));
    assert.equal(c.status, 'ok');
    assert.equal(c.extracted.usedBodyText, true);
    assert.equal(c.prediction?.primary[0].category, 'cs.CL');
    assert.match(c.message ?? '', /^No abstract found: classified from the title and the body text/);
  });

  it('predicts from the body alone when there is neither title nor abstract', async () => {
    const { classification: c } = await make().analyze(
      input('\\documentclass{article}\n\\begin{document}\nWe study algebraic varieties and schemes over finite fields.\n\\end{document}\n'),
    );
    assert.equal(c.status, 'ok');
    assert.equal(c.prediction?.primary[0].category, 'math.AG');
    assert.match(c.message ?? '', /No title or abstract found/);
  });

  it('answers empty, whitespace-only, too large and binary text without classifying', async () => {
    const a = make();
    assert.equal((await a.analyze(input(''))).classification.status, 'empty');
    const skeleton = await a.analyze(input('\\documentclass{article}\n\\begin{document}\n\\end{document}\n'));
    assert.equal(skeleton.classification.status, 'empty');
    assert.match(skeleton.classification.message ?? '', /no title, abstract or text/);
    maxChars = 100;
    const big = await a.analyze(input('x'.repeat(101)));
    assert.equal(big.classification.status, 'too-large');
    assert.match(big.classification.message ?? '', /101 characters, more than the limit of 100/);
    maxChars = 2_000_000;
    assert.equal((await a.analyze(input('\u0000\u0001binary'))).classification.status, 'binary');
    assert.equal(a.stats.classifications, 0);
  });

  it('caches on model + classifier input, and a model swap misses the cache', async () => {
    const a = make();
    await a.analyze(input(VISION_DRAFT_DECLARED_CL, 1));
    await a.analyze(input(VISION_DRAFT_DECLARED_CL, 2));
    // A comment changes the text but not what the classifier reads.
    await a.analyze(input(VISION_DRAFT_DECLARED_CL + '% note to self\n', 3));
    assert.deepEqual({ ...a.stats }, { analyses: 3, classifications: 1, cacheHits: 2 });
    await models.select(path.join(tmp, 'b'));
    const r = await a.analyze(input(VISION_DRAFT_DECLARED_CL, 4));
    assert.equal(r.classification.prediction?.model, 'B');
    assert.equal(a.stats.classifications, 2);
    await models.select(path.join(tmp, 'a'));
  });

  it('evicts the least recently used cache entries', async () => {
    const a = make(); // cacheSize 3
    const texts = ['image', 'language', 'variety', 'neural'].map((w) => `\\title{${w} one}\n`);
    for (const t of texts) await a.analyze(input(t));
    await a.analyze(input(texts[0])); // evicted by the 4th: classified again
    assert.equal(a.stats.classifications, 5);
    await a.analyze(input(texts[3])); // still cached
    assert.equal(a.stats.cacheHits, 1);
  });

  it('reads \\input files through readFile and re-classifies when only the included file changed', async () => {
    const a = make();
    const root = '\\documentclass{article}\n\\title{A study}\n\\begin{document}\n\\input{abs}\n\\end{document}\n';
    files.set('/d/abs.tex', '\\begin{abstract}\nWe parse language and text.\n\\end{abstract}\n');
    const r1 = await a.analyze(input(root));
    assert.equal(r1.classification.prediction?.primary[0].category, 'cs.CL');
    assert.equal(r1.classification.extracted.abstractRange?.file, '/d/abs.tex');
    assert.deepEqual(r1.draft?.files, ['/d/paper.tex', '/d/abs.tex']);
    files.set('/d/abs.tex', '\\begin{abstract}\nWe segment images by pixel.\n\\end{abstract}\n');
    const r2 = await a.analyze(input(root));
    assert.equal(r2.classification.prediction?.primary[0].category, 'cs.CV');
    assert.equal(a.stats.cacheHits, 0);
  });

  it('reports a classifier failure as status error, keeping what was extracted', async () => {
    const broken = new ModelHost(async () => {
      throw new Error('bundle is corrupt');
    });
    await broken.select('/x').catch(() => undefined);
    const a = new DocumentAnalyzer({ extract: extractDraft, models: broken, maxChars: () => 1e6 });
    const { classification: c } = await a.analyze(input(VISION_DRAFT_DECLARED_CL));
    assert.equal(c.status, 'error');
    assert.match(c.message ?? '', /Classification failed: Could not load the model in \/x: bundle is corrupt/);
    assert.equal(c.extracted.title, 'Image segmentation with pixel-level vision transformers');
    assert.deepEqual(c.declared, [{ category: 'cs.CL' }]);
  });

  it('turns an extractor exception into status error', async () => {
    const a = new DocumentAnalyzer({
      extract: () => {
        throw new Error('boom');
      },
      models,
      maxChars: () => 1e6,
    });
    const { classification: c } = await a.analyze(input('\\title{x}'));
    assert.equal(c.status, 'error');
    assert.match(c.message ?? '', /Could not read the draft: boom/);
  });

  it('helpers: looksBinary and missingNote', () => {
    assert.equal(looksBinary('plain \\LaTeX\ttext\n'), false);
    assert.equal(looksBinary('ab\u0000cd'), true);
    assert.equal(looksBinary('\u0001\u0002\u0003\u0004 mostly control'), true);
    assert.equal(looksBinary('é ü — unicode is fine'), false);
    assert.equal(missingNote(true, true, false), undefined);
    assert.match(missingNote(false, true, false) ?? '', /No title found/);
    assert.match(missingNote(true, false, false) ?? '', /title only/);
  });
});
