/**
 * Messages between whoever starts a training run (server, CLI) and the training process.
 * The training process is a separate Node process (dist/trainWorker.js) so a crash or a kill never takes
 * down the language server; it reports progress as TrainEvent messages over IPC.
 */

export type AugmentTechnique = 'backtranslation' | 'synonyms' | 'eda' | 'mixup' | 'smote';

export interface TrainRequest {
  /** JSONL(.gz) or CSV with title/abstract/category columns. */
  dataPath: string;
  /** Folder that receives the model bundle (written atomically at the end). */
  outDir: string;
  /** Checkpoints live here; an existing checkpoint is resumed when `resume` is true. Default: outDir + ".ckpt". */
  checkpointDir?: string;
  resume?: boolean;
  epochs?: number;
  seed?: number;
  /** Restrict to these primary categories (e.g. the 4-class setting); default: all with enough papers. */
  labels?: string[];
  /** Use at most this many papers (deterministic choice), e.g. for quick runs. */
  maxPapers?: number;
  augment?: {
    techniques: AugmentTechnique[];
    /** Classes to augment; default: minority classes. */
    targetClasses?: string[];
    /** Augment target classes up to this multiple of their count (e.g. 1.5). */
    ratio?: number;
  };
  loss?: { kind: 'ce' | 'focal' | 'dice'; gamma?: number; labelSmoothing?: number; classWeights?: 'auto' | 'none' };
  /** Folder of a SciBERT ONNX export: train the head on its frozen features instead of the compact encoder. */
  onnxEncoderDir?: string;
  /** Fine-tune: start from this bundle's cross-attention model (its vocabulary, labels and architecture). */
  baseModelDir?: string;
  /** With baseModelDir: keep the encoder (token/position/segment embeddings) frozen, train the rest. */
  freezeEncoder?: boolean;
}

export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss: number;
  valAccuracy: number;
  valMacroF1: number;
}

export type TrainEvent =
  | { type: 'phase'; phase: string; message: string }
  | {
      type: 'progress';
      phase: string;
      epoch: number;
      epochs: number;
      step: number;
      steps: number;
      loss: number;
      examplesPerSec: number;
      etaSec: number;
    }
  | { type: 'epoch'; metrics: EpochMetrics }
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'done'; modelDir: string; metrics: Record<string, number> }
  | { type: 'cancelled'; checkpointDir?: string }
  | { type: 'error'; message: string };
