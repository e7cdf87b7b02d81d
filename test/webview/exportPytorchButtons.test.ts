// "Export as PyTorch..." in the webviews: the Comparison Table's row button and the Cell Diagram's toolbar button post
// `exportPytorch` with the row's / the drawn cell's string (the host then runs the command), in light and dark themes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { BenchmarkApi } from '../../src/core/benchmark/api';
import { comparisonTable } from '../../src/extension/panels/comparisonData';
import { buildDiagramData } from '../../src/extension/panels/diagramData';
import { sharedBenchmark } from './sharedBenchmark';
import { launchBrowser, openWebview } from './webviewPage';

describe('Export as PyTorch buttons in the webviews', () => {
  let browser: Browser;
  let bench: BenchmarkApi;
  before(async () => {
    [browser, bench] = await Promise.all([launchBrowser(), sharedBenchmark()]);
  });
  after(async () => {
    await browser?.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`Comparison Table: each pinned cell's button posts that cell; the buttons stay inside their column (${theme})`, async () => {
      const pinned = [
        ...bench.topK('cifar10', 'pgd@8', 2).map((r) => r.arch.archString),
        bench.archOfIndex(0).archString,
      ];
      const view = await openWebview(browser, 'comparison', { theme, width: 420, height: 520 });
      await view.waitForPosted('ready');
      await view.send(comparisonTable(bench, pinned, 'cifar10'));
      // One column per pinned cell (the side bar layout), each with its own named button.
      const buttons = view.page.locator('th.cell-head button[aria-label$=" as PyTorch..."]');
      await buttons.first().waitFor();
      assert.equal(await buttons.count(), 3);
      await buttons.nth(1).click();
      const posted = await view.waitForPosted('exportPytorch');
      assert.equal(posted.archString, pinned[1]);
      assert.equal(
        await buttons.nth(1).getAttribute('aria-label'),
        `Export #2 (index ${bench.resolve(pinned[1]).ok ? (bench.resolve(pinned[1]) as { arch: { index: number } }).arch.index : -1}) as PyTorch...`,
      );
      const outside = await view.page.$$eval('th.cell-head', (heads) =>
        heads.flatMap((h) => {
          const column = h.getBoundingClientRect();
          return Array.from(h.querySelectorAll('button'))
            .filter((b) => {
              const r = b.getBoundingClientRect();
              return (
                r.left < column.left - 0.5 ||
                r.right > column.right + 0.5 ||
                r.right > document.documentElement.clientWidth
              );
            })
            .map((b) => b.getAttribute('aria-label'));
        }),
      );
      assert.deepEqual(outside, [], 'buttons outside their column');
      await view.page.mouse.move(0, 0);
      await view.screenshot(`export-pytorch-comparison-${theme}`);
    });

    it(`Cell Diagram: the toolbar button posts the drawn cell (${theme})`, async () => {
      const archString = bench.archOfIndex(3599).archString;
      const view = await openWebview(browser, 'diagram', { theme });
      await view.waitForPosted('ready');
      await view.send(
        buildDiagramData(bench, { archString, dataset: 'cifar10', metric: 'pgd@8', topK: 10, showNoneEdges: true }),
      );
      const button = view.page.locator('vscode-button', { hasText: 'Export as PyTorch...' });
      await button.waitFor();
      await button.click();
      const posted = await view.waitForPosted('exportPytorch');
      assert.equal(posted.archString, archString, 'the cell as drawn (not its evaluated member)');
      await view.page.mouse.move(0, 0);
      await view.screenshot(`export-pytorch-diagram-${theme}`);
    });
  }
});
