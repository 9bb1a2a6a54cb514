/**
 * Includes may read the user's paper, not their disk: every way out of the project folder is tried with real
 * files, symlinks, a FIFO and procfs; the secret's text must never reach the extracted draft.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { extractDraftFromFile, extractInProject } from '../../../src/draft/extract';
import { FileAccess, type FileAccessPolicy } from '../../../src/draft/fileAccess';
import { readRegularFile } from '../../../src/shared/regularFile';

const SECRET = 'Zanzibar secret marker sentence that must never leave its file';
const ABSTRACT = 'We study sparse graph learning with provable guarantees for node classification.';

/** Everything a user could see of a draft, as one string. */
function shown(d: { title?: string; abstract?: string; bodyText?: string; warnings: string[] }): string {
  return [d.title, d.abstract, d.bodyText, ...d.warnings].join('\n');
}

describe('file access: includes stay inside the project', () => {
  let tmp: string;
  let project: string;
  let outside: string;
  const write = (p: string, text: string) => {
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  };
  const main = (body: string) => `\\documentclass{article}\n\\begin{document}\n${body}\n\\end{document}\n`;
  const policy = (over: Partial<FileAccessPolicy> = {}): FileAccessPolicy => ({
    roots: [project],
    allowOutside: false,
    maxBytes: 8_000_000,
    allowHint: 'the setting arxivClassifier.allowOutsideIncludes',
    ...over,
  });

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'arxiv-access-')));
    project = path.join(tmp, 'project');
    outside = path.join(tmp, 'outside');
    // The outside "secret" is a valid title + abstract: if it is read at all, it shows up.
    write(path.join(outside, 'secret.tex'), `\\title{${SECRET}}\n\\begin{abstract}${SECRET}\\end{abstract}\n`);
    write(path.join(project, 'abstract.tex'), `\\begin{abstract}${ABSTRACT}\\end{abstract}\n`);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const escapes: [string, () => string][] = [
    ['an absolute path', () => main(`\\title{T}\n\\input{${path.join(outside, 'secret')}}`)],
    ['a ../ path', () => main('\\title{T}\n\\input{../outside/secret}')],
    ['\\import{/abs/dir/}{file}', () => main(`\\title{T}\n\\import{${outside}/}{secret}`)],
    ['% !TEX root = /abs/file', () => `% !TEX root = ${path.join(outside, 'secret.tex')}\n\\title{T}\n`],
    ['\\documentclass[/abs/file]{subfiles}', () => `\\documentclass[${path.join(outside, 'secret.tex')}]{subfiles}\n\\begin{document}\nx\n\\end{document}\n`],
  ];

  for (const [route, draft] of escapes) {
    it(`${route}: not read by default (CLI and server policy), with a warning naming the way to allow it`, () => {
      const file = path.join(project, 'main.tex');
      write(file, draft());
      const cli = extractDraftFromFile(file);
      assert.ok(!shown(cli).includes(SECRET), `secret leaked through the CLI: ${shown(cli)}`);
      assert.ok(cli.warnings.some((w) => w.includes('--allow-outside-includes') && w.includes('secret')), cli.warnings.join('\n'));
      const server = extractInProject(fs.readFileSync(file, 'utf8'), { fileName: file }, policy());
      assert.ok(!shown(server).includes(SECRET), `secret leaked through the server policy: ${shown(server)}`);
      assert.ok(server.warnings.some((w) => w.includes('arxivClassifier.allowOutsideIncludes')), server.warnings.join('\n'));
      // Allowed explicitly, the same include is read (so the refusal above is the policy, not a broken path).
      const allowed = extractDraftFromFile(file, { allowOutsideIncludes: true });
      assert.ok(shown(allowed).includes(SECRET), `allowed read did not happen: ${shown(allowed)}`);
    });
  }

  it('a symlink inside the project to a file outside is resolved before the check', () => {
    fs.symlinkSync(path.join(outside, 'secret.tex'), path.join(project, 'link.tex'));
    const file = path.join(project, 'main-link.tex');
    write(file, main('\\title{T}\n\\input{link}'));
    const d = extractDraftFromFile(file);
    assert.ok(!shown(d).includes(SECRET), shown(d));
    assert.ok(d.warnings.some((w) => w.includes('link.tex') && w.includes('outside')), d.warnings.join('\n'));
  });

  it('a symlinked folder inside the project that points outside is refused too', () => {
    fs.symlinkSync(outside, path.join(project, 'linkdir'));
    const file = path.join(project, 'main-linkdir.tex');
    write(file, main('\\title{T}\n\\input{linkdir/secret}'));
    const d = extractDraftFromFile(file);
    assert.ok(!shown(d).includes(SECRET), shown(d));
  });

  it('a symlink that stays inside the project is followed', () => {
    fs.symlinkSync(path.join(project, 'abstract.tex'), path.join(project, 'alias.tex'));
    const file = path.join(project, 'main-alias.tex');
    write(file, main('\\title{Inside}\n\\input{alias}'));
    const d = extractDraftFromFile(file);
    assert.equal(d.abstract, ABSTRACT);
  });

  it('files in sub-folders of the project are read as before', () => {
    write(path.join(project, 'sections', 'abs.tex'), `\\begin{abstract}${ABSTRACT}\\end{abstract}\n`);
    const file = path.join(project, 'main-sub.tex');
    write(file, main('\\title{Sub}\n\\input{sections/abs}'));
    const d = extractDraftFromFile(file);
    assert.equal(d.abstract, ABSTRACT);
    assert.deepEqual(d.warnings, []);
  });

  it('/proc/self/pagemap (size 0, endless) and other procfs files are refused even when outside includes are allowed', function () {
    if (!fs.existsSync('/proc/self/pagemap')) this.skip();
    const file = path.join(project, 'main-proc.tex');
    write(file, main('\\title{T}\n\\input{/proc/self/pagemap}\n\\input{/proc/self/environ}'));
    const d = extractDraftFromFile(file, { allowOutsideIncludes: true });
    assert.ok(d.warnings.some((w) => w.includes('/proc/self/pagemap') && /pseudo file system/.test(w)), d.warnings.join('\n'));
    const r = readRegularFile('/proc/self/pagemap', 1000);
    assert.equal(r.ok, false);
    // A symlink to procfs inside the project is no way around it.
    fs.symlinkSync('/proc/self/environ', path.join(project, 'env.tex'));
    assert.equal(readRegularFile(path.join(project, 'env.tex'), 1000).ok, false);
  });

  it('a FIFO is refused at once (never opened for a blocking read)', function () {
    const fifo = path.join(project, 'pipe.tex');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      this.skip();
    }
    const r = readRegularFile(fifo, 1000);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /named pipe/);
    const file = path.join(project, 'main-fifo.tex');
    write(file, main('\\title{T}\n\\input{pipe}'));
    const d = extractDraftFromFile(file);
    assert.ok(d.warnings.some((w) => /pipe\.tex.*named pipe/.test(w)), d.warnings.join('\n'));
  });

  it('/dev/zero (a device, endless) is refused', () => {
    const r = readRegularFile('/dev/zero', 1000);
    assert.equal(r.ok, false);
  });

  it('the byte cap is counted while reading, not taken from stat', () => {
    const big = path.join(project, 'big.tex');
    fs.writeFileSync(big, 'x'.repeat(5000));
    const r = readRegularFile(big, 4096);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /larger than 4,096 bytes/);
    assert.equal(readRegularFile(big, 5000).ok, true);
  });

  it('an unsaved editor overlay obeys the same folder rule', () => {
    const outsidePath = path.join(outside, 'open.tex');
    const access = new FileAccess(policy(), new Map([[outsidePath, `\\title{${SECRET}}`], [path.join(project, 'x.tex'), 'inside']]));
    assert.equal(access.readFile(outsidePath), undefined);
    assert.equal(access.readFile(path.join(project, 'x.tex')), 'inside');
  });

  it('no workspace: the root draft\'s folder tree is the project (server policy with roots = [draft folder])', () => {
    const file = path.join(project, 'main-nows.tex');
    write(file, main('\\title{T}\n\\input{../outside/secret}\n\\input{abstract}'));
    const d = extractInProject(fs.readFileSync(file, 'utf8'), { fileName: file }, policy({ roots: [project] }));
    assert.equal(d.abstract, ABSTRACT);
    assert.ok(!shown(d).includes(SECRET));
  });
});

