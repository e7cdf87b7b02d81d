import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { BenchmarkApi } from '../../src/core/benchmark/api';
import { ADVERSARIAL_METRIC_IDS } from '../../src/core/benchmark/metrics';
import { readSweepFile, SweepFileError } from '../../src/core/ntk/sweepFile';
import { spearman } from '../../src/core/stats';
import { chartsInit, chartsResult, defaultChartsState, distributionResult, heatmapResult, normaliseChartsState, ntkFigureResult, scatterResult } from '../../src/extension/panels/chartsData';
import { MetricCatalog, benchmarkMetricSource } from '../../src/extension/panels/metricColumns';
import { ntkMetricSource, sweepFileKey, sweepInfo, type NtkMetricSource } from '../../src/extension/panels/ntkMetricSource';
import type { ChartsState, NtkFigureResult } from '../../src/shared/webviewMessages';
import { writeSweepFixture } from '../helpers/ntkSweepFixture';
import { SHARED_DATA_DIR, sharedBenchmark } from './sharedBenchmark';
import { exportAll, heatmapValueLabels } from './chartExports';
import { launchBrowser, openWebview, type WebviewPage } from './webviewPage';

/**
 * NTK sweep results in the correlation charts. The sweep file is produced here by the core (tiny networks, synthetic
 * ImageNet16-120-shaped inputs: about a second), and every number checked is recomputed with the core's statistics.
 */
const DATASET = 'imagenet16-120';
const CLASSES = 16;

