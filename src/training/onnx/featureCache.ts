/**
 * On-disk cache of frozen-encoder token states, so a head trained on ONNX (SciBERT) features
 * runs the encoder once per text, not once per epoch.
 *
 * Layout: <cacheDir>/<first 16 hex of the model fingerprint>/shard-*.tsc. Shards are immutable:
 * each flush writes one new shard to a temp file, fsyncs it and renames it into place, so a
 * killed run leaves only complete shards (plus a temp file that is ignored and later removed).
 * The directory is append-only. A shard carries its own index in its header, so index and data
 * cannot disagree:
 *
 *   "TSCACHE1" | u32 LE header length | header JSON | payload
 *   header = {version, fingerprint, format, hidden, payloadBytes, entries: [{k, o, n, c}]}
 *   (k = key, o = payload offset, n = tokens, c = CRC-32 of the entry's bytes)
 *
 * A shard whose size does not match its header (truncated copy, full disk, a file system without
 * atomic rename) is ignored as a whole; an entry whose CRC fails is treated as a miss. Either way
 * the states are recomputed, never read wrong.
 *
 * Only real tokens are stored (no padding). Key = SHA-256 of (model fingerprint, SHA-256 of the
 * raw text, the token ids fed to the model): a changed model, text, tokenizer, normaliser or
 * length cap never reuses a stale entry.
 *
 * Size (payload; see stateCodec.ts), hidden 768, title 32 + abstract 256 tokens at most:
 *   f16:  288*768*2 = 442,368 B/paper (432 KiB) -> 12,000 papers 5.31 GB at most
 *   int8: 288*768 + 2*768*4 = 227,328 B/paper (222 KiB) -> 12,000 papers 2.73 GB at most
 * f16 can exceed the 3 GB budget for 12k papers, so the default format is 'int8' (per-channel).
 */
import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import type { EncodedText, PaperText, TokenStates } from '../../model/types';
import { crc32, decodeStates, encodeStates, type StateFormat, STATE_FORMATS } from './stateCodec';

const MAGIC = Buffer.from('TSCACHE1', 'ascii');
const VERSION = 1;
const SHARD_RE = /^shard-[a-z0-9-]+\.tsc$/;
const TEMP_RE = /^\.tmp-shard-[a-z0-9-]+\.tsc$/;
/** Temp files older than this are leftovers of a killed run (a live writer renames within seconds). */
const STALE_TEMP_MS = 60 * 60 * 1000;
const MAX_HEADER_BYTES = 256 * 1024 * 1024;

export interface CachedStates {
  tokens: number;
  hidden: number;
  /** [tokens, hidden] row-major, decoded to float32. */
  states: Float32Array;
}

export interface FeatureCacheOptions {
  /** Format of new entries (existing shards keep theirs). Default 'int8'. */
  format?: StateFormat;
  /** Buffered bytes that trigger writing a shard. Default 64 MiB. */
  shardBytes?: number;
}

export interface FeatureCacheStats {
  entries: number;
  shards: number;
  /** Bytes of the readable shards on disk (payload + headers). */
  bytesOnDisk: number;
  /** Shards skipped as truncated or malformed. */
  ignoredShards: number;
  /** Entries whose bytes failed their CRC when read. */
  corruptEntries: number;
}

interface Location {
  shard: string;
  offset: number;
  bytes: number;
  tokens: number;
  hidden: number;
  format: StateFormat;
  crc: number;
}

interface PendingEntry {
  key: string;
  tokens: number;
  data: Buffer;
}

export class FeatureCache {
  private readonly index = new Map<string, Location>();
  private readonly fds = new Map<string, number>();
  private pending = new Map<string, PendingEntry>();
  private pendingBytes = 0;
  private shardCounter = 0;
  private readonly counts = { shards: 0, bytesOnDisk: 0, ignoredShards: 0, corruptEntries: 0 };

  private constructor(
    /** Folder of this model's shards. */
    readonly dir: string,
    readonly fingerprint: string,
    readonly hidden: number,
    readonly format: StateFormat,
    private readonly shardBytes: number,
  ) {}

  /** Opens (creating if needed) the cache of one model under cacheDir and indexes its shards. */
  static async open(cacheDir: string, fingerprint: string, hidden: number, opts: FeatureCacheOptions = {}): Promise<FeatureCache> {
    if (!/^[0-9a-f]{16,}$/.test(fingerprint)) throw new Error(`feature cache: fingerprint must be lower-case hex, got ${JSON.stringify(fingerprint)}`);
    if (!Number.isInteger(hidden) || hidden <= 0) throw new RangeError(`feature cache: bad hidden size ${hidden}`);
    const format = opts.format ?? 'int8';
    if (!STATE_FORMATS.includes(format)) throw new Error(`feature cache: unknown format ${JSON.stringify(format)}`);
    const dir = path.join(path.resolve(cacheDir), fingerprint.slice(0, 16));
    await fs.promises.mkdir(dir, { recursive: true });
    const cache = new FeatureCache(dir, fingerprint, hidden, format, opts.shardBytes ?? 64 * 1024 * 1024);
    await cache.scan();
    return cache;
  }

