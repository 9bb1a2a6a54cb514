/**
 * Extension-host test entry (extensionTestsPath): runs the *.test.js files beside it with mocha inside
 * VS Code's extension host and prints a summary line the runner reads from the browser console.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'spec' });
  const grep = process.env.ARXIV_VSCODE_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    let passed = 0;
    let failed = 0;
    const runner = mocha.run(() => {
      // The runner parses this exact line from the browser console.
      console.log(`[arxiv-test] summary ${JSON.stringify({ passed, failed })}`);
      if (failed > 0) reject(new Error(`${failed} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => {
      passed++;
      console.log(`[arxiv-test] pass ${t.fullTitle()} (${t.duration ?? 0} ms)`);
    });
    runner.on('fail', (t, err: Error) => {
      failed++;
      console.log(`[arxiv-test] fail ${t.fullTitle()}: ${err?.stack ?? err}`);
    });
  });
}
