/**
 * UI tests: the packaged VSIX installed into code-server, driven through Chromium with playwright-core.
 * What a user sees: the sidebar, the hover, live updates while typing, training with progress and hot-swap.
 * Screenshots go to test-artifacts/.
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, startCodeServer } from '../../../scripts/vscode-test/codeServer.mjs';
import { ABSTRACT_FIRST_LINE, ABSTRACT_LAST_LINE, ASTRO_ABSTRACT, DRAFT_TITLE_WORD } from '../fixtureText';
import { acceptHighlightedRow, editorLine, openFile, openWorkbench, QUIET_WORKBENCH_SETTINGS, pickInQuickInput, runCommand, notificationTexts, waitForQuickInput, webviewFrame, until } from './workbench';

const repo = process.env.ARXIV_REPO ?? path.resolve(__dirname, '../../../..');
const cache = process.env.VSCODE_TEST_CACHE ?? path.join(repo, '.cache', 'vscode-test');
const vsix = process.env.ARXIV_VSIX ?? path.join(repo, 'arxiv-classifier-linux-x64.vsix');
/** Development only: load this folder as the extension (payload) instead of installing the VSIX. */
const devExtension = process.env.ARXIV_EXTENSION_DEV_PATH;
const artifacts = path.join(repo, 'test-artifacts');
const trainingData = path.join(repo, 'test', 'fixtures', 'vscode', 'tiny-papers.jsonl');

type Started = Awaited<ReturnType<typeof startCodeServer>>;
type Browser = Awaited<ReturnType<typeof launchBrowser>>;

interface Bar {
  category: string;
  pct: string;
}

async function sidebarBars(page: Page): Promise<Bar[]> {
  const rows = webviewFrame(page).locator('#primary-bars .category-row');
  const n = await rows.count();
  const out: Bar[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      category: (await rows.nth(i).locator('.category-code').innerText()).trim(),
      pct: (await rows.nth(i).locator('.category-pct').innerText()).trim(),
    });
  }
  return out;
}

/** "arXiv: Train Model" through its three dialogs: the configured tiny dataset, no augmentation, `epochs`. */
async function trainThroughDialogs(page: Page, epochs: number): Promise<void> {
  await runCommand(page, 'arXiv: Train Model');
  await waitForQuickInput(page, 'dataset');
  await acceptHighlightedRow(page, 'tiny-papers.jsonl');
  await waitForQuickInput(page, 'augmentation');
  await page.keyboard.press('Enter'); // multi-select with nothing ticked: no augmentation
  await waitForQuickInput(page, 'epochs');
  const epochsInput = page.locator('.quick-input-widget input.input');
  await epochsInput.fill(String(epochs));
  await until(`the epochs box to hold ${epochs}`, async () => ((await epochsInput.inputValue()) === String(epochs) ? true : undefined), 10_000);
  await page.keyboard.press('Enter');
  // The last dialog closes once the run is requested; anything typed before that would cancel it.
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
}

