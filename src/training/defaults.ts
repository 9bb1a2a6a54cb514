/** Default hyper-parameters of a training run; models/default.train.json overrides them for the shipped model. */
import type { PipelineOptions } from './pipeline';
import type { TrainRequest } from './protocol';

/** Epochs of a training run unless the request says otherwise (also what Train Model proposes). */
export const DEFAULT_EPOCHS = 6;

export const DEFAULT_PIPELINE: Omit<PipelineOptions, 'dataPath' | 'outDir' | 'name'> = {
  members: ['cross-attention', 'ngram'],
  minPrimary: 100,
  minListed: 100,
  vocabSize: 16000,
  epochs: DEFAULT_EPOCHS,
  seed: 42,
  model: { hidden: 64, heads: 8, titleLen: 32, abstractLen: 160, poolDim: 64, mlp: [512, 256, 128], dropout: 0.35, embedDropout: 0.1 },
  xattn: { batchSize: 64, lr: 2e-3, weightDecay: 0.01, warmupFraction: 0.05, clipNorm: 1, patience: 3, multiWeight: 0.5, trainEvalSample: 3000 },
  ngram: { maxFeatures: 50000, minDf: 2, epochs: 3, lr: 0.02, l2: 1e-4, batchSize: 512, classWeights: 'sqrt', patience: 1 },
  loss: { kind: 'ce', labelSmoothing: 0.1, classWeights: 'auto' },
};

/** Merges a request (from the UI or CLI) over the defaults (and a config file's values). */
export function pipelineOptions(req: TrainRequest & Partial<PipelineOptions>, base: Partial<PipelineOptions> = {}): PipelineOptions {
  const d = { ...DEFAULT_PIPELINE, ...base } as PipelineOptions;
  return {
    ...d,
    ...req,
    name: req.name ?? base.name ?? `trained-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-')}`,
    model: { ...d.model, ...(req.model ?? {}) },
    xattn: { ...d.xattn, ...(req.xattn ?? {}) },
    ngram: { ...d.ngram, ...(req.ngram ?? {}) },
    loss: { ...(d.loss ?? { kind: 'ce' }), ...(req.loss ?? {}) },
  };
}