  /** Cache key of one text as fed to the model (see the file comment). */
  static key(fingerprint: string, text: string, encoded: EncodedText): string {
    const textHash = createHash('sha256').update(text, 'utf8').digest();
    const n = Math.min(encoded.length, encoded.ids.length);
    const ids = Buffer.from(Int32Array.from(encoded.ids.subarray(0, n)).buffer);
    return createHash('sha256').update(`onnx-states-v${VERSION}\0${fingerprint}\0`).update(textHash).update(ids).digest('hex');
  }

  has(key: string): boolean {
    return this.index.has(key) || this.pending.has(key);
  }

  /** Decoded states of an entry, or null on a miss or a damaged entry (which is then forgotten). */
  get(key: string): CachedStates | null {
    const loc = this.index.get(key);
    if (!loc) {
      const p = this.pending.get(key);
      return p ? { tokens: p.tokens, hidden: this.hidden, states: decodeStates(p.data, p.tokens, this.hidden, this.format) } : null;
    }
    const buf = Buffer.alloc(loc.bytes);
    let ok: boolean;
    try {
      const fd = this.fd(loc.shard);
      ok = fs.readSync(fd, buf, 0, loc.bytes, loc.offset) === loc.bytes && crc32(buf) === loc.crc;
    } catch {
      ok = false; // shard deleted or unreadable since open: a miss
    }
    if (!ok) {
      this.index.delete(key);
      this.counts.corruptEntries++;
      return null;
    }
    return { tokens: loc.tokens, hidden: loc.hidden, states: decodeStates(buf, loc.tokens, loc.hidden, loc.format) };
  }

  /** Buffers an entry ([tokens, hidden] float32); writes a shard when the buffer is full. */
  async put(key: string, states: Float32Array, tokens: number): Promise<void> {
    if (this.has(key)) return;
    const data = encodeStates(states, tokens, this.hidden, this.format);
    this.pending.set(key, { key, tokens, data });
    this.pendingBytes += data.length;
    if (this.pendingBytes >= this.shardBytes) await this.flush();
  }

  /** Writes buffered entries as one new shard: temp file, fsync, rename. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const entries = [...this.pending.values()];
    let offset = 0;
    const headerEntries = entries.map((e) => {
      const h = { k: e.key, o: offset, n: e.tokens, c: crc32(e.data) };
      offset += e.data.length;
      return h;
    });
    const header = Buffer.from(JSON.stringify({
      version: VERSION, fingerprint: this.fingerprint, format: this.format, hidden: this.hidden,
      payloadBytes: offset, entries: headerEntries,
    }), 'utf8');
    const lenBuf = Buffer.alloc(4);
    lenBuf.writeUInt32LE(header.length, 0);
    const name = `shard-${Date.now().toString(36)}-${process.pid.toString(36)}-${(this.shardCounter++).toString(36)}.tsc`;
    const finalPath = path.join(this.dir, name);
    const tempPath = path.join(this.dir, `.tmp-${name}`);
    const fh = await fs.promises.open(tempPath, 'w');
    try {
      await fh.writev([MAGIC, lenBuf, header, ...entries.map((e) => e.data)]);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.promises.rename(tempPath, finalPath);
    await syncDir(this.dir);
    const dataStart = MAGIC.length + 4 + header.length;
    for (let i = 0; i < entries.length; i++) {
      const h = headerEntries[i];
      this.index.set(h.k, { shard: name, offset: dataStart + h.o, bytes: entries[i].data.length, tokens: h.n, hidden: this.hidden, format: this.format, crc: h.c });
    }
    this.counts.shards++;
    this.counts.bytesOnDisk += dataStart + offset;
    this.pending.clear();
    this.pendingBytes = 0;
  }

  stats(): FeatureCacheStats {
    return { entries: this.index.size + this.pending.size, ...this.counts };
  }

  /** Writes pending entries and closes file handles. */
  async close(): Promise<void> {
    await this.flush();
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }

  private fd(shard: string): number {
    let fd = this.fds.get(shard);
    if (fd === undefined) {
      fd = fs.openSync(path.join(this.dir, shard), 'r');
      this.fds.set(shard, fd);
    }
    return fd;
  }