describe('includes written relative to a folder above the root file (compile-from-above projects)', () => {
  let ws: string;
  before(() => {
    ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'arxiv-above-')));
    fs.mkdirSync(path.join(ws, 'latex', 'sections'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'latex', 'sections', 'abstract.tex'), `\\begin{abstract}${ABSTRACT}\\end{abstract}\n`);
    fs.writeFileSync(
      path.join(ws, 'latex', 'main.tex'),
      '\\documentclass{article}\n\\title{Compiled from above}\n\\begin{document}\n\\input{latex/sections/abstract}\n\\end{document}\n',
    );
  });
  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('finds latex/sections/abstract from latex/main.tex by trying the workspace folder, and says which path it used', () => {
    const file = path.join(ws, 'latex', 'main.tex');
    const d = extractInProject(fs.readFileSync(file, 'utf8'), { fileName: file }, { roots: [ws], allowOutside: false, maxBytes: 1e6, allowHint: 'x' });
    assert.equal(d.abstract, ABSTRACT);
    assert.equal(d.abstractRange?.file, path.join(ws, 'latex', 'sections', 'abstract.tex'));
    assert.ok(
      d.warnings.some((w) => w.includes(path.join(ws, 'latex', 'sections', 'abstract.tex')) && w.includes(`relative to ${ws}`)),
      d.warnings.join('\n'),
    );
  });

  it('never looks above the project folder', () => {
    const file = path.join(ws, 'latex', 'main.tex');
    // The project is latex/ only: the workspace folder above it is outside and not searched.
    const d = extractInProject(fs.readFileSync(file, 'utf8'), { fileName: file }, { roots: [path.join(ws, 'latex')], allowOutside: false, maxBytes: 1e6, allowHint: 'x' });
    assert.equal(d.abstract, undefined);
  });
});

describe('warnings about an abstract read from an \\input name the included file', () => {
  it('"The abstract on line N of F" points into the file the abstract is in', () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'arxiv-abs-')));
    try {
      fs.writeFileSync(path.join(dir, 'abs.tex'), 'We study graphs. '.repeat(800));
      const main = path.join(dir, 'main.tex');
      fs.writeFileSync(main, '\\documentclass{article}\n\\title{T}\n\\begin{document}\n\n\\begin{abstract}\n\\input{abs}\n\\end{abstract}\n\\end{document}\n');
      const d = extractDraftFromFile(main);
      const w = d.warnings.find((x) => x.startsWith('The abstract on'));
      assert.ok(w, d.warnings.join('\n'));
      assert.match(w, /^The abstract on line 1 of abs\.tex is 13,\d{3} characters/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
