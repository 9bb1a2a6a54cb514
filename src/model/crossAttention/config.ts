/** Architecture of the cross-attention classifier (stored in the bundle manifest). */
export interface CrossAttentionConfig {
  /** 'compact': token ids -> our trained embeddings; 'states': token states from a frozen encoder (SciBERT ONNX). */
  encoder: 'compact' | 'states';
  /** Vocabulary size of the compact encoder (ignored for 'states'). */
  vocabSize: number;
  /** Width of the token states the head works on. */
  hidden: number;
  /** Width of externally supplied token states ('states' encoder); projected to `hidden` when different. */
  inputDim: number;
  heads: number;
  titleLen: number;
  abstractLen: number;
  /** Hidden width of the attention-pooling scorer. */
  poolDim: number;
  /** Fusion MLP widths (the original research: 512, 256, 128). */
  mlp: number[];
  dropout: number;
  embedDropout: number;
  numPrimary: number;
  numMulti: number;
}

export function validateConfig(c: CrossAttentionConfig): void {
  if (c.hidden % c.heads !== 0) throw new Error(`hidden (${c.hidden}) must be divisible by heads (${c.heads})`);
  if (c.encoder === 'compact' && c.vocabSize < 10) throw new Error('compact encoder needs a vocabulary');
  if (c.numPrimary < 2) throw new Error('need at least two primary labels');
}
