/**
 * Back-translation EN -> ES -> EN with Apertium (Debian package apertium-eng-spa), as a TextAugmenter.
 *
 * Technical content (math, LaTeX, citations, acronyms, names, caller terms; see protect.ts) is swapped for
 * letter-only placeholders that Apertium treats as unknown words and passes through, and put back after the
 * round trip. Results are cached on disk by SHA-256 of (pipeline version + protection settings + text), so a
 * second run over the same papers starts no Apertium process at all.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LabeledPaper } from '../../model/types';
import { ApertiumError, ApertiumMissingError, ApertiumProcess, loadMode, type ApertiumMode } from './apertium';
import { ShardedDiskCache } from './diskCache';
import { sha256 } from '../../shared/hash';
import { mask, unmask } from './protect';
import {
  abortError,
  copyIds,
  textOf,
  throwIfAborted,
  withText,
  type AugmentOptions,
  type PaperField,
  type TextAugmenter,
} from './types';

export { ApertiumMissingError } from './apertium';

/** Bump when masking, escaping or tidying changes, so old cache entries are not reused. */
export const BACKTRANSLATION_ALGO_VERSION = 'bt-2';

export function defaultBackTranslationCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'arxiv-classifier', 'backtranslation');
}

export interface BackTranslatorOptions {
  /** Cache folder (default $XDG_CACHE_HOME or ~/.cache, then arxiv-classifier/backtranslation). */
  cacheDir?: string;
  /** Folder with Apertium's .mode files (default /usr/share/apertium/modes). */
  modesDir?: string;
  /** Folder with lt-proc, apertium-transfer, ... (default: PATH). */
  binDir?: string;
  /** Extra terms never translated (case-insensitive). */
  terms?: Iterable<string>;
  /** Texts in flight in the pipelines at once (default 32). */
  maxInFlight?: number;
  /** Per-text timeout once at the head of a pipeline (default 60 s). */
  timeoutMs?: number;
  /** Overrides the pipeline fingerprint in cache keys (default: derived from the installed mode files). */
  pipelineVersion?: string;
}

export interface RoundTripOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Counters since construction; survival counts cover fresh translations only (not cache hits). */
export interface BackTranslatorStats {
  pipelineStarts: number;
  cacheHits: number;
  translated: number;
  protectedSpans: number;
  lostSpans: number;
}

export class BackTranslator {
  readonly cacheDir: string;
  readonly stats: BackTranslatorStats = { pipelineStarts: 0, cacheHits: 0, translated: 0, protectedSpans: 0, lostSpans: 0 };
  private readonly cache: ShardedDiskCache;
  private readonly terms: string[] | undefined;
  private readonly procs = new Map<ApertiumMode, ApertiumProcess>();
  private keyPrefix: string | null = null;

  constructor(private readonly opts: BackTranslatorOptions = {}) {
    this.cacheDir = opts.cacheDir ?? defaultBackTranslationCacheDir();
    this.cache = new ShardedDiskCache(this.cacheDir);
    this.terms = opts.terms ? [...opts.terms] : undefined;
  }

  /**
   * Round-trips each text EN -> ES -> EN, in input order. Identical texts are translated once.
   * Throws ApertiumMissingError when Apertium or its eng-spa data is not installed (only if a text
   * is not cached), and an AbortError when `signal` aborts (finished texts are cached).
   */
  async roundTrip(texts: readonly string[], opts: RoundTripOptions = {}): Promise<string[]> {
    throwIfAborted(opts.signal);
    const total = texts.length;
    const results: (string | undefined)[] = new Array(total);
    const missing = new Map<string, number[]>(); // key -> indexes waiting for it
    const keyOf = new Map<string, string>();
    let done = 0;
    for (let i = 0; i < total; i++) {
      const text = texts[i];
      if (text.trim() === '') {
        results[i] = text;
        done++;
        continue;
      }
      const key = this.key(text);
      const hit = this.cache.get(key);
      if (hit !== undefined) {
        results[i] = hit;
        this.stats.cacheHits++;
        done++;
      } else {
        const waiting = missing.get(key);
        if (waiting) waiting.push(i);
        else {
          missing.set(key, [i]);
          keyOf.set(key, text);
        }
      }
    }
    opts.onProgress?.(done, total);

    const queue = [...missing.keys()];
    let failure: Error | null = null;
    const worker = async (): Promise<void> => {
      while (queue.length && !failure) {
        if (opts.signal?.aborted) {
          failure = abortError();
          return;
        }
        const key = queue.shift()!;
        const text = keyOf.get(key)!;
        let out: string;
        try {
          out = await this.translateWithRetry(text);
        } catch (e) {
          failure ??= e as Error;
          return;
        }
        this.cache.set(key, out);
        for (const i of missing.get(key)!) results[i] = out;
        done += missing.get(key)!.length;
        opts.onProgress?.(done, total);
        if (this.stats.translated % 200 === 0) this.cache.flush();
      }
    };
    try {
      const n = Math.max(1, Math.min(this.opts.maxInFlight ?? 32, queue.length));
      await Promise.all(Array.from({ length: n }, worker));
    } finally {
      this.cache.flush();
    }
    if (failure) throw failure;
    return results as string[];
  }

