/**
 * What the SciBERT (ONNX) path costs: per-draft encode latency and peak memory for a model of
 * SciBERT's exact shape (12 layers, hidden 768, 12 heads, FFN 3072, SciBERT's 31,090-token vocab)
 * with random weights, fp32 and int8. No pretrained weights are reachable here, and latency and
 * memory depend only on the shape, not on the weight values.
 *
 *   npx tsx src/bench/onnxBench.ts --out bench-results/onnx.json [--drafts 30] [--threads 2]
 *       [--work-dir DIR] [--data FILE] [--vocab FILE] [--python /usr/bin/python3]
 *
 * The models are generated (not committed) into --work-dir (default: <tmp>/arxiv-classifier-onnx-bench)
 * with scripts/onnx/make_bert_onnx.py and quantize_int8.py, and re-used when present.
 * Each variant runs in its own child process so its peak RSS (maxRSS) is the model's alone.
 * A draft = title (at most 32 tokens) + abstract (at most 256 tokens), each run as batch 1,
 * texts taken from the data file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import * as zlib from 'zlib';
import { execFile, spawn } from 'child_process';
import { performance } from 'perf_hooks';
import type { PaperText } from '../model/types';
import { OnnxBertEncoder } from '../model/onnx/onnxBertEncoder';
import { FeatureCache } from '../training/onnx/featureCache';
import { decodeStates, encodedBytes, encodeStates, type StateFormat } from '../training/onnx/stateCodec';
import { loadTokenizer } from '../model/text/tokenizer';
import { normalizeForModel } from '../model/text/normalize';

export type OnnxVariant = 'fp32' | 'int8';

export interface OnnxBenchOptions {
  /** JSON output file (also printed as a table). */
  out?: string;
  /** Where generated models live (re-used across runs). */
  workDir?: string;
  dataFile?: string;
  vocab?: string;
  python?: string;
  /** Drafts timed per variant (after warm-up). Default 30. */
  drafts?: number;
  warmup?: number;
  /** onnxruntime intra-op threads. Default 2. */
  threads?: number;
  /** Papers sampled (evenly over the data file) for token-count statistics. Default 12000. */
  statsPapers?: number;
  variants?: OnnxVariant[];
  /**
   * Command that runs `runOnnxBenchChild` with the arguments appended (a bundled host routes
   * `--onnx-bench-child` to it). Default: this file under the current node + loader (tsx).
   */
  childCommand?: string[];
  log?: (line: string) => void;
}

export interface LatencyStats {
  p50: number;
  p95: number;
  mean: number;
}

export interface VariantResult {
  variant: OnnxVariant;
  modelBytes: number;
  loadMs: number;
  drafts: number;
  meanTitleTokens: number;
  meanAbstractTokens: number;
  titleMs: LatencyStats;
  abstractMs: LatencyStats;
  draftMs: LatencyStats;
  /** Child process RSS after loading the model, and its peak over the run (MB = 1e6 bytes). */
  rssAfterLoadMB: number;
  peakRssMB: number;
  /** Bytes per paper the feature cache actually wrote for the first drafts (measured in one variant only). */
  cacheBytesPerPaper: Partial<Record<StateFormat, number>>;
  /** Smallest cosine, over all tokens of those drafts, between exact states and states decoded from the cache form. */
  cacheTokenCosineMin: Partial<Record<StateFormat, number>>;
}

export interface OnnxBenchResult {
  date: string;
  machine: { cpus: number; cpuModel: string; loadavg: number[]; node: string; note: string };
  model: { layers: number; hidden: number; heads: number; intermediate: number; vocab: number; weights: string };
  threads: number;
  variants: VariantResult[];
  /** Cosine of int8 vs fp32 token states (all real tokens of a text flattened), over the first texts. */
  cosineInt8VsFp32?: { mean: number; min: number; texts: number };
  tokenStats: { papers: number; meanTitleTokens: number; meanAbstractTokens: number; abstractsTruncatedAt256: number };
  /** Feature-cache size at hidden 768 (see featureCache.ts): max = all 32 + 256 tokens used. */
  cacheSize: Record<StateFormat, { maxBytesPerPaper: number; meanBytesPerPaper: number; meanGBFor12k: number; maxGBFor12k: number }>;
}

const SHAPE = { layers: 12, hidden: 768, heads: 12, intermediate: 3072 };
const TITLE_LEN = 32;
const ABSTRACT_LEN = 256;
const COSINE_TEXTS = 3;
const CHILD_FLAG = '--onnx-bench-child';
const RESULT_MARK = 'ONNX_BENCH_RESULT ';

