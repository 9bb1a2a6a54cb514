/**
 * Model bundle on disk: manifest.json (format version, labels with arXiv names, tokenizer, architecture,
 * training data hash, seed, metrics, SHA-256 of every other file) plus weight files. Loading verifies every
 * hash and refuses corrupt or incompatible bundles with a message that says what is wrong and what to do.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { atomicReplaceDir, atomicWriteFile } from './fsAtomic';
import { sha256 } from '../shared/hash';
import { readRegularFile } from '../shared/regularFile';
import type { CrossAttentionConfig } from './crossAttention/config';
import type { ModelMetrics } from './types';
import type { ConformalCalibration } from './predictionSet';

export const BUNDLE_FORMAT = 'arxiv-classifier-bundle';
export const BUNDLE_FORMAT_VERSION = 1;

export interface LabelEntry {
  code: string;
  name: string;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  formatVersion: number;
  name: string;
  description: string;
  createdAt: string;
  kind: 'ensemble' | 'cross-attention' | 'ngram';
  labels: { primary: LabelEntry[]; multi: LabelEntry[]; minPrimary: number; minListed: number; fallback: string };
  /** WordPiece vocabulary of the compact encoder (file in the bundle), or of the ONNX export folder. */
  tokenizer?: { type: 'wordpiece'; file: string; lowercase: boolean };
  crossAttention?: {
    config: CrossAttentionConfig;
    weights: string;
    index: { name: string; shape: number[]; offset: number }[];
    /** softmax temperature fitted on validation */
    temperature: number;
    /** temperature of the sigmoid (cross-list) head */
    multiTemperature: number;
    /** SciBERT ONNX export the head was trained on ('states' encoder). */
    onnxEncoderDir?: string;
    onnxFingerprint?: string;
  };
  ngram?: { json: string; weights: string };
  /** "Papers like yours": index of the training split (src/model/neighbours), built by src/training/bundleExtras. */
  paperIndex?: { json: string; weights: string; papers: number; dims: number };
  /** Conformal prediction sets calibrated on the validation split (src/model/predictionSet). */
  predictionSet?: ConformalCalibration;
  stacker?: { json: unknown; temperature: number };
  /** Which model's sigmoid head gives cross-list probabilities. */
  multiSource: 'cross-attention' | 'ngram' | 'average';
  training: Record<string, unknown>;
  metrics: ModelMetrics;
  /** file name -> SHA-256 hex */
  files: Record<string, string>;
}

export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleError';
  }
}

export interface LoadedBundle {
  dir: string;
  manifest: BundleManifest;
  /** Reads a bundle file whose hash was verified at load. */
  file(name: string): Buffer;
}

/** A manifest is a few KB (labels, metrics, hashes); anything this big is not one. */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
/** Largest model file read into memory (the shipped weights are 6 MB; a SciBERT head is far below this). */
export const MAX_MODEL_FILE_BYTES = 1024 * 1024 * 1024;

const RESTORE = 'retrain or restore the bundle';

/** A bundle file's bytes, or a BundleError naming the file and what to do (never a raw EISDIR or a hang). */
function readBundleFile(dir: string, name: string, maxBytes: number): Buffer {
  const r = readRegularFile(join(dir, name), maxBytes);
  if (r.ok) return r.bytes;
  switch (r.problem) {
    case 'missing':
      throw new BundleError(`Model file ${name} is missing from ${dir}; the bundle is incomplete: ${RESTORE}.`);
    case 'folder':
      throw new BundleError(`Model file ${name} in ${dir} is a folder, not a file: ${RESTORE}.`);
    case 'special':
      throw new BundleError(`Model file ${name} in ${dir} is not a regular file (${r.reason}): ${RESTORE}.`);
    case 'too-large':
      throw new BundleError(`Model file ${name} in ${dir} is larger than ${(maxBytes / 1024 / 1024).toFixed(0)} MB, far beyond any model file: ${RESTORE}.`);
    default:
      throw new BundleError(`Model file ${name} in ${dir} cannot be read (${r.reason}): ${RESTORE}.`);
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLabelList = (v: unknown, nonEmpty: boolean): boolean =>
  Array.isArray(v) && (!nonEmpty || v.length > 0) && v.every((l) => isObj(l) && typeof l.code === 'string' && l.code !== '' && typeof l.name === 'string');

/** What is wrong with the shape of a parsed manifest (after its format and version were checked), if anything. */
function manifestProblem(m: Record<string, unknown>): string | undefined {
  if (typeof m.name !== 'string') return '"name" must be a string';
  if (m.kind !== 'ensemble' && m.kind !== 'cross-attention' && m.kind !== 'ngram') return `"kind" must be ensemble, cross-attention or ngram (found ${JSON.stringify(m.kind)})`;
  const labels = m.labels;
  if (!isObj(labels)) return '"labels" is missing';
  if (!isLabelList(labels.primary, true)) return '"labels.primary" must be a non-empty list of {code, name}';
  if (!isLabelList(labels.multi, false)) return '"labels.multi" must be a list of {code, name}';
  if (!isObj(m.files) || !Object.values(m.files).every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))) {
    return '"files" must map file names to SHA-256 hashes';
  }
  if (m.tokenizer !== undefined && !(isObj(m.tokenizer) && typeof m.tokenizer.file === 'string')) return '"tokenizer.file" must name a file';
  if (m.crossAttention !== undefined && !(isObj(m.crossAttention) && typeof m.crossAttention.weights === 'string' && Array.isArray(m.crossAttention.index))) {
    return '"crossAttention" must name its weights file and index';
  }
  if (m.ngram !== undefined && !(isObj(m.ngram) && typeof m.ngram.json === 'string' && typeof m.ngram.weights === 'string')) return '"ngram" must name its json and weights files';
  if (m.metrics !== undefined && !isObj(m.metrics)) return '"metrics" must be an object';
  return undefined;
}

