/**
 * Typed interfaces shared by the model, training, server, CLI and benchmark.
 * Nothing in src/model imports `vscode`: this code runs in the server process, the CLI and workers.
 */
import type { PredictionInsights } from './insights';

import type { DraftExplanation } from './explain/types';

/** The two text fields the classifier reads. */
export interface PaperText {
  title: string;
  abstract: string;
}

/** One labelled paper as read from the data set (JSONL or CSV). */
export interface LabeledPaper extends PaperText {
  id: string;
  /** arXiv primary category, e.g. "cs.CL". */
  primary: string;
  /** All arXiv categories, primary first. */
  categories: string[];
  /** YYYY-MM-DD when known. */
  date?: string;
}

/** A category with its probability, as shown to the user. */
export interface CategoryScore {
  /** arXiv code, e.g. "cs.CL" (or the fallback label). */
  category: string;
  /** Human-readable arXiv name, e.g. "Computation and Language". */
  name: string;
  /** Calibrated probability in [0, 1]. */
  p: number;
}

/** What a classifier returns for one draft. */
export interface Prediction {
  /** Softmax over primary categories, sorted by p descending. */
  primary: CategoryScore[];
  /** Sigmoid (independent) probabilities that a category is listed at all, sorted by p, primary excluded. */
  crosslists: CategoryScore[];
  /** Model name (from its manifest). */
  model: string;
  /** Prediction set, similar training papers, the "other" bucket explained, text checks (see insights.ts). */
  insights?: PredictionInsights;
}

/** Measured metrics stored in a bundle manifest and shown in the UI. */
export interface ModelMetrics {
  [key: string]: number | string | undefined;
}

export interface ModelInfo {
  name: string;
  dir: string;
  kind: 'ensemble' | 'cross-attention' | 'ngram';
  encoder: 'compact' | 'onnx' | 'none';
  labels: string[];
  metrics: ModelMetrics;
}

/** A loaded model that can classify drafts. Implementations live in src/model. */
export interface Classifier {
  readonly info: ModelInfo;
  classify(paper: PaperText): Promise<Prediction>;
  classifyBatch(papers: PaperText[]): Promise<Prediction[]>;
  /** The evidence behind the prediction (src/model/explain); absent when the model cannot explain itself. */
  explain?(paper: PaperText): Promise<DraftExplanation>;
  dispose(): void;
}

/** Token ids for one text, padded/truncated to a fixed length. */
export interface EncodedText {
  ids: Int32Array;
  /** number of real (non-padding) tokens, including [CLS]/[SEP] when used. */
  length: number;
}

/** A WordPiece-style tokenizer (SciBERT's vocab or one learned from the corpus). */
export interface Tokenizer {
  readonly vocabSize: number;
  readonly padId: number;
  /** Sub-word tokens of a text (after the tokenizer's own normalisation). */
  tokenize(text: string): string[];
  /** ids with [CLS] ... [SEP] when `special` is true, padded with padId to maxLen. */
  encode(text: string, maxLen: number, special?: boolean): EncodedText;
}

/**
 * A frozen text encoder that returns token states (e.g. a SciBERT ONNX export run by onnxruntime-node).
 * The compact encoder is different: it is part of the TensorFlow.js graph and trained end to end.
 */
export interface TokenStateEncoder {
  readonly kind: 'onnx-bert';
  readonly hiddenSize: number;
  /** Stable fingerprint of the model weights (e.g. SHA-256 of model.onnx): feature caches key on it. */
  readonly fingerprint: string;
  /** Encodes texts to token states [batch, seqLen, hidden] (row-major) and a mask [batch, seqLen]. */
  encode(texts: string[], maxLen: number): Promise<TokenStates>;
  dispose(): Promise<void>;
}

export interface TokenStates {
  batch: number;
  seqLen: number;
  hidden: number;
  states: Float32Array;
  /** 1 for real tokens, 0 for padding. */
  mask: Uint8Array;
}
