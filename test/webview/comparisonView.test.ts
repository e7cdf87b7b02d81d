import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { BenchmarkApi } from '../../src/core/benchmark/api';
import { comparisonCsv, comparisonMarkdown, comparisonTable } from '../../src/extension/panels/comparisonData';
import { sharedBenchmark } from './sharedBenchmark';
import { launchBrowser, openWebview } from './webviewPage';

describe('comparison view', () => {
  let browser: Browser;
  let bench: BenchmarkApi;
  let pinned: string[];
  before(async () => {
    [browser, bench] = await Promise.all([launchBrowser(), sharedBenchmark()]);
    // The two best by PGD@8 on CIFAR-10, and index 0: real, different cells.
    pinned = [...bench.topK('cifar10', 'pgd@8', 2).map((r) => r.arch.archString), bench.archOfIndex(0).archString];
  });
  after(async () => {
    await browser?.close();
  });

  it('builds the table from the benchmark: values, best per column, edge differences', () => {
    const t = comparisonTable(bench, pinned, 'cifar10');
    assert.equal(t.rows.length, 3);
    assert.equal(t.metrics.length, 12);
    const pgd8 = t.metrics.findIndex((m) => m.id === 'pgd@8');
    assert.equal(t.rows[0].values[pgd8], bench.metric(t.rows[0].index, 'cifar10', 'pgd@8')!.value);
    assert.deepEqual(t.best[pgd8], [0], 'the top-1 cell is the best by PGD@8');
    assert.deepEqual(t.rows[0].differs, [false, false, false, false, false, false]);
    const first = bench.archOfIndex(t.rows[0].index).cell;
    assert.deepEqual(t.rows[2].differs, bench.archOfIndex(0).cell.map((op, k) => op !== first[k]));
    const imagenet = comparisonTable(bench, pinned, 'imagenet16-120');
    assert.equal(imagenet.metrics.some((m) => m.id === 'std:corruption'), false);
    assert.equal(comparisonTable(bench, ['|not an arch|'], 'cifar10').rows.length, 0);
  });

  it('copies as Markdown and CSV', () => {
    const t = comparisonTable(bench, pinned, 'cifar100');
    const md = comparisonMarkdown(t).split('\n');
    assert.match(md[0], /CIFAR-100/);
    assert.equal(md.filter((l) => l.startsWith('|')).length, 5, 'header, separator, three rows');
    assert.ok(md[4].includes(`\`${t.rows[0].archString}\``));
    const csv = comparisonCsv(t).trim().split('\n');
    assert.equal(csv.length, 4);
    assert.equal(csv[0].split(',').length, 3 + t.metrics.length);
    assert.equal(Number(csv[1].split(',')[3 + 0]), t.rows[0].values[0]);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`renders rows, bars, best marks and differing edges; edits go to the host (${theme})`, async () => {
      const view = await openWebview(browser, 'comparison', { theme, width: 420, height: 520 });
      await view.waitForPosted('ready');
      const t = comparisonTable(bench, pinned, 'cifar10');
      await view.send(t);
      const page = view.page;
      await page.waitForSelector('tbody tr');
      assert.equal(await page.$$eval('tbody tr', (rows) => rows.length), 3);
      const shown = await page.$$eval('tbody tr:first-child td[data-metric] .value', (cells) => cells.map((c) => c.textContent));
      assert.deepEqual(shown, t.rows[0].values.map((v) => `${(v! * 100).toFixed(2)}%`));
      const bestCount = await page.$$eval('td.best', (cells) => cells.length);
      assert.equal(bestCount, t.best.reduce((n, rows) => n + rows.length, 0));
      const differing = await page.$$eval('tbody tr:nth-child(3) .op.differs', (ops) => ops.map((o) => Number(o.getAttribute('data-edge'))));
      assert.deepEqual(differing, t.rows[2].differs.flatMap((d, k) => (d ? [k] : [])));
      await view.screenshot('comparison');
      await page.click('tbody tr:nth-child(2) button[title="Move up"]');
      const move = await view.waitForPosted('move');
      assert.deepEqual({ archString: move.archString, delta: move.delta }, { archString: t.rows[1].archString, delta: -1 });
      assert.equal(await page.$eval('tbody tr:first-child button[title="Move up"]', (b) => (b as HTMLButtonElement).disabled), true);
      await page.click('tbody tr:nth-child(3) button[title="Remove from comparison"]');
      assert.equal((await view.waitForPosted('remove')).archString, t.rows[2].archString);
      await page.click('vscode-button:has-text("Copy Markdown")');
      assert.equal((await view.waitForPosted('copy')).format, 'markdown');
      // The store changed: the host sends the new table.
      await view.send(comparisonTable(bench, pinned.slice(0, 1), 'cifar10'));
      await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
      await view.send(comparisonTable(bench, [], 'cifar10'));
      await page.waitForSelector('.empty');
      assert.deepEqual(await view.savedState(), { dataset: 'cifar10' });
      assert.deepEqual(await view.problems(), []);
      await view.close();
    });
  }
});
