/**
 * Loader and JS side of the f32x4 SIMD attention kernels in attention.wat (compiled at dev time into
 * attentionWasm.generated.ts). Instantiated synchronously on first use; owns one linear memory that grows to
 * the largest call seen. Each call copies its inputs in, runs one export over all (batch, head, query row),
 * and copies the outputs out, so calls never share state through the memory.
 *
 * Keys are padded to Tk4 = ceil(Tk/4)*4 (zero keys/values, mask 0): padded keys get weight 0 and the
 * kernels need no scalar tail loops.
 */
import { ATTENTION_WASM_BASE64 } from './attentionWasm.generated';

interface AttentionExports {
  memory: WebAssembly.Memory;
  exp_array(ptr: number, mask: number, n: number): void;
  attn_forward(
    q: number, kT: number, vT: number, mask: number, out: number, P: number, scr: number,
    B: number, H: number, Tq: number, Tk4: number, dh: number, scale: number,
  ): void;
  attn_backward(
    dOut: number, q: number, kT: number, vT: number, P: number, dq: number, dkT: number, dvT: number, scr: number,
    B: number, H: number, Tq: number, Tk4: number, dh: number, scale: number,
  ): void;
}

/** What the forward pass keeps for the backward pass (keys/values/weights in the padded layout). */
export interface WasmAttentionSaved {
  qa: Float32Array;
  kTp: Float32Array;
  vTp: Float32Array;
  P: Float32Array;
  dims: { B: number; H: number; Tq: number; Tk: number; Tk4: number; dh: number };
}

let instance: AttentionExports | null | undefined;

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

function load(): AttentionExports | null {
  if (instance !== undefined) return instance;
  instance = null;
  try {
    if (typeof WebAssembly !== 'object') return null;
    const bytes = decodeBase64(ATTENTION_WASM_BASE64);
    // validate() is false when the engine lacks SIMD (or bulk memory): then the JS kernels are used.
    if (!WebAssembly.validate(bytes)) return null;
    instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as AttentionExports;
  } catch {
    instance = null;
  }
  return instance;
}

/** True when this engine runs the SIMD kernels (WebAssembly with 128-bit SIMD). */
export function wasmAttentionAvailable(): boolean {
  return load() !== null;
}

function wasm(): AttentionExports {
  const w = load();
  if (!w) throw new Error('WebAssembly SIMD attention kernels are not available in this runtime');
  return w;
}

/** Bump allocator over the module memory: 16-byte aligned byte offsets for regions of `floats` f32 each. */
function layout(floatCounts: number[]): { offsets: number[]; end: number } {
  const offsets: number[] = [];
  let at = 0;
  for (const n of floatCounts) {
    offsets.push(at);
    at += Math.ceil((n * 4) / 16) * 16;
  }
  return { offsets, end: at };
}

function memoryF32(w: AttentionExports, bytes: number): Float32Array {
  const have = w.memory.buffer.byteLength;
  if (bytes > have) w.memory.grow(Math.ceil((bytes - have) / 65536));
  return new Float32Array(w.memory.buffer);
}

/** Copies `rows` rows of `n` floats into rows of `n4` floats (zero tail); returns `src` when n4 === n. */
function padRows(src: Float32Array, rows: number, n: number, n4: number): Float32Array {
  if (n4 === n) return src;
  const dst = new Float32Array(rows * n4);
  for (let r = 0; r < rows; r++) dst.set(src.subarray(r * n, r * n + n), r * n4);
  return dst;
}

/** Copies rows of `n4` floats starting at float index `at` of `mem` into a dense [rows, n] array. */
function unpadRows(mem: Float32Array, at: number, rows: number, n: number, n4: number): Float32Array {
  if (n4 === n) return mem.slice(at, at + rows * n);
  const dst = new Float32Array(rows * n);
  for (let r = 0; r < rows; r++) dst.set(mem.subarray(at + r * n4, at + r * n4 + n), r * n);
  return dst;
}

/** Forward pass (same contract as the JS kernel in attentionOp.ts): out [B,H,Tq,dh] plus what backward needs. */
export function wasmAttentionForward(
  qa: Float32Array, kT: Float32Array, vT: Float32Array, mask: Float32Array,
  B: number, H: number, Tq: number, Tk: number, dh: number,
): { out: Float32Array; saved: WasmAttentionSaved } {
  const w = wasm();
  const Tk4 = Math.ceil(Tk / 4) * 4;
  const kTp = padRows(kT, B * H * dh, Tk, Tk4);
  const vTp = padRows(vT, B * H * dh, Tk, Tk4);
  const maskP = padRows(mask, B, Tk, Tk4);
  const nQ = B * H * Tq * dh;
  const nP = B * H * Tq * Tk4;
  const { offsets, end } = layout([nQ, kTp.length, vTp.length, maskP.length, nQ, nP, dh * 4]);
  const [oQ, oK, oV, oM, oOut, oP, oScr] = offsets;
  const mem = memoryF32(w, end);
  mem.set(qa, oQ / 4);
  mem.set(kTp, oK / 4);
  mem.set(vTp, oV / 4);
  mem.set(maskP, oM / 4);
  w.attn_forward(oQ, oK, oV, oM, oOut, oP, oScr, B, H, Tq, Tk4, dh, 1 / Math.sqrt(dh));
  const out = mem.slice(oOut / 4, oOut / 4 + nQ);
  const P = mem.slice(oP / 4, oP / 4 + nP);
  return { out, saved: { qa, kTp, vTp, P, dims: { B, H, Tq, Tk, Tk4, dh } } };
}

/** Backward pass: gradients for q [B,H,Tq,dh], kT and vT [B,H,dh,Tk] given dOut [B,H,Tq,dh]. */
export function wasmAttentionBackward(dOut: Float32Array, saved: WasmAttentionSaved): [Float32Array, Float32Array, Float32Array] {
  const w = wasm();
  const { B, H, Tq, Tk, Tk4, dh } = saved.dims;
  const nQ = B * H * Tq * dh;
  const nK = B * H * dh * Tk4;
  const { offsets, end } = layout([nQ, nQ, nK, nK, saved.P.length, nQ, nK, nK, dh * 4 + Tk4]);
  const [oG, oQ, oK, oV, oP, oDq, oDk, oDv, oScr] = offsets;
  const mem = memoryF32(w, end);
  mem.set(dOut, oG / 4);
  mem.set(saved.qa, oQ / 4);
  mem.set(saved.kTp, oK / 4);
  mem.set(saved.vTp, oV / 4);
  mem.set(saved.P, oP / 4);
  w.attn_backward(oG, oQ, oK, oV, oP, oDq, oDk, oDv, oScr, B, H, Tq, Tk4, dh, 1 / Math.sqrt(dh));
  const dq = mem.slice(oDq / 4, oDq / 4 + nQ);
  const dkT = unpadRows(mem, oDk / 4, B * H * dh, Tk, Tk4);
  const dvT = unpadRows(mem, oDv / 4, B * H * dh, Tk, Tk4);
  return [dq, dkT, dvT];
}

/** e^x through the softmax's SIMD exp (the very code the forward pass runs), for accuracy tests. */
export function wasmExp(x: Float32Array): Float32Array {
  const w = wasm();
  const n4 = Math.ceil(x.length / 4) * 4;
  const mem = memoryF32(w, n4 * 8);
  mem.fill(0, 0, n4);
  mem.set(x, 0);
  mem.fill(1, n4, 2 * n4); // mask: every lane is a real key
  w.exp_array(0, n4 * 4, n4);
  return mem.slice(0, x.length);
}
