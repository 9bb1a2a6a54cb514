/** Helpers that drive the VS Code workbench (code-server in Chromium) the way a person does. */
import type { FrameLocator, Locator, Page } from 'playwright-core';

export async function openWorkbench(page: Page, baseUrl: string, folder: string, payload?: string[][]): Promise<void> {
  const extra = payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '';
  await page.goto(`${baseUrl}/?folder=${encodeURIComponent(folder)}${extra}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.activitybar').waitFor({ timeout: 60_000 });
}

/** F1, type the command's title, Enter. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** Quick Open (Ctrl+P) a workspace file and wait for its editor. */
export async function openFile(page: Page, name: string, expectText: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await editorLine(page, expectText).waitFor({ timeout: 30_000 });
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
  return (await page.locator('.quick-input-widget').innerText().catch(() => '')) ?? '';
}

export async function waitForQuickInput(page: Page, titlePart: string): Promise<void> {
  await page.locator('.quick-input-widget', { hasText: titlePart }).waitFor({ state: 'visible', timeout: 30_000 });
}

/**
 * Texts of the notifications: the toasts and the notification center's list (whichever is rendered).
 * This headless code-server renders no toasts, and the center closes when it becomes empty, so it is
 * reopened when hidden.
 */
export async function notificationTexts(page: Page): Promise<string[]> {
  if ((await page.locator('.notifications-center.visible').count()) === 0 && (await page.locator('.notifications-toasts .notification-toast').count()) === 0) {
    await runCommand(page, 'Notifications: Show Notifications').catch(() => undefined);
    await page.waitForTimeout(300);
  }
  return page
    .locator('.notifications-toasts .notification-toast, .notifications-center .notification-list-item')
    .allInnerTexts()
    .catch(() => []);
}