describe('arXiv Classifier in VS Code (UI, packaged VSIX)', function () {
  this.timeout(120_000);
  let cs: Started;
  let browser: Browser;
  let page: Page;
  let workspace: string;
  let firstBars: Bar[] = [];

  before(async function () {
    this.timeout(180_000);
    mkdirSync(artifacts, { recursive: true });
    workspace = mkdtempSync(path.join(tmpdir(), 'arxiv-ui-ws-'));
    cpSync(path.join(repo, 'test', 'fixtures', 'vscode', 'workspace'), workspace, { recursive: true });
    cs = await startCodeServer({
      cache,
      name: 'ui',
      logDir: artifacts,
      vsix: devExtension ? [] : [vsix],
      smokeTestDriver: !!devExtension,
      userSettings: {
        ...QUIET_WORKBENCH_SETTINGS,
        'arxivClassifier.trainingDataPath': trainingData,
        'arxivClassifier.trainingEpochs': 3,
      },
    });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    const payload = devExtension ? [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${cs.port}${devExtension}`]] : undefined;
    await openWorkbench(page, cs.url, workspace, payload);
    await openFile(page, 'draft.tex', DRAFT_TITLE_WORD);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page && !page.isClosed()) {
      const name = this.currentTest.title.replace(/[^\w]+/g, '-').slice(0, 60);
      await page.screenshot({ path: path.join(artifacts, `failure-${name}.png`) }).catch(() => undefined);
    }
  });

  after(async () => {
    await browser?.close();
    await cs?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('clicking the activity-bar icon shows probability bars for the draft', async () => {
    await page.locator('.activitybar [aria-label^="arXiv Classifier"]').first().click();
    const frame = webviewFrame(page);
    await frame.locator('#primary-bars .category-row').first().waitFor({ timeout: 90_000 });
    firstBars = await sidebarBars(page);
    assert.ok(firstBars.length >= 2, 'several categories are shown');
    for (const b of firstBars) {
      assert.match(b.category, /^[a-z-]+(\.[A-Za-z-]+)?$/, `an arXiv category code: ${b.category}`);
      assert.match(b.pct, /^([<>]?\d+(\.\d)?)%$/, `a percentage: ${b.pct}`);
    }
    assert.ok(firstBars.slice(0, 3).some((b) => b.category === 'cs.CL'), `cs.CL among the top 3: ${JSON.stringify(firstBars)}`);
    assert.match(await frame.locator('#extracted-title').innerText(), /Multilingual Neural Machine Translation/);
    assert.ok((await frame.locator('#model-name').innerText()).trim().length > 0, 'the model name is shown');
    // Status bar: the top category, and clicking it reveals the sidebar.
    await page.locator('.statusbar', { hasText: firstBars[0].category }).waitFor({ timeout: 10_000 });
    await page.mouse.move(700, 600); // no activity-bar tooltip over the sidebar in the screenshot
    await page.locator('.workbench-hover-container').waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    await page.locator('.part.sidebar').screenshot({ path: path.join(artifacts, 'sidebar.png') });
    await page.screenshot({ path: path.join(artifacts, 'workbench.png') });
  });

  it('the sidebar shows the prediction set and "papers like yours" with their categories', async () => {
    const frame = webviewFrame(page);
    const set = frame.locator('#prediction-set');
    await set.waitFor({ timeout: 30_000 });
    const setText = (await set.innerText()).trim();
    assert.match(setText, /^[a-z-]+(\.[A-Za-z-]+)?(, or possibly [a-z-]+(\.[A-Za-z-]+)?((, | or )[a-z-]+(\.[A-Za-z-]+)?)*)?$/, `prediction set: ${setText}`);
    assert.ok(setText.startsWith(firstBars[0].category), `the set starts with the top category: ${setText}`);
    const papers = frame.locator('#neighbours li.paper');
    await papers.first().waitFor({ timeout: 30_000 });
    assert.equal(await papers.count(), 5);
    for (let i = 0; i < 5; i++) {
      assert.match((await papers.nth(i).getAttribute('data-id')) ?? '', /^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?\/\d{7})(v\d+)?$/);
      assert.ok((await papers.nth(i).locator('.paper-title').innerText()).trim().length > 0, 'each paper has a title');
    }
    assert.match(await frame.locator('#neighbours-filed').innerText(), /[a-z-]+\.[A-Za-z-]+/);
    // No provisional mark on a full draft.
    assert.equal(await frame.locator('#provisional').count(), 0);
    await papers.last().scrollIntoViewIfNeeded();
    await page.mouse.move(700, 600);
    await page.locator('.part.sidebar').screenshot({ path: path.join(artifacts, 'sidebar-papers-like-yours.png') });
  });

  it('a draft with too little text is marked provisional in the sidebar and the status item, with what to write next', async () => {
    await openFile(page, 'provisional.md', 'Speech translation with small models');
    const frame = webviewFrame(page);
    const note = frame.locator('#provisional');
    await note.waitFor({ timeout: 60_000 });
    assert.match(await note.innerText(), /Provisional[\s\S]*only \d+ words[\s\S]*Write (an abstract|about \d+ more words of abstract)/);
    await page.locator('.statusbar', { hasText: 'provisional' }).waitFor({ timeout: 20_000 });
    await page.mouse.move(700, 600);
    await page.locator('.part.sidebar').screenshot({ path: path.join(artifacts, 'sidebar-provisional.png') });
    await page.locator('.part.statusbar').screenshot({ path: path.join(artifacts, 'statusbar-provisional.png') });
    // Back to the full draft for the tests that follow.
    await openFile(page, 'draft.tex', DRAFT_TITLE_WORD);
    await frame.locator('#provisional').waitFor({ state: 'detached', timeout: 60_000 });
  });

  it('the sidebar shows the cited arXiv papers and the arXiv preflight; "Copy arXiv Metadata" copies the plain-text form', async () => {
    const frame = webviewFrame(page);
    const summary = frame.locator('#cited-summary');
    await summary.waitFor({ timeout: 60_000 });
    // draft.tex cites three arXiv papers from refs.bib, all with primaryClass cs.CL.
    assert.equal((await summary.innerText()).trim(), 'Your cited arXiv papers: 100% cs.CL (3 papers)');
    const checks = frame.locator('#preflight-checks .check');
    await checks.first().waitFor({ timeout: 30_000 });
    const levels: Record<string, string> = {};
    for (let i = 0; i < (await checks.count()); i++) {
      levels[(await checks.nth(i).getAttribute('data-check')) ?? ''] = (await checks.nth(i).getAttribute('data-level')) ?? '';
    }
    assert.deepEqual(levels, { 'abstract-length': 'ok', title: 'ok', 'raw-latex': 'ok', 'non-ascii': 'ok' });
    assert.equal((await frame.locator('#preflight-categories .chip.primary').innerText()).trim(), firstBars[0].category);
    await frame.locator('#preflight').scrollIntoViewIfNeeded();
    await page.mouse.move(700, 600);
    await page.locator('.part.sidebar').screenshot({ path: path.join(artifacts, 'sidebar-preflight.png') });
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => undefined);
    await frame.locator('#copy-metadata').click();
    const note = await until(
      'the "copied" notification',
      async () => (await notificationTexts(page)).find((t) => t.includes("copied the title and abstract in arXiv's plain-text form")),
      30_000,
    );
    assert.match(note, /abstract: [\d,]+ of 1,920 characters/);
    // The browser's clipboard, as the workbench wrote it.
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    assert.match(copied, /^Multilingual Neural Machine Translation for Low-Resource Languages\n\nWe present a multilingual/);
    await page.keyboard.press('Escape');
    await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
  });

  it('the preflight names what arXiv would refuse or show raw in a draft with problems', async () => {
    await openFile(page, 'problems.tex', 'Object Detection');
    const frame = webviewFrame(page);
    await frame.locator('#preflight-checks .check[data-check="raw-latex"][data-level="warning"]').waitFor({ timeout: 60_000 });
    const level = async (id: string) => frame.locator(`#preflight-checks .check[data-check="${id}"]`).getAttribute('data-level');
    assert.equal(await level('title'), 'error', 'trailing period');
    assert.equal(await level('abstract-word'), 'warning');
    assert.equal(await level('non-ascii'), 'warning', 'em dashes');
    assert.match(await frame.locator('#preflight-checks .check[data-check="raw-latex"]').innerText(), /custom macro \\method/);
    await frame.locator('#preflight').scrollIntoViewIfNeeded();
    await page.mouse.move(700, 600);
    await page.locator('.part.sidebar').screenshot({ path: path.join(artifacts, 'sidebar-preflight-problems.png') });
    await openFile(page, 'draft.tex', DRAFT_TITLE_WORD);
  });

  it('hovering over the title shows the predicted category', async () => {
    const titleLine = editorLine(page, 'Multilingual Neural Machine Translation');
    await titleLine.locator('span', { hasText: DRAFT_TITLE_WORD }).last().hover();
    const hover = page.locator('.monaco-hover:not(.hidden)').first();
    await hover.waitFor({ state: 'visible', timeout: 20_000 });
    await until('the hover text', async () => ((await hover.innerText()).includes(firstBars[0].category) ? true : undefined), 15_000);
    const box = await hover.boundingBox();
    await page.screenshot({
      path: path.join(artifacts, 'hover.png'),
      clip: box ? { x: Math.max(0, box.x - 40), y: Math.max(0, box.y - 40), width: Math.min(900, box.width + 300), height: box.height + 120 } : undefined,
    });
    await page.keyboard.press('Escape');
  });

  it('replacing the abstract while typing updates the sidebar', async () => {
    await editorLine(page, 'We present a multilingual').click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(ABSTRACT_FIRST_LINE));
    await page.keyboard.press('Enter');
    await page.keyboard.press('Home');
    for (let i = ABSTRACT_FIRST_LINE; i < ABSTRACT_LAST_LINE; i++) await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+End');
    await page.keyboard.insertText(ASTRO_ABSTRACT);
    const changed = await until(
      'the sidebar to show the edited draft',
      async () => {
        const bars = await sidebarBars(page);
        return bars.length && bars[0].category.startsWith('astro-ph') ? bars : undefined;
      },
      60_000,
    );
    assert.notDeepEqual(changed, firstBars);
    assert.match(await webviewFrame(page).locator('#extracted-abstract').innerText(), /star-forming galaxies/);
    await page.locator('.part.sidebar').screenshot({ path: path.join(artifacts, 'sidebar-after-edit.png') });
  });

  it('"arXiv: Show Evaluation Report" draws the per-class table, confusion matrix and training curves', async () => {
    await runCommand(page, 'arXiv: Show Evaluation Report');
    // Two webviews are open now (sidebar and report): find the report's frame by its content.
    const frame = await until(
      'the report webview',
      async () => {
        for (const f of page.frames()) if ((await f.locator('#per-class').count().catch(() => 0)) > 0) return f;
        return undefined;
      },
      60_000,
    );
    const rows = await frame.locator('#per-class tbody tr').count();
    assert.ok(rows >= 2, `per-class rows: ${rows}`);
    assert.ok((await frame.locator('#confusion td.cell').count()) >= 4, 'a confusion matrix is drawn');
    assert.ok((await frame.locator('#curves svg polyline').count()) >= 2, 'train and validation curves are drawn');
    await page.screenshot({ path: path.join(artifacts, 'evaluation-report.png') });
    // Close exactly the report tab (a generic "close editor" could close the draft instead).
    const tab = page.locator('.tabs-container .tab', { hasText: 'Evaluation Report' }).first();
    // The tab's own close button closes exactly this tab, whatever editor has focus.
    await tab.hover();
    await tab.locator('.tab-actions .action-label').first().click();
    await tab.waitFor({ state: 'detached', timeout: 10_000 });
    await editorLine(page, 'Multilingual Neural Machine Translation').waitFor({ timeout: 10_000 });
  });

  it('"arXiv: Train Model" can be cancelled from its progress notification, and the model stays', async function () {
    this.timeout(300_000);
    await runCommand(page, 'arXiv: Show Category Sidebar');
    const frame = webviewFrame(page);
    const modelBefore = (await frame.locator('#model-name').innerText({ timeout: 60_000 })).trim();
    await trainThroughDialogs(page, 50); // long enough to still be running when Cancel is clicked
    await runCommand(page, 'Notifications: Show Notifications');
    const progress = page.locator('.notifications-center .notification-list-item', { hasText: 'training on tiny-papers.jsonl' }).first();
    await until('a progress step', async () => (/epoch \d+\/50 · step/.test(await progress.innerText()) ? true : undefined), 180_000);
    await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
    const cancelled = await until(
      'the cancellation to be confirmed',
      async () => (await notificationTexts(page)).find((t) => /training (cancelled|finished|failed)/.test(t)),
      60_000,
    );
    assert.match(cancelled, /training cancelled; the current model is unchanged/);
    assert.equal((await frame.locator('#model-name').innerText()).trim(), modelBefore, 'still the same model');
    await runCommand(page, 'Notifications: Clear All Notifications');
  });

  it('"arXiv: Train Model" on a small dataset shows progress, then the new model is used', async function () {
    this.timeout(420_000);
    await runCommand(page, 'arXiv: Show Category Sidebar'); // idempotent, unlike clicking the icon
    const frame = webviewFrame(page);
    const modelBefore = (await frame.locator('#model-name').innerText({ timeout: 60_000 })).trim();
    await trainThroughDialogs(page, 2);
    // Toasts are not rendered in this headless setup; the notification center lists the same notifications.
    await runCommand(page, 'Notifications: Show Notifications');
    const seen = new Set<string>();
    let shotProgress = false;
    const done = await until(
      'training to finish',
      async () => {
        for (const t of await notificationTexts(page)) {
          seen.add(t.replace(/\s+/g, ' '));
          if (/training (finished|failed)/.test(t)) return t;
        }
        if (!shotProgress && [...seen].some((t) => /epoch \d+\/\d+/.test(t))) {
          shotProgress = true;
          await page.screenshot({ path: path.join(artifacts, 'training-progress.png') }).catch(() => undefined);
        }
        return undefined;
      },
      300_000,
    );
    const progress = [...seen].filter((t) => /training on tiny-papers\.jsonl/.test(t));
    assert.ok(progress.length > 0, `a progress notification was shown: ${JSON.stringify([...seen])}`);
    assert.ok([...seen].some((t) => /epoch \d+\/\d+ · step \d+\/\d+/.test(t)), `progress names epoch and step: ${JSON.stringify([...seen])}`);
    assert.match(done, /training finished/, `training succeeded: ${done}`);
    assert.match(done, /accuracy \d+(\.\d)?%/, `the finished notification reports the measured accuracy: ${done}`);
    const modelAfter = await until(
      'the sidebar to show the new model',
      async () => {
        const name = (await frame.locator('#model-name').innerText()).trim();
        return name && name !== modelBefore ? name : undefined;
      },
      30_000,
    );
    assert.notEqual(modelAfter, modelBefore);
    await frame.locator('#primary-bars .category-row').first().waitFor();
    await page.locator('.part.sidebar').screenshot({ path: path.join(artifacts, 'sidebar-after-training.png') });
  });

  it('the Get Started walkthrough opens the example draft shipped in the VSIX, and the sidebar follows it', async () => {
    await runCommand(page, 'Welcome: Open Walkthrough');
    await pickInQuickInput(page, 'Get started with arXiv Classifier');
    const button = page.locator('.gettingStartedContainer .button-container .monaco-button', { hasText: 'Open Example Draft' }).first();
    await button.waitFor({ state: 'visible', timeout: 30_000 });
    await page.screenshot({ path: path.join(artifacts, 'walkthrough.png') });
    await button.click();
    await editorLine(page, 'Retrieval-Augmented Decoding').waitFor({ timeout: 30_000 });
    await runCommand(page, 'arXiv: Show Category Sidebar');
    // The walkthrough's markdown is a webview too: look for the sidebar's frame by its content.
    await until(
      'the sidebar to show the example draft',
      async () => {
        for (const f of page.frames()) {
          const title = f.locator('#extracted-title');
          if ((await title.count().catch(() => 0)) > 0 && (await title.innerText()).includes('Retrieval-Augmented Decoding')) return true;
        }
        return undefined;
      },
      60_000,
    );
  });
});
