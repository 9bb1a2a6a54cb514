#!/usr/bin/env node
// Runs the real-VS-Code UI suite several times in a row while busy loops keep every core loaded, to show the
// UI tests wait on state rather than time. Usage:
//   node scripts/vscode-test/under-load.mjs [--runs 5] [--burners 2] [-- extra run.mjs args, e.g. --grep X]
// The first run packages the VSIX when needed; later runs reuse it (--no-package). The burners are this
// script's own children and are killed (by pid) when it ends, also on Ctrl+C. Prints one line per run and a
// summary; writes test-artifacts/under-load.json. Exits non-zero when any run had a failure.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
const own = sep >= 0 ? argv.slice(0, sep) : argv;
const extra = sep >= 0 ? argv.slice(sep + 1) : [];
const num = (name, dflt) => {
  const i = own.indexOf(name);
  const v = i >= 0 ? Number(own[i + 1]) : dflt;
  if (!Number.isInteger(v) || v < 0 || v > 100) throw new Error(`${name} must be an integer 0..100`);
  return v;
};
const runs = num('--runs', 5);
const burnerCount = num('--burners', cpus().length);

const burners = [];
const stopBurners = () => {
  for (const b of burners.splice(0)) if (b.exitCode === null) b.kill('SIGKILL');
};
process.on('exit', stopBurners);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

/** One run of run.mjs --only ui; resolves with its pass/fail counts from the summary line. */
function runSuite(i) {
  const args = [path.join(repo, 'scripts/vscode-test/run.mjs'), '--only', 'ui', ...(i > 0 ? ['--no-package'] : []), ...extra];
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keep = (d) => {
      out += d.toString();
      process.stdout.write(d);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('exit', (code) => {
      const m = /^(\d+) passed, (\d+) failed$/m.exec(out);
      const failing = [...out.matchAll(/^\s+\d+\) (.+)$/gm)].map((x) => x[1].trim());
      resolve({ run: i + 1, code, passed: m ? Number(m[1]) : 0, failed: m ? Number(m[2]) : 1, seconds: Math.round((Date.now() - t0) / 1000), failing });
    });
  });
}

for (let i = 0; i < burnerCount; i++) burners.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
console.log(`[under-load] ${burnerCount} busy loops (pids ${burners.map((b) => b.pid).join(', ')}) on ${cpus().length} cores; ${runs} UI runs`);
const results = [];
for (let i = 0; i < runs; i++) {
  const r = await runSuite(i);
  r.load1 = Number(loadavg()[0].toFixed(1));
  results.push(r);
  console.log(`[under-load] run ${r.run}: ${r.passed} passed, ${r.failed} failed, ${r.seconds} s, load ${r.load1}${r.failing.length ? `; failing: ${r.failing.join(' | ')}` : ''}`);
}
stopBurners();
const allGreen = results.every((r) => r.failed === 0 && r.code === 0 && r.passed > 0);
console.log(`[under-load] ${results.filter((r) => r.failed === 0 && r.code === 0).length}/${runs} runs green`);
mkdirSync(path.join(repo, 'test-artifacts'), { recursive: true });
writeFileSync(path.join(repo, 'test-artifacts', 'under-load.json'), JSON.stringify({ date: new Date().toISOString(), burners: burnerCount, cores: cpus().length, results }, null, 2));
process.exit(allGreen ? 0 : 1);