  private async scan(): Promise<void> {
    const names = (await fs.promises.readdir(this.dir)).sort();
    for (const name of names) {
      const file = path.join(this.dir, name);
      if (TEMP_RE.test(name)) {
        const st = await fs.promises.stat(file).catch(() => null);
        if (st && Date.now() - st.mtimeMs > STALE_TEMP_MS) await fs.promises.unlink(file).catch(() => undefined);
        continue;
      }
      if (!SHARD_RE.test(name)) continue;
      const ok = await this.readShardHeader(name, file).catch(() => false);
      if (!ok) this.counts.ignoredShards++;
    }
  }

  /** Indexes one shard; false when it is truncated, malformed or for another model. */
  private async readShardHeader(name: string, file: string): Promise<boolean> {
    const fh = await fs.promises.open(file, 'r');
    try {
      const size = (await fh.stat()).size;
      const head = Buffer.alloc(MAGIC.length + 4);
      if (size < head.length || (await fh.read(head, 0, head.length, 0)).bytesRead !== head.length) return false;
      if (!head.subarray(0, MAGIC.length).equals(MAGIC)) return false;
      const headerLen = head.readUInt32LE(MAGIC.length);
      if (headerLen > MAX_HEADER_BYTES || head.length + headerLen > size) return false;
      const hbuf = Buffer.alloc(headerLen);
      if ((await fh.read(hbuf, 0, headerLen, head.length)).bytesRead !== headerLen) return false;
      const h = JSON.parse(hbuf.toString('utf8')) as Record<string, unknown>;
      const dataStart = head.length + headerLen;
      if (h.version !== VERSION || h.fingerprint !== this.fingerprint || h.hidden !== this.hidden) return false;
      if (!STATE_FORMATS.includes(h.format as StateFormat) || !Array.isArray(h.entries)) return false;
      if (typeof h.payloadBytes !== 'number' || dataStart + h.payloadBytes !== size) return false; // truncated
      const format = h.format as StateFormat;
      const hidden = h.hidden as number;
      const entries = h.entries as Array<{ k: unknown; o: unknown; n: unknown; c: unknown }>;
      const locs: Array<[string, Location]> = [];
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i];
        const end = i + 1 < entries.length ? entries[i + 1].o : h.payloadBytes;
        if (typeof e.k !== 'string' || typeof e.o !== 'number' || typeof e.n !== 'number' || typeof e.c !== 'number' || typeof end !== 'number') return false;
        const bytes = end - e.o;
        if (bytes !== (format === 'f16' ? e.n * hidden * 2 : hidden * 4 + e.n * hidden)) return false;
        locs.push([e.k, { shard: name, offset: dataStart + e.o, bytes, tokens: e.n, hidden, format, crc: e.c }]);
      }
      for (const [k, loc] of locs) if (!this.index.has(k)) this.index.set(k, loc);
      this.counts.shards++;
      this.counts.bytesOnDisk += size;
      return true;
    } finally {
      await fh.close();
    }
  }
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename durable; not supported on every platform (e.g. Windows), hence best effort.
  try {
    const fh = await fs.promises.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* best effort */
  }
}

// ---------------------------------------------------------------------------------------------
// Papers -> title/abstract token states, through the cache.

/** What encodePapers needs from an encoder (OnnxBertEncoder implements it). */
export interface FeatureEncoder {
  readonly fingerprint: string;
  readonly hiddenSize: number;
  tokenize(text: string, maxLen: number): EncodedText;
  encodeTokens(items: EncodedText[]): Promise<TokenStates>;
}

export interface PaperFeatures {
  /** [titleTokens, hidden] row-major: real tokens only, [CLS] first, [SEP] last. */
  title: Float32Array;
  titleTokens: number;
  /** [abstractTokens, hidden] row-major. */
  abstract: Float32Array;
  abstractTokens: number;
  hidden: number;
}

export interface EncodeProgress {
  done: number;
  total: number;
  /** Texts (titles + abstracts) read from the cache / computed by the encoder so far. */
  cachedTexts: number;
  computedTexts: number;
}

export interface EncodePapersOptions {
  /** Token caps including [CLS]/[SEP]. Defaults 32 and 256. */
  titleLen?: number;
  abstractLen?: number;
  /** Texts per encoder run. Default 16. */
  batchSize?: number;
  format?: StateFormat;
  onProgress?: (p: EncodeProgress) => void;
}

/**
 * Yields title and abstract token states for each paper, in order, computing only what the
 * cache at cacheDir does not have (and storing it). Entries are always returned as decoded from
 * the cache form, so a fresh run and a cached run give identical features.
 * Use it as `for await (const f of encodePapers(...))`; each epoch can iterate it again (all hits).
 */
