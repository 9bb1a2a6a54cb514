/**
 * Submission preflight: each check on its own fixture (test/fixtures/preflight), run through the server's
 * draftPreflight + withCategories with the real extractor, plus the cited arXiv papers read from real .bib files.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { extractDraft } from '../../../src/draft/extract';
import { MAX_BIB_CHARS } from '../../../src/draft/bibliography';
import { toTexAscii } from '../../../src/draft/texAscii';
import type { Prediction } from '../../../src/model/types';
import { draftPreflight, withCategories } from '../../../src/server/preflightRunner';
import { citedSummary, type PreflightCheck, type SubmissionPreflight } from '../../../src/shared/preflight';

const DIR = path.join(__dirname, '..', '..', 'fixtures', 'preflight');
const read = (p: string): string | undefined => {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};
const prediction: Prediction = {
  primary: [
    { category: 'cs.CV', name: 'Computer Vision and Pattern Recognition', p: 0.8 },
    { category: 'cs.LG', name: 'Machine Learning', p: 0.2 },
  ],
  crosslists: [{ category: 'cs.LG', name: 'Machine Learning', p: 0.45 }],
  model: 'm',
};

function preflightOf(file: string, readFile = read): SubmissionPreflight {
  const fsPath = path.join(DIR, file);
  const text = fs.readFileSync(fsPath, 'utf8');
  const draft = extractDraft(text, { fileName: fsPath, readFile });
  const out = withCategories(draftPreflight(draft, text, { uri: fsPath, fsPath }, readFile), draft, prediction);
  assert.ok(out, `a preflight for ${file}`);
  return out;
}
const check = (p: SubmissionPreflight, id: string): PreflightCheck => {
  const c = p.checks.find((x) => x.id === id);
  assert.ok(c, `check ${id}`);
  return c;
};

describe('submission preflight', () => {
  it('a clean draft passes every check, and its metadata is the extracted text', () => {
    const p = preflightOf('clean.tex');
    assert.deepEqual(p.checks.map((c) => [c.id, c.level]), [['abstract-length', 'ok'], ['title', 'ok'], ['raw-latex', 'ok'], ['non-ascii', 'ok']]);
    assert.equal(p.metadata.title, 'Image Segmentation with Pixel-Level Vision Transformers');
    assert.match(p.metadata.abstract, /^We segment images pixel by pixel .* by \$3\.2\\%\$ mIoU with an attention cost of \$O\(n \\log n\)\$\.$/, 'math kept as TeX');
  });

  it('abstract longer than 1,920 characters: error with the excess', () => {
    const c = check(preflightOf('long-abstract.tex'), 'abstract-length');
    assert.equal(c.level, 'error');
    assert.match(c.message, /^2,078 characters: arXiv accepts at most 1,920; shorten it by 158\.$/);
  });

  it('title: trailing period and all capitals', () => {
    const c = check(preflightOf('bad-title.tex'), 'title');
    assert.equal(c.level, 'error');
    assert.match(c.message, /ends with a period/);
    assert.match(c.message, /all capitals/);
  });

  it('the word "Abstract" left at the start: warning, and the copied metadata leaves it out', () => {
    const p = preflightOf('abstract-word.tex');
    assert.equal(check(p, 'abstract-word').level, 'warning');
    assert.match(p.metadata.abstract, /^We segment images/);
    assert.equal(preflightOf('clean.tex').checks.some((c) => c.id === 'abstract-word'), false);
  });

  it('LaTeX arXiv shows raw: custom macros, \\cite, \\ref, environments, font commands, ~', () => {
    const p = preflightOf('raw-latex.tex');
    const c = check(p, 'raw-latex');
    assert.equal(c.level, 'warning');
    assert.match(c.message, /custom macros \\method, \\softmax/);
    assert.match(c.message, /citations \(\\cite\)/);
    assert.match(c.message, /references \(\\ref\)/);
    assert.match(c.message, /environment \\begin\{itemize\}/);
    assert.match(c.message, /font commands \(\\emph\)/);
    assert.match(c.message, /TeX spacing \(~\)/);
    assert.equal(p.metadata.title, 'SegNet++: Image Segmentation with Vision Transformers', 'macros expanded in the copy');
    assert.doesNotMatch(p.metadata.abstract, /\\cite|\\ref|\\emph|\\begin|~/, 'citations, references and markup removed in the copy');
  });

  it('non-ASCII characters: named with the TeX arXiv asks for; the copy is ASCII', () => {
    const p = preflightOf('non-ascii.tex');
    const c = check(p, 'non-ascii');
    assert.equal(c.level, 'warning');
    assert.match(c.message, /— → ---/);
    assert.match(c.message, /“ → ``/);
    assert.match(c.message, /ﬁ → fi/);
    assert.match(c.message, /accented letters ó → \\'o, ö → \\"o, é → \\'e/);
    assert.equal(p.metadata.title, "Segmentaci\\'on: Image Segmentation for G\\\"odel's Caf\\'e");
    assert.match(p.metadata.abstract, /pixel by pixel --- with ``vision transformers'' -- and find better masks\./);
    assert.ok([...p.metadata.title, ...p.metadata.abstract].every((ch) => ch.charCodeAt(0) < 128));
    assert.equal(toTexAscii('Łukasz Erdős, Škoda, ç, å, ß, naïve'), "{\\L}ukasz Erd\\H{o}s, \\v{S}koda, \\c{c}, \\r{a}, {\\ss}, na\\\"ive");
  });

  it('category set: primary plus cross-lists as proposed, with reasons from the rules', () => {
    const p = preflightOf('cited.tex');
    assert.equal(p.categories.primary, 'cs.CV');
    assert.deepEqual(p.categories.crossLists, ['cs.LG']);
    assert.match(p.categories.reasons.join('\n'), /Primary cs\.CV as declared \(model: 80%\)/);
    assert.match(p.categories.reasons.join('\n'), /Cross-list cs\.LG added: the model gives it 45% \(>= 30%\)/);
  });

  it('cited arXiv papers: only cited entries, eprint/primaryClass, eprinttype/eprintclass, old ids, arXiv-preprint journals; a broken .bib is read entry by entry', () => {
    const c = preflightOf('cited.tex').citations;
    assert.ok(c);
    // cited: vaswani2017 cs.CL, devlin2019 cs.CL, dosovitskiy2021 cs.CV, kirillov2023 (no class), witten1998 hep-th,
    // cheng2022 cs.CV (in broken.bib); bishop2006 is not an arXiv paper; uncited2020 is not cited.
    assert.equal(c.papers, 6);
    assert.equal(c.withCategory, 5);
    assert.deepEqual(c.categories.map((x) => [x.category, x.count]), [['cs.CL', 2], ['cs.CV', 2], ['hep-th', 1]]);
    assert.equal(citedSummary(c), 'Your cited arXiv papers: 40% cs.CL, 40% cs.CV, 20% hep-th (6 papers)');
    assert.ok(c.notes.some((n) => /^broken\.bib: 2 entries could not be read\.$/.test(n)), c.notes.join(' | '));
    assert.ok(c.notes.some((n) => /1 of the 6 arXiv papers have no primaryClass/.test(n)));
  });

  it('Markdown: bibliography: in YAML and Pandoc citations; a missing file is skipped with a note', () => {
    const c = preflightOf('cited.md').citations;
    assert.ok(c);
    assert.equal(c.papers, 2);
    assert.deepEqual(c.categories.map((x) => x.category), ['cs.CL', 'cs.CV']);
    assert.ok(c.notes.includes('missing.bib skipped: not found, or too large to read.'), c.notes.join(' | '));
  });

  it('a huge or binary .bib is skipped with a note, never a crash; nothing escapes to non-.bib files', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arxiv-bib-'));
    try {
      const entry = '@misc{k, eprint={1706.03762}, archivePrefix={arXiv}, primaryClass={cs.CL}}\n';
      fs.writeFileSync(path.join(tmp, 'huge.bib'), entry.repeat(Math.ceil((MAX_BIB_CHARS + 10) / entry.length)));
      fs.writeFileSync(path.join(tmp, 'binary.bib'), Buffer.from([0, 1, 2, 255, 64, 123, 0, 0, 125]));
      fs.writeFileSync(path.join(tmp, 'secret.txt'), '@misc{s, eprint={1}, archivePrefix={arXiv}}');
      fs.writeFileSync(path.join(tmp, 'main.tex'), '\\title{T}\n\\begin{abstract}An abstract of enough length here.\\end{abstract}\n\\nocite{*}\n\\bibliography{huge,binary}\n\\addbibresource{secret.txt}\n');
      const readFiles: string[] = [];
      const p = preflightOf(path.relative(DIR, path.join(tmp, 'main.tex')), (f) => (readFiles.push(f), read(f)));
      const c = p.citations;
      assert.ok(c);
      assert.equal(c.papers, 0);
      assert.ok(c.notes.some((n) => /^huge\.bib skipped: [\d,]+ characters, more than the 1,000,000 read\.$/.test(n)), c.notes.join(' | '));
      assert.ok(!readFiles.some((f) => f.endsWith('secret.txt')), 'only .bib files are read');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
