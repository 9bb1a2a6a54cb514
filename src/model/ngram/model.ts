/**
 * The trained n-gram linear model: TF-IDF features -> two linear heads sharing them:
 *  - primary: softmax over primary-category labels (logits = W_p^T x + b_p),
 *  - multi:   independent sigmoids over "listed anywhere" labels (for cross-list suggestions).
 *
 * Serialisation: serialize() returns {json, weights}. The JSON holds labels, featurizer options and the
 * vocabulary, calibration parameters and a table of the sections in the binary buffer. Weights are
 * stored as int8 with one float32 scale per feature row and head (symmetric: w ~= q * scale,
 * scale = max|row| / 127), which keeps the quantisation error of each weight <= scale / 2; 'float32'
 * storage is available for exact round trips.
 */
import { NgramFeaturizer, type FeaturizerOptions, type SparseVector } from './featurizer';
import { sigmoid, softmaxWithTemperature } from '../calibration';

export const NGRAM_FORMAT = 'arxiv-classifier/ngram-linear';
export const NGRAM_FORMAT_VERSION = 1;

export type WeightStorage = 'int8' | 'float32';

export interface SectionInfo {
  name: string;
  dtype: 'float32' | 'int8';
  /** byte offset in the weights buffer */
  offset: number;
  /** number of elements */
  length: number;
}

export interface NgramModelJson {
  format: string;
  version: number;
  storage: WeightStorage;
  labels: string[];
  multiLabels: string[];
  numFeatures: number;
  featurizer: { options: Required<FeaturizerOptions>; nDocs: number; vocab: string[] };
  /** softmax temperature fitted on validation (1 = uncalibrated) */
  temperature: number;
  /** Platt parameters for the sigmoid head: p = sigmoid(a z + b) */
  multiCalibration: { a: number; b: number };
  sections: SectionInfo[];
  /** free-form training information (options, epochs, timings) */
  training?: Record<string, unknown>;
}

export interface SerializedNgramModel {
  json: NgramModelJson;
  weights: Buffer;
}

export interface NgramModelParams {
  featurizer: NgramFeaturizer;
  labels: string[];
  multiLabels: string[];
  /** row-major [numFeatures][labels.length] */
  primaryW: Float32Array;
  primaryB: Float32Array;
  /** row-major [numFeatures][multiLabels.length] */
  multiW: Float32Array;
  multiB: Float32Array;
  temperature?: number;
  multiCalibration?: { a: number; b: number };
  training?: Record<string, unknown>;
}

export class NgramModel {
  readonly featurizer: NgramFeaturizer;
  readonly labels: string[];
  readonly multiLabels: string[];
  readonly primaryW: Float32Array;
  readonly primaryB: Float32Array;
  readonly multiW: Float32Array;
  readonly multiB: Float32Array;
  temperature: number;
  multiCalibration: { a: number; b: number };
  training: Record<string, unknown>;

  constructor(p: NgramModelParams) {
    const F = p.featurizer.numFeatures;
    const C = p.labels.length;
    const M = p.multiLabels.length;
    if (C < 1) throw new Error('NgramModel: needs at least one primary label');
    if (p.primaryW.length !== F * C || p.primaryB.length !== C) throw new Error('NgramModel: primary head has the wrong shape');
    if (p.multiW.length !== F * M || p.multiB.length !== M) throw new Error('NgramModel: multi-label head has the wrong shape');
    this.featurizer = p.featurizer;
    this.labels = [...p.labels];
    this.multiLabels = [...p.multiLabels];
    this.primaryW = p.primaryW;
    this.primaryB = p.primaryB;
    this.multiW = p.multiW;
    this.multiB = p.multiB;
    this.temperature = p.temperature ?? 1;
    this.multiCalibration = p.multiCalibration ?? { a: 1, b: 0 };
    this.training = p.training ?? {};
  }

  get numFeatures(): number {
    return this.featurizer.numFeatures;
  }

  /** TF-IDF features of a tokenised document. */
  featurize(tokens: readonly string[]): SparseVector {
    return this.featurizer.transform(tokens);
  }

  /** Raw (uncalibrated) primary logits. */
  predictLogits(x: SparseVector): Float32Array {
    return linear(x, this.primaryW, this.primaryB, this.labels.length);
  }

  /** Calibrated softmax probabilities over primary labels (uses this.temperature). */
  predictProbs(x: SparseVector): Float32Array {
    return softmaxWithTemperature(this.predictLogits(x), this.temperature);
  }

