/**
 * TEST DOUBLE for src/model/classifier.ts: a keyword-count "model" whose bundle is a folder with
 * fake-model.json ({ name, delayMs? }). Deterministic, so tests can aim at exact thresholds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CategoryScore, Classifier, ModelInfo, PaperText, Prediction } from '../../../../src/model/types';

export const FAKE_LABELS: Record<string, { name: string; words: RegExp }> = {
  'cs.CL': { name: 'Computation and Language', words: /\b(language|text|translation|parsing|speech)\b/gi },
  'cs.CV': { name: 'Computer Vision and Pattern Recognition', words: /\b(image|images|vision|pixel|segmentation)\b/gi },
  'cs.LG': { name: 'Machine Learning', words: /\b(learning|neural|gradient)\b/gi },
  'math.AG': { name: 'Algebraic Geometry', words: /\b(variety|varieties|scheme|algebraic)\b/gi },
};

export interface FakeBundle {
  name: string;
  /** Artificial latency of classify(), to test queueing and dropping of stale results. */
  delayMs?: number;
}

export function writeFakeBundle(dir: string, bundle: FakeBundle): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'fake-model.json'), JSON.stringify(bundle));
}

function softmax(xs: number[]): number[] {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

export class FakeClassifier implements Classifier {
  disposed = false;
  constructor(readonly info: ModelInfo, private readonly delayMs = 0) {}

  async classify(paper: PaperText): Promise<Prediction> {
    if (this.disposed) throw new Error('FakeClassifier used after dispose()');
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const text = `${paper.title} ${paper.abstract}`;
    // Lets tests check that a classifier that throws never takes the server down.
    if (text.includes('CRASH-CLASSIFIER')) throw new Error('simulated classifier crash');
    // Only used inside a worker thread (there it ends the thread, not the process).
    if (text.includes('EXIT-WORKER')) process.exit(3);
    const codes = Object.keys(FAKE_LABELS);
    const probs = softmax(codes.map((c) => 1.5 * (text.match(FAKE_LABELS[c].words)?.length ?? 0)));
    const scores: CategoryScore[] = codes.map((c, i) => ({ category: c, name: FAKE_LABELS[c].name, p: probs[i] }));
    scores.sort((a, b) => b.p - a.p);
    const crosslists = scores.slice(1).map((s) => ({ ...s, p: Math.min(1, s.p * 2) }));
    return { primary: scores, crosslists, model: this.info.name };
  }

  async classifyBatch(papers: PaperText[]): Promise<Prediction[]> {
    return Promise.all(papers.map((p) => this.classify(p)));
  }

  dispose(): void {
    this.disposed = true;
  }
}

export async function loadFakeClassifier(dir: string): Promise<FakeClassifier> {
  const file = path.join(dir, 'fake-model.json');
  if (!fs.existsSync(file)) throw new Error(`${dir} is not a model bundle (fake-model.json is missing)`);
  const bundle = JSON.parse(fs.readFileSync(file, 'utf8')) as FakeBundle;
  const info: ModelInfo = {
    name: bundle.name,
    dir,
    kind: 'ngram',
    encoder: 'none',
    labels: Object.keys(FAKE_LABELS),
    metrics: { accuracy: 0.5 },
  };
  return new FakeClassifier(info, bundle.delayMs ?? 0);
}
