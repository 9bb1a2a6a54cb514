/**
 * Loads a model bundle and classifies drafts: the cross-attention model, the n-gram model, or their stacking
 * ensemble, each with its validation-fitted temperature, plus cross-list probabilities from a sigmoid head.
 */
import * as tf from '@tensorflow/tfjs-core';
import { join, resolve } from 'node:path';
import { readBundle, BundleError, type BundleManifest, type LoadedBundle } from './bundle';
import { CrossAttentionModel, type ModelInputs } from './crossAttention/model';
import { NgramModel } from './ngram/model';
import { Stacker } from './stacking';
import { logSoftmax, softmaxWithTemperature, sigmoid } from './calibration';
import { categoryName } from './arxivTaxonomy';
import { WordPieceTokenizer } from './text/tokenizer';
import { parseVocabTxt } from './text/vocabTxt';
import { normalizeForModel, wordsForNgrams } from './text/normalize';
import { initTfBackend } from './tfBackend';
import { bytesToFloat32 } from './fsAtomic';
import { explainDraft, type DraftExplanation, type ExplainOptions } from './explain/explain';
import { releaseGradientCaches } from './explain/xattnGradient';
import type { Classifier, ModelInfo, PaperText, Prediction, TokenStateEncoder } from './types';
import { computeInsights, type InsightSources } from './insights';
import { loadPaperIndex } from './neighbours/bundleIndex';

/** Per-paper raw outputs of each member, before combination (used by training and the benchmark too). */
export interface MemberOutputs {
  xattnLogits?: Float32Array;
  xattnMultiLogits?: Float32Array;
  ngramLogits?: Float32Array;
  ngramMulti?: Float32Array;
}

/** The shipped default bundle inside the extension / repository. */
export function defaultModelDir(root: string = resolve(__dirname, '..')): string {
  return join(root, 'models', 'default');
}

/**
 * Encodes title/abstract into model inputs for the compact encoder (token ids, padding id 0). Training and
 * inference both go through here; pass `normalized` when the texts already went through normalizeForModel.
 */
export function encodeForCompact(
  tok: WordPieceTokenizer,
  papers: PaperText[],
  titleLen: number,
  abstractLen: number,
  normalized = false,
): { titleIds: Int32Array; abstractIds: Int32Array } {
  const norm = normalized ? (s: string) => s : normalizeForModel;
  const titleIds = new Int32Array(papers.length * titleLen);
  const abstractIds = new Int32Array(papers.length * abstractLen);
  papers.forEach((p, i) => {
    titleIds.set(tok.encode(norm(p.title), titleLen, false).ids, i * titleLen);
    abstractIds.set(tok.encode(norm(p.abstract), abstractLen, false).ids, i * abstractLen);
  });
  return { titleIds, abstractIds };
}

function maskOf(ids: Int32Array): Float32Array {
  return Float32Array.from(ids, (x) => (x !== 0 ? 1 : 0));
}

export class BundleClassifier implements Classifier {
  readonly info: ModelInfo;
  private readonly manifest: BundleManifest;
  private xattn?: CrossAttentionModel;
  private tokenizer?: WordPieceTokenizer;
  private ngram?: NgramModel;
  private stacker?: Stacker;
  /** prediction set, papers like yours, "other" explained, text checks */
  private insightSources?: InsightSources;

