// What a user does in the VS Code workbench, as playwright-core steps: open a file, run a command from the
// palette, hover a piece of text, read a hover or a webview. Selectors are VS Code 1.100's DOM; every wait polls
// with a timeout (never a fixed sleep).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { projectRoot } from '../../../scripts/vscode-server/install';
import { pollUntil } from '../../../scripts/vscode-server/poll';

export const screenshotDir = join(projectRoot, 'test-output', 'e2e');

/** Saves a full-window screenshot as test-output/e2e/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** The editor group's active editor (Monaco). */
export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

/** Opens a workspace file by name through Quick Open (Ctrl+P) and waits until its text is on screen. */
export async function openFile(page: Page, fileName: string, expectText: string): Promise<Locator> {
  // Focus the workbench (not the browser chrome) so the keybinding reaches it.
  await page.locator('.monaco-workbench .part.editor').click();
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active[data-resource-name="${fileName}"]`).waitFor();
  const editor = activeEditor(page);
  await editor.locator('.view-lines', { hasText: expectText }).waitFor();
  return editor;
}

/** Runs a command by its palette title (F1, `>title`, Enter on the row whose label matches exactly). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: title }) }).first();
  await row.waitFor();
  await row.click();
}

/** Moves the cursor to the start of a line with Go to Line (Ctrl+G). */
export async function goToLine(page: Page, line: number): Promise<void> {
  await activeEditor(page).locator('.view-lines').click();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.statusbar-item', { hasText: `Ln ${line}, Col 1` }).waitFor();
}

/** A view (pane) of the side bar by its title, e.g. the Robust NAS container's "Comparison". */
export function sideBarView(page: Page, title: string): Locator {
  return page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: title }) }).first();
}

/**
 * Screen position of the middle of `text` in the active editor's visible lines. Monaco splits and merges tokens into
 * spans freely, so the position comes from a DOM Range over the text nodes of the line that contains it.
 */
export async function positionOfText(page: Page, text: string, { occurrence = 0, offsetInText }: { occurrence?: number; offsetInText?: number } = {}): Promise<{ x: number; y: number }> {
  const pos = await page.evaluate(({ text, occurrence, offsetInText }) => {
    const lines = Array.from(document.querySelectorAll('.editor-group-container.active .monaco-editor .view-line'))
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
    let seen = 0;
    for (const line of lines) {
      const content = (line.textContent ?? '').replace(/\u00a0/g, ' ');
      let at = content.indexOf(text);
      while (at >= 0) {
        if (seen === occurrence) {
          const target = at + (offsetInText ?? Math.floor(text.length / 2));
          // Walk the line's text nodes to the node holding character `target`.
          const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
          let count = 0;
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const len = node.textContent?.length ?? 0;
            if (target < count + len) {
              const range = document.createRange();
              range.setStart(node, target - count);
              range.setEnd(node, target - count + 1);
              const r = range.getBoundingClientRect();
              return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
            }
            count += len;
          }
        }
        seen++;
        at = content.indexOf(text, at + 1);
      }
    }
    return undefined;
  }, { text, occurrence, offsetInText });
  if (!pos) throw new Error(`"${text}" (occurrence ${occurrence}) is not on screen in the active editor`);
  return pos;
}

/** Moves the mouse onto `text` until a hover containing `expect` shows; returns the hover's text. */
export async function hoverText(page: Page, text: string, expect: RegExp, { occurrence = 0, timeoutMs = 60_000 } = {}): Promise<string> {
  const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first();
  return pollUntil(async () => {
    const { x, y } = await positionOfText(page, text, { occurrence });
    // Leave and come back: Monaco shows a hover again only after the mouse moves onto the word.
    await page.mouse.move(x, y - 60);
    await page.mouse.move(x, y);
    try {
      await hover.waitFor({ state: 'visible', timeout: 3000 });
    } catch {
      return undefined;
    }
    const content = await hover.innerText();
    return expect.test(content) ? content : undefined;
  }, { timeoutMs, intervalMs: 500, message: `no hover matching ${expect} over "${text}"` });
}

/** The content frame of the webview panel whose tab title is `title` (webviews nest two iframes). */
export async function webviewFrame(page: Page, title: string): Promise<FrameLocator> {
  await page.locator('.tabs-container .tab.active', { hasText: title }).waitFor();
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}