describe('NTK sweep results in the correlation charts', () => {
  let bench: BenchmarkApi;
  let dir: string;
  let file: string;
  let source: NtkMetricSource;
  let catalog: MetricCatalog;
  let browser: Browser;
  const start = (): ChartsState => ({ ...defaultChartsState(DATASET, 'pgd@8'), view: 'ntk' });

  before(async () => {
    [bench, browser] = await Promise.all([sharedBenchmark(), launchBrowser()]);
    dir = mkdtempSync(join(tmpdir(), 'ntk-charts-'));
    file = join(dir, 'ntk-tiny.jsonl');
    writeSweepFixture(file, bench, { classes: CLASSES, dataset: DATASET });
    source = ntkMetricSource(readSweepFile(file), sweepFileKey(file), bench);
    catalog = new MetricCatalog([benchmarkMetricSource(bench), source]);
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Core Spearman of an NTK metric against an accuracy metric, straight from the columns. */
  const coreSpearman = (ntkId: string, accuracy: string) => spearman(source.set.column(ntkId)!, bench.column(DATASET, accuracy as never));

  it('Figure 5 data: every variant (chosen summary) against the six accuracies on the sweep\'s dataset, from the core', () => {
    const r = ntkFigureResult(catalog, start());
    assert.deepEqual(r.data.rowIds, [`ntk:clean.frobenius@${source.set.key}`, `ntk:robust.frobenius@${source.set.key}`]);
    assert.deepEqual(r.data.colIds, [...ADVERSARIAL_METRIC_IDS]);
    assert.deepEqual(r.data.rowDatasets, [DATASET, DATASET]);
    for (const [i, id] of r.data.rowIds.entries()) {
      for (const [j, acc] of r.data.colIds.entries()) {
        assert.equal(r.data.matrix[i][j], coreSpearman(id, acc));
        assert.equal(r.data.pairs[i][j], CLASSES);
      }
    }
    assert.match(r.data.subtitle, new RegExp(`ImageNet16-120: ${CLASSES} classes in both`));
    assert.equal(r.data.title, "Spearman's ρ of NTK scores (Frobenius norm) vs accuracy");
    assert.match(r.data.subtitle, /^fixed-bn, C4 N1, synthetic ImageNet16-120 inputs, n=4, FGSM 8\/255\n/);
    // Two sweeps: each row then carries its sweep's setting.
    const copy = join(dir, 'copy.jsonl');
    writeFileSync(copy, readFileSync(file));
    const two = ntkFigureResult(new MetricCatalog([benchmarkMetricSource(bench), source, ntkMetricSource(readSweepFile(copy), sweepFileKey(copy), bench)]), start());
    assert.equal(two.data.rowIds.length, 4);
    assert.ok(two.data.rowLabels.every((l) => l.endsWith(`[${source.set.setting.label}]`)));
    assert.equal(two.data.matrix[3][5], r.data.matrix[1][5]);
    const cond = ntkFigureResult(catalog, { ...start(), ntkStat: 'condition', method: 'kendall' });
    assert.deepEqual(cond.data.rowIds, [`ntk:clean.condition@${source.set.key}`, `ntk:robust.condition@${source.set.key}`]);
    // NTK metrics join the other views on their dataset only.
    const heat = heatmapResult(catalog, { ...start(), view: 'heatmap', extraMetrics: [cond.data.rowIds[1]] }).data;
    assert.equal(heat.ids.length, 7);
    assert.equal(heat.pairs[6][0], CLASSES);
    assert.equal(heatmapResult(catalog, { ...start(), view: 'heatmap', dataset: 'cifar10', extraMetrics: [cond.data.rowIds[1]] }).data.ids.length, 6);
    const sc = scatterResult(bench, catalog, { ...start(), view: 'scatter', scatterX: r.data.rowIds[1], scatterY: 'pgd@8' });
    assert.equal(sc.x.filter((v) => v !== null).length, CLASSES);
    assert.equal(sc.xFormat, 'number');
    assert.equal(sc.correlation, coreSpearman(r.data.rowIds[1], 'pgd@8'));
    const dist = distributionResult(catalog, { ...start(), view: 'distribution', extraMetrics: [r.data.rowIds[0]] });
    assert.deepEqual(dist.series.filter((s) => s.metric === r.data.rowIds[0]).map((s) => [s.dataset, s.n]), [[DATASET, CLASSES]]);
  });

  it('the chart and `robust-nas corr --ntk FILE --ntk-vs-accuracy` give the same table', () => {
    const cli = spawnSync(process.execPath, [join(__dirname, '..', '..', 'dist', 'cli.js'), '--data', SHARED_DATA_DIR, 'corr', '--dataset', DATASET, '--ntk', file, '--ntk-vs-accuracy', '--json'], { encoding: 'utf8', env: { ...process.env, ROBUST_NAS_DATA: '' } });
    assert.equal(cli.status, 0, cli.stderr);
    const table = JSON.parse(cli.stdout) as { n: number; metrics: string[]; columns: string[]; matrix: number[][] };
    const chart = ntkFigureResult(catalog, start()).data;
    assert.deepEqual(table.metrics, ['ntk:clean', 'ntk:robust']);
    assert.deepEqual(table.columns, chart.colIds);
    assert.equal(table.n, chart.pairs[0][0]);
    assert.deepEqual(table.matrix, chart.matrix);
  });

  it('a sweep still being written, and damaged files, say what they are and what to do', () => {
    const growing = join(dir, 'growing.jsonl');
    writeFileSync(growing, readFileSync(file, 'utf8') + '{"type":"result","index":5,"res');
    const partial = readSweepFile(growing);
    assert.equal(partial.partialLastLine, true);
    const info = sweepInfo(growing, partial, ntkMetricSource(partial, 'g', bench), undefined);
    assert.equal(info.classes, CLASSES);
    assert.equal(info.partialLastLine, true);
    assert.equal(info.error, undefined);

    const lines = readFileSync(file, 'utf8').split('\n');
    const damaged = join(dir, 'damaged.jsonl');
    writeFileSync(damaged, [...lines.slice(0, 3), lines[3].slice(0, 40), ...lines.slice(4)].join('\n'));
    assert.throws(() => readSweepFile(damaged), (e: Error) => e instanceof SweepFileError && /line 4 is not JSON/.test(e.message) && /Delete that line .* re-run the same `robust-nas ntk-sweep --out` command/.test(e.message));
    const notSweep = join(dir, 'accuracies.jsonl');
    writeFileSync(notSweep, '{"clean": 0.5}\n');
    assert.throws(() => readSweepFile(notSweep), /not an NTK sweep header .* choose a file written by `robust-nas ntk-sweep --out FILE`/);
    const wrongRow = join(dir, 'wrong-row.jsonl');
    writeFileSync(wrongRow, lines[0] + '\n{"type":"result","index":3}\n');
    assert.throws(() => readSweepFile(wrongRow), /line 2 is not an NTK result row/);
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, lines[0] + '\n');
    assert.match(sweepInfo(empty, readSweepFile(empty), undefined, undefined).error ?? '', /no results yet/);
    appendFileSync(empty, '');
  });

  async function answer(view: WebviewPage, n: number): Promise<ChartsState> {
    const req = await view.waitForPosted('request', n);
    const state = normaliseChartsState(req.state as ChartsState, catalog, start());
    await view.send({ ...chartsResult(bench, catalog, state), requestId: req.requestId });
    return state;
  }

  it('webview: the Figure 5 chart shows the core\'s Spearman values, exports them as CSV, lists the sweep', async () => {
    const view = await openWebview(browser, 'charts', { theme: 'dark', height: 760 });
    const page = view.page;
    await view.waitForPosted('ready');
    const info = sweepInfo(file, readSweepFile(file), source, undefined);
    await view.send(chartsInit(bench, catalog, start(), [info]));
    await answer(view, 1);
    await page.waitForSelector('#chart[data-view="ntk"] svg');
    const expected = (chartsResult(bench, catalog, start()) as NtkFigureResult).data;

    // Every entry the chart holds is the core's Spearman of that NTK variant and accuracy metric.
    const drawn = await page.evaluate(() => {
      const chart = (document.getElementById('chart') as unknown as { chart: { getOption(): { series: { data: { value: [number, number, number | '-'] }[] }[]; yAxis: { data: string[] }[]; xAxis: { data: string[] }[]; title: { subtext?: string }[] } } }).chart;
      const o = chart.getOption();
      return { cells: o.series[0].data.map((d) => d.value), rows: o.yAxis[0].data, cols: o.xAxis[0].data, subtitle: o.title[0].subtext };
    });
    assert.equal(drawn.cells.length, 2 * 6);
    for (const [j, i, v] of drawn.cells) assert.equal(v, coreSpearman(expected.rowIds[i], expected.colIds[j]));
    assert.deepEqual(drawn.rows, ['clean NTK Θ(X,X), Frobenius norm', 'robust NTK Θ(X′,X′), Frobenius norm']);
    assert.deepEqual(drawn.cols, ['Clean', 'FGSM@3', 'PGD@3', 'FGSM@8', 'PGD@8', 'AutoAttack@8']);
    assert.match(drawn.subtitle ?? '', new RegExp(`${CLASSES} classes in both`));
    const labels = await page.$$eval('#chart svg text', (ts) => ts.map((t) => t.textContent ?? '').filter((s) => /^(−|-)?\d\.\d\d$/.test(s)));
    assert.deepEqual([...labels].sort(), drawn.cells.map((c) => (c[2] as number).toFixed(2)).sort());
    // The sweep bar names the file, its setting and the classes joined.
    const bar = await page.$eval('.sweeps', (e) => e.textContent ?? '');
    assert.ok(bar.includes('ntk-tiny.jsonl') && bar.includes(info.setting!) && bar.includes(`${CLASSES} classes`), bar);
    await view.screenshot('charts-ntk-figure5');

    // Every export writes a valid file (PNG rasterised from the SVG chart); the CSV holds the core's values.
    const csv = (await exportAll(view)).csv.trim().split('\n');
    assert.equal(csv[0], `ntk_metric,label,dataset,${ADVERSARIAL_METRIC_IDS.join(',')},${ADVERSARIAL_METRIC_IDS.map((m) => `classes:${m}`).join(',')}`);
    assert.equal(csv.length, 3);
    const firstRow = csv[1].split(',');
    assert.equal(firstRow[0], expected.rowIds[0]);
    const values = firstRow.slice(-12, -6).map(Number);
    assert.deepEqual(values, ADVERSARIAL_METRIC_IDS.map((m) => coreSpearman(expected.rowIds[0], m)));
    assert.deepEqual(firstRow.slice(-6).map(Number), Array(6).fill(CLASSES));

    // Clicking an entry asks for the scatter behind it: that NTK metric against that accuracy, on the sweep's dataset.
    const entry = await page.evaluate(() => {
      const chart = (document.getElementById('chart') as unknown as { chart: { convertToPixel(f: object, v: number[]): number[] } }).chart;
      return chart.convertToPixel({ seriesIndex: 0 }, [4, 1]);
    });
    const box = (await (await page.$('#chart'))!.boundingBox())!;
    await page.mouse.click(box.x + entry[0], box.y + entry[1]);
    const clicked = (await view.waitForPosted('request', 2)).state as ChartsState;
    assert.deepEqual([clicked.view, clicked.dataset, clicked.scatterX, clicked.scatterY], ['scatter', DATASET, expected.rowIds[1], 'pgd@8']);

    // The sweep bar's buttons ask the extension to add or remove files.
    await page.click('.sweep vscode-button:has-text("Remove")');
    assert.equal((await view.waitForPosted('removeNtkSweep')).key, source.set.key);
    await page.click('.sweeps vscode-button:has-text("Add NTK sweep results")');
    await view.waitForPosted('addNtkSweep');

    // The host says the sweeps changed and to show the scatter: the webview asks again; NTK on the x axis.
    await view.send({ type: 'sweeps', metrics: catalog.descriptors(), sweeps: [info], showView: 'scatter' });
    const req = await view.waitForPosted('request', 3);
    const scatterState = { ...(req.state as ChartsState), scatterX: expected.rowIds[1], scatterY: 'pgd@8' };
    assert.equal(scatterState.view, 'scatter');
    await view.send({ ...scatterResult(bench, catalog, scatterState), requestId: req.requestId });
    await page.waitForSelector('#chart[data-view="scatter"] canvas');
    const scatter = await page.evaluate(() => {
      const chart = (document.getElementById('chart') as unknown as { chart: { getOption(): { series: { name: string; data: unknown[] }[]; title: { subtext?: string }[]; xAxis: { type: string }[] } } }).chart;
      const o = chart.getOption();
      return { points: o.series.find((s) => s.name === 'cells')!.data.length, subtitle: o.title[0].subtext ?? '', xType: o.xAxis[0].type };
    });
    assert.equal(scatter.points, CLASSES);
    assert.match(scatter.subtitle, new RegExp(`^${CLASSES} cells with both values · Spearman's ρ = ${coreSpearman(expected.rowIds[1], 'pgd@8').toFixed(3)}`));
    await view.screenshot('charts-ntk-scatter');
    assert.deepEqual(await view.problems(), []);
    await view.close();
  });

  it('webview: NTK metrics in the heatmap and the box plots (own panel), chosen in the NTK metrics list', async () => {
    const ntkId = `ntk:robust.frobenius@${source.set.key}`;
    const saved: ChartsState = { ...start(), view: 'heatmap', extraMetrics: [ntkId] };
    const view = await openWebview(browser, 'charts', { theme: 'light', height: 760, savedState: saved });
    const ready = await view.waitForPosted('ready');
    await view.send(chartsInit(bench, catalog, normaliseChartsState(ready.state as ChartsState, catalog, start()), [sweepInfo(file, readSweepFile(file), source, undefined)]));
    await answer(view, 1);
    await view.page.waitForSelector('#chart[data-view="heatmap"] svg');
    const labels = await heatmapValueLabels(view.page);
    assert.equal(labels.length, 49);
    const heat = heatmapResult(catalog, saved).data;
    assert.equal(heat.matrix[6][4], coreSpearman(ntkId, 'pgd@8'));
    assert.ok(labels.includes(heat.matrix[6][4]!.toFixed(2)));
    assert.equal(await view.page.$eval('vscode-multi-select', (e) => (e as unknown as { value: string[] }).value.join(',')), ntkId);
    await view.page.click('vscode-button[data-view="distribution"]');
    await answer(view, 2);
    await view.page.waitForSelector('#chart[data-view="distribution"] svg');
    const axes = await view.page.evaluate(() => {
      const chart = (document.getElementById('chart') as unknown as { chart: { getOption(): { yAxis: { name: string }[]; series: { type: string }[] } } }).chart;
      const o = chart.getOption();
      return { names: o.yAxis.map((a) => a.name), series: o.series.length };
    });
    assert.deepEqual(axes.names, ['Accuracy', 'NTK score']);
    assert.equal(axes.series, 2 * 3);
    await view.screenshot('charts-ntk-boxes');
    assert.deepEqual(await view.problems(), []);
    await view.close();
  });
});