  private constructor(b: LoadedBundle, private readonly encoder?: TokenStateEncoder) {
    const m = b.manifest;
    this.manifest = m;
    try {
      if (m.crossAttention) {
        if (!m.tokenizer && m.crossAttention.config.encoder === 'compact') throw new BundleError('manifest has a cross-attention model but no tokenizer');
        if (m.tokenizer && m.crossAttention.config.encoder === 'compact') {
          const vocab = parseVocabTxt(b.file(m.tokenizer.file).toString('utf8'), m.tokenizer.file);
          this.tokenizer = WordPieceTokenizer.fromVocab(vocab, { lowercase: m.tokenizer.lowercase });
        }
        this.xattn = new CrossAttentionModel(m.crossAttention.config, 0);
        this.xattn.importWeights(m.crossAttention.index, bytesToFloat32(b.file(m.crossAttention.weights)));
      }
      if (m.ngram) this.ngram = NgramModel.deserialize(JSON.parse(b.file(m.ngram.json).toString('utf8')), b.file(m.ngram.weights));
      if (m.stacker) this.stacker = Stacker.fromJSON(m.stacker.json);
      this.insightSources = { ...loadPaperIndex(b, this.ngram), conformal: m.predictionSet, primaryLabels: m.labels.primary.map((l) => l.code), minPrimary: m.labels.minPrimary };
    } catch (e) {
      this.dispose();
      if (e instanceof BundleError) throw e;
      throw new BundleError(`Model in ${b.dir} could not be loaded: ${(e as Error).message}`);
    }
    if (m.kind === 'ensemble' && !(this.xattn && this.ngram && this.stacker)) throw new BundleError(`Ensemble bundle ${b.dir} lacks a member model.`);
    if (!this.xattn && !this.ngram) throw new BundleError(`Bundle ${b.dir} contains no model.`);
    if (this.xattn?.config.encoder === 'states' && !encoder) {
      throw new BundleError(`Model in ${b.dir} was trained on a SciBERT ONNX encoder; load it with its encoder (loadClassifier does this).`);
    }
    this.info = {
      name: m.name,
      dir: b.dir,
      kind: m.kind,
      encoder: this.xattn ? (this.xattn.config.encoder === 'compact' ? 'compact' : 'onnx') : 'none',
      labels: m.labels.primary.map((l) => l.code),
      metrics: m.metrics,
    };
  }

  static async load(dir: string, encoder?: TokenStateEncoder): Promise<BundleClassifier> {
    const b = readBundle(dir);
    if (b.manifest.crossAttention) await initTfBackend();
    return new BundleClassifier(b, encoder);
  }

  /** Raw member outputs for a batch of papers. */
  async memberOutputs(papers: PaperText[]): Promise<MemberOutputs[]> {
    const out: MemberOutputs[] = papers.map(() => ({}));
    if (this.xattn) {
      const c = this.xattn.config;
      let inputs: ModelInputs;
      const extra: tf.Tensor[] = [];
      if (c.encoder === 'compact') {
        const { titleIds, abstractIds } = encodeForCompact(this.tokenizer!, papers, c.titleLen, c.abstractLen);
        const t = tf.tensor2d(titleIds, [papers.length, c.titleLen], 'int32');
        const a = tf.tensor2d(abstractIds, [papers.length, c.abstractLen], 'int32');
        extra.push(t, a);
        inputs = { titleIds: t, abstractIds: a, titleMask: maskOf(titleIds), abstractMask: maskOf(abstractIds) };
      } else {
        const enc = this.encoder!;
        const ts = await enc.encode(papers.map((p) => p.title), c.titleLen);
        const as = await enc.encode(papers.map((p) => p.abstract), c.abstractLen);
        const t = tf.tensor3d(ts.states, [ts.batch, ts.seqLen, ts.hidden]);
        const a = tf.tensor3d(as.states, [as.batch, as.seqLen, as.hidden]);
        extra.push(t, a);
        inputs = { titleStates: t, abstractStates: a, titleMask: Float32Array.from(ts.mask), abstractMask: Float32Array.from(as.mask) };
      }
      const [p, m] = tf.tidy(() => {
        const o = this.xattn!.forward(inputs, false);
        return [o.primaryLogits.dataSync() as Float32Array, o.multiLogits.dataSync() as Float32Array];
      });
      extra.forEach((t) => t.dispose());
      const C = p.length / papers.length;
      const M = m.length / papers.length;
      out.forEach((o, i) => {
        o.xattnLogits = p.slice(i * C, (i + 1) * C);
        o.xattnMultiLogits = m.slice(i * M, (i + 1) * M);
      });
    }
    if (this.ngram) {
      papers.forEach((p, i) => {
        const x = this.ngram!.featurizer.transform(wordsForNgrams(p.title + ' . ' + p.abstract));
        out[i].ngramLogits = this.ngram!.predictLogits(x);
        out[i].ngramMulti = this.ngram!.predictMulti(x);
      });
    }
    return out;
  }

  /** Each member's own calibrated primary probabilities (for side-by-side evaluation). */
  memberProbs(o: MemberOutputs): { crossAttention?: Float32Array; ngram?: Float32Array } {
    return {
      crossAttention: o.xattnLogits ? softmaxWithTemperature(o.xattnLogits, this.manifest.crossAttention?.temperature ?? 1) : undefined,
      ngram: o.ngramLogits ? softmaxWithTemperature(o.ngramLogits, this.ngram!.temperature) : undefined,
    };
  }

