/**
 * UI tests of the evidence (issue 10): on the shipped example draft (examples/draft.tex), the editor
 * highlights evidence phrases, hovering one says what it pulls toward, the sidebar's "Why X rather than Y?"
 * section lists both sides, clicking an entry selects that phrase in the draft, and the toggle command hides
 * and shows the highlights. Screenshots go to test-artifacts/evidence-*.png.
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, startCodeServer } from '../../../scripts/vscode-test/codeServer.mjs';
import { editorLine, openFile, openWorkbench, QUIET_WORKBENCH_SETTINGS, runCommand, webviewFrame, until } from './workbench';

const repo = process.env.ARXIV_REPO ?? path.resolve(__dirname, '../../../..');
const cache = process.env.VSCODE_TEST_CACHE ?? path.join(repo, '.cache', 'vscode-test');
const vsix = process.env.ARXIV_VSIX ?? path.join(repo, 'arxiv-classifier-linux-x64.vsix');
const devExtension = process.env.ARXIV_EXTENSION_DEV_PATH;
const artifacts = path.join(repo, 'test-artifacts');

type Started = Awaited<ReturnType<typeof startCodeServer>>;
type Browser = Awaited<ReturnType<typeof launchBrowser>>;

/**
 * Evidence highlights are the editor's text decorations with our contributed colours: VS Code draws each as a
 * `div.cdr` in the view overlays with a generated class; ours are the ones whose background is not transparent
 * and that appear and disappear with the toggle (checked below).
 */
const highlights = (page: Page) => page.locator('.editor-instance .monaco-editor .view-overlays div.cdr[class*="ced-"]');