function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'scripts', 'onnx'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

export async function runOnnxBench(opts: OnnxBenchOptions = {}): Promise<OnnxBenchResult> {
  const log = opts.log ?? ((s: string) => console.error(s));
  const root = repoRoot();
  const workDir = path.resolve(opts.workDir ?? path.join(os.tmpdir(), 'arxiv-classifier-onnx-bench'));
  const dataFile = path.resolve(opts.dataFile ?? path.join(root, '..', 'shared', 'data', 'arxiv_papers.jsonl.gz'));
  const vocab = path.resolve(opts.vocab ?? path.join(root, '..', 'shared', 'models', 'scibert_scivocab_uncased', 'vocab.txt'));
  const python = opts.python ?? '/usr/bin/python3';
  const drafts = opts.drafts ?? 30;
  const warmup = opts.warmup ?? 3;
  const threads = opts.threads ?? 2;
  const variants = opts.variants ?? ['fp32', 'int8'];
  for (const [what, p] of [['data file', dataFile], ['vocab', vocab]] as const) {
    if (!fs.existsSync(p)) throw new Error(`onnx bench: ${what} not found: ${p}`);
  }

  const fp32Dir = path.join(workDir, 'scibert-shape-fp32');
  const int8Dir = path.join(workDir, 'scibert-shape-int8');
  await ensureModel(fp32Dir, log, async (tmp) => {
    await run(python, [path.join(root, 'scripts/onnx/make_bert_onnx.py'), '--layers', String(SHAPE.layers), '--hidden', String(SHAPE.hidden),
      '--heads', String(SHAPE.heads), '--intermediate', String(SHAPE.intermediate), '--vocab', vocab, '--seed', '7', '--out', tmp]);
  });
  if (variants.includes('int8')) {
    await ensureModel(int8Dir, log, async (tmp) => {
      await run(python, [path.join(root, 'scripts/onnx/quantize_int8.py'), '--in', path.join(fp32Dir, 'model.onnx'),
        '--out', path.join(tmp, 'model.onnx'), '--copy-assets']);
    });
  }

  log(`onnx bench: reading papers from ${dataFile}`);
  const statsPapers = opts.statsPapers ?? 12000;
  const sample = await samplePapers(dataFile, statsPapers);
  const tokenizer = loadTokenizer(fp32Dir);
  let titleTok = 0;
  let absTok = 0;
  let truncated = 0;
  for (const p of sample) {
    titleTok += Math.min(TITLE_LEN, tokenizer.ids(normalizeForModel(p.title), TITLE_LEN).length + 2);
    const a = tokenizer.ids(normalizeForModel(p.abstract), ABSTRACT_LEN).length + 2;
    if (a > ABSTRACT_LEN) truncated++;
    absTok += Math.min(ABSTRACT_LEN, a);
  }
  const meanTitle = titleTok / sample.length;
  const meanAbs = absTok / sample.length;
  // Timed drafts: the first papers of an even spread over the file (varied fields and years).
  const draftPapers = sample.filter((_, i) => i % Math.max(1, Math.floor(sample.length / (drafts + warmup))) === 0).slice(0, drafts + warmup);
  const draftsFile = path.join(workDir, 'drafts.json');
  fs.writeFileSync(draftsFile, JSON.stringify(draftPapers));

  const results: VariantResult[] = [];
  for (const variant of variants) {
    const dir = variant === 'fp32' ? fp32Dir : int8Dir;
    log(`onnx bench: timing ${variant} (${drafts} drafts, ${threads} threads) in a child process`);
    const statesFile = path.join(workDir, `states-${variant}.bin`);
    const r = await runChild(opts.childCommand, { variant, dir, draftsFile, warmup, threads, statesFile, cacheDir: path.join(workDir, `cache-${variant}`),
      cachePapers: variant === variants[variants.length - 1] ? Math.min(10, drafts) : 0 });
    results.push(r);
  }

  let cosineInt8VsFp32: OnnxBenchResult['cosineInt8VsFp32'];
  if (variants.includes('fp32') && variants.includes('int8')) {
    const a = readFloats(path.join(workDir, 'states-fp32.bin'));
    const b = readFloats(path.join(workDir, 'states-int8.bin'));
    const cos = a.map((x, i) => cosine(x, b[i]));
    cosineInt8VsFp32 = { mean: cos.reduce((s, c) => s + c, 0) / cos.length, min: Math.min(...cos), texts: cos.length };
  }

  const H = SHAPE.hidden;
  const entryOverhead = 120; // header JSON per entry: key, offset, tokens, CRC
  const size = (format: StateFormat, t: number, a: number): number =>
    encodedBytes(t, H, format) + encodedBytes(a, H, format) + 2 * entryOverhead;
  const cacheSize = {} as OnnxBenchResult['cacheSize'];
  for (const f of ['f16', 'int8'] as const) {
    const max = size(f, TITLE_LEN, ABSTRACT_LEN);
    // Mean: the per-channel scales are per entry, so they do not scale with tokens.
    const mean = f === 'f16' ? (meanTitle + meanAbs) * H * 2 + 2 * entryOverhead : (meanTitle + meanAbs) * H + 2 * H * 4 + 2 * entryOverhead;
    cacheSize[f] = { maxBytesPerPaper: max, meanBytesPerPaper: Math.round(mean), meanGBFor12k: round((mean * 12000) / 1e9, 2), maxGBFor12k: round((max * 12000) / 1e9, 2) };
  }

  const result: OnnxBenchResult = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '?', loadavg: os.loadavg().map((x) => round(x, 2)), node: process.version,
      note: 'shared machine: other jobs run at the same time, so latencies are noisy upper bounds' },
    model: { ...SHAPE, vocab: tokenizer.vocabSize, weights: 'random (scripts/onnx/make_bert_onnx.py); int8 by scripts/onnx/quantize_int8.py' },
    threads,
    variants: results,
    cosineInt8VsFp32,
    tokenStats: { papers: sample.length, meanTitleTokens: round(meanTitle, 1), meanAbstractTokens: round(meanAbs, 1), abstractsTruncatedAt256: round(truncated / sample.length, 3) },
    cacheSize,
  };
  printTable(result, log);
  if (opts.out) {
    fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
    fs.writeFileSync(opts.out, JSON.stringify(result, null, 2) + '\n');
    log(`onnx bench: wrote ${opts.out}`);
  }
  return result;
}

