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
import { kendallTauB, spearman } from '../../src/core/stats';
import {
  chartsInit,
  chartsResult,
  defaultChartsState,
  distributionResult,
  heatmapResult,
  normaliseChartsState,
  scatterResult,
} from '../../src/extension/panels/chartsData';
import { proxyFigureResult } from '../../src/extension/panels/proxyFigureData';
import { MetricCatalog, benchmarkMetricSource } from '../../src/extension/panels/metricColumns';
import {
  ntkMetricSource,
  sweepFileKey,
  sweepInfo,
  type NtkMetricSource,
} from '../../src/extension/panels/ntkMetricSource';
import type { ChartsState, ProxyFigureResult } from '../../src/shared/webviewMessages';
import { writeSweepFixture } from '../helpers/ntkSweepFixture';
import { SHARED_DATA_DIR, sharedBenchmark } from './sharedBenchmark';
import { exportAll, heatmapValueLabels, parseCsv } from './chartExports';
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
  const start = (): ChartsState => ({ ...defaultChartsState(DATASET, 'pgd@8'), view: 'proxies' });

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
  const coreSpearman = (ntkId: string, accuracy: string) =>
    spearman(source.set.column(ntkId)!, bench.column(DATASET, accuracy as never));

  /** A cost column restricted to the sweep's classes, as the proxies view compares it. */
  const costOnSweepClasses = (cost: 'params' | 'flops') => {
    const scored = source.set.column(`ntk:clean.frobenius@${source.set.key}`)!;
    return bench.column(DATASET, cost).map((v, i) => (Number.isNaN(scored[i]) ? NaN : v));
  };

  it("proxies data: each proxy's clean and robust variants side by side, params and FLOPs, from the core", () => {
    const r = proxyFigureResult(bench, catalog, start(), [sweepInfo(file, readSweepFile(file), source, undefined)]);
    const key = source.set.key;
    assert.deepEqual(
      r.data.rows.map((x) => [x.proxy, x.label, x.cleanMetric, x.robustMetric, x.dataFree]),
      [
        [
          `ntk:frobenius@${key}`,
          'NTK Θ, Frobenius norm',
          `ntk:clean.frobenius@${key}`,
          `ntk:robust.frobenius@${key}`,
          false,
        ],
        ['params', 'Params', undefined, undefined, true],
        ['flops', 'FLOPs', undefined, undefined, true],
      ],
    );
    assert.deepEqual(r.data.colIds, [...ADVERSARIAL_METRIC_IDS]);
    assert.equal(r.data.dataset, DATASET);
    const ntk = r.data.rows[0];
    for (const [j, acc] of r.data.colIds.entries()) {
      assert.equal(ntk.clean[j]!.spearman, coreSpearman(ntk.cleanMetric!, acc));
      assert.equal(ntk.robust[j]!.spearman, coreSpearman(ntk.robustMetric!, acc));
      assert.equal(
        ntk.robust[j]!.kendall,
        kendallTauB(source.set.column(ntk.robustMetric!)!, bench.column(DATASET, acc as never)),
      );
      assert.equal(ntk.clean[j]!.n, CLASSES);
      // params and FLOPs on the classes the sweep scored: the same networks as every other row.
      const params = r.data.rows[1];
      assert.equal(
        params.clean[j]!.spearman,
        spearman(costOnSweepClasses('params'), bench.column(DATASET, acc as never)),
      );
      assert.equal(params.clean[j]!.n, CLASSES);
      assert.equal(params.robust[j], params.clean[j]);
    }
    assert.equal(r.data.title, 'Training-free proxies vs accuracy on ImageNet16-120');
    assert.match(
      r.data.subtitle,
      /^ntk-tiny\.jsonl: fixed-bn, C4 N1, synthetic ImageNet16-120 inputs, n=4, FGSM 8\/255\n/,
    );
    assert.match(r.data.subtitle, new RegExp(`ImageNet16-120: ${CLASSES} classes scored by the sweeps`));
    // The NTK summary picks the kernel statistic of the NTK rows.
    const cond = proxyFigureResult(bench, catalog, { ...start(), ntkStat: 'condition' });
    assert.deepEqual(
      cond.data.rows.map((x) => x.cleanMetric),
      [`ntk:clean.condition@${key}`, undefined, undefined],
    );
    // Another dataset: no sweep there, so params and FLOPs alone, over all 6,466 classes; the sweep's dataset is named.
    const other = proxyFigureResult(bench, catalog, { ...start(), dataset: 'cifar10' }, [
      sweepInfo(file, readSweepFile(file), source, undefined),
    ]);
    assert.deepEqual(
      other.data.rows.map((x) => x.proxy),
      ['params', 'flops'],
    );
    assert.equal(other.data.rows[0].clean[4]!.n, bench.evaluatedIndices.length);
    assert.deepEqual(other.data.otherDatasets, [DATASET]);
    // Standard-training metrics (Jung et al.) join the columns when asked.
    assert.ok(
      proxyFigureResult(bench, catalog, { ...start(), includeStandard: true }).data.colIds.includes('std:clean'),
    );
    // Two sweeps of one setting: one row per sweep and proxy.
    const copy = join(dir, 'copy.jsonl');
    writeFileSync(copy, readFileSync(file));
    const two = proxyFigureResult(
      bench,
      new MetricCatalog([
        benchmarkMetricSource(bench),
        source,
        ntkMetricSource(readSweepFile(copy), sweepFileKey(copy), bench),
      ]),
      start(),
    );
    assert.equal(two.data.rows.length, 4);
    assert.equal(two.data.rows[1].robust[5]!.spearman, ntk.robust[5]!.spearman);
    // A proxy sweep's zero-cost proxies join without any change to the view: a row per proxy, clean | robust.
    const contents = readSweepFile(file);
    const zcRows = new Map(
      [...contents.rows].map(([k, row], n) => [
        k,
        { ...row, result: { ...row.result, proxies: { 'zc:snip': n % 5, 'zc:snip@pgd8': (n * 7) % 11 } } },
      ]),
    );
    const zcSource = ntkMetricSource({ header: contents.header, rows: zcRows }, 'zc1', bench);
    const withZc = proxyFigureResult(bench, new MetricCatalog([benchmarkMetricSource(bench), zcSource]), start());
    const snip = withZc.data.rows.find((x) => x.proxy === 'zc:snip@zc1')!;
    assert.deepEqual(
      [snip.label, snip.family, snip.cleanMetric, snip.robustMetric],
      ['snip', 'zc', 'zc:snip@zc1', 'zc:snip@pgd8@zc1'],
    );
    assert.equal(
      snip.robust[4]!.spearman,
      spearman(zcSource.set.column('zc:snip@pgd8@zc1')!, bench.column(DATASET, 'pgd@8')),
    );
    assert.ok(snip.robust[4]!.spearmanCi, 'every entry has its bootstrap interval');
    // The saved state of an older version (view `ntk`) opens this view.
    assert.equal(normaliseChartsState({ ...start(), view: 'ntk' as never }, catalog, start()).view, 'proxies');
    // NTK metrics join the other views on their dataset only.
    const heat = heatmapResult(catalog, {
      ...start(),
      view: 'heatmap',
      extraMetrics: [cond.data.rows[0].robustMetric!],
    }).data;
    assert.equal(heat.ids.length, 7);
    assert.equal(heat.pairs[6][0], CLASSES);
    assert.equal(
      heatmapResult(catalog, {
        ...start(),
        view: 'heatmap',
        dataset: 'cifar10',
        extraMetrics: [cond.data.rows[0].robustMetric!],
      }).data.ids.length,
      6,
    );
    const sc = scatterResult(bench, catalog, {
      ...start(),
      view: 'scatter',
      scatterX: ntk.robustMetric!,
      scatterY: 'pgd@8',
    });
    assert.equal(sc.x.filter((v) => v !== null).length, CLASSES);
    assert.equal(sc.xFormat, 'number');
    assert.equal(sc.correlation, coreSpearman(ntk.robustMetric!, 'pgd@8'));
    const dist = distributionResult(catalog, { ...start(), view: 'distribution', extraMetrics: [ntk.cleanMetric!] });
    assert.deepEqual(
      dist.series.filter((s) => s.metric === ntk.cleanMetric).map((s) => [s.dataset, s.n]),
      [[DATASET, CLASSES]],
    );
  });

  it('the view and `robust-nas corr` give the same coefficients and bootstrap intervals', () => {
    const cli = (...args: string[]) => {
      const r = spawnSync(
        process.execPath,
        [join(__dirname, '..', '..', 'dist', 'cli.js'), '--data', SHARED_DATA_DIR, 'corr', ...args, '--json'],
        { encoding: 'utf8', env: { ...process.env, ROBUST_NAS_DATA: '' } },
      );
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout);
    };
    const view = proxyFigureResult(bench, catalog, start()).data;
    // Figure 5's table (`--ntk-vs-accuracy`): the Spearman values of the NTK row's two variants.
    const table = cli('--dataset', DATASET, '--ntk', file, '--ntk-vs-accuracy') as {
      n: number;
      metrics: string[];
      columns: string[];
      matrix: number[][];
    };
    assert.deepEqual(table.metrics, ['ntk:clean', 'ntk:robust']);
    assert.deepEqual(table.columns, view.colIds);
    assert.equal(table.n, view.rows[0].clean[0]!.n);
    assert.deepEqual(table.matrix, [
      view.rows[0].clean.map((c) => c!.spearman),
      view.rows[0].robust.map((c) => c!.spearman),
    ]);
    // The proxy leaderboard (`corr SWEEP_FILE`): both coefficients and the 95% intervals of every entry the view shows.
    type Entry = {
      proxy: string;
      n: number;
      spearman: number;
      kendall: number;
      spearmanCi: { low: number; high: number };
    };
    const board = cli(file, '--metrics', ADVERSARIAL_METRIC_IDS.join(',')) as {
      resamples: number;
      seed: number;
      metrics: { metric: string; entries: Entry[] }[];
    };
    assert.equal(board.resamples, 1000);
    const cliId = (i: number, side: 'clean' | 'robust') => (i === 0 ? `ntk:${side}` : view.rows[i].proxy);
    view.colIds.forEach((metric, j) => {
      const entries = board.metrics.find((m) => m.metric === metric)!.entries;
      view.rows.forEach((row, i) => {
        for (const side of ['clean', 'robust'] as const) {
          const e = entries.find((x) => x.proxy === cliId(i, side))!;
          const c = row[side][j]!;
          assert.deepEqual(
            [c.spearman, c.kendall, c.n, c.spearmanCi],
            [e.spearman, e.kendall, e.n, [e.spearmanCi.low, e.spearmanCi.high]],
            `${row.proxy} ${side} vs ${metric}`,
          );
        }
      });
    });
    assert.match(view.intervals, /95% percentile bootstrap intervals of Spearman's rho: 1000 resamples .*seed 0/);
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
    assert.throws(
      () => readSweepFile(damaged),
      (e: Error) =>
        e instanceof SweepFileError &&
        /line 4 is not JSON/.test(e.message) &&
        /Delete that line .* re-run the same `robust-nas ntk-sweep --out` command/.test(e.message),
    );
    const notSweep = join(dir, 'accuracies.jsonl');
    writeFileSync(notSweep, '{"clean": 0.5}\n');
    assert.throws(
      () => readSweepFile(notSweep),
      /not an NTK sweep header .* choose a file written by `robust-nas ntk-sweep --out FILE`/,
    );
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
    await view.send({
      ...chartsResult(bench, catalog, state, [sweepInfo(file, readSweepFile(file), source, undefined)]),
      requestId: req.requestId,
    });
    return state;
  }

  it("webview: the proxies view draws the core's values clean | robust, sorts its table, exports CSV, lists the sweep", async () => {
    const view = await openWebview(browser, 'charts', { theme: 'dark', height: 760 });
    const page = view.page;
    await view.waitForPosted('ready');
    const info = sweepInfo(file, readSweepFile(file), source, undefined);
    await view.send(chartsInit(bench, catalog, start(), [info]));
    await answer(view, 1);
    await page.waitForSelector('#chart[data-view="proxies"] svg');
    const expected = (chartsResult(bench, catalog, start(), [info]) as ProxyFigureResult).data;

    // Two heatmaps side by side: every entry is the core's Spearman of that variant (or cost) and accuracy metric.
    const drawn = await page.evaluate(() => {
      const chart = (
        document.getElementById('chart') as unknown as {
          chart: {
            getOption(): {
              series: { name: string; data: { value: [number, number, number | '-'] }[] }[];
              yAxis: { data: string[] }[];
              xAxis: { data: string[] }[];
              title: { text?: string; subtext?: string }[];
            };
          };
        }
      ).chart;
      const o = chart.getOption();
      return {
        series: o.series.map((x) => ({ name: x.name, cells: x.data.map((d) => d.value) })),
        rows: o.yAxis[0].data,
        cols: o.xAxis[0].data,
        titles: o.title.map((t) => t.text ?? ''),
        subtitle: o.title[0].subtext,
      };
    });
    assert.deepEqual(
      drawn.series.map((x) => x.name),
      ['clean', 'robust'],
    );
    const params = costOnSweepClasses('params');
    const flops = costOnSweepClasses('flops');
    const ntk = expected.rows[0];
    const core = (side: 'clean' | 'robust', i: number, acc: string) => {
      const column =
        i === 0
          ? source.set.column(side === 'clean' ? ntk.cleanMetric! : ntk.robustMetric!)!
          : i === 1
            ? params
            : flops;
      return spearman(column, bench.column(DATASET, acc as never));
    };
    for (const s of drawn.series) {
      assert.equal(s.cells.length, 3 * 6);
      for (const [j, i, v] of s.cells) assert.equal(v, core(s.name as 'clean' | 'robust', i, expected.colIds[j]));
    }
    assert.deepEqual(drawn.rows, ['NTK Θ, Frobenius norm', 'Params (data-free)', 'FLOPs (data-free)']);
    assert.deepEqual(drawn.cols, ['Clean', 'FGSM@3', 'PGD@3', 'FGSM@8', 'PGD@8', 'AutoAttack@8']);
    assert.deepEqual(drawn.titles.slice(1), ['Clean inputs X', 'Adversarial inputs X′ = attack(X)']);
    assert.match(drawn.subtitle ?? '', new RegExp(`${CLASSES} classes scored by the sweeps`));
    const labels = await heatmapValueLabels(page);
    assert.deepEqual(
      [...labels].sort(),
      drawn.series.flatMap((x) => x.cells.map((c) => (c[2] as number).toFixed(2))).sort(),
    );

    // The table: a line per proxy and metric, ρ and τ of both variants; sorted by robust ρ, then by a header click.
    const tableRows = async () =>
      page.$$eval('.proxy-table tbody tr', (trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')),
      );
    let rows = await tableRows();
    assert.equal(rows.length, 3 * 6);
    const num = (t: string) => Number(t.replace('−', '-').split(' ')[0]);
    // Coefficients sort by strength (|ρ|), whatever the sign.
    const robustRho = rows.map((r) => Math.abs(num(r[3])));
    assert.deepEqual(
      robustRho,
      [...robustRho].sort((x, y) => y - x),
    );
    const pgd8 = rows.find((r) => r[0] === 'NTK Θ, Frobenius norm' && r[1] === 'PGD@8')!;
    assert.equal(num(pgd8[2]), Number(core('clean', 0, 'pgd@8').toFixed(2)));
    assert.equal(num(pgd8[3]), Number(core('robust', 0, 'pgd@8').toFixed(2)));
    assert.equal(
      num(pgd8[5]),
      Number(kendallTauB(source.set.column(ntk.robustMetric!)!, bench.column(DATASET, 'pgd@8')).toFixed(2)),
    );
    assert.equal(pgd8[6], String(CLASSES));
    await page.click('.proxy-table th[data-key="tau-clean"]');
    rows = await tableRows();
    const tauClean = rows.map((r) => Math.abs(num(r[4])));
    assert.deepEqual(
      tauClean,
      [...tauClean].sort((x, y) => y - x),
    );
    assert.equal(
      await page.$eval('.proxy-table th[data-key="tau-clean"]', (th) => th.getAttribute('aria-sort')),
      'descending',
    );
    await page.click('.proxy-table th[data-key="tau-clean"]');
    rows = await tableRows();
    assert.deepEqual(
      rows.map((r) => Math.abs(num(r[4]))),
      [...tauClean].sort((x, y) => x - y),
    );
    // The sweep bar names the file, its setting and the classes joined.
    const bar = await page.$eval('.sweeps', (e) => e.textContent ?? '');
    assert.ok(bar.includes('ntk-tiny.jsonl') && bar.includes(info.setting!) && bar.includes(`${CLASSES} classes`), bar);
    await view.screenshot('charts-proxies');

    // Every export writes a valid file (PNG rasterised from the SVG chart); the CSV holds the core's values.
    const csvText = (await exportAll(view)).csv;
    const csv = csvText.trim().split('\n');
    const table = parseCsv(csvText);
    assert.equal(
      csv[0],
      'proxy,label,family,inputs,score_metric,dataset,accuracy_metric,classes,spearman,spearman_low,spearman_high,kendall,kendall_low,kendall_high',
    );
    // NTK clean and robust, params and FLOPs once each (data-free): 4 x 6 lines.
    assert.equal(csv.length, 1 + 4 * 6);
    const robustPgd8 = table.find((l) => l[3] === 'robust' && l[4] === ntk.robustMetric && l[6] === 'pgd@8')!;
    assert.equal(Number(robustPgd8[8]), core('robust', 0, 'pgd@8'));
    assert.equal(Number(robustPgd8[7]), CLASSES);
    const paramsClean = table.find((l) => l[0] === 'params' && l[6] === 'clean')!;
    assert.equal(paramsClean[3], 'none');
    assert.equal(Number(paramsClean[8]), core('clean', 1, 'clean'));

    // Clicking an entry of the robust side asks for the scatter behind it: that score against that accuracy.
    const entry = await page.evaluate(() => {
      const chart = (
        document.getElementById('chart') as unknown as { chart: { convertToPixel(f: object, v: number[]): number[] } }
      ).chart;
      return chart.convertToPixel({ seriesIndex: 1 }, [4, 0]);
    });
    const box = (await (await page.$('#chart'))!.boundingBox())!;
    await page.mouse.click(box.x + entry[0], box.y + entry[1]);
    const clicked = (await view.waitForPosted('request', 2)).state as ChartsState;
    assert.deepEqual(
      [clicked.view, clicked.dataset, clicked.scatterX, clicked.scatterY],
      ['scatter', DATASET, ntk.robustMetric, 'pgd@8'],
    );

    // The sweep bar's buttons ask the extension to add or remove files.
    await page.click('.sweep vscode-button:has-text("Remove")');
    assert.equal((await view.waitForPosted('removeNtkSweep')).key, source.set.key);
    await page.click('.sweeps vscode-button:has-text("Add sweep results")');
    await view.waitForPosted('addNtkSweep');

    // The host says the sweeps changed and to show the scatter: the webview asks again; NTK on the x axis.
    await view.send({ type: 'sweeps', metrics: catalog.descriptors(), sweeps: [info], showView: 'scatter' });
    const req = await view.waitForPosted('request', 3);
    const scatterState = { ...(req.state as ChartsState), scatterX: ntk.robustMetric!, scatterY: 'pgd@8' };
    assert.equal(scatterState.view, 'scatter');
    await view.send({ ...scatterResult(bench, catalog, scatterState), requestId: req.requestId });
    await page.waitForSelector('#chart[data-view="scatter"] canvas');
    assert.equal(await page.$$eval('.proxy-table', (t) => t.length), 0, 'the table belongs to the proxies view only');
    const scatter = await page.evaluate(() => {
      const chart = (
        document.getElementById('chart') as unknown as {
          chart: {
            getOption(): {
              series: { name: string; data: unknown[] }[];
              title: { subtext?: string }[];
              xAxis: { type: string }[];
            };
          };
        }
      ).chart;
      const o = chart.getOption();
      return {
        points: o.series.find((s) => s.name === 'cells')!.data.length,
        subtitle: o.title[0].subtext ?? '',
        xType: o.xAxis[0].type,
      };
    });
    assert.equal(scatter.points, CLASSES);
    assert.match(
      scatter.subtitle,
      new RegExp(
        `^${CLASSES} cells with both values · Spearman's ρ = ${coreSpearman(ntk.robustMetric!, 'pgd@8').toFixed(3)}`,
      ),
    );
    await view.screenshot('charts-ntk-scatter');
    assert.deepEqual(await view.problems(), []);
    await view.close();
  });

  it('webview: the proxies view in the light theme, Kendall chosen: the heatmap prints τ-b', async () => {
    const info = sweepInfo(file, readSweepFile(file), source, undefined);
    const saved: ChartsState = { ...start(), method: 'kendall' };
    const view = await openWebview(browser, 'charts', { theme: 'light', height: 760, savedState: saved });
    const ready = await view.waitForPosted('ready');
    await view.send(
      chartsInit(bench, catalog, normaliseChartsState(ready.state as ChartsState, catalog, start()), [info]),
    );
    await answer(view, 1);
    await view.page.waitForSelector('#chart[data-view="proxies"] svg');
    const expected = (chartsResult(bench, catalog, saved, [info]) as ProxyFigureResult).data;
    const labels = await heatmapValueLabels(view.page);
    const tau = expected.rows.flatMap((r) => [...r.clean, ...r.robust].map((c) => c!.kendall!.toFixed(2)));
    assert.deepEqual([...labels].sort(), [...tau].sort());
    await view.screenshot('charts-proxies-light');
    assert.deepEqual(await view.problems(), []);
    await view.close();
  });

  it('webview: NTK metrics in the heatmap and the box plots (own panel), chosen in the Sweep scores list', async () => {
    const ntkId = `ntk:robust.frobenius@${source.set.key}`;
    const saved: ChartsState = { ...start(), view: 'heatmap', extraMetrics: [ntkId] };
    const view = await openWebview(browser, 'charts', { theme: 'light', height: 760, savedState: saved });
    const ready = await view.waitForPosted('ready');
    await view.send(
      chartsInit(bench, catalog, normaliseChartsState(ready.state as ChartsState, catalog, start()), [
        sweepInfo(file, readSweepFile(file), source, undefined),
      ]),
    );
    await answer(view, 1);
    await view.page.waitForSelector('#chart[data-view="heatmap"] svg');
    const labels = await heatmapValueLabels(view.page);
    assert.equal(labels.length, 49);
    const heat = heatmapResult(catalog, saved).data;
    assert.equal(heat.matrix[6][4], coreSpearman(ntkId, 'pgd@8'));
    assert.ok(labels.includes(heat.matrix[6][4]!.toFixed(2)));
    assert.equal(
      await view.page.$eval('vscode-multi-select', (e) => (e as unknown as { value: string[] }).value.join(',')),
      ntkId,
    );
    await view.page.click('vscode-button[data-view="distribution"]');
    await answer(view, 2);
    await view.page.waitForSelector('#chart[data-view="distribution"] svg');
    const axes = await view.page.evaluate(() => {
      const chart = (
        document.getElementById('chart') as unknown as {
          chart: { getOption(): { yAxis: { name: string }[]; series: { type: string }[] } };
        }
      ).chart;
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