describe('evidence in VS Code (UI)', function () {
  this.timeout(150_000);
  let cs: Started;
  let browser: Browser;
  let page: Page;
  let workspace: string;

  before(async function () {
    this.timeout(240_000);
    mkdirSync(artifacts, { recursive: true });
    workspace = mkdtempSync(path.join(tmpdir(), 'arxiv-ui-evidence-'));
    cpSync(path.join(repo, 'test', 'fixtures', 'vscode', 'workspace'), workspace, { recursive: true });
    // the example draft the extension ships (examples/draft.tex), as a file of the workspace
    cpSync(path.join(repo, 'examples', 'draft.tex'), path.join(workspace, 'example-draft.tex'));
    cs = await startCodeServer({
      cache,
      name: 'ui-evidence',
      logDir: artifacts,
      vsix: devExtension ? [] : [vsix],
      smokeTestDriver: !!devExtension,
      userSettings: {
        ...QUIET_WORKBENCH_SETTINGS,
        'editor.wordWrap': 'on',
        'editor.occurrencesHighlight': 'off',
        'editor.selectionHighlight': false,
      },
    });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1400, height: 860 });
    const payload = devExtension ? [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${cs.port}${devExtension}`]] : undefined;
    await openWorkbench(page, cs.url, workspace, payload);
    await openFile(page, 'example-draft.tex', 'Retrieval-Augmented Decoding');
    await page.locator('.activitybar [aria-label^="arXiv Classifier"]').first().click();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page && !page.isClosed()) {
      const name = this.currentTest.title.replace(/[^\w]+/g, '-').slice(0, 60);
      await page.screenshot({ path: path.join(artifacts, `failure-evidence-${name}.png`) }).catch(() => undefined);
    }
  });

  after(async () => {
    await browser?.close();
    await cs?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('the sidebar explains why the top category rather than the runner-up, with evidence on each side', async () => {
    const frame = webviewFrame(page);
    await frame.locator('#evidence-for-top .evidence-entry').first().waitFor({ timeout: 120_000 });
    const heading = (await frame.locator('#evidence h3').innerText()).trim();
    const m = /^WHY (\S+) RATHER THAN (\S+)\?$/i.exec(heading);
    assert.ok(m, heading);
    const top = (await frame.locator('#primary-bars .category-row.top .category-code').innerText()).trim();
    assert.equal(m[1].toLowerCase(), top.toLowerCase());
    assert.equal(top, 'cs.CL');
    const forTop = await frame.locator('#evidence-for-top .evidence-term').allInnerTexts();
    const forRunnerUp = await frame.locator('#evidence-for-runner-up .evidence-term').allInnerTexts();
    assert.ok(forTop.length >= 3, `for top: ${forTop}`);
    assert.ok(forRunnerUp.length >= 1, `for runner-up: ${forRunnerUp}`);
    assert.ok(forTop.some((t) => /summar|language|decoding/.test(t)), `summarisation/language words for cs.CL: ${forTop}`);
    await page.mouse.move(900, 700);
    await page.locator('.part.sidebar').screenshot({ path: path.join(artifacts, 'evidence-sidebar.png') });
  });

  it('evidence phrases are highlighted in the editor, and hovering one says what it pulls toward', async () => {
    const n = await until('evidence highlights', async () => ((await highlights(page).count()) > 0 ? highlights(page).count() : undefined), 60_000);
    assert.ok(n >= 3, `highlights: ${n}`);
    await page.locator('.editor-instance').first().screenshot({ path: path.join(artifacts, 'evidence-editor.png') });
    // hover the middle of the first highlight (the text layer sits above the overlay: move the mouse there)
    const box = await until('a highlight with a size', async () => (await highlights(page).first().boundingBox()) ?? undefined, 10_000);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = page.locator('.monaco-hover:not(.hidden)').first();
    await hover.waitFor({ state: 'visible', timeout: 20_000 });
    const text = await until('the evidence hover', async () => {
      const t = await hover.innerText();
      return /evidence for \S+; against \S+/.test(t) ? t : undefined;
    }, 20_000);
    assert.match(text, /^'[^']+': (strongest|2nd strongest|3rd strongest|evidence)/);
    const hb = await hover.boundingBox();
    await page.screenshot({
      path: path.join(artifacts, 'evidence-hover.png'),
      clip: hb ? { x: Math.max(0, hb.x - 60), y: Math.max(0, hb.y - 40), width: Math.min(1000, hb.width + 260), height: hb.height + 110 } : undefined,
    });
    await page.keyboard.press('Escape');
    await page.mouse.move(900, 800);
  });

  it('clicking an evidence entry in the sidebar selects that phrase in the draft', async () => {
    // park the cursor on the first line, then click the strongest evidence for the top category
    await editorLine(page, 'An example paper draft').click();
    await page.keyboard.press('Control+Home');
    const status = page.locator('.statusbar [id="status.editor.selection"]');
    await until('the cursor at line 1', async () => ((await status.innerText()).startsWith('Ln 1,') ? true : undefined), 10_000);
    const entry = webviewFrame(page).locator('#evidence-for-top a.evidence-term').first();
    const term = (await entry.innerText()).trim();
    await entry.click();
    const moved = await until('the selection to move to the evidence', async () => {
      const t = await status.innerText();
      return /\(\d+ selected\)/.test(t) && !t.startsWith('Ln 1,') ? t : undefined;
    }, 20_000);
    const selected = Number(/\((\d+) selected\)/.exec(moved)![1]);
    assert.ok(selected >= term.length, `${moved} for '${term}'`);
    await page.screenshot({ path: path.join(artifacts, 'evidence-reveal.png') });
  });

  it('"arXiv: Toggle Evidence Highlights" hides the highlights and shows them again', async () => {
    const before = await highlights(page).count();
    assert.ok(before > 0);
    await runCommand(page, 'arXiv: Toggle Evidence Highlights');
    await until('highlights to disappear', async () => ((await highlights(page).count()) === 0 ? true : undefined), 20_000);
    await runCommand(page, 'arXiv: Toggle Evidence Highlights');
    await until('highlights to come back', async () => ((await highlights(page).count()) > 0 ? true : undefined), 20_000);
  });
});
