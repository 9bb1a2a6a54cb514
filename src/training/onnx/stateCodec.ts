/**
 * Compact on-disk forms of token states [tokens, hidden] for the feature cache.
 *
 * - 'f16':  IEEE half floats, little endian, row-major: tokens*hidden*2 bytes. Relative error
 *           <= 2^-11 (~5e-4) for values in half's normal range (|x| >= 6e-5).
 * - 'int8': per-channel symmetric int8: `hidden` float32 scales (max over the text's tokens of
 *           |x[:, c]| / 127), then tokens*hidden int8 values; x ~= q * scale[c].
 *           Half the size of f16. Per channel (not per token) because BERT's hidden states have
 *           a few dimensions of much larger magnitude than the rest; a per-token scale would
 *           crush the small ones.
 */

export type StateFormat = 'f16' | 'int8';

export const STATE_FORMATS: readonly StateFormat[] = ['f16', 'int8'];

/** Bytes one entry takes on disk (payload only; the shard header adds ~110 bytes). */
export function encodedBytes(tokens: number, hidden: number, format: StateFormat): number {
  return format === 'f16' ? tokens * hidden * 2 : hidden * 4 + tokens * hidden;
}

export function encodeStates(states: Float32Array, tokens: number, hidden: number, format: StateFormat): Buffer {
  const n = tokens * hidden;
  if (states.length < n) throw new RangeError(`states has ${states.length} values, need ${n}`);
  const out = Buffer.alloc(encodedBytes(tokens, hidden, format));
  if (format === 'f16') {
    for (let i = 0; i < n; i++) out.writeUInt16LE(floatToHalf(states[i]), i * 2);
    return out;
  }
  const scales = new Float32Array(hidden);
  for (let t = 0; t < tokens; t++) {
    const row = t * hidden;
    for (let c = 0; c < hidden; c++) {
      const a = Math.abs(states[row + c]);
      if (a > scales[c]) scales[c] = a;
    }
  }
  for (let c = 0; c < hidden; c++) {
    // Float32 rounding of the scale is what the decoder sees, so quantise with that value.
    scales[c] = Number.isFinite(scales[c]) ? scales[c] / 127 : 0;
    out.writeFloatLE(scales[c], c * 4);
  }
  const q = new Int8Array(out.buffer, out.byteOffset + hidden * 4, n);
  for (let t = 0; t < tokens; t++) {
    const row = t * hidden;
    for (let c = 0; c < hidden; c++) {
      const s = scales[c];
      const v = s > 0 ? Math.round(states[row + c] / s) : 0;
      q[row + c] = v > 127 ? 127 : v < -127 ? -127 : v;
    }
  }
  return out;
}

export function decodeStates(buf: Uint8Array, tokens: number, hidden: number, format: StateFormat): Float32Array {
  const n = tokens * hidden;
  if (buf.length !== encodedBytes(tokens, hidden, format)) {
    throw new RangeError(`entry has ${buf.length} bytes, expected ${encodedBytes(tokens, hidden, format)} for ${tokens}x${hidden} ${format}`);
  }
  const out = new Float32Array(n);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (format === 'f16') {
    const table = halfTable();
    for (let i = 0; i < n; i++) out[i] = table[view.getUint16(i * 2, true)];
    return out;
  }
  const scales = new Float32Array(hidden);
  for (let c = 0; c < hidden; c++) scales[c] = view.getFloat32(c * 4, true);
  const q = new Int8Array(buf.buffer, buf.byteOffset + hidden * 4, n);
  for (let t = 0; t < tokens; t++) {
    const row = t * hidden;
    for (let c = 0; c < hidden; c++) out[row + c] = q[row + c] * scales[c];
  }
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 -> IEEE 754 binary16 bits, round to nearest even; overflow -> +-Inf. */
export function floatToHalf(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal: rounds to zero
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++; // a carry into the exponent is correct rounding
  return sign | half;
}

export function halfToFloat(h: number): number {
  return halfTable()[h & 0xffff];
}

let table: Float32Array | undefined;
function halfTable(): Float32Array {
  if (table) return table;
  table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    if (exp === 0) table[h] = sign * mant * 2 ** -24;
    else if (exp === 0x1f) table[h] = mant ? NaN : sign * Infinity;
    else table[h] = sign * (1 + mant / 1024) * 2 ** (exp - 15);
  }
  return table;
}

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 (IEEE), to detect a damaged cache entry cheaply on every read. */
export function crc32(buf: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
