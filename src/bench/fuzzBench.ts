/**
 * `npm run bench:fuzz`: at least 10,000 seeded hostile drafts (src/bench/draftFuzz.ts) through extractDraft
 * in this process, one at a time. Prints a table (count, p50/p99/max ms per input, inputs over the 0.5 s
 * target, peak RSS; per mutation and overall) and the slowest inputs, and writes bench-results/fuzz.json.
 * Each input is timed twice: wall clock, and CPU time of this process (user + system), which is what the
 * input cost when the machine is shared and the process waits for a core.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { extractDraft } from '../draft/extract';
import { fuzzCases } from './draftFuzz';
import { parse, UsageError } from '../cli/args';

/** The issue's target: no single input may take longer than this in-process. */
export const TARGET_MS = 500;

function pct(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
}

interface Row {
  count: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  over_target: number;
}

function row(times: number[]): Row {
  const s = [...times].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { count: s.length, p50_ms: r(pct(s, 0.5)), p99_ms: r(pct(s, 0.99)), max_ms: r(s[s.length - 1] ?? 0), over_target: s.filter((t) => t > TARGET_MS).length };
}

/**
 * `--only 1010,3937`: run just those case ids (generated from the same seed, so identical to the full run)
 * three times each and print wall and CPU ms per run; writes no JSON. For profiling one slow input with
 * `node --cpu-prof dist/cli.js bench-fuzz --only N`.
 */
function fuzzOnly(list: string, count: number, seed: number, out: (s: string) => void): number {
  const ids = new Set(list.split(',').map((x) => Number(x.trim())));
  if ([...ids].some((i) => !Number.isInteger(i) || i < 0)) throw new UsageError('--only takes comma-separated case ids');
  const last = Math.max(...ids);
  for (const c of fuzzCases(seed, Math.max(count, last + 1))) {
    if (!ids.has(c.id)) continue;
    const runs: string[] = [];
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      extractDraft(c.text, c.options);
      const cpu = process.cpuUsage(c0);
      runs.push(`${(performance.now() - t0).toFixed(1)}/${((cpu.user + cpu.system) / 1000).toFixed(1)}`);
    }
    out(`#${c.id} ${c.kinds.join('+')} ${c.options.fileName} ${c.text.length} chars: wall/CPU ms ${runs.join(' ')}`);
    if (c.id === last) break;
  }
  return 0;
}

export async function fuzzBenchCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values } = parse(argv, { count: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' }, only: { type: 'string' } });
  const count = Number(values.count ?? 10_000);
  const seed = Number(values.seed ?? 1);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) throw new UsageError('--count and --seed must be integers (count >= 1)');
  const outFile = resolve(values.out ?? 'bench-results/fuzz.json');
  if (values.only !== undefined) return fuzzOnly(values.only, count, seed, out);

  // Warm-up on an ordinary draft of each format, so the first fuzz inputs do not pay for JIT and module set-up.
  extractDraft('\\title{Warm}\n\\begin{abstract}Up $x$ \\emph{a}.\\end{abstract}\n', { fileName: '/warm/up.tex' });
  extractDraft('---\ntitle: Warm\n---\n\n## Abstract\n\nUp $x$.\n', { fileName: '/warm/up.md' });

  const all: number[] = [];
  const allCpu: number[] = [];
  const byKind = new Map<string, number[]>();
  const slowest: { id: number; ms: number; kinds: string[]; file: string; chars: number }[] = [];
  const failures: { id: number; kinds: string[]; error: string }[] = [];
  const started = performance.now();
  mkdirSync(dirname(outFile), { recursive: true });
  const summary = () => ({
    seed,
    count: all.length,
    target_ms: TARGET_MS,
    overall: row(all),
    overall_cpu: row(allCpu),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    wall_s: Math.round((performance.now() - started) / 100) / 10,
    by_mutation: Object.fromEntries([...byKind.entries()].sort().map(([k, t]) => [k, row(t)])),
    slowest,
    failures,
    node: process.version,
    date: new Date().toISOString(),
  });
  let done = 0;
  for (const c of fuzzCases(seed, count)) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let ms: number;
    try {
      const draft = extractDraft(c.text, c.options);
      ms = performance.now() - t0;
      const internal = draft.warnings.find((w) => w.startsWith('Internal error'));
      if (internal) failures.push({ id: c.id, kinds: c.kinds, error: internal.slice(0, 300) });
    } catch (e) {
      ms = performance.now() - t0;
      failures.push({ id: c.id, kinds: c.kinds, error: String((e as Error)?.stack ?? e).slice(0, 300) });
    }
    const cpu = process.cpuUsage(c0);
    allCpu.push((cpu.user + cpu.system) / 1000);
    all.push(ms);
    for (const k of new Set(c.kinds)) (byKind.get(k) ?? byKind.set(k, []).get(k)!).push(ms);
    slowest.push({ id: c.id, ms: Math.round(ms * 10) / 10, kinds: c.kinds, file: c.options.fileName, chars: c.text.length });
    slowest.sort((a, b) => b.ms - a.ms);
    slowest.length = Math.min(slowest.length, 10);
    if (++done % 1000 === 0) {
      // Written as it goes (marked partial), so a long run on a busy machine leaves its numbers behind.
      const r = summary();
      writeFileSync(outFile, JSON.stringify({ ...r, partial: true }, null, 2) + '\n');
      err(`${done}/${count} inputs, ${r.wall_s} s: wall p99 ${r.overall.p99_ms} ms, max ${r.overall.max_ms} ms; CPU p99 ${r.overall_cpu.p99_ms} ms, max ${r.overall_cpu.max_ms} ms`);
    }
  }
  const result = summary();
  writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
  const overall = result.overall;
  const overallCpu = result.overall_cpu;
  const kinds = result.by_mutation;
  const peakRssMb = result.peak_rss_mb;

  if (values.json) {
    out(JSON.stringify(result));
  } else {
    const line = (name: string, r: Row) =>
      `${name.padEnd(16)} ${String(r.count).padStart(6)} ${r.p50_ms.toFixed(2).padStart(8)} ${r.p99_ms.toFixed(1).padStart(8)} ${r.max_ms.toFixed(1).padStart(8)} ${String(r.over_target).padStart(7)}`;
    out(`Draft extraction fuzz: ${count} inputs, seed ${seed}, in-process (target: none over ${TARGET_MS} ms)`);
    out('');
    out(`${'inputs'.padEnd(16)} ${'count'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'>0.5 s'.padStart(7)}`);
    out(line('all (wall)', overall));
    out(line('all (CPU)', overallCpu));
    for (const [k, r] of Object.entries(kinds)) out(line(`  ${k}`, r));
    out('(rows per mutation: wall clock; an input with several mutations counts in each)');
    out('');
    out(`peak RSS: ${peakRssMb} MB; wall time ${result.wall_s} s; exceptions or internal errors: ${failures.length}`);
    out(`slowest: ${slowest.slice(0, 5).map((s) => `#${s.id} ${s.ms} ms (${s.kinds.join('+')}, ${s.chars} chars)`).join('; ')}`);
    out(`written: ${outFile}`);
  }
  return failures.length ? 1 : 0;
}