interface ChildArgs {
  variant: OnnxVariant;
  dir: string;
  draftsFile: string;
  warmup: number;
  threads: number;
  statesFile: string;
  cacheDir: string;
  /** Drafts whose features are written to a feature cache to measure its size (0: skip). */
  cachePapers: number;
}

/** The measured part, run in a fresh process: load, warm up, time drafts, write states, fill a cache. */
export async function runOnnxBenchChild(args: ChildArgs): Promise<VariantResult> {
  const papers = JSON.parse(fs.readFileSync(args.draftsFile, 'utf8')) as PaperText[];
  const t0 = performance.now();
  const enc = await OnnxBertEncoder.load(args.dir, { intraOpThreads: args.threads });
  const loadMs = performance.now() - t0;
  const rssAfterLoad = process.memoryUsage().rss;
  try {
    const timed = papers.slice(args.warmup);
    for (const p of papers.slice(0, args.warmup)) {
      await enc.encode([p.title], TITLE_LEN);
      await enc.encode([p.abstract], ABSTRACT_LEN);
    }
    const titleMs: number[] = [];
    const absMs: number[] = [];
    let titleTok = 0;
    let absTok = 0;
    const keep: Float32Array[] = [];
    for (const p of timed) {
      const a = performance.now();
      const t = await enc.encode([p.title], TITLE_LEN);
      const b = performance.now();
      const s = await enc.encode([p.abstract], ABSTRACT_LEN);
      const c = performance.now();
      titleMs.push(b - a);
      absMs.push(c - b);
      titleTok += t.seqLen;
      absTok += s.seqLen;
      if (keep.length < COSINE_TEXTS * 2) keep.push(t.states.slice(), s.states.slice());
    }
    // Peak RSS of loading + encoding (maxRSS is in KiB), taken before the cache step below.
    const peakRss = process.resourceUsage().maxRSS * 1024;
    writeFloats(args.statesFile, keep);
    const draftMs = titleMs.map((x, i) => x + absMs[i]);
    // Real cache bytes on disk (untimed, after the RSS reading): the first drafts, encoded once and
    // stored in both formats. Sizes depend on token counts only, so one variant measures them.
    const cacheBytesPerPaper: Partial<Record<StateFormat, number>> = {};
    const cacheTokenCosineMin: Partial<Record<StateFormat, number>> = {};
    if (args.cachePapers > 0) {
      const sample = timed.slice(0, args.cachePapers);
      const caches = await Promise.all((['f16', 'int8'] as const).map(async (format) => {
        const dir = `${args.cacheDir}-${format}`;
        fs.rmSync(dir, { recursive: true, force: true });
        return { format, dir, cache: await FeatureCache.open(dir, enc.fingerprint, enc.hiddenSize, { format }) };
      }));
      for (const p of sample) {
        for (const [text, len] of [[p.title, TITLE_LEN], [p.abstract, ABSTRACT_LEN]] as const) {
          const tok = enc.tokenize(text, len);
          const st = await enc.encodeTokens([tok]);
          for (const c of caches) {
            await c.cache.put(FeatureCache.key(enc.fingerprint, text, tok), st.states, tok.length);
            // Codec error on these states: worst per-token cosine, decoded vs exact.
            const dec = decodeStates(encodeStates(st.states, tok.length, enc.hiddenSize, c.format), tok.length, enc.hiddenSize, c.format);
            const H = enc.hiddenSize;
            for (let t = 0; t < tok.length; t++) {
              const cos = cosine(st.states.subarray(t * H, (t + 1) * H), dec.subarray(t * H, (t + 1) * H));
              cacheTokenCosineMin[c.format] = Math.min(cacheTokenCosineMin[c.format] ?? 1, cos);
            }
          }
        }
      }
      for (const c of caches) {
        await c.cache.close();
        const reopened = await FeatureCache.open(c.dir, enc.fingerprint, enc.hiddenSize);
        cacheBytesPerPaper[c.format] = Math.round(reopened.stats().bytesOnDisk / sample.length);
        await reopened.close();
        fs.rmSync(c.dir, { recursive: true, force: true });
      }
    }
    return {
      variant: args.variant,
      modelBytes: fs.statSync(path.join(args.dir, 'model.onnx')).size,
      loadMs: round(loadMs, 0),
      drafts: timed.length,
      meanTitleTokens: round(titleTok / timed.length, 1),
      meanAbstractTokens: round(absTok / timed.length, 1),
      titleMs: stats(titleMs),
      abstractMs: stats(absMs),
      draftMs: stats(draftMs),
      rssAfterLoadMB: round(rssAfterLoad / 1e6, 0),
      peakRssMB: round(peakRss / 1e6, 0),
      cacheBytesPerPaper,
      cacheTokenCosineMin,
    };
  } finally {
    await enc.dispose();
  }
}

