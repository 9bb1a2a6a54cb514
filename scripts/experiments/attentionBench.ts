/**
 * Benchmark of the attention kernels: JS loops vs f32x4 SIMD WebAssembly, forward and forward+backward, at
 * the model's training shapes, alternating the two in the same run (the machine is shared, so absolute
 * numbers drift; the ratio is what matters).
 *   npx tsx scripts/experiments/attentionBench.ts [reps=10]
 */
import { attentionBackwardJs, attentionForwardJs } from '../../src/model/crossAttention/attentionOp';
import { wasmAttentionAvailable, wasmAttentionBackward, wasmAttentionForward } from '../../src/model/crossAttention/attentionWasm';

interface Shape { B: number; H: number; Tq: number; Tk: number; dh: number }

function randomArray(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 31 - 1;
  }
  return a;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeIt(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function benchShape({ B, H, Tq, Tk, dh }: Shape, reps: number): void {
  const q = randomArray(B * H * Tq * dh, 1);
  const kT = randomArray(B * H * dh * Tk, 2);
  const vT = randomArray(B * H * dh * Tk, 3);
  const g = randomArray(B * H * Tq * dh, 4);
  const mask = new Float32Array(B * Tk).fill(1);
  for (let b = 0; b < B; b++) mask.fill(0, b * Tk + Tk - (b % Math.max(1, Tk >> 2)), (b + 1) * Tk); // some padding
  const t = { jsF: [] as number[], jsFB: [] as number[], wF: [] as number[], wFB: [] as number[] };
  for (let r = 0; r < reps + 1; r++) {
    const jsF = timeIt(() => attentionForwardJs(q, kT, vT, mask, B, H, Tq, Tk, dh));
    const jsFB = timeIt(() => {
      const { P } = attentionForwardJs(q, kT, vT, mask, B, H, Tq, Tk, dh);
      attentionBackwardJs(g, q, kT, vT, P, B, H, Tq, Tk, dh);
    });
    const wF = timeIt(() => wasmAttentionForward(q, kT, vT, mask, B, H, Tq, Tk, dh));
    const wFB = timeIt(() => {
      const { saved } = wasmAttentionForward(q, kT, vT, mask, B, H, Tq, Tk, dh);
      wasmAttentionBackward(g, saved);
    });
    if (r === 0) continue; // warm-up (JIT, memory growth)
    t.jsF.push(jsF);
    t.jsFB.push(jsFB);
    t.wF.push(wF);
    t.wFB.push(wFB);
  }
  const [jf, jfb, wf, wfb] = [t.jsF, t.jsFB, t.wF, t.wFB].map(median);
  console.log(
    `B=${B} H=${H} Tq=${Tq} Tk=${Tk} dh=${dh}: forward JS ${jf.toFixed(1)} ms, wasm ${wf.toFixed(1)} ms (x${(jf / wf).toFixed(1)}); ` +
      `forward+backward JS ${jfb.toFixed(1)} ms, wasm ${wfb.toFixed(1)} ms (x${(jfb / wfb).toFixed(1)})`,
  );
}

function main(): void {
  if (!wasmAttentionAvailable()) {
    console.error('WebAssembly SIMD is not available in this runtime: nothing to compare.');
    process.exit(1);
  }
  const reps = Number(process.argv[2] ?? 10);
  if (!Number.isInteger(reps) || reps < 1) {
    console.error(`reps must be a positive integer, got ${process.argv[2]}`);
    process.exit(1);
  }
  console.log(`median of ${reps} runs each, JS and wasm interleaved`);
  for (const shape of [
    { B: 64, H: 8, Tq: 24, Tk: 128, dh: 8 },
    { B: 64, H: 8, Tq: 128, Tk: 24, dh: 8 },
    { B: 64, H: 8, Tq: 24, Tk: 128, dh: 6 },
  ]) benchShape(shape, reps);
}

main();
