// The README's pictures, taken from the real workbench: the UI suite drives the demo workspace in the dark and the
// light theme at 1600x1000 with the default sidebar, checks each view shows its content, and saves both sets into
// test-output/e2e/readme-<theme>-<name>.png (to look at after every run). With ROBUST_NAS_README_SCREENSHOTS=1
// (`npm run screenshots`) it also refreshes the README's copies, media/screenshots/<name>.png, from the dark set; a
// plain test run leaves the tracked files alone. Any change that breaks what a picture shows fails here first.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, suite } from 'node:test';
import type { Page } from 'playwright-core';
import { projectRoot } from '../../scripts/vscode-server/install';
import { pollUntil } from '../../scripts/vscode-server/poll';
import { openUiSession, stepWithScreenshot, type UiSession } from './support/uiSession';
import {
  activeEditor,
  frameWithSelector,
  hoverText,
  openFile,
  positionOfText,
  runCommand,
  screenshot,
  sideBarView,
} from './support/workbench';

const readmeDir = join(projectRoot, 'media', 'screenshots');
const THEMES = { dark: 'Default Dark Modern', light: 'Default Light Modern' } as const;

for (const [theme, colorTheme] of Object.entries(THEMES) as [keyof typeof THEMES, string][]) {
  suite(`UI: the README's screenshots (${theme} theme)`, { timeout: 300_000 }, () => {
    let session: UiSession | undefined;
    let page: Page;

    /** Saves the window as test-output/e2e/readme-<theme>-<name>.png and, when refreshing, the dark one for the README. */
    async function picture(name: string): Promise<void> {
      const path = await screenshot(page, `readme-${theme}-${name}`);
      if (theme !== 'dark' || process.env.ROBUST_NAS_README_SCREENSHOTS !== '1') return;
      mkdirSync(readmeDir, { recursive: true });
      copyFileSync(path, join(readmeDir, `${name}.png`));
    }

    before(async () => {
      session = await openUiSession({ name: `shots-${theme}`, userSettings: { 'workbench.colorTheme': colorTheme } });
      ({ page } = session);
    });

    after(async () => {
      await session?.close();
    });

    const test = stepWithScreenshot(() => session, `readme-${theme}`);
    const best = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|';

    test('hover card over an architecture string', async () => {
      await openFile(page, 'search_robust_cells.py', 'RESNET_LIKE');
      await hoverText(page, best, /PGD@8/);
      await picture('hover');
      await page.keyboard.press('Escape');
    });

    test('diagnostics, the quick fix menu and inlay hints', async () => {
      const editor = activeEditor(page);
      await pollUntil(async () => (await editor.locator('.squiggly-error').count()) >= 2, {
        timeoutMs: 30_000,
        message: 'no error squiggles',
      });
      await editor.locator('.view-line', { hasText: 'PGD@8' }).first().waitFor();
      const { x, y } = await positionOfText(page, 'skip_conect');
      await page.mouse.click(x, y);
      await pollUntil(
        async () => {
          await page.keyboard.press('Control+.');
          const shown = await page
            .locator('.action-widget .monaco-list-row', { hasText: 'skip_connect' })
            .first()
            .waitFor({ timeout: 3000 })
            .then(
              () => true,
              () => false,
            );
          if (!shown) await page.keyboard.press('Escape');
          return shown;
        },
        { timeoutMs: 30_000, message: 'the quick fix menu did not open' },
      );
      await picture('diagnostics');
      await page.keyboard.press('Escape');
    });

    test('correlation heatmap', async () => {
      await runCommand(page, 'Open Correlation Charts');
      const chart = await frameWithSelector(page, '#chart svg');
      await pollUntil(
        async () =>
          (await chart.$$eval(
            '#chart svg text',
            (ts) => ts.filter((t) => /^(−|-)?\d\.\d\d$/.test(t.textContent ?? '')).length,
          )) >= 36,
        { timeoutMs: 30_000, message: 'the heatmap shows no values' },
      );
      await picture('charts');
    });

    test('cell diagram beside the Comparison view with two pinned cells', async () => {
      await page.locator('.tabs-container .tab[data-resource-name="search_robust_cells.py"]').click();
      for (const arch of [
        best,
        '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
      ]) {
        const { x, y } = await positionOfText(page, arch);
        await page.mouse.click(x, y);
        await runCommand(page, 'Add to Comparison');
      }
      // The Robust NAS side bar: Add to Comparison reveals it without focus, at its own pace. Its activity bar icon
      // toggles it, so click only while the Comparison view is not showing, and look again after each click.
      await pollUntil(
        async () => {
          if (await sideBarView(page, 'Comparison').isVisible()) return true;
          await page.locator('.activitybar .action-item a[aria-label^="Robust NAS"]').first().click();
          return false;
        },
        { timeoutMs: 30_000, intervalMs: 2000, message: 'the Robust NAS side bar did not show' },
      );
      await sideBarView(page, 'Comparison').locator('.monaco-list-row').nth(1).waitFor();
      const { x, y } = await positionOfText(page, best);
      await page.mouse.click(x, y);
      await runCommand(page, 'Show Cell Diagram');
      await frameWithSelector(page, '#cell-figure svg g.edge');
      await page.mouse.move(800, 500);
      await picture('diagram-and-comparison');
    });
  });
}
