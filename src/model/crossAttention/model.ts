/**
 * The cross-attention classifier of the original research, in TensorFlow.js:
 *   title and abstract -> one shared encoder -> bidirectional multi-head cross-attention
 *   (title attends to abstract, abstract attends to title; residual + LayerNorm)
 *   -> masked attention pooling of each -> concatenation -> fusion MLP -> two heads:
 *   softmax over primary categories, sigmoid over all listed categories (cross-lists).
 * The encoder is either our compact one (token + position + segment embeddings, LayerNorm) trained end to
 * end, or frozen token states from a SciBERT ONNX export (then only the head trains).
 */
import * as tf from '@tensorflow/tfjs-core';
import '../tfBackend'; // registers chained ops and the cpu backend
import { maskedAttention } from './attentionOp';
import type { CrossAttentionConfig } from './config';
import { validateConfig } from './config';

export interface ModelInputs {
  /** Compact encoder: token ids [B, titleLen] / [B, abstractLen] (0 = padding). */
  titleIds?: tf.Tensor2D;
  abstractIds?: tf.Tensor2D;
  /** 'states' encoder: token states [B, T, inputDim]. */
  titleStates?: tf.Tensor3D;
  abstractStates?: tf.Tensor3D;
  /**
   * Compact encoder, explanations only: token embeddings [B, T, hidden] used instead of looking up the ids
   * (integrated gradients differentiates the output with respect to them; see src/model/explain).
   */
  titleTokenEmbeddings?: tf.Tensor3D;
  abstractTokenEmbeddings?: tf.Tensor3D;
  /** 1 = real token, 0 = padding; [B * T] row-major. */
  titleMask: Float32Array;
  abstractMask: Float32Array;
  /**
   * Feature-space augmentation (mixup / SMOTE-style interpolation, training only): output row r is
   * lambda[r] * embedded(a[r]) + (1 - lambda[r]) * embedded(b[r]) of the batch's rows; masks are the union.
   */
  mix?: FeatureMix;
}

export interface FeatureMix {
  a: Int32Array;
  b: Int32Array;
  lambda: Float32Array;
}

/** Masks of the interpolated rows: a token position is real if it is real in either source row. */
export function mixMask(mask: Float32Array, T: number, mix: FeatureMix): Float32Array {
  const out = new Float32Array(mix.a.length * T);
  for (let r = 0; r < mix.a.length; r++) {
    for (let j = 0; j < T; j++) out[r * T + j] = Math.max(mask[mix.a[r] * T + j], mask[mix.b[r] * T + j]);
  }
  return out;
}

export interface ModelOutputs {
  primaryLogits: tf.Tensor2D;
  multiLogits: tf.Tensor2D;
}

type Params = Map<string, tf.Variable>;

export class CrossAttentionModel {
  readonly params: Params = new Map();
  private seedCounter = 0;
  private static instances = 0;
  private readonly instanceId = ++CrossAttentionModel.instances;

  constructor(readonly config: CrossAttentionConfig, seed = 42) {
    validateConfig(config);
    const c = config;
    const D = c.hidden;
    let s = seed * 1000;
    const glorot = (name: string, shape: [number, number]) => {
      const lim = Math.sqrt(6 / (shape[0] + shape[1]));
      this.add(name, tf.randomUniform(shape, -lim, lim, 'float32', s++));
    };
    const zeros = (name: string, shape: number[]) => this.add(name, tf.zeros(shape));
    const ones = (name: string, shape: number[]) => this.add(name, tf.ones(shape));
    if (c.encoder === 'compact') {
      this.add('emb/token', tf.randomNormal([c.vocabSize, D], 0, 0.05, 'float32', s++));
    } else if (c.inputDim !== D) {
      glorot('emb/proj', [c.inputDim, D]);
      zeros('emb/proj_b', [D]);
    }
    this.add('emb/position', tf.randomNormal([Math.max(c.titleLen, c.abstractLen), D], 0, 0.02, 'float32', s++));
    this.add('emb/segment', tf.randomNormal([2, D], 0, 0.02, 'float32', s++));
    ones('emb/ln_g', [D]);
    zeros('emb/ln_b', [D]);
    for (const dir of ['t2a', 'a2t']) {
      for (const w of ['q', 'k', 'v', 'o']) {
        glorot(`${dir}/w${w}`, [D, D]);
        zeros(`${dir}/b${w}`, [D]);
      }
      ones(`${dir}/ln_g`, [D]);
      zeros(`${dir}/ln_b`, [D]);
    }
    for (const side of ['title', 'abstract']) {
      glorot(`pool_${side}/w`, [D, c.poolDim]);
      zeros(`pool_${side}/b`, [c.poolDim]);
      glorot(`pool_${side}/u`, [c.poolDim, 1]);
    }
    let inDim = 2 * D;
    c.mlp.forEach((w, i) => {
      glorot(`mlp/w${i}`, [inDim, w]);
      zeros(`mlp/b${i}`, [w]);
      inDim = w;
    });
    glorot('head/primary_w', [inDim, c.numPrimary]);
    zeros('head/primary_b', [c.numPrimary]);
    glorot('head/multi_w', [inDim, c.numMulti]);
    // Cross-lists are rare: start the sigmoid head near the base rate instead of 0.5.
    this.add('head/multi_b', tf.fill([c.numMulti], -3));
  }