/** Reads and verifies a bundle. Throws BundleError with a user-facing message. */
export function readBundle(dirIn: string): LoadedBundle {
  const dir = resolve(dirIn);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new BundleError(`Model folder not found: ${dir}`);
  const mPath = join(dir, 'manifest.json');
  if (!existsSync(mPath)) {
    if (existsSync(join(dir, 'model.onnx'))) {
      throw new BundleError(
        `${dir} is an ONNX encoder export, not a trained classifier: train a classifier head on it first ("arXiv: Select Model" → "SciBERT ONNX folder…" offers to, or "npm run cli -- train --onnx-encoder ${dir}").`,
      );
    }
    throw new BundleError(`No manifest.json in ${dir}: this is not an arXiv Classifier model folder.`);
  }
  let parsed: unknown;
  const raw = readBundleFile(dir, 'manifest.json', MAX_MANIFEST_BYTES);
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw new BundleError(`manifest.json in ${dir} is not valid JSON (${(e as Error).message}); the bundle is corrupt: retrain or restore it.`);
  }
  if (!isObj(parsed)) throw new BundleError(`manifest.json in ${dir} does not hold a JSON object (found ${parsed === null ? 'null' : Array.isArray(parsed) ? 'a list' : typeof parsed}); the bundle is corrupt: ${RESTORE}.`);
  const manifest = parsed as unknown as BundleManifest;
  if (manifest.format !== BUNDLE_FORMAT) throw new BundleError(`${mPath} is not an arXiv Classifier manifest (format "${String(manifest.format)}").`);
  if (manifest.formatVersion !== BUNDLE_FORMAT_VERSION) {
    throw new BundleError(
      `Model bundle format version ${manifest.formatVersion} is not supported by this version of arXiv Classifier (supports ${BUNDLE_FORMAT_VERSION}); update the extension or retrain the model.`,
    );
  }
  if (!manifest.files || typeof manifest.files !== 'object') throw new BundleError(`${mPath} lists no files.`);
  const problem = manifestProblem(parsed);
  if (problem) throw new BundleError(`manifest.json in ${dir} is malformed: ${problem}. The bundle is corrupt: ${RESTORE}.`);
  const cache = new Map<string, Buffer>();
  for (const [name, expected] of Object.entries(manifest.files)) {
    if (name.includes('/') || name.includes('\\') || name.startsWith('.')) throw new BundleError(`Manifest names an unsafe file path: ${name}`);
    const buf = readBundleFile(dir, name, MAX_MODEL_FILE_BYTES);
    const got = sha256(buf);
    if (got !== expected) {
      throw new BundleError(`Model file ${name} in ${dir} is corrupt (SHA-256 ${got.slice(0, 12)}… does not match the manifest's ${String(expected).slice(0, 12)}…): retrain or restore it.`);
    }
    cache.set(name, buf);
  }
  return {
    dir,
    manifest,
    file(name: string): Buffer {
      const b = cache.get(name);
      if (!b) throw new BundleError(`Manifest of ${dir} does not list file ${name}.`);
      return b;
    },
  };
}

/** Writes a bundle atomically: files first into a temp folder, hashes into the manifest, then swap in. */
export function writeBundle(dir: string, manifest: Omit<BundleManifest, 'files' | 'format' | 'formatVersion'>, files: Record<string, Uint8Array | string>): BundleManifest {
  const full: BundleManifest = { ...manifest, format: BUNDLE_FORMAT, formatVersion: BUNDLE_FORMAT_VERSION, files: {} };
  for (const [name, data] of Object.entries(files)) full.files[name] = sha256(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  atomicReplaceDir(resolve(dir), (tmp) => {
    for (const [name, data] of Object.entries(files)) atomicWriteFile(join(tmp, name), data);
    atomicWriteFile(join(tmp, 'manifest.json'), JSON.stringify(full, null, 2) + '\n');
  });
  return full;
}
