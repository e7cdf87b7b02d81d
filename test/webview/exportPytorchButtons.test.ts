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
    it(`Comparison Table: each row's button posts that row's cell; the row's buttons stay on one line (${theme})`, async () => {
      const pinned = [...bench.topK('cifar10', 'pgd@8', 2).map((r) => r.arch.archString), bench.archOfIndex(0).archString];
      const view = await openWebview(browser, 'comparison', { theme, width: 420, height: 520 });
      await view.waitForPosted('ready');
      await view.send(comparisonTable(bench, pinned, 'cifar10'));
      const buttons = view.page.locator('button[aria-label="Export as PyTorch..."]');
      await buttons.first().waitFor();
      assert.equal(await buttons.count(), 3);
      await buttons.nth(1).click();
      const posted = await view.waitForPosted('exportPytorch');
      assert.equal(posted.archString, pinned[1]);
      const tops = await view.page.$$eval('tbody tr:first-child .row-actions button', (bs) => bs.map((b) => Math.round(b.getBoundingClientRect().top)));
      assert.equal(new Set(tops).size, 1, `row buttons wrapped onto ${new Set(tops).size} lines`);
      await view.page.mouse.move(0, 0);
      await view.screenshot(`export-pytorch-comparison-${theme}`);
    });

    it(`Cell Diagram: the toolbar button posts the drawn cell (${theme})`, async () => {
      const archString = bench.archOfIndex(3599).archString;
      const view = await openWebview(browser, 'diagram', { theme });
      await view.waitForPosted('ready');
      await view.send(buildDiagramData(bench, { archString, dataset: 'cifar10', metric: 'pgd@8', topK: 10, showNoneEdges: true }));
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