  /** Raw multi-label logits. */
  predictMultiLogits(x: SparseVector): Float32Array {
    return linear(x, this.multiW, this.multiB, this.multiLabels.length);
  }

  /** Sigmoid probabilities that each multi label is listed (Platt-calibrated when fitted). */
  predictMulti(x: SparseVector): Float32Array {
    const z = this.predictMultiLogits(x);
    const { a, b } = this.multiCalibration;
    for (let j = 0; j < z.length; j++) z[j] = sigmoid(a * z[j] + b);
    return z;
  }

  /** Serialised form; `storage` 'int8' (default, small) or 'float32' (exact). */
  serialize(storage: WeightStorage = 'int8'): SerializedNgramModel {
    const F = this.numFeatures;
    const parts: { name: string; data: Float32Array | Int8Array }[] = [
      { name: 'idf', data: this.featurizer.idf },
      { name: 'primary.bias', data: this.primaryB },
      { name: 'multi.bias', data: this.multiB },
    ];
    if (storage === 'int8') {
      const p = quantizeRows(this.primaryW, F, this.labels.length);
      const m = quantizeRows(this.multiW, F, this.multiLabels.length);
      parts.push(
        { name: 'primary.scale', data: p.scale },
        { name: 'multi.scale', data: m.scale },
        { name: 'primary.weight', data: p.q },
        { name: 'multi.weight', data: m.q },
      );
    } else {
      parts.push({ name: 'primary.weight', data: this.primaryW }, { name: 'multi.weight', data: this.multiW });
    }
    let offset = 0;
    const sections: SectionInfo[] = [];
    for (const part of parts) {
      const dtype = part.data instanceof Int8Array ? 'int8' : 'float32';
      sections.push({ name: part.name, dtype, offset, length: part.data.length });
      offset += part.data.byteLength;
      offset = (offset + 3) & ~3; // keep float32 sections 4-byte aligned
    }
    const weights = Buffer.alloc(offset);
    parts.forEach((part, i) => {
      Buffer.from(part.data.buffer, part.data.byteOffset, part.data.byteLength).copy(weights, sections[i].offset);
    });
    const json: NgramModelJson = {
      format: NGRAM_FORMAT,
      version: NGRAM_FORMAT_VERSION,
      storage,
      labels: [...this.labels],
      multiLabels: [...this.multiLabels],
      numFeatures: F,
      featurizer: { options: { ...this.featurizer.options }, nDocs: this.featurizer.nDocs, vocab: [...this.featurizer.vocab] },
      temperature: this.temperature,
      multiCalibration: { ...this.multiCalibration },
      sections,
      training: this.training,
    };
    return { json, weights };
  }

