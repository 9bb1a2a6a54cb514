/**
 * AdamW (decoupled weight decay) with linear warmup then cosine decay, and global-norm gradient clipping.
 * Written out (not tf.train.adam) because tfjs has no AdamW, and so the optimiser state can be checkpointed
 * and restored exactly for resume.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../../model/tfBackend'; // registers chained ops and the cpu backend

export interface AdamWOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  warmupSteps: number;
  totalSteps: number;
  clipNorm: number;
  /** Parameters excluded from weight decay (biases, LayerNorm, embeddings). */
  noDecay: (name: string) => boolean;
}

export class AdamW {
  step = 0;
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();

  constructor(private readonly opts: AdamWOptions) {}

  learningRate(step = this.step): number {
    const { lr, warmupSteps, totalSteps } = this.opts;
    if (step < warmupSteps) return (lr * (step + 1)) / warmupSteps;
    const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
    return lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }

  /** Applies one update; returns the global gradient norm before clipping. */
  apply(params: Map<string, tf.Variable>, grads: Record<string, tf.Tensor>): number {
    const { beta1, beta2, eps, weightDecay, clipNorm, noDecay } = this.opts;
    // tf.variableGrads keys gradients by tf variable name; state is kept by the model's parameter name.
    const keyOf = new Map([...params].map(([k, v]) => [v.name, k]));
    grads = Object.fromEntries(Object.entries(grads).map(([g, t]) => [keyOf.get(g) ?? g, t]));
    const names = Object.keys(grads);
    const sq = tf.tidy(() => tf.addN(names.map((n) => tf.sum(tf.square(grads[n])))));
    const norm = Math.sqrt((sq.dataSync() as Float32Array)[0]);
    sq.dispose();
    const scale = Number.isFinite(norm) && norm > clipNorm ? clipNorm / norm : 1;
    if (!Number.isFinite(norm)) return norm; // skip a poisoned step rather than corrupt the weights
    const lr = this.learningRate();
    this.step++;
    const bc1 = 1 - beta1 ** this.step;
    const bc2 = 1 - beta2 ** this.step;
    for (const name of names) {
      const w = params.get(name)!;
      if (!this.m.has(name)) {
        this.m.set(name, tf.variable(tf.zerosLike(w), false));
        this.v.set(name, tf.variable(tf.zerosLike(w), false));
      }
      const m = this.m.get(name)!;
      const v = this.v.get(name)!;
      tf.tidy(() => {
        const g = scale === 1 ? grads[name] : tf.mul(grads[name], scale);
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        const update = tf.div(tf.div(m, bc1), tf.add(tf.sqrt(tf.div(v, bc2)), eps));
        const decayed = noDecay(name) || weightDecay === 0 ? w : tf.mul(w, 1 - lr * weightDecay);
        w.assign(tf.sub(decayed, tf.mul(update, lr)));
      });
    }
    return norm;
  }

  /** Optimiser state for checkpoints. */
  exportState(): { step: number; names: string[]; m: Float32Array[]; v: Float32Array[] } {
    const names = [...this.m.keys()];
    return {
      step: this.step,
      names,
      m: names.map((n) => this.m.get(n)!.dataSync() as Float32Array),
      v: names.map((n) => this.v.get(n)!.dataSync() as Float32Array),
    };
  }

  importState(state: { step: number; names: string[]; m: Float32Array[]; v: Float32Array[] }, params: Map<string, tf.Variable>): void {
    this.dispose();
    this.step = state.step;
    state.names.forEach((n, i) => {
      const w = params.get(n);
      if (!w) throw new Error(`checkpoint optimiser state names unknown parameter ${n}`);
      const mt = tf.tensor(state.m[i], w.shape);
      const vt = tf.tensor(state.v[i], w.shape);
      this.m.set(n, tf.variable(mt, false));
      this.v.set(n, tf.variable(vt, false));
      mt.dispose();
      vt.dispose();
    });
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}
