/**
 * A frozen BERT encoder (e.g. SciBERT) run by onnxruntime-node from a Hugging Face `optimum`
 * export folder: model.onnx + vocab.txt or tokenizer.json (+ config.json).
 *
 * Export a real SciBERT with
 *   optimum-cli export onnx --model allenai/scibert_scivocab_uncased --task feature-extraction DIR
 * (docs/onnx in the final report; tests use tiny models made by scripts/onnx/make_bert_onnx.py).
 *
 * Loading never crashes on bad input: a missing/corrupt model or tokenizer becomes an Error
 * with a message naming the folder and what is wrong.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { InferenceSession as OrtSession, Tensor as OrtTensor } from 'onnxruntime-node';
import type { EncodedText, TokenStateEncoder, TokenStates } from '../types';
import { loadTokenizer, type WordPieceTokenizer } from '../text/tokenizer';
import { normalizeForModel } from '../text/normalize';
import { MODEL_FILES } from './exportFiles';
import { errorMessage } from '../../shared/errors';
import { sha256Files } from '../../shared/hash';

export interface OnnxBertEncoderOptions {
  /** onnxruntime intra-op threads (default 2: the machines we target have few cores). */
  intraOpThreads?: number;
}

export { MODEL_FILES };

/** What an encoder folder must look like; shown in error messages. */
const EXPECTED = 'expected a Hugging Face optimum export folder: model.onnx (or model_quantized.onnx) + vocab.txt or tokenizer.json (+ config.json)';

/** BERT's position table size when config.json does not say. */
const DEFAULT_MAX_POSITIONS = 512;

interface BertConfig {
  hiddenSize?: number;
  vocabSize?: number;
  maxPositions?: number;
}

/** onnxruntime-node is loaded lazily so that code importing this module does not pay for the native addon. */
type Ort = typeof import('onnxruntime-node');
let ortModule: Ort | undefined;
function ort(): Ort {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous lazy load of the native addon
  if (!ortModule) ortModule = require('onnxruntime-node') as Ort;
  return ortModule;
}

export class OnnxBertEncoder implements TokenStateEncoder {
  readonly kind = 'onnx-bert' as const;

  private constructor(
    readonly dir: string,
    /** The .onnx file loaded. */
    readonly modelPath: string,
    readonly hiddenSize: number,
    readonly fingerprint: string,
    readonly tokenizer: WordPieceTokenizer,
    /** Longest sequence the model accepts (position table size). */
    readonly maxPositions: number,
    /** Model input names, e.g. input_ids, attention_mask[, token_type_ids]. */
    readonly inputNames: readonly string[],
    private readonly outputName: string,
    private session: OrtSession | null,
  ) {}

  static async load(dir: string, opts: OnnxBertEncoderOptions = {}): Promise<OnnxBertEncoder> {
    const abs = path.resolve(dir);
    if (!isDirectory(abs)) throw new Error(`ONNX encoder folder not found: ${abs} (${EXPECTED})`);
    const modelFile = MODEL_FILES.find((f) => isFile(path.join(abs, f)));
    if (!modelFile) throw new Error(`No model.onnx in ${abs} (${EXPECTED})`);
    const modelPath = path.join(abs, modelFile);

    let tokenizer: WordPieceTokenizer;
    try {
      tokenizer = loadTokenizer(abs);
    } catch (e) {
      throw new Error(`Cannot load the tokenizer of ${abs}: ${errorMessage(e)} (${EXPECTED})`, { cause: e });
    }
    const config = readBertConfig(abs);

    const threads = opts.intraOpThreads ?? 2;
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`intraOpThreads must be a positive integer, got ${threads}`);
    let session: OrtSession;
    try {
      session = await ort().InferenceSession.create(modelPath, {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
      });
    } catch (e) {
      throw new Error(`Cannot load ONNX model ${modelPath}: the file is corrupt or not an ONNX model onnxruntime can run (${errorMessage(e)})`, { cause: e });
    }

