/**
 * Dot products of an int8 query with every int8 row of the index. With WebAssembly SIMD (int8dot.wat) a row
 * of 128 bytes takes 16 multiply-accumulate instructions; without it, a plain JS loop gives the same integers.
 * The rows are copied once, zero-padded to a multiple of 16 bytes, into the kernel's own memory.
 */
import { INT8DOT_WASM_BASE64 } from './int8dotWasm.generated';

interface DotExports {
  memory: WebAssembly.Memory;
  dot_rows(q: number, rows: number, n: number, d: number, out: number): void;
}

function instantiate(): DotExports | undefined {
  try {
    if (typeof WebAssembly !== 'object') return undefined;
    const bin = atob(INT8DOT_WASM_BASE64);
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    if (!WebAssembly.validate(bytes)) return undefined; // no SIMD in this engine
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as DotExports;
  } catch {
    return undefined;
  }
}

export class Int8DotScanner {
  private readonly wasm?: DotExports;
  private readonly dPad: number;
  private readonly qPtr = 0;
  private readonly rowsPtr: number;
  private readonly outPtr: number;

  constructor(
    private readonly rows: Int8Array,
    readonly n: number,
    readonly d: number,
    useWasm = true,
  ) {
    this.dPad = Math.ceil(d / 16) * 16;
    this.rowsPtr = this.dPad;
    this.outPtr = this.rowsPtr + n * this.dPad;
    this.wasm = useWasm ? instantiate() : undefined;
    if (this.wasm) {
      const need = this.outPtr + 4 * n;
      const mem = this.wasm.memory;
      if (need > mem.buffer.byteLength) mem.grow(Math.ceil((need - mem.buffer.byteLength) / 65536));
      const dst = new Int8Array(mem.buffer, this.rowsPtr, n * this.dPad);
      for (let i = 0; i < n; i++) dst.set(rows.subarray(i * d, (i + 1) * d), i * this.dPad);
    }
  }

  get usesWasm(): boolean {
    return this.wasm !== undefined;
  }

  /** dot(q, row i) for every row, exact int32. */
  scan(q: Int8Array): Int32Array {
    const { n, d } = this;
    if (this.wasm) {
      const buf = this.wasm.memory.buffer;
      const qm = new Int8Array(buf, this.qPtr, this.dPad);
      qm.fill(0);
      qm.set(q.subarray(0, d));
      this.wasm.dot_rows(this.qPtr, this.rowsPtr, n, this.dPad, this.outPtr);
      return new Int32Array(buf, this.outPtr, n).slice();
    }
    const out = new Int32Array(n);
    const rows = this.rows;
    for (let i = 0, o = 0; i < n; i++, o += d) {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += q[t] * rows[o + t];
      out[i] = dot;
    }
    return out;
  }
}
