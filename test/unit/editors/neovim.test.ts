/**
 * Other editors: Neovim's built-in LSP client (Debian's `neovim`, installed by `npm test` from
 * scripts/apt-packages.txt) drives the bundled server over stdio with no initializationOptions, no settings and
 * none of the extension's custom requests. It opens a draft that declares cs.CL while being about computer
 * vision and must get the declared-category warning and a hover naming cs.CV, from the model shipped next to
 * dist/server.js. The Lua side (nvimDriver.lua) waits on state within a deadline and writes what it saw.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const DIST = process.env.E2E_DIST ?? path.join(ROOT, 'dist');
const DRAFT = path.join(ROOT, 'test', 'fixtures', 'editors', 'vision-declared-cl.tex');
/** Bound on the Lua script's whole run (server start, model load, classification, hover). */
const DEADLINE_MS = 90_000;

interface NvimResult {
  ok: boolean;
  error?: string;
  filetype?: string;
  diagnostics?: { lnum: number; col: number; severity: number; message: string; source?: string }[];
  hover?: string;
  server_exit?: number;
  hover_provider?: boolean;
  events: string[];
}

function nvimVersion(): string | undefined {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
}

/** Runs nvim headless with the driver; resolves with its JSON once nvim exits (killed after the deadline). */
async function runNeovim(tmp: string): Promise<NvimResult> {
  const out = path.join(tmp, 'result.json');
  const env = {
    ...process.env,
    // Keep Neovim's logs, shada and state out of the user's home.
    XDG_CONFIG_HOME: path.join(tmp, 'config'),
    XDG_DATA_HOME: path.join(tmp, 'data'),
    XDG_STATE_HOME: path.join(tmp, 'state'),
    XDG_CACHE_HOME: path.join(tmp, 'cache'),
    NODE_OPTIONS: '', // not mocha's tsx loader
    ARXIV_NODE: process.execPath,
    ARXIV_SERVER: path.join(DIST, 'server.js'),
    ARXIV_DRAFT: DRAFT,
    ARXIV_OUT: out,
    ARXIV_DEADLINE_MS: String(DEADLINE_MS),
  };
  const child = spawn('nvim', ['--headless', '--clean', '-n', '-c', `luafile ${path.join(__dirname, 'nvimDriver.lua')}`], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  // The script quits by itself, also on failure; this only bounds a hung nvim.
  const killer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS + 15_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(killer);
  if (!fs.existsSync(out)) throw new Error(`nvim exited (${code}) without writing its result; output:\n${output.slice(-4000)}`);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as NvimResult;
}

describe('Neovim built-in LSP client against dist/server.js --stdio (skipped without nvim)', function () {
  this.timeout(DEADLINE_MS + 60_000);
  let tmp: string;
  let result: NvimResult;

  before(async function () {
    this.timeout(DEADLINE_MS + 120_000);
    if (!nvimVersion()) this.skip();
    if (!process.env.E2E_DIST) execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arxiv-nvim-'));
    result = await runNeovim(tmp);
    assert.ok(result.ok, `the Neovim session failed: ${result.error}\n${result.events.join('\n')}`);
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('publishes the declared-category warning on the arXiv line, naming the better category', () => {
    const lines = fs.readFileSync(DRAFT, 'utf8').split('\n');
    const declared = lines.findIndex((l) => /^% arXiv: cs\.CL\s*$/.test(l));
    assert.ok(declared >= 0);
    const warning = result.diagnostics?.find((d) => d.lnum === declared);
    assert.ok(warning, `a diagnostic on line ${declared + 1}: ${JSON.stringify(result.diagnostics)}`);
    assert.equal(warning.severity, 2, 'a warning (vim.diagnostic.severity.WARN)');
    assert.match(warning.message, /Declared primary cs\.CL/);
    assert.match(warning.message, /suggests cs\.CV/);
  });

  it('answers a hover on the title with the predicted category, from the shipped model', () => {
    assert.equal(result.hover_provider, true, 'initialize announced hoverProvider');
    assert.match(result.hover ?? '', /arXiv category: `cs\.CV` Computer Vision and Pattern Recognition/);
    assert.match(result.hover ?? '', /Model: arxiv-/);
  });

  it('treats the .tex file as a TeX buffer and shuts the server down cleanly', () => {
    assert.equal(result.filetype, 'tex');
    assert.equal(result.server_exit, 0, `server exit code: ${result.server_exit}`);
  });
});
