import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { BenchmarkApi } from '../../src/core/benchmark/api';
import {
  chartsInit,
  chartsResult,
  defaultChartsState,
  heatmapResult,
  normaliseChartsState,
} from '../../src/extension/panels/chartsData';
import { MetricCatalog, benchmarkMetricSource } from '../../src/extension/panels/metricColumns';
import type { ChartsState } from '../../src/shared/webviewMessages';
import { sharedBenchmark } from './sharedBenchmark';
import { launchBrowser, openWebview, type WebviewPage } from './webviewPage';
import { exportAll, heatmapLegend, heatmapValueLabels, parseCsv } from './chartExports';

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
      const labels = await heatmapValueLabels(page);
      assert.equal(labels.length, 144);
      const want = expected.matrix.flatMap((row) => row.map((v) => v!.toFixed(2)));
      assert.deepEqual([...labels].sort(), [...want].sort());
      assert.ok(labels.includes(expected.matrix[0][4]!.toFixed(2)));
      await view.screenshot('charts-heatmap');
      // Every dropdown's combobox (inside its shadow root) carries the control's name for screen readers.
      const names = await page.locator('vscode-single-select').evaluateAll((els) => els.map((e) => e.ariaLabel));
      assert.ok(names.length >= 2, names.join());
      for (const name of names)
        assert.equal(await page.getByRole('combobox', { name: name!, exact: true }).count(), 1, name!);

      // Cross-dataset view.
      await page.click('vscode-button[data-view="cross"]');
      await answer(view, bench, catalog, ++n);
      await page.waitForSelector('#chart[data-view="cross"] svg');
      const crossLabels = await heatmapValueLabels(page);
      assert.equal(crossLabels.length, 9);

      // Scatter over all cells, coloured by the op on edge 2->3; hover shows the cell; click selects it.
      await page.click('vscode-button[data-view="scatter"]');
      await answer(view, bench, catalog, ++n);
      await page.waitForSelector('#chart[data-view="scatter"] canvas');
      await view.send({ type: 'editorArchitectures', positions: [0, 5, 100], source: 'test.py' });
      const front = bench.pareto('cifar10', 'clean', 'pgd@8');
      const best = front[front.length - 1];
      const pixel = await page.evaluate(
        ([x, y]) => {
          const chart = (
            document.getElementById('chart') as unknown as {
              chart: { convertToPixel(f: object, v: number[]): number[] };
            }
          ).chart;
          return chart.convertToPixel({ seriesIndex: 0 }, [x, y]);
        },
        [best.x, best.y],
      );
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
        const chart = (
          document.getElementById('chart') as unknown as {
            chart: { getOption(): { series: { name: string; data: unknown[] }[] } };
          }
        ).chart;
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
        const chart = (
          document.getElementById('chart') as unknown as {
            chart: { getOption(): { series: { type: string; data: unknown[] }[] } };
          }
        ).chart;
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
    await view.send(
      chartsInit(bench, catalog, { ...defaultChartsState('imagenet16-120', 'pgd@8'), method: 'kendall' }),
    );
    await answer(view, bench, catalog, 1);
    await view.page.waitForSelector('#chart[data-view="heatmap"] svg');
    const labels = await heatmapValueLabels(view.page);
    assert.equal(labels.length, 36);
    await view.screenshot('charts-heatmap-kendall');
    assert.deepEqual(await view.problems(), []);
    await view.close();
  });

  it('colours the scatter by the op on an edge and shows histograms; restores a saved state', async () => {
    const saved: ChartsState = {
      ...defaultChartsState('cifar100', 'autoattack'),
      view: 'scatter',
      scatterColour: { kind: 'edge-op', edge: 5 },
    };
    const view = await openWebview(browser, 'charts', { theme: 'dark', savedState: saved });
    const ready = await view.waitForPosted('ready');
    assert.deepEqual(ready.state, saved);
    await view.send(chartsInit(bench, catalog, normaliseChartsState(ready.state as ChartsState, catalog, saved)));
    await answer(view, bench, catalog, 1);
    await view.page.waitForSelector('#chart[data-view="scatter"] canvas');
    const perOp = await view.page.evaluate(() => {
      const chart = (
        document.getElementById('chart') as unknown as {
          chart: { getOption(): { series: { name: string; data: unknown[] }[] } };
        }
      ).chart;
      return chart
        .getOption()
        .series.slice(0, 5)
        .map((s) => s.data.length);
    });
    assert.equal(
      perOp.reduce((a, b) => a + b, 0),
      6466,
    );
    await view.screenshot('charts-scatter-by-op');
    await view.page.click('vscode-button[data-view="distribution"]');
    await answer(view, bench, catalog, 2);
    await view.page.waitForSelector('#chart[data-view="distribution"]');
    assert.deepEqual(await view.problems(), []);
    await view.close();
  });

  for (const [name, saved] of [
    ['histograms', { ...defaultChartsState('cifar10', 'pgd@8'), view: 'distribution', distributionKind: 'histogram' }],
    [
      'scatter-by-metric',
      {
        ...defaultChartsState('cifar10', 'pgd@8'),
        view: 'scatter',
        scatterX: 'std:clean',
        scatterY: 'pgd@8',
        scatterColour: { kind: 'metric', metric: 'autoattack' },
      },
    ],
  ] as const) {
    it(`restores and draws a saved ${name} view`, async () => {
      const view = await openWebview(browser, 'charts', { theme: 'light', height: 760, savedState: saved });
      const ready = await view.waitForPosted('ready');
      await view.send(
        chartsInit(bench, catalog, normaliseChartsState(ready.state as ChartsState, catalog, saved as ChartsState)),
      );
      await answer(view, bench, catalog, 1);
      await view.page.waitForSelector(`#chart[data-view="${saved.view}"]`);
      const series = await view.page.evaluate(() => {
        const chart = (
          document.getElementById('chart') as unknown as {
            chart: { getOption(): { series: { type: string; data: unknown[] }[] } };
          }
        ).chart;
        return chart.getOption().series.map((s) => s.type);
      });
      assert.equal(series.length, saved.view === 'scatter' ? 3 : 6 * 3);
      await view.screenshot(`charts-${name}`);
      assert.deepEqual(await view.problems(), []);
      await view.close();
    });
  }

  it('every export of every view writes a valid file: PNG decodes at its size, SVG parses, CSV equals the data', async () => {
    const view = await openWebview(browser, 'charts', { theme: 'dark', width: 1100, height: 820 });
    const page = view.page;
    await view.waitForPosted('ready');
    const start = defaultChartsState('cifar10', 'pgd@8');
    await view.send(chartsInit(bench, catalog, start));
    let n = 0;
    const viewResult = async () => {
      const state = await answer(view, bench, catalog, ++n);
      return chartsResult(bench, catalog, state);
    };
    const number = (f: string) => (f === '' ? null : Number(f));

    // Heatmap (SVG renderer): the CSV is the correlation matrix, ids on both axes, full precision.
    const heat = await viewResult();
    assert.equal(heat.type, 'heatmap');
    await page.waitForSelector('#chart[data-view="heatmap"] svg');
    let files = await exportAll(view);
    if (heat.type !== 'heatmap') throw new Error('not a heatmap');
    let rows = parseCsv(files.csv);
    assert.deepEqual(rows[0], ['', ...heat.data.ids]);
    assert.deepEqual(
      rows.slice(1).map((r) => r.slice(1).map(number)),
      heat.data.matrix,
    );
    // The SVG holds the printed values.
    assert.equal(files.svg.texts.filter((t) => /^(−|-)?\d\.\d\d$/.test(t)).length, 36);

    for (const next of ['cross', 'scatter', 'distribution'] as const) {
      await page.click(`vscode-button[data-view="${next}"]`);
      const r = await viewResult();
      await page.waitForSelector(`#chart[data-view="${next}"] ${next === 'scatter' ? 'canvas' : 'svg'}`);
      files = await exportAll(view);
      rows = parseCsv(files.csv);
      if (r.type === 'cross') {
        assert.deepEqual(rows[0], ['', ...r.data.ids]);
        assert.deepEqual(
          rows.slice(1).map((x) => x.slice(1).map(number)),
          r.data.matrix,
        );
      } else if (r.type === 'scatter') {
        assert.equal(rows.length, 1 + r.x.length);
        rows.slice(1).forEach((x, pos) => {
          assert.equal(Number(x[0]), bench.archOfIndex(Number(x[0])).index);
          assert.deepEqual(
            [x[1], number(x[2]), number(x[3])],
            [bench.archOfIndex(Number(x[0])).archString, r.x[pos], r.y[pos]],
          );
        });
      } else if (r.type === 'distribution') {
        assert.deepEqual(
          rows.slice(1).map((x) => [x[0], x[1], ...x.slice(2).map(Number)]),
          r.series.map((x) => [x.dataset, x.metric, x.n, ...x.box]),
        );
      } else throw new Error(`unexpected ${r.type}`);
    }
    // Histograms: the same data as the box plots, drawn differently; their files are valid too.
    await page.locator('vscode-single-select[aria-label="Show"]').evaluate((e) => {
      const s = e as HTMLElement & { value: string };
      s.value = 'histogram';
      s.dispatchEvent(new Event('change'));
    });
    const hist = await viewResult();
    assert.equal(hist.state.distributionKind, 'histogram');
    await page.waitForFunction(
      () =>
        (
          document.getElementById('chart') as unknown as { chart: { getOption(): { series: { type: string }[] } } }
        ).chart.getOption().series[0].type === 'line',
    );
    await exportAll(view);
    assert.deepEqual(await view.problems(), []);
    await view.close();
  });

  it('heatmap colours: auto range of the off-diagonal values by default, stated on the colour bar; fixed -1..+1 on request', async () => {
    const view = await openWebview(browser, 'charts', { theme: 'light', width: 1100, height: 820 });
    const page = view.page;
    await view.waitForPosted('ready');
    const start = defaultChartsState('cifar10', 'pgd@8');
    assert.equal(start.colourRange, 'auto');
    await view.send(chartsInit(bench, catalog, start));
    await answer(view, bench, catalog, 1);
    await page.waitForSelector('#chart[data-view="heatmap"] svg');
    // The six adversarial metrics on CIFAR-10 correlate at 0.9x: the range is theirs, rounded out to 2 decimals.
    const m = heatmapResult(catalog, start).data.matrix;
    const offDiagonal = m.flatMap((row, i) => row.filter((v, j): v is number => v !== null && i !== j));
    const lo = Math.floor(Math.min(...offDiagonal) * 100) / 100;
    const hi = Math.ceil(Math.max(...offDiagonal) * 100) / 100;
    assert.ok(lo > 0.5, `the adversarial metrics correlate strongly (lowest ${lo})`);
    let legend = await heatmapLegend(page);
    assert.deepEqual({ min: legend.min, max: legend.max }, { min: lo, max: hi });
    assert.deepEqual(legend.text, [`+${hi.toFixed(2)}`, `+${lo.toFixed(2)}`]);
    const note = `Colours: auto range +${lo.toFixed(2)} to +${hi.toFixed(2)}, the values shown (choose Fixed for −1 to +1)`;
    assert.equal(legend.note, note);
    for (const t of [note, `+${hi.toFixed(2)}`, `+${lo.toFixed(2)}`])
      assert.ok(legend.svgTexts.includes(t), `the chart does not show ${t}`);
    // The structure shows: the cells' fills differ (the lowest and the highest correlation are far apart in colour).
    const fills = await page.evaluate(() =>
      (
        document.getElementById('chart') as unknown as {
          chart: { getOption(): { series: { data: { value: number[]; itemStyle: { color: string } }[] }[] } };
        }
      ).chart
        .getOption()
        .series[0].data.map((d) => ({ v: d.value[2], fill: d.itemStyle.color })),
    );
    const rgb = (c: string) => c.match(/\d+/g)!.map(Number);
    const low = fills.reduce((a, b) => (b.v < a.v ? b : a));
    const high = fills.filter((f) => f.v < 1).reduce((a, b) => (b.v > a.v ? b : a));
    const distance = Math.hypot(...rgb(low.fill).map((x, k) => x - rgb(high.fill)[k]));
    assert.ok(distance > 100, `lowest ${JSON.stringify(low)} and highest ${JSON.stringify(high)} look alike`);
    await view.screenshot('charts-heatmap-auto-range');
    // Fixed: the whole -1..+1; redrawn from the data already there (no new request).
    const requests = (await view.posted()).filter((x) => x.type === 'request').length;
    await page.locator('vscode-single-select[aria-label="Colour range"]').evaluate((e) => {
      const s = e as HTMLElement & { value: string };
      s.value = 'fixed';
      s.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction(
      () =>
        (
          document.getElementById('chart') as unknown as { chart: { getOption(): { visualMap: { min: number }[] } } }
        ).chart.getOption().visualMap[0].min === -1,
    );
    legend = await heatmapLegend(page);
    assert.deepEqual(
      { min: legend.min, max: legend.max, text: legend.text, note: legend.note },
      { min: -1, max: 1, text: ['+1', '−1'], note: 'Colours: fixed range −1 to +1' },
    );
    assert.equal((await view.posted()).filter((x) => x.type === 'request').length, requests);
    assert.equal(((await view.savedState()) as ChartsState).colourRange, 'fixed');
    assert.equal((await heatmapValueLabels(page)).length, 36);
    await view.screenshot('charts-heatmap-fixed-range');
    assert.deepEqual(await view.problems(), []);
    await view.close();
  });

  it("a clicked scatter point's details and actions show without scrolling, in an editor-sized panel", async () => {
    const saved: ChartsState = { ...defaultChartsState('cifar10', 'pgd@8'), view: 'scatter' };
    const view = await openWebview(browser, 'charts', { theme: 'dark', width: 1250, height: 800, savedState: saved });
    const page = view.page;
    const ready = await view.waitForPosted('ready');
    await view.send(chartsInit(bench, catalog, normaliseChartsState(ready.state as ChartsState, catalog, saved)));
    await answer(view, bench, catalog, 1);
    await page.waitForSelector('#chart[data-view="scatter"] canvas');
    const best = bench.pareto('cifar10', 'clean', 'pgd@8').at(-1)!;
    const at = async () => {
      const pixel = await page.evaluate(
        ([x, y]) =>
          (
            document.getElementById('chart') as unknown as {
              chart: { convertToPixel(f: object, v: number[]): number[] };
            }
          ).chart.convertToPixel({ seriesIndex: 0 }, [x, y]),
        [best.x, best.y],
      );
      const rect = (await page.locator('#chart').boundingBox())!;
      return { x: rect.x + pixel[0], y: rect.y + pixel[1] };
    };
    const p = await at();
    await page.mouse.click(p.x, p.y);
    await page.waitForSelector('.details .arch');
    for (const name of ['Open cell diagram', 'Pin to comparison']) {
      const box = (await page.locator(`.details vscode-button:has-text("${name}")`).boundingBox())!;
      assert.ok(box.y >= 0 && box.y + box.height <= 800, `${name} is below the fold: ${JSON.stringify(box)}`);
    }
    assert.equal(await page.evaluate(() => document.scrollingElement!.scrollTop), 0);
    assert.ok(
      await page.evaluate(() => document.documentElement.scrollHeight <= document.documentElement.clientHeight + 1),
      'the panel scrolls',
    );
    await page.click('.details vscode-button:has-text("Pin to comparison")');
    assert.equal((await view.waitForPosted('pin')).archString, best.arch.archString);
    await view.screenshot('charts-scatter-details');
    assert.deepEqual(await view.problems(), []);
    await view.close();
  });
});
