/**
 * Picks the TensorFlow.js backend: tfjs-node when it happens to be installed (an optional accelerator; its
 * installer downloads libtensorflow, so it cannot be a dependency), else the wasm backend (SIMD, ships its
 * .wasm in the npm package), else the pure-JS cpu backend.
 */
import * as tf from '@tensorflow/tfjs-core';
// Method-style ops (x.reshape(...)) come from this side-effect import in tfjs-core alone.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
// ...and so do the gradients of the built-in ops (the umbrella package imports both).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
// The cpu backend is always registered (lowest priority) so tensors made before initTfBackend still work.
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

/** Folder holding tfjs-backend-wasm's .wasm files: next to the bundle (dist/), or in node_modules (tests, tsx). */
function wasmBinaryDir(): string | undefined {
  const candidates = [__dirname];
  try {
    candidates.push(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist'));
  } catch {
    /* not resolvable inside a bundle without node_modules */
  }
  return candidates.find((d) => existsSync(join(d, 'tfjs-backend-wasm-simd.wasm')));
}
// We depend on tfjs-core and the backends only (not the @tensorflow/tfjs umbrella with layers/converter/data):
// a smaller install and VSIX, and one copy of the core shared by the wasm backend.

let ready: Promise<string> | undefined;

// Importing the wasm backend registers it with the highest priority, but it needs an async init; until
// initTfBackend() runs, use the (synchronously ready) cpu backend so early tensors never fail.
void tf.setBackend('cpu');

/** Gradient of tf.gather (embedding lookups) needs UnsortedSegmentSum, which tfjs-backend-wasm 4.22 lacks. */
function registerWasmSegmentSum(): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      // The wasm backend keeps tensors in its heap; read, scatter-add in JS (sparse: cheap), write back.
      const b = backend as unknown as {
        readSync(id: unknown): ArrayLike<number>;
        makeOutput(shape: number[], dtype: string): tf.TensorInfo;
        typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
      };
      const x = inputs.x as tf.TensorInfo;
      const ids = inputs.segmentIds as tf.TensorInfo;
      const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
      const inner = x.shape.slice(1).reduce((a, d) => a * d, 1);
      const xv = b.readSync(x.dataId);
      const iv = b.readSync(ids.dataId);
      const out = b.makeOutput([numSegments, ...x.shape.slice(1)], 'float32');
      const ov = b.typedArrayFromHeap(out);
      ov.fill(0);
      for (let i = 0; i < iv.length; i++) {
        const seg = iv[i];
        if (seg < 0 || seg >= numSegments) continue;
        const src = i * inner;
        const dst = seg * inner;
        for (let j = 0; j < inner; j++) ov[dst + j] += xv[src + j];
      }
      return out;
    },
  });
}

/**
 * tfjs-backend-wasm 4.22 runs BatchMatMul with transposeA/transposeB about 10x slower than on pre-transposed
 * inputs (measured: 6144x128 by 128x128, 313 ms vs 33 ms). Backprop through every matMul uses transposes, so
 * wrap the kernel: transpose explicitly, then call the fast path.
 */
function patchWasmMatMulTranspose(): void {
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!original || !transpose || (original as { patched?: boolean }).patched) return;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  const kernel = {
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    patched: true,
    kernelFunc: (args: Parameters<tf.KernelFunc>[0]) => {
      const { inputs, backend, attrs } = args;
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (!transposeA && !transposeB) return original.kernelFunc(args);
      const b = backend as unknown as { disposeData(id: unknown): void };
      const swapLast = (t: tf.TensorInfo): tf.TensorInfo => {
        const r = t.shape.length;
        const perm = [...Array(r).keys()];
        [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
        return transpose.kernelFunc({ inputs: { x: t }, backend, attrs: { perm } as unknown as tf.NamedAttrMap }) as tf.TensorInfo;
      };
      const a = transposeA ? swapLast(inputs.a as tf.TensorInfo) : (inputs.a as tf.TensorInfo);
      const bb = transposeB ? swapLast(inputs.b as tf.TensorInfo) : (inputs.b as tf.TensorInfo);
      const out = original.kernelFunc({
        inputs: { a, b: bb },
        backend,
        attrs: { ...(attrs as object), transposeA: false, transposeB: false } as unknown as tf.NamedAttrMap,
      });
      if (transposeA) b.disposeData(a.dataId);
      if (transposeB) b.disposeData(bb.dataId);
      return out;
    },
  };
  tf.registerKernel(kernel as unknown as tf.KernelConfig);
}

function tryRequire(name: string): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(name);
    return true;
  } catch {
    return false;
  }
}

/** Initialises the best available backend once; returns its name. `prefer` forces one (tests, benchmarks). */
export function initTfBackend(prefer?: 'tensorflow' | 'wasm' | 'cpu'): Promise<string> {
  if (ready) return ready;
  ready = (async () => {
    const order: string[] = prefer ? [prefer] : ['tensorflow', 'wasm', 'cpu'];
    for (const name of order) {
      if (name === 'tensorflow' && !tryRequire('@tensorflow/tfjs-node')) continue;
      if (name === 'cpu' && !tryRequire('@tensorflow/tfjs-backend-cpu')) continue;
      if (name === 'wasm') {
        const dir = wasmBinaryDir();
        if (!dir) continue;
        setWasmPaths(dir + sep);
        registerWasmSegmentSum();
        patchWasmMatMulTranspose();
      }
      try {
        if (await tf.setBackend(name)) {
          await tf.ready();
          return name;
        }
      } catch {
        /* try the next backend */
      }
    }
    throw new Error('No TensorFlow.js backend could be initialised (tried ' + order.join(', ') + ').');
  })();
  return ready;
}