  /** Rebuilds a model from serialize()'s output; throws a descriptive Error on any inconsistency. */
  static deserialize(json: unknown, weights: Uint8Array): NgramModel {
    const j = json as NgramModelJson;
    const bad = (msg: string): never => {
      throw new Error(`Corrupt or incompatible n-gram model: ${msg}`);
    };
    if (!j || typeof j !== 'object') bad('manifest is not an object');
    if (j.format !== NGRAM_FORMAT) bad(`format is ${JSON.stringify(j.format)}, expected ${NGRAM_FORMAT}`);
    if (j.version !== NGRAM_FORMAT_VERSION) bad(`version ${j.version} is not supported (expected ${NGRAM_FORMAT_VERSION})`);
    if (j.storage !== 'int8' && j.storage !== 'float32') bad(`unknown weight storage ${JSON.stringify(j.storage)}`);
    if (!isStringArray(j.labels) || !isStringArray(j.multiLabels)) bad('labels must be string arrays');
    if (!j.featurizer || !isStringArray(j.featurizer.vocab)) bad('featurizer vocabulary missing');
    const fo = j.featurizer.options;
    if (!fo || (fo.ngramMax !== 1 && fo.ngramMax !== 2) || typeof fo.sublinearTf !== 'boolean') bad('featurizer options missing or invalid');
    if (!Array.isArray(j.sections)) bad('section table missing');
    const F = j.featurizer.vocab.length;
    if (j.numFeatures !== F) bad(`numFeatures ${j.numFeatures} but vocabulary has ${F} terms`);
    const C = j.labels.length;
    const M = j.multiLabels.length;
    const bytes = new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength);
    const read = (name: string, dtype: 'float32' | 'int8', length: number): Float32Array | Int8Array => {
      const s = j.sections.find((x) => x && x.name === name);
      if (!s) return bad(`section ${name} missing`);
      if (s.dtype !== dtype) bad(`section ${name} has dtype ${s.dtype}, expected ${dtype}`);
      if (s.length !== length) bad(`section ${name} has ${s.length} elements, expected ${length}`);
      const size = length * (dtype === 'float32' ? 4 : 1);
      if (!Number.isInteger(s.offset) || s.offset < 0 || s.offset + size > bytes.length) {
        bad(`section ${name} lies outside the ${bytes.length}-byte weights file`);
      }
      // copy: the source buffer may be unaligned or shared
      const copy = bytes.slice(s.offset, s.offset + size);
      return dtype === 'float32' ? new Float32Array(copy.buffer) : new Int8Array(copy.buffer);
    };
    const idf = read('idf', 'float32', F) as Float32Array;
    const primaryB = read('primary.bias', 'float32', C) as Float32Array;
    const multiB = read('multi.bias', 'float32', M) as Float32Array;
    let primaryW: Float32Array;
    let multiW: Float32Array;
    if (j.storage === 'int8') {
      primaryW = dequantizeRows(read('primary.weight', 'int8', F * C) as Int8Array, read('primary.scale', 'float32', F) as Float32Array, C);
      multiW = dequantizeRows(read('multi.weight', 'int8', F * M) as Int8Array, read('multi.scale', 'float32', F) as Float32Array, M);
    } else {
      primaryW = read('primary.weight', 'float32', F * C) as Float32Array;
      multiW = read('multi.weight', 'float32', F * M) as Float32Array;
    }
    for (const [name, arr] of [['idf', idf], ['primary.bias', primaryB], ['multi.bias', multiB], ['primary.weight', primaryW], ['multi.weight', multiW]] as const) {
      for (let i = 0; i < arr.length; i++) if (!Number.isFinite(arr[i])) bad(`non-finite value in ${name}`);
    }
    const T = j.temperature ?? 1;
    if (!(typeof T === 'number' && T > 0 && Number.isFinite(T))) bad(`invalid temperature ${T}`);
    const mc = j.multiCalibration ?? { a: 1, b: 0 };
    if (!Number.isFinite(mc.a) || !Number.isFinite(mc.b)) bad('invalid multi-label calibration');
    const featurizer = new NgramFeaturizer({ options: j.featurizer.options, nDocs: j.featurizer.nDocs, vocab: j.featurizer.vocab, idf });
    return new NgramModel({
      featurizer,
      labels: j.labels,
      multiLabels: j.multiLabels,
      primaryW,
      primaryB,
      multiW,
      multiB,
      temperature: T,
      multiCalibration: { a: mc.a, b: mc.b },
      training: j.training,
    });
  }
}

function isStringArray(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((s) => typeof s === 'string');
}

/** logits = W^T x + b for row-major W [F][K]. Out-of-range indices are ignored. */
function linear(x: SparseVector, W: Float32Array, b: Float32Array, K: number): Float32Array {
  const out = Float32Array.from(b);
  const F = W.length / Math.max(1, K);
  for (let n = 0; n < x.indices.length; n++) {
    const f = x.indices[n];
    if (f < 0 || f >= F) continue;
    const v = x.values[n];
    const base = f * K;
    for (let k = 0; k < K; k++) out[k] += v * W[base + k];
  }
  return out;
}

/** Symmetric int8 quantisation with one scale per row of a row-major [rows][cols] matrix. */
export function quantizeRows(W: Float32Array, rows: number, cols: number): { q: Int8Array; scale: Float32Array } {
  const q = new Int8Array(rows * cols);
  const scale = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let m = 0;
    for (let c = 0; c < cols; c++) m = Math.max(m, Math.abs(W[r * cols + c]));
    const s = m > 0 ? m / 127 : 1;
    scale[r] = s;
    for (let c = 0; c < cols; c++) q[r * cols + c] = Math.max(-127, Math.min(127, Math.round(W[r * cols + c] / s)));
  }
  return { q, scale };
}

export function dequantizeRows(q: Int8Array, scale: Float32Array, cols: number): Float32Array {
  const W = new Float32Array(q.length);
  for (let r = 0; r < scale.length; r++) {
    const s = scale[r];
    for (let c = 0; c < cols; c++) W[r * cols + c] = q[r * cols + c] * s;
  }
  return W;
}
