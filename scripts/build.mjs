// Bundles every entry point with esbuild. Native/heavy runtime packages stay external and ship in node_modules.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const quiet = process.argv.includes('--quiet');
const watch = process.argv.includes('--watch');
const external = ['vscode', 'onnxruntime-node', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', 'playwright-core'];
const entries = {
  extension: 'src/extension/extension.ts',
  server: 'src/server/server.ts',
  cli: 'src/cli/main.ts',
  trainWorker: 'src/training/trainWorker.ts',
};
const entryPoints = Object.fromEntries(Object.entries(entries).filter(([, f]) => existsSync(f)));
const options = {
  entryPoints,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outdir: 'dist',
  sourcemap: true,
  external,
  logLevel: quiet ? 'warning' : 'info',
};
if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
}