    try {
      const inputs = session.inputNames;
      for (const need of ['input_ids', 'attention_mask']) {
        if (!inputs.includes(need)) {
          throw new Error(`model inputs are [${inputs.join(', ')}]; a BERT export needs ${need}`);
        }
      }
      const extra = inputs.filter((n) => n !== 'input_ids' && n !== 'attention_mask' && n !== 'token_type_ids');
      if (extra.length) throw new Error(`unsupported model inputs: ${extra.join(', ')}`);
      const outputName = session.outputNames.includes('last_hidden_state') ? 'last_hidden_state' : session.outputNames[0];
      if (!outputName) throw new Error('model has no outputs');

      const metaHidden = outputHiddenSize(session, outputName) ?? (config.hiddenSize === undefined ? await probeHiddenSize(session, inputs, outputName, tokenizer) : undefined);
      const hiddenSize = config.hiddenSize ?? metaHidden;
      if (hiddenSize === undefined) throw new Error('hidden size unknown: no config.json hidden_size and the output shape does not say');
      if (metaHidden !== undefined && metaHidden !== hiddenSize) {
        throw new Error(`config.json hidden_size ${hiddenSize} disagrees with the model output (${metaHidden})`);
      }
      if (config.vocabSize !== undefined && tokenizer.vocabSize > config.vocabSize) {
        throw new Error(`tokenizer has ${tokenizer.vocabSize} tokens but config.json vocab_size is ${config.vocabSize}`);
      }
      const fingerprint = await fingerprintModel(modelPath);
      return new OnnxBertEncoder(abs, modelPath, hiddenSize, fingerprint, tokenizer, config.maxPositions ?? DEFAULT_MAX_POSITIONS,
        inputs.slice(), outputName, session);
    } catch (e) {
      await session.release().catch(() => undefined);
      throw new Error(`Unsupported ONNX encoder in ${abs}: ${errorMessage(e)}`, { cause: e });
    }
  }

  /** Normalises and tokenises one text the way `encode` does: [CLS] ... [SEP], at most maxLen ids. */
  tokenize(text: string, maxLen: number): EncodedText {
    const cap = this.capLength(maxLen);
    return this.tokenizer.encode(normalizeForModel(typeof text === 'string' ? text : ''), cap, true);
  }

  async encode(texts: string[], maxLen: number): Promise<TokenStates> {
    return this.encodeTokens(texts.map((t) => this.tokenize(t, maxLen)));
  }

  /**
   * Runs already-tokenised texts as one batch, padded to the longest (dynamic padding).
   * Real tokens get the same states as when run alone (the attention mask hides padding).
   */
  async encodeTokens(items: EncodedText[]): Promise<TokenStates> {
    const session = this.session;
    if (!session) throw new Error('OnnxBertEncoder is disposed');
    const batch = items.length;
    const hidden = this.hiddenSize;
    if (batch === 0) return { batch: 0, seqLen: 0, hidden, states: new Float32Array(0), mask: new Uint8Array(0) };
    let seqLen = 1;
    for (const it of items) seqLen = Math.max(seqLen, Math.min(it.length, it.ids.length));
    if (seqLen > this.maxPositions) throw new RangeError(`sequence of ${seqLen} tokens exceeds the model's ${this.maxPositions} positions`);

    const ids = new BigInt64Array(batch * seqLen).fill(BigInt(this.tokenizer.padId));
    const attention = new BigInt64Array(batch * seqLen);
    const mask = new Uint8Array(batch * seqLen);
    for (let b = 0; b < batch; b++) {
      const it = items[b];
      const n = Math.min(it.length, it.ids.length, seqLen);
      for (let t = 0; t < n; t++) {
        const id = it.ids[t];
        if (id < 0 || id >= this.tokenizer.vocabSize) throw new RangeError(`token id ${id} is outside the vocab`);
        ids[b * seqLen + t] = BigInt(id);
        attention[b * seqLen + t] = 1n;
        mask[b * seqLen + t] = 1;
      }
    }
    const { Tensor } = ort();
    const dims = [batch, seqLen];
    const feeds: Record<string, OrtTensor> = {
      input_ids: new Tensor('int64', ids, dims),
      attention_mask: new Tensor('int64', attention, dims),
    };
    // Single-segment input: all token types are 0. Only fed when the export has the input.
    if (this.inputNames.includes('token_type_ids')) {
      feeds.token_type_ids = new Tensor('int64', new BigInt64Array(batch * seqLen), dims);
    }
    let out: OrtSession.ReturnType;
    try {
      out = await session.run(feeds, [this.outputName]); // skip other outputs (e.g. pooler_output)
    } catch (e) {
      throw new Error(`ONNX encoder ${this.dir} failed to run: ${errorMessage(e)}`, { cause: e });
    }
    const y = out[this.outputName] as OrtTensor | undefined;
    const want = [batch, seqLen, hidden];
    if (!y || y.type !== 'float32' || y.dims.length !== 3 || y.dims.some((d, i) => d !== want[i])) {
      throw new Error(`ONNX encoder output ${this.outputName} has shape [${y?.dims.join(', ')}] (${y?.type}), expected float32 [${want.join(', ')}]`);
    }
    return { batch, seqLen, hidden, states: y.data as Float32Array, mask };
  }

  async dispose(): Promise<void> {
    const s = this.session;
    this.session = null;
    if (s) await s.release();
  }

  private capLength(maxLen: number): number {
    if (!Number.isInteger(maxLen) || maxLen < 2) throw new RangeError(`maxLen must be an integer >= 2, got ${maxLen}`);
    return Math.min(maxLen, this.maxPositions);
  }
}