async function runChild(command: string[] | undefined, args: ChildArgs): Promise<VariantResult> {
  const base = command ?? [process.execPath, ...process.execArgv, __filename];
  const [cmd, ...rest] = base;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...rest, CHILD_FLAG, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_MARK));
      if (code !== 0 || !line) return reject(new Error(`onnx bench child (${args.variant}) failed with code ${code}: ${out.slice(-2000)}`));
      resolve(JSON.parse(line.slice(RESULT_MARK.length)) as VariantResult);
    });
  });
}

/** Child entry: prints the result as one marked JSON line on stdout. */
export async function childMain(json: string): Promise<void> {
  const r = await runOnnxBenchChild(JSON.parse(json) as ChildArgs);
  process.stdout.write(RESULT_MARK + JSON.stringify(r) + '\n');
}

function writeFloats(file: string, arrays: Float32Array[]): void {
  const parts: Buffer[] = [];
  for (const a of arrays) {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(a.length, 0);
    parts.push(len, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  }
  fs.writeFileSync(file, Buffer.concat(parts));
}

function readFloats(file: string): Float32Array[] {
  const buf = fs.readFileSync(file);
  const out: Float32Array[] = [];
  for (let o = 0; o < buf.length;) {
    const n = buf.readUInt32LE(o);
    o += 4;
    out.push(new Float32Array(buf.buffer.slice(buf.byteOffset + o, buf.byteOffset + o + n * 4)));
    o += n * 4;
  }
  return out;
}

async function ensureModel(dir: string, log: (s: string) => void, make: (tmp: string) => Promise<void>): Promise<void> {
  if (fs.existsSync(path.join(dir, 'model.onnx')) && fs.existsSync(path.join(dir, 'config.json'))) {
    log(`onnx bench: re-using ${dir}`);
    return;
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  log(`onnx bench: generating ${dir} (one-time)`);
  await make(tmp);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir); // complete folders only: a killed generation is never re-used
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(args[0] ?? cmd)} failed: ${err.message}\n${String(stderr).slice(-3000)}`));
      else resolve();
    });
  });
}

/** Every k-th paper of the JSONL.gz file, so the sample spans all years and fields. */
async function samplePapers(file: string, n: number): Promise<PaperText[]> {
  const all: PaperText[] = [];
  const rl = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      if (typeof o.title === 'string' && typeof o.abstract === 'string') all.push({ title: o.title, abstract: o.abstract });
    } catch {
      /* a bad row is skipped */
    }
  }
  const step = Math.max(1, Math.floor(all.length / n));
  const out: PaperText[] = [];
  for (let i = 0; i < all.length && out.length < n; i += step) out.push(all[i]);
  return out;
}

function stats(xs: number[]): LatencyStats {
  const s = xs.slice().sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
  return { p50: round(q(0.5), 1), p95: round(q(0.95), 1), mean: round(s.reduce((a, b) => a + b, 0) / s.length, 1) };
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function printTable(r: OnnxBenchResult, log: (s: string) => void): void {
  log(`\nSciBERT-shaped encoder (random weights), ${r.threads} threads, ${r.machine.cpus} CPUs, load avg ${r.machine.loadavg.join(' ')} (${r.machine.note})`);
  log('variant | model MB | load ms | title p50/p95 ms | abstract p50/p95 ms | draft p50/p95 ms | RSS load/peak MB | cache B/paper f16/int8');
  for (const v of r.variants) {
    log(`${v.variant.padEnd(7)} | ${(v.modelBytes / 1e6).toFixed(0).padStart(8)} | ${String(v.loadMs).padStart(7)} | ${v.titleMs.p50}/${v.titleMs.p95} (${v.meanTitleTokens} tok) | ${v.abstractMs.p50}/${v.abstractMs.p95} (${v.meanAbstractTokens} tok) | ${v.draftMs.p50}/${v.draftMs.p95} | ${v.rssAfterLoadMB}/${v.peakRssMB} | ${v.cacheBytesPerPaper.f16 ?? '-'}/${v.cacheBytesPerPaper.int8 ?? '-'}`);
  }
  for (const v of r.variants) {
    for (const [f, c] of Object.entries(v.cacheTokenCosineMin)) log(`${v.variant}: feature cache ${f} codec, worst per-token cosine to exact states: ${c.toFixed(5)}`);
  }
  if (r.cosineInt8VsFp32) log(`cosine int8 vs fp32 token states: mean ${r.cosineInt8VsFp32.mean.toFixed(5)}, min ${r.cosineInt8VsFp32.min.toFixed(5)} over ${r.cosineInt8VsFp32.texts} texts`);
  const t = r.tokenStats;
  log(`tokens over ${t.papers} papers: title ${t.meanTitleTokens}, abstract ${t.meanAbstractTokens} (capped 32/256; ${(t.abstractsTruncatedAt256 * 100).toFixed(1)}% of abstracts truncated)`);
  for (const [f, c] of Object.entries(r.cacheSize)) {
    log(`feature cache ${f}: ${c.meanBytesPerPaper} B/paper mean, ${c.maxBytesPerPaper} max -> 12k papers ${c.meanGBFor12k} GB mean, ${c.maxGBFor12k} GB max`);
  }
}

function parseArgs(argv: string[]): OnnxBenchOptions {
  const o: OnnxBenchOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    const int = (): number => {
      const x = Number(v());
      if (!Number.isInteger(x) || x < 0) throw new Error(`${a} needs a non-negative integer`);
      return x;
    };
    if (a === '--out') o.out = v();
    else if (a === '--work-dir') o.workDir = v();
    else if (a === '--data') o.dataFile = v();
    else if (a === '--vocab') o.vocab = v();
    else if (a === '--python') o.python = v();
    else if (a === '--drafts') o.drafts = Math.max(1, int());
    else if (a === '--warmup') o.warmup = int();
    else if (a === '--threads') o.threads = Math.max(1, int());
    else if (a === '--stats-papers') o.statsPapers = Math.max(1, int());
    else if (a === '--variants') o.variants = v().split(',').map((s) => s.trim()).filter((s): s is OnnxVariant => s === 'fp32' || s === 'int8');
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

// Only when run as its own script (inside the bundled CLI, require.main === module is the CLI itself).
if (require.main === module && /onnxBench\.[cjt]s$/.test(process.argv[1] ?? '')) {
  const argv = process.argv.slice(2);
  const childAt = argv.indexOf(CHILD_FLAG);
  const main = childAt >= 0 ? childMain(argv[childAt + 1] ?? '{}') : runOnnxBench(parseArgs(argv)).then(() => undefined);
  main.catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