  /** Stops the Apertium pipelines (they are started again on demand). */
  close(): void {
    for (const p of this.procs.values()) p.close();
    this.procs.clear();
  }

  /** Cache key: algorithm version, installed pipeline fingerprint, protected terms, text. */
  private key(text: string): string {
    if (this.keyPrefix === null) {
      const fp = this.opts.pipelineVersion ?? pipelineFingerprint(this.opts.modesDir);
      const terms = this.terms ? sha256([...this.terms].sort().join('\n')) : '';
      this.keyPrefix = `${BACKTRANSLATION_ALGO_VERSION}|${fp}|${terms}\n`;
    }
    return sha256(this.keyPrefix + text);
  }

  private proc(mode: ApertiumMode): ApertiumProcess {
    let p = this.procs.get(mode);
    if (!p) {
      p = new ApertiumProcess(mode, {
        modesDir: this.opts.modesDir,
        binDir: this.opts.binDir,
        timeoutMs: this.opts.timeoutMs,
        onSpawn: () => this.stats.pipelineStarts++,
      });
      this.procs.set(mode, p);
    }
    return p;
  }

  private async translateWithRetry(text: string): Promise<string> {
    try {
      return await this.translateOnce(text);
    } catch (e) {
      // A crashed or desynchronised pipeline restarts on the next call: retry once, except when missing.
      if (e instanceof ApertiumMissingError || !(e instanceof ApertiumError)) throw e;
      return await this.translateOnce(text);
    }
  }

  private async translateOnce(text: string): Promise<string> {
    const masked = mask(text, { terms: this.terms });
    const es = await this.proc('eng-spa').translate(masked.text);
    const en = await this.proc('spa-eng').translate(es);
    // Tidy before restoring, so spacing inside math or LaTeX is never touched.
    const restored = unmask(tidy(en), masked.originals);
    this.stats.translated++;
    this.stats.protectedSpans += masked.originals.length;
    this.stats.lostSpans += restored.lost.length;
    return restored.text;
  }
}

/** Cosmetic clean-up of Apertium output: spacing around punctuation, first letter upper-case. */
export function tidy(s: string): string {
  let t = s.replace(/\s+/g, ' ').trim();
  t = t.replace(/\s+([.,;:!?%)\]])/g, '$1').replace(/([([])\s+/g, '$1');
  if (/^[a-z]/.test(t)) t = t[0].toUpperCase() + t.slice(1);
  return t;
}

/**
 * Fingerprint of the installed eng-spa/spa-eng pipelines from file sizes and mtimes (no process spawned):
 * a new apertium-eng-spa version changes the compiled data files and so invalidates the cache.
 */
export function pipelineFingerprint(modesDir?: string): string {
  const parts: string[] = [];
  for (const mode of ['eng-spa', 'spa-eng'] as const) {
    const { text, stages } = loadMode(mode, modesDir);
    parts.push(text);
    for (const st of stages) {
      for (const a of st.args) {
        if (!a.startsWith('/')) continue;
        try {
          const s = fs.statSync(a);
          parts.push(`${a}:${s.size}:${Math.round(s.mtimeMs)}`);
        } catch {
          parts.push(`${a}:missing`);
        }
      }
    }
  }
  return sha256(parts.join('\n')).slice(0, 16);
}

export interface BackTranslationAugmenterOptions extends BackTranslatorOptions {
  /** Fields to back-translate (default both title and abstract). */
  fields?: PaperField[];
}

/** TextAugmenter wrapper: one back-translated copy per paper, id suffixed "#bt". Deterministic; seed unused. */
export class BackTranslationAugmenter implements TextAugmenter {
  readonly name = 'backtranslation' as const;
  readonly translator: BackTranslator;
  private readonly fields: PaperField[];

  constructor(opts: BackTranslationAugmenterOptions = {}) {
    this.translator = new BackTranslator(opts);
    this.fields = opts.fields ?? ['title', 'abstract'];
  }

  async augment(papers: LabeledPaper[], opts: AugmentOptions): Promise<LabeledPaper[]> {
    const doTitle = this.fields.includes('title');
    const doAbstract = this.fields.includes('abstract');
    const texts: string[] = [];
    for (const p of papers) {
      if (doTitle) texts.push(textOf(p.title));
      if (doAbstract) texts.push(textOf(p.abstract));
    }
    const per = (doTitle ? 1 : 0) + (doAbstract ? 1 : 0);
    const out = await this.translator.roundTrip(texts, {
      signal: opts.signal,
      onProgress: opts.onProgress && per > 0
        ? (done, total) => opts.onProgress!(Math.floor(done / per), Math.floor(total / per))
        : undefined,
    });
    const ids = copyIds(papers, 'bt');
    let k = 0;
    return papers.map((p, i) => {
      const title = doTitle ? out[k++] : textOf(p.title);
      const abstract = doAbstract ? out[k++] : textOf(p.abstract);
      return withText(p, ids[i], title, abstract);
    });
  }

  /** Stops the Apertium processes; call when augmentation is finished. */
  close(): void {
    this.translator.close();
  }
}