  private add(name: string, init: tf.Tensor): void {
    // tfjs registers variable names globally: make them unique per model instance (several models can be alive).
    this.params.set(name, tf.variable(init, true, `${name}@${this.instanceId}`));
    init.dispose();
  }

  p(name: string): tf.Variable {
    const v = this.params.get(name);
    if (!v) throw new Error(`missing parameter ${name}`);
    return v;
  }

  private nextSeed(): number {
    return ++this.seedCounter;
  }

  /** Dropout seeds continue from here: the trainer sets it per step so a resumed run draws the same masks. */
  setSeedBase(base: number): void {
    this.seedCounter = base;
  }

  private layerNorm(x: tf.Tensor, g: string, b: string): tf.Tensor {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), this.p(g)), this.p(b));
  }

  private dense(x: tf.Tensor, w: string, b?: string): tf.Tensor {
    const shape = x.shape as number[];
    const W = this.p(w);
    const flat = x.reshape([-1, shape[shape.length - 1]]);
    let y: tf.Tensor = tf.matMul(flat as tf.Tensor2D, W as unknown as tf.Tensor2D);
    if (b) y = tf.add(y, this.p(b));
    return y.reshape([...shape.slice(0, -1), W.shape[1] as number]);
  }

  private dropout(x: tf.Tensor, rate: number, training: boolean): tf.Tensor {
    return training && rate > 0 ? tf.dropout(x, rate, undefined, this.nextSeed()) : x;
  }

  private embed(inp: ModelInputs, side: 'title' | 'abstract', training: boolean): tf.Tensor3D {
    const c = this.config;
    let x: tf.Tensor;
    if (c.encoder === 'compact') {
      const given = side === 'title' ? inp.titleTokenEmbeddings : inp.abstractTokenEmbeddings;
      const ids = side === 'title' ? inp.titleIds : inp.abstractIds;
      if (!given && !ids) throw new Error(`${side} ids missing`);
      x = given ?? tf.gather(this.p('emb/token'), ids!);
    } else {
      const st = side === 'title' ? inp.titleStates : inp.abstractStates;
      if (!st) throw new Error(`${side} states missing`);
      x = c.inputDim !== c.hidden ? this.dense(st, 'emb/proj', 'emb/proj_b') : st;
    }
    const T = x.shape[1]!;
    const pos = this.p('emb/position').slice([0, 0], [T, c.hidden]);
    const seg = this.p('emb/segment').slice([side === 'title' ? 0 : 1, 0], [1, c.hidden]);
    x = tf.add(tf.add(x, pos), seg);
    x = this.layerNorm(x, 'emb/ln_g', 'emb/ln_b');
    return this.dropout(x, c.embedDropout, training) as tf.Tensor3D;
  }

  private multiHead(dir: 't2a' | 'a2t', xq: tf.Tensor3D, xkv: tf.Tensor3D, keyMask: Float32Array): tf.Tensor3D {
    const { heads: H, hidden: D } = this.config;
    const dh = D / H;
    const B = xq.shape[0]!;
    const Tq = xq.shape[1]!;
    const Tk = xkv.shape[1]!;
    const split = (x: tf.Tensor, T: number) => x.reshape([B, T, H, dh]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
    const q = split(this.dense(xq, `${dir}/wq`, `${dir}/bq`), Tq);
    const k = split(this.dense(xkv, `${dir}/wk`, `${dir}/bk`), Tk);
    const v = split(this.dense(xkv, `${dir}/wv`, `${dir}/bv`), Tk);
    const o = maskedAttention(q, k, v, keyMask).transpose([0, 2, 1, 3]).reshape([B, Tq, D]);
    return this.dense(o, `${dir}/wo`, `${dir}/bo`) as tf.Tensor3D;
  }

  private attentionPool(x: tf.Tensor3D, mask: Float32Array, side: 'title' | 'abstract'): tf.Tensor2D {
    const [B, T] = x.shape;
    const h = tf.tanh(this.dense(x, `pool_${side}/w`, `pool_${side}/b`));
    const scores = this.dense(h, `pool_${side}/u`).reshape([B, T]);
    const bias = tf.tensor2d(mask.map((m) => (m > 0 ? 0 : -1e9)), [B, T]);
    const w = tf.softmax(tf.add(scores, bias));
    return tf.sum(tf.mul(x, w.expandDims(2)), 1) as tf.Tensor2D;
  }

  /** Forward pass. Call inside tf.tidy (or dispose the outputs). */
  forward(inp: ModelInputs, training: boolean): ModelOutputs {
    const c = this.config;
    let t = this.embed(inp, 'title', training);
    let a = this.embed(inp, 'abstract', training);
    if (inp.mix) {
      const m = inp.mix;
      const lam = tf.tensor3d(m.lambda, [m.lambda.length, 1, 1]);
      const ia = tf.tensor1d(m.a, 'int32');
      const ib = tf.tensor1d(m.b, 'int32');
      const interp = (x: tf.Tensor3D) => tf.add(tf.mul(tf.gather(x, ia), lam), tf.mul(tf.gather(x, ib), tf.sub(1, lam))) as tf.Tensor3D;
      t = interp(t);
      a = interp(a);
      inp = { ...inp, titleMask: mixMask(inp.titleMask, t.shape[1], m), abstractMask: mixMask(inp.abstractMask, a.shape[1], m) };
    }
    const t2 = this.layerNorm(tf.add(t, this.dropout(this.multiHead('t2a', t, a, inp.abstractMask), c.dropout / 3, training)), 't2a/ln_g', 't2a/ln_b') as tf.Tensor3D;
    const a2 = this.layerNorm(tf.add(a, this.dropout(this.multiHead('a2t', a, t, inp.titleMask), c.dropout / 3, training)), 'a2t/ln_g', 'a2t/ln_b') as tf.Tensor3D;
    let f: tf.Tensor = tf.concat([this.attentionPool(t2, inp.titleMask, 'title'), this.attentionPool(a2, inp.abstractMask, 'abstract')], 1);
    c.mlp.forEach((_, i) => {
      f = this.dropout(tf.relu(this.dense(f, `mlp/w${i}`, `mlp/b${i}`)), c.dropout, training);
    });
    return {
      primaryLogits: this.dense(f, 'head/primary_w', 'head/primary_b') as tf.Tensor2D,
      multiLogits: this.dense(f, 'head/multi_w', 'head/multi_b') as tf.Tensor2D,
    };
  }

  /** Parameters in a stable order (for saving and optimiser state). */
  names(): string[] {
    return [...this.params.keys()];
  }

  /** Serialises all parameters into one float32 buffer plus an index. */
  exportWeights(): { index: { name: string; shape: number[]; offset: number }[]; data: Float32Array } {
    const index: { name: string; shape: number[]; offset: number }[] = [];
    let total = 0;
    for (const [name, v] of this.params) {
      index.push({ name, shape: v.shape, offset: total });
      total += v.size;
    }
    const data = new Float32Array(total);
    for (const e of index) data.set(this.p(e.name).dataSync() as Float32Array, e.offset);
    return { index, data };
  }

  importWeights(index: { name: string; shape: number[]; offset: number }[], data: Float32Array): void {
    for (const e of index) {
      const v = this.params.get(e.name);
      if (!v) throw new Error(`weights file has unknown parameter ${e.name}`);
      const size = e.shape.reduce((a, b) => a * b, 1);
      if (v.shape.join('x') !== e.shape.join('x')) throw new Error(`parameter ${e.name}: shape ${e.shape} does not match ${v.shape}`);
      if (e.offset + size > data.length) throw new Error(`weights file is truncated at ${e.name}`);
      const t = tf.tensor(data.subarray(e.offset, e.offset + size), e.shape);
      v.assign(t);
      t.dispose();
    }
    for (const name of this.params.keys()) {
      if (!index.some((e) => e.name === name)) throw new Error(`weights file lacks parameter ${name}`);
    }
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
  }
}