export async function* encodePapers(
  encoder: FeatureEncoder,
  papers: readonly PaperText[],
  cacheDir: string,
  opts: EncodePapersOptions = {},
): AsyncGenerator<PaperFeatures> {
  const titleLen = opts.titleLen ?? 32;
  const abstractLen = opts.abstractLen ?? 256;
  const batchSize = opts.batchSize ?? 16;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const cache = await FeatureCache.open(cacheDir, encoder.fingerprint, encoder.hiddenSize, { format: opts.format });
  const progress: EncodeProgress = { done: 0, total: papers.length, cachedTexts: 0, computedTexts: 0 };
  try {
    for (let start = 0; start < papers.length; start += batchSize) {
      const chunk = papers.slice(start, start + batchSize);
      const titles = await statesFor(encoder, cache, chunk.map((p) => p.title), titleLen, batchSize, progress);
      const abstracts = await statesFor(encoder, cache, chunk.map((p) => p.abstract), abstractLen, batchSize, progress);
      progress.done += chunk.length;
      opts.onProgress?.({ ...progress });
      for (let i = 0; i < chunk.length; i++) {
        yield {
          title: titles[i].states, titleTokens: titles[i].tokens,
          abstract: abstracts[i].states, abstractTokens: abstracts[i].tokens,
          hidden: encoder.hiddenSize,
        };
      }
    }
  } finally {
    await cache.close();
  }
}

/** encodePapers collected into an array (fine for a few thousand papers; use the iterator beyond). */
export async function encodePapersToArray(
  encoder: FeatureEncoder,
  papers: readonly PaperText[],
  cacheDir: string,
  opts: EncodePapersOptions = {},
): Promise<PaperFeatures[]> {
  const out: PaperFeatures[] = [];
  for await (const f of encodePapers(encoder, papers, cacheDir, opts)) out.push(f);
  return out;
}

async function statesFor(
  encoder: FeatureEncoder,
  cache: FeatureCache,
  texts: string[],
  maxLen: number,
  batchSize: number,
  progress: EncodeProgress,
): Promise<CachedStates[]> {
  const hidden = encoder.hiddenSize;
  const raw = texts.map((t) => (typeof t === 'string' ? t : ''));
  const encoded = raw.map((t) => encoder.tokenize(t, maxLen));
  const keys = raw.map((t, i) => FeatureCache.key(encoder.fingerprint, t, encoded[i]));
  const result: Array<CachedStates | null> = keys.map((k) => cache.get(k));
  // Misses (deduplicated), longest first, so each batch pads to similar lengths.
  const missing = [...new Set(keys.filter((_, i) => result[i] === null))]
    .map((k) => keys.indexOf(k))
    .sort((a, b) => encoded[b].length - encoded[a].length);
  for (let s = 0; s < missing.length; s += batchSize) {
    const idx = missing.slice(s, s + batchSize);
    const out = await encoder.encodeTokens(idx.map((i) => encoded[i]));
    for (let j = 0; j < idx.length; j++) {
      const n = encoded[idx[j]].length;
      const rowStart = j * out.seqLen * hidden;
      await cache.put(keys[idx[j]], out.states.subarray(rowStart, rowStart + n * hidden), n);
    }
  }
  for (let i = 0; i < keys.length; i++) {
    if (result[i] !== null) {
      progress.cachedTexts++;
      continue;
    }
    const got = cache.get(keys[i]);
    if (!got) throw new Error('feature cache lost an entry it just stored');
    result[i] = got;
    progress.computedTexts++;
  }
  return result as CachedStates[];
}

/**
 * Packs per-text states ([tokens, hidden] each) into one zero-padded batch [n, seqLen, hidden]
 * with its mask, e.g. to feed a head: `padBatch(feats.map((f) => ({states: f.abstract, tokens: f.abstractTokens})), 768, 256)`.
 * Texts longer than seqLen are cut (their first seqLen tokens kept).
 */
export function padBatch(items: ReadonlyArray<{ states: Float32Array; tokens: number }>, hidden: number, seqLen: number): TokenStates {
  const batch = items.length;
  const states = new Float32Array(batch * seqLen * hidden);
  const mask = new Uint8Array(batch * seqLen);
  for (let b = 0; b < batch; b++) {
    const n = Math.min(items[b].tokens, seqLen);
    states.set(items[b].states.subarray(0, n * hidden), b * seqLen * hidden);
    mask.fill(1, b * seqLen, b * seqLen + n);
  }
  return { batch, seqLen, hidden, states, mask };
}