  /** Calibrated primary probabilities and cross-list probabilities from member outputs. */
  combine(o: MemberOutputs): { primary: Float32Array; multi: Float32Array } {
    const m = this.manifest;
    let primary: Float32Array;
    const xT = m.crossAttention?.temperature ?? 1;
    if (this.stacker && o.xattnLogits && o.ngramLogits) {
      const z = this.stacker.predictLogits([logSoftmax(o.xattnLogits, xT), logSoftmax(o.ngramLogits, this.ngram!.temperature)]);
      primary = softmaxWithTemperature(z, m.stacker!.temperature);
    } else if (o.xattnLogits) {
      primary = softmaxWithTemperature(o.xattnLogits, xT);
    } else {
      primary = softmaxWithTemperature(o.ngramLogits!, this.ngram!.temperature);
    }
    const xMulti = o.xattnMultiLogits ? Float32Array.from(o.xattnMultiLogits, (z) => sigmoid(z / (m.crossAttention?.multiTemperature ?? 1))) : undefined;
    let multi: Float32Array;
    if (m.multiSource === 'average' && xMulti && o.ngramMulti) multi = xMulti.map((p, i) => (p + o.ngramMulti![i]) / 2);
    else if (m.multiSource === 'ngram' || !xMulti) multi = o.ngramMulti!;
    else multi = xMulti;
    return { primary, multi };
  }

  toPrediction(probs: { primary: Float32Array; multi: Float32Array }): Prediction {
    const m = this.manifest;
    const primary = m.labels.primary
      .map((l, i) => ({ category: l.code, name: categoryName(l.code), p: probs.primary[i] }))
      .sort((a, b) => b.p - a.p);
    const top = primary[0]?.category;
    const crosslists = m.labels.multi
      .map((l, i) => ({ category: l.code, name: categoryName(l.code), p: probs.multi[i] }))
      .filter((c) => c.category !== top)
      .sort((a, b) => b.p - a.p);
    return { primary, crosslists, model: m.name };
  }

  async classifyBatch(papers: PaperText[]): Promise<Prediction[]> {
    const outs = await this.memberOutputs(papers);
    return outs.map((o, i) => {
      const pred = this.toPrediction(this.combine(o));
      if (this.insightSources) pred.insights = computeInsights(papers[i], pred.primary, pred.crosslists, this.insightSources);
      return pred;
    });
  }

  async classify(paper: PaperText): Promise<Prediction> {
    return (await this.classifyBatch([paper]))[0];
  }

  /** Evidence for the prediction: top category against the runner-up (src/model/explain). */
  explain(paper: PaperText, opts?: ExplainOptions): Promise<DraftExplanation> {
    return explainDraft(this, paper, { maxTerms: 400, ...opts });
  }

  /** The loaded members, for explanations (src/model/explain); absent members are undefined. */
  get members(): { xattn?: CrossAttentionModel; tokenizer?: WordPieceTokenizer; ngram?: NgramModel; stacker?: Stacker } {
    return { xattn: this.xattn, tokenizer: this.tokenizer, ngram: this.ngram, stacker: this.stacker };
  }

  get manifestData(): BundleManifest {
    return this.manifest;
  }

  dispose(): void {
    if (this.xattn) releaseGradientCaches(this.xattn);
    this.xattn?.dispose();
    this.xattn = undefined;
    void this.encoder?.dispose();
  }
}

/**
 * Loads any model folder: a bundle trained on the compact encoder, or a bundle whose head was trained on a
 * SciBERT ONNX export (the export folder is recorded in the manifest). Throws BundleError with a clear message.
 */
export async function loadClassifier(dir: string): Promise<BundleClassifier> {
  const b = readBundle(dir);
  const ca = b.manifest.crossAttention;
  if (ca?.config.encoder === 'states') {
    if (!ca.onnxEncoderDir) throw new BundleError(`Bundle ${b.dir} uses an ONNX encoder but does not say which.`);
    // Loaded lazily: onnxruntime-node is only needed for SciBERT bundles.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { OnnxBertEncoder } = require('./onnx/onnxBertEncoder') as typeof import('./onnx/onnxBertEncoder');
    const encDir = resolve(b.dir, ca.onnxEncoderDir);
    const enc = await OnnxBertEncoder.load(encDir);
    if (ca.onnxFingerprint && enc.fingerprint !== ca.onnxFingerprint) {
      await enc.dispose();
      throw new BundleError(`The ONNX encoder in ${encDir} is not the one this head was trained on (fingerprint differs): retrain the head.`);
    }
    return BundleClassifier.load(dir, enc);
  }
  return BundleClassifier.load(dir);
}