/**
 * SHA-256 (hex) of the model file, streamed. Exports over 2 GB keep weights in <file>_data
 * (e.g. model.onnx_data): its bytes are hashed after the model's, so the fingerprint follows them.
 */
export async function fingerprintModel(modelPath: string): Promise<string> {
  return sha256Files([modelPath, `${modelPath}_data`].filter(isFile));
}

function readBertConfig(dir: string): BertConfig {
  const file = path.join(dir, 'config.json');
  if (!isFile(file)) return {};
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${errorMessage(e)}`, { cause: e });
  }
  if (typeof json !== 'object' || json === null) throw new Error(`${file} must hold a JSON object`);
  const o = json as Record<string, unknown>;
  const posInt = (key: string): number | undefined => {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new Error(`${file}: ${key} must be a positive integer`);
    return v;
  };
  return { hiddenSize: posInt('hidden_size'), vocabSize: posInt('vocab_size'), maxPositions: posInt('max_position_embeddings') };
}

function outputHiddenSize(session: OrtSession, name: string): number | undefined {
  const meta = session.outputMetadata?.find((m) => m.name === name);
  if (!meta || !meta.isTensor) return undefined;
  const last = meta.shape[meta.shape.length - 1];
  return typeof last === 'number' && last > 0 ? last : undefined;
}

/** Hidden size from one tiny run ([CLS] [SEP]) when neither config.json nor the output metadata gives it. */
async function probeHiddenSize(session: OrtSession, inputs: readonly string[], outputName: string, tok: WordPieceTokenizer): Promise<number | undefined> {
  const { Tensor } = ort();
  const feeds: Record<string, OrtTensor> = {
    input_ids: new Tensor('int64', BigInt64Array.from([BigInt(tok.clsId), BigInt(tok.sepId)]), [1, 2]),
    attention_mask: new Tensor('int64', BigInt64Array.from([1n, 1n]), [1, 2]),
  };
  if (inputs.includes('token_type_ids')) feeds.token_type_ids = new Tensor('int64', new BigInt64Array(2), [1, 2]);
  const y = (await session.run(feeds, [outputName]))[outputName] as OrtTensor | undefined;
  return y && y.dims.length === 3 && y.dims[2] > 0 ? y.dims[2] : undefined;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
