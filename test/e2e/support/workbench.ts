// What a user does in the VS Code workbench, as playwright-core steps: open a file, run a command from the
// palette, hover a piece of text, read a hover or a webview. Selectors are VS Code 1.100's DOM; every wait polls
// with a timeout (never a fixed sleep).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, FrameLocator, Locator, Page } from 'playwright-core';
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
export async function openFile(
  page: Page,
  fileName: string,
  expectText: string,
  onEnter?: () => void,
): Promise<Locator> {
  // Focus the workbench (not the browser chrome) so the keybinding reaches it.
  await page.locator('.monaco-workbench .part.editor').click();
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input').first();
  await input.waitFor({ state: 'visible' });
  await input.fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor();
  onEnter?.();
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active[data-resource-name="${fileName}"]`).waitFor();
  const editor = activeEditor(page);
  await editor.locator('.view-lines', { hasText: expectText }).waitFor();
  return editor;
}

/**
 * Runs a command by its palette title: F1, `>title`, then Enter once the first row of the list is that command (the
 * palette ranks the exact title first; extension commands show as "Category: Title", and `title` may include the
 * category). A webview that appears or refreshes (a panel, a webview view) can take the keyboard focus, which closes
 * the palette or swallows the keys: then the focus goes back to the active editor (its tab) and the attempt starts
 * again.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input').first();
  const firstRow = widget.locator('.quick-input-list .monaco-list-row').first();
  let rows: string[] = [];
  await pollUntil(
    async () => {
      if (!(await input.isVisible())) {
        await page.keyboard.press('F1');
        if (
          !(await input.waitFor({ state: 'visible', timeout: 2000 }).then(
            () => true,
            () => false,
          ))
        ) {
          await page.locator('.tabs-container .tab.active').first().click();
          return false;
        }
      }
      if (
        !(await input.fill(`>${title}`, { timeout: 2000 }).then(
          () => true,
          () => false,
        ))
      )
        return false;
      const offered = await pollUntil(
        async () => {
          // e.g. "Robust NAS: Add to Comparison, recently used"; `title` may name the category too, where the palette
          // ranks another category's command of the same name first ("Robust NAS: Show Log").
          const label = (await firstRow.getAttribute('aria-label', { timeout: 500 }).catch(() => null)) ?? '';
          const name = label.split(', ')[0];
          return name === title || name.split(': ').pop() === title;
        },
        { timeoutMs: 5000, message: '' },
      ).then(
        () => true,
        () => false,
      );
      if (!offered) {
        rows = await widget
          .locator('.quick-input-list .monaco-list-row')
          .allInnerTexts()
          .catch(() => []);
        return false;
      }
      await page.keyboard.press('Enter');
      // The palette closes, or the command opens its own picker in the same widget at once (a quick pick, the folder
      // dialog): either way the command ran, and retrying would type into that picker.
      await pollUntil(
        async () => !(await input.isVisible()) || !(await input.inputValue().catch(() => '>')).startsWith('>'),
        { timeoutMs: 5000, message: `the palette stayed open after running "${title}"` },
      );
      return true;
    },
    {
      timeoutMs: 45_000,
      message: () => `could not run "${title}" from the command palette; last rows: ${JSON.stringify(rows)}`,
    },
  ).catch(async (e: Error) => {
    await screenshot(page, `failed-command-${title.replace(/\W+/g, '-')}`);
    throw e;
  });
}

/** VS Code's default themes and the class the workbench's container carries under each. */
const COLOR_THEMES = {
  light: { label: 'Light Modern', cls: 'vs' },
  dark: { label: 'Dark Modern', cls: 'vs-dark' },
} as const;

/**
 * Switches the colour theme as a user does: Preferences: Color Theme (Ctrl+K Ctrl+T; the palette ranks other
 * "Color Theme" commands above it), the theme's name, Enter. As with runCommand, a webview that refreshes (the
 * Comparison Table, a chart) can take the focus and close the picker between two keys: then the attempt starts again
 * from the element `focus` returns (default: the active editor's tab).
 */
export async function useColorTheme(
  page: Page,
  theme: keyof typeof COLOR_THEMES,
  focus: () => Locator = () => page.locator('.tabs-container .tab.active').first(),
): Promise<void> {
  const { label, cls } = COLOR_THEMES[theme];
  const isTheme = async () => (await page.locator(`.monaco-workbench.${cls}`).count()) > 0;
  if (await isTheme()) return;
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input').first();
  await pollUntil(
    async () => {
      if (await input.isVisible()) await page.keyboard.press('Escape');
      await focus().click();
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+T');
      if (
        !(await input.waitFor({ state: 'visible', timeout: 3000 }).then(
          () => true,
          () => false,
        ))
      )
        return false;
      if (
        !(await input.fill(label, { timeout: 2000 }).then(
          () => true,
          () => false,
        ))
      )
        return false;
      const offered = await widget
        .locator('.quick-input-list .monaco-list-row', { hasText: label })
        .first()
        .waitFor({ timeout: 5000 })
        .then(
          () => true,
          () => false,
        );
      if (!offered || !(await input.isVisible())) return false;
      await page.keyboard.press('Enter');
      return pollUntil(isTheme, { timeoutMs: 5000, message: '' }).then(
        () => true,
        () => false,
      );
    },
    { timeoutMs: 60_000, message: `the workbench did not turn ${theme} through Preferences: Color Theme` },
  ).catch(async (e: Error) => {
    await screenshot(page, `failed-color-theme-${theme}`);
    throw e;
  });
}

/** Moves the cursor to the start of a line with Go to Line (Ctrl+G). */
export async function goToLine(page: Page, line: number): Promise<void> {
  await activeEditor(page).locator('.view-lines').click();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget .quick-input-box input').first();
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
export async function positionOfText(
  page: Page,
  text: string,
  { occurrence = 0, offsetInText }: { occurrence?: number; offsetInText?: number } = {},
): Promise<{ x: number; y: number }> {
  const pos = await page.evaluate(
    ({ text, occurrence, offsetInText }) => {
      const lines = Array.from(
        document.querySelectorAll('.editor-group-container.active .monaco-editor .view-line'),
      ).sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
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
    },
    { text, occurrence, offsetInText },
  );
  if (!pos) throw new Error(`"${text}" (occurrence ${occurrence}) is not on screen in the active editor`);
  return pos;
}

/** Moves the mouse onto `text` until a hover containing `expect` shows; returns the hover's text. */
export async function hoverText(
  page: Page,
  text: string,
  expect: RegExp,
  { occurrence = 0, timeoutMs = 60_000 } = {},
): Promise<string> {
  const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first();
  return pollUntil(
    async () => {
      const { x, y } = await positionOfText(page, text, { occurrence });
      // Leave and come back: Monaco shows a hover again only after the mouse moves onto the word. Wait for the
      // card to close first: back within its hiding delay (300 ms), Monaco keeps the card it showed, so one shown
      // while the data was loading ("Benchmark data is loading") stayed on screen for the whole minute (fresh run).
      await page.mouse.move(x, y - 60);
      await hover.waitFor({ state: 'hidden', timeout: 2000 }).catch(() => undefined);
      await page.mouse.move(x, y);
      try {
        await hover.waitFor({ state: 'visible', timeout: 3000 });
      } catch {
        return undefined;
      }
      const content = await hover.innerText();
      return expect.test(content) ? content : undefined;
    },
    { timeoutMs, intervalMs: 500, message: `no hover matching ${expect} over "${text}"` },
  );
}

/** The content frame of the webview panel whose tab title is `title` (webviews nest two iframes). */
export async function webviewFrame(page: Page, title: string): Promise<FrameLocator> {
  await page.locator('.tabs-container .tab.active', { hasText: title }).waitFor();
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

/**
 * The frame (webview panel or webview view content, nested two iframes deep) whose page shows `text`. Webviews are
 * found by what they show, since their iframes carry no title.
 */
export async function frameWithText(page: Page, text: string, timeoutMs = 30_000): Promise<Frame> {
  return pollUntil(
    async () => {
      for (const frame of page.frames()) {
        if (frame === page.mainFrame()) continue;
        const shows = await frame
          .evaluate((t) => document.body?.innerText.includes(t) ?? false, text)
          .catch(() => false);
        if (shows) return frame;
      }
      return undefined;
    },
    { timeoutMs, intervalMs: 250, message: `no webview shows "${text}"` },
  );
}

/** The webview frame (panel or view content) whose document has an element matching `selector`. */
export async function frameWithSelector(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  return pollUntil(
    async () => {
      for (const frame of page.frames()) {
        if (frame === page.mainFrame()) continue;
        if (await frame.$(selector).catch(() => null)) return frame;
      }
      return undefined;
    },
    { timeoutMs, intervalMs: 250, message: `no webview shows ${selector}` },
  );
}
