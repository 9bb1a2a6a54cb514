/**
 * Helpers that drive the VS Code workbench (code-server in Chromium) the way a person does.
 *
 * Every step waits on what is on screen (an element shown, focused, holding a value), never on a fixed
 * time: on a busy machine the workbench may take seconds to react to a key. The timeouts below only bound
 * those waits so that a broken workbench fails the test instead of hanging it.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} input.input`;
/** Bound on a wait for the workbench to react to a key or a click (generous: the machine may be loaded). */
const REACT_MS = 30_000;
/** Bound on the first attempt to open the palette before it is retried once. */
const FIRST_OPEN_MS = 10_000;

/** User settings that keep the workbench quiet and predictable for a test (no tips, tours, trust prompt or AI panel). */
export const QUIET_WORKBENCH_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'editor.hover.delay': 200,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
};

/**
 * Polls `fn` until it returns a value (state, not time: the interval is only how often to look); `timeoutMs`
 * bounds the wait so a broken workbench fails the test instead of hanging it.
 */
export async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function openWorkbench(page: Page, baseUrl: string, folder: string, payload?: string[][]): Promise<void> {
  const extra = payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '';
  await page.goto(`${baseUrl}/?folder=${encodeURIComponent(folder)}${extra}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.activitybar').waitFor({ timeout: 60_000 });
}

/**
 * Moves keyboard focus from a webview (an iframe: its key events reach the workbench only through a message
 * round trip, which a loaded machine delays or loses) back to the workbench document.
 */
async function focusWorkbench(page: Page): Promise<void> {
  // A string runs in the page (this tsconfig has no DOM library).
  await page.evaluate(`document.activeElement instanceof HTMLIFrameElement && document.activeElement.blur()`);
}

/** Waits until the quick input's text box is shown and has keyboard focus, so typed keys go into it. */
async function quickInputFocused(page: Page, timeout: number): Promise<void> {
  await page.locator(`${QUICK_INPUT_BOX}:focus`).waitFor({ state: 'visible', timeout });
}

/** Waits until the quick input's text box holds exactly `value`. */
async function quickInputHolds(page: Page, value: string): Promise<void> {
  await page.waitForFunction(`document.querySelector(${JSON.stringify(QUICK_INPUT_BOX)})?.value === ${JSON.stringify(value)}`, undefined, { timeout: REACT_MS });
}

/** Waits until the quick input is hidden or its text box no longer holds `value` (it moved to its next step). */
async function quickInputMovedOn(page: Page, value: string): Promise<void> {
  const widget = JSON.stringify(QUICK_INPUT);
  const box = JSON.stringify(QUICK_INPUT_BOX);
  await page.waitForFunction(
    `(() => { const w = document.querySelector(${widget}); const b = document.querySelector(${box});
      return !w || w.offsetParent === null || getComputedStyle(w).display === 'none' || !b || b.value !== ${JSON.stringify(value)}; })()`,
    undefined,
    { timeout: REACT_MS },
  );
}

/**
 * Opens the quick input with `key` (F1: command palette, Control+P: quick open) and returns its text box once
 * it is visible and focused. A key that went nowhere (focus was in a webview, the workbench was busy) is
 * retried once after Escape.
 */
async function openQuickInput(page: Page, key: string): Promise<Locator> {
  for (let attempt = 1; ; attempt++) {
    await focusWorkbench(page);
    await page.keyboard.press(key);
    try {
      await quickInputFocused(page, attempt === 1 ? FIRST_OPEN_MS : REACT_MS);
      return page.locator(QUICK_INPUT_BOX);
    } catch (e) {
      if (attempt >= 2) throw new Error(`the quick input did not open and take focus after pressing ${key} twice: ${String(e)}`, { cause: e });
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * Types `text` into the open quick input, waits until the highlighted (focused) row is the one whose label
 * contains `rowText`, and accepts it. Returns once the quick input has moved on (closed, or showing the next
 * step with other text), so the caller never types into a stale widget.
 */
async function acceptRow(page: Page, input: Locator, text: string, rowText: string): Promise<void> {
  await input.fill(text);
  await quickInputHolds(page, text);
  await page.locator(`${QUICK_INPUT} .monaco-list-row.focused`, { hasText: rowText }).first().waitFor({ state: 'visible', timeout: REACT_MS });
  await input.press('Enter');
  await quickInputMovedOn(page, text);
}

/** Command palette (F1), the command's title, Enter on exactly that command. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = await openQuickInput(page, 'F1');
  await acceptRow(page, input, `>${title}`, title);
}

/** Quick Open (Ctrl+P) a workspace file and wait for its editor. */
export async function openFile(page: Page, name: string, expectText: string): Promise<void> {
  const input = await openQuickInput(page, 'Control+P');
  await acceptRow(page, input, name, name);
  await editorLine(page, expectText).waitFor({ timeout: REACT_MS });
}

export function editorLine(page: Page, text: string): Locator {
  return page.locator('.editor-instance .monaco-editor .view-lines .view-line', { hasText: text }).first();
}

/** The content frame of the (only) webview on screen: iframe.webview.ready > #active-frame. */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
}

/** The quick input's title/prompt text when it is open. */
export async function quickInputText(page: Page): Promise<string> {
  return (await page.locator(QUICK_INPUT).innerText().catch(() => '')) ?? '';
}

/** Waits until the quick input shows a step whose title contains `titlePart` and its text box has focus. */
export async function waitForQuickInput(page: Page, titlePart: string): Promise<void> {
  await page.locator(QUICK_INPUT, { hasText: titlePart }).waitFor({ state: 'visible', timeout: REACT_MS });
  await quickInputFocused(page, REACT_MS);
}

/** In the open quick pick: types `text` to filter, then accepts the row containing it once it is highlighted. */
export async function pickInQuickInput(page: Page, text: string): Promise<void> {
  await quickInputFocused(page, REACT_MS);
  await acceptRow(page, page.locator(QUICK_INPUT_BOX), text, text);
}

/** Accepts the quick pick row containing `rowText` once it is the highlighted one (Enter picks the highlighted row). */
export async function acceptHighlightedRow(page: Page, rowText: string): Promise<void> {
  await page.locator(`${QUICK_INPUT} .monaco-list-row.focused`, { hasText: rowText }).first().waitFor({ state: 'visible', timeout: REACT_MS });
  await page.locator(QUICK_INPUT_BOX).press('Enter');
}

/**
 * Texts of the notifications: the toasts and the notification center's list (whichever is rendered).
 * This headless code-server renders no toasts, and the center closes when it becomes empty, so it is
 * reopened when hidden.
 */
export async function notificationTexts(page: Page): Promise<string[]> {
  const shown = page.locator('.notifications-center.visible, .notifications-toasts .notification-toast');
  if ((await shown.count()) === 0) {
    await runCommand(page, 'Notifications: Show Notifications').catch(() => undefined);
    // The center opens (possibly empty) once the command ran; a failed open leaves an empty answer.
    await page.locator('.notifications-center.visible').waitFor({ state: 'visible', timeout: REACT_MS }).catch(() => undefined);
  }
  return page
    .locator('.notifications-toasts .notification-toast, .notifications-center .notification-list-item')
    .allInnerTexts()
    .catch(() => []);
}
