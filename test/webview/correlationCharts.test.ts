import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { BenchmarkApi } from '../../src/core/benchmark/api';
import { chartsInit, chartsResult, defaultChartsState, heatmapResult, normaliseChartsState } from '../../src/extension/panels/chartsData';
import { MetricCatalog, benchmarkMetricSource } from '../../src/extension/panels/metricColumns';
import type { ChartsState } from '../../src/shared/webviewMessages';
import { sharedBenchmark } from './sharedBenchmark';
import { launchBrowser, openWebview, type WebviewPage } from './webviewPage';

/** Plays the extension's part: answers the webview's n-th request with the data the panel would send. */
async function answer(view: WebviewPage, bench: BenchmarkApi, catalog: MetricCatalog, n: number): Promise<ChartsState> {
  const req = await view.waitForPosted('request', n);
  const state = normaliseChartsState(req.state as ChartsState, catalog, defaultChartsState('cifar10', 'pgd@8'));
  await view.send({ ...chartsResult(bench, catalog, state), requestId: req.requestId });
  return state;
}

describe('correlation charts webview', () => {
  let browser: Browser;
  let bench: BenchmarkApi;
  let catalog: MetricCatalog;
  before(async () => {
    [browser, bench] = await Promise.all([launchBrowser(), sharedBenchmark()]);
    catalog = new MetricCatalog([benchmarkMetricSource(bench)]);
  });
  after(async () => {
    await browser?.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`heatmap, scatter and distributions from the real benchmark (${theme})`, async () => {
      const view = await openWebview(browser, 'charts', { theme, height: 820 });
      const page = view.page;
      await view.waitForPosted('ready');
      const start = { ...defaultChartsState('cifar10', 'pgd@8'), includeStandard: true };
      await view.send(chartsInit(bench, catalog, start));
      let n = 1;
      await answer(view, bench, catalog, n);

      // Heatmap (SVG renderer, so its labels are DOM text): 12 x 12 cells, each showing the core's value.
      await page.waitForSelector('#chart[data-view="heatmap"] svg');
      const expected = heatmapResult(catalog, start).data;
      const labels = await page.$$eval('#chart svg text', (ts) => ts.map((t) => t.textContent ?? '').filter((s) => /^(−|-)?\d\.\d\d$/.test(s)));
      assert.equal(labels.length, 144);
      const want = expected.matrix.flatMap((row) => row.map((v) => v!.toFixed(2)));
      assert.deepEqual([...labels].sort(), [...want].sort());
      assert.ok(labels.includes(expected.matrix[0][4]!.toFixed(2)));
      await view.screenshot('charts-heatmap');

      // Cross-dataset view.
      await page.click('vscode-button[data-view="cross"]');
      await answer(view, bench, catalog, ++n);
      await page.waitForSelector('#chart[data-view="cross"] svg');
      const crossLabels = await page.$$eval('#chart svg text', (ts) => ts.map((t) => t.textContent ?? '').filter((s) => /^(−|-)?\d\.\d\d$/.test(s)));
      assert.equal(crossLabels.length, 9);

      // Scatter over all cells, coloured by the op on edge 2->3; hover shows the cell; click selects it.
      await page.click('vscode-button[data-view="scatter"]');
      await answer(view, bench, catalog, ++n);
      await page.waitForSelector('#chart[data-view="scatter"] canvas');
      await view.send({ type: 'editorArchitectures', positions: [0, 5, 100], source: 'test.py' });
      const front = bench.pareto('cifar10', 'clean', 'pgd@8');
      const best = front[front.length - 1];
      const pixel = await page.evaluate(([x, y]) => {
        const chart = (document.getElementById('chart') as unknown as { chart: { convertToPixel(f: object, v: number[]): number[] } }).chart;
        return chart.convertToPixel({ seriesIndex: 0 }, [x, y]);
      }, [best.x, best.y]);
      const box = (await page.$('#chart'))!;
      const rect = (await box.boundingBox())!;
      await page.mouse.move(rect.x + pixel[0], rect.y + pixel[1]);
      await page.waitForFunction((s) => document.body.innerText.includes(s), best.arch.archString);
      await page.mouse.click(rect.x + pixel[0], rect.y + pixel[1]);
      await page.waitForSelector('.details .arch');
      assert.equal(await page.$eval('.details .arch', (e) => e.textContent), best.arch.archString);
      await page.click('.details vscode-button:has-text("Open cell diagram")');
      const open = await view.waitForPosted('openDiagram');
      assert.equal(open.archString, best.arch.archString);
      const seriesSizes = await page.evaluate(() => {
        const chart = (document.getElementById('chart') as unknown as { chart: { getOption(): { series: { name: string; data: unknown[] }[] } } }).chart;
        return Object.fromEntries(chart.getOption().series.map((s) => [s.name, s.data.length]));
      });
      assert.equal(seriesSizes['Pareto front'], front.length);
      assert.equal(seriesSizes['In the editor'], 3);
      assert.equal(seriesSizes['cells'], 6466);
      await view.screenshot('charts-scatter');

      // Colour by an edge's op: one series per op, all cells accounted for.
      await view.page.evaluate(() => undefined);
      // Export the scatter's data as CSV: a header and one line per cell.
      await page.click('vscode-button:has-text("Export CSV")');
      const csv = await view.waitForPosted('export');
      assert.equal(String(csv.content).trim().split('\n').length, 6467);
      await page.click('vscode-button:has-text("Export SVG")');
      const svg = await view.waitForPosted('export', 2);
      assert.match(String(svg.content), /^<svg/);
      await page.click('vscode-button:has-text("Export PNG")');
      const png = await view.waitForPosted('export', 3);
      assert.equal(Buffer.from(String(png.content), 'base64').subarray(1, 4).toString('latin1'), 'PNG');

      // Distributions: a box per dataset and metric.
      await page.click('vscode-button[data-view="distribution"]');
      await answer(view, bench, catalog, ++n);
      await page.waitForSelector('#chart[data-view="distribution"] svg');
      const boxes = await page.evaluate(() => {
        const chart = (document.getElementById('chart') as unknown as { chart: { getOption(): { series: { type: string; data: unknown[] }[] } } }).chart;
        return chart.getOption().series.map((s) => `${s.type}:${s.data.length}`);
      });
      assert.deepEqual(boxes, ['boxplot:12', 'boxplot:12', 'boxplot:12']);
      await view.screenshot('charts-distribution');
      // The state survives a reload: it is what the webview saved.
      const saved = (await view.savedState()) as ChartsState;
      assert.equal(saved.view, 'distribution');
      assert.deepEqual(await view.problems(), []);
      await view.close();
    });
  }

  it('heatmap stays readable in a high-contrast theme', async () => {
    const view = await openWebview(browser, 'charts', { theme: 'high-contrast', height: 700 });
    await view.waitForPosted('ready');
    await view.send(chartsInit(bench, catalog, { ...defaultChartsState('imagenet16-120', 'pgd@8'), method: 'kendall' }));
    await answer(view, bench, catalog, 1);
    await view.page.waitForSelector('#chart[data-view="heatmap"] svg');
    const labels = await view.page.$$eval('#chart svg text', (ts) => ts.map((t) => t.textContent ?? '').filter((s) => /^(−|-)?\d\.\d\d$/.test(s)));
    assert.equal(labels.length, 36);
    await view.screenshot('charts-heatmap-kendall');
    assert.deepEqual(await view.problems(), []);
    await view.close();
  });

  it('colours the scatter by the op on an edge and shows histograms; restores a saved state', async () => {
    const saved: ChartsState = { ...defaultChartsState('cifar100', 'autoattack'), view: 'scatter', scatterColour: { kind: 'edge-op', edge: 5 } };
    const view = await openWebview(browser, 'charts', { theme: 'dark', savedState: saved });
    const ready = await view.waitForPosted('ready');
    assert.deepEqual(ready.state, saved);
    await view.send(chartsInit(bench, catalog, normaliseChartsState(ready.state as ChartsState, catalog, saved)));
    await answer(view, bench, catalog, 1);
    await view.page.waitForSelector('#chart[data-view="scatter"] canvas');
    const perOp = await view.page.evaluate(() => {
      const chart = (document.getElementById('chart') as unknown as { chart: { getOption(): { series: { name: string; data: unknown[] }[] } } }).chart;
      return chart.getOption().series.slice(0, 5).map((s) => s.data.length);
    });
    assert.equal(perOp.reduce((a, b) => a + b, 0), 6466);
    await view.screenshot('charts-scatter-by-op');
    await view.page.click('vscode-button[data-view="distribution"]');
    await answer(view, bench, catalog, 2);
    await view.page.waitForSelector('#chart[data-view="distribution"]');
    assert.deepEqual(await view.problems(), []);
    await view.close();
  });

  for (const [name, saved] of [
    ['histograms', { ...defaultChartsState('cifar10', 'pgd@8'), view: 'distribution', distributionKind: 'histogram' }],
    ['scatter-by-metric', { ...defaultChartsState('cifar10', 'pgd@8'), view: 'scatter', scatterX: 'std:clean', scatterY: 'pgd@8', scatterColour: { kind: 'metric', metric: 'autoattack' } }],
  ] as const) {
    it(`restores and draws a saved ${name} view`, async () => {
      const view = await openWebview(browser, 'charts', { theme: 'light', height: 760, savedState: saved });
      const ready = await view.waitForPosted('ready');
      await view.send(chartsInit(bench, catalog, normaliseChartsState(ready.state as ChartsState, catalog, saved as ChartsState)));
      await answer(view, bench, catalog, 1);
      await view.page.waitForSelector(`#chart[data-view="${saved.view}"]`);
      const series = await view.page.evaluate(() => {
        const chart = (document.getElementById('chart') as unknown as { chart: { getOption(): { series: { type: string; data: unknown[] }[] } } }).chart;
        return chart.getOption().series.map((s) => s.type);
      });
      assert.equal(series.length, saved.view === 'scatter' ? 3 : 6 * 3);
      await view.screenshot(`charts-${name}`);
      assert.deepEqual(await view.problems(), []);
      await view.close();
    });
  }
});
