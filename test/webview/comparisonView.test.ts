import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { BenchmarkApi } from '../../src/core/benchmark/api';
import { comparisonCsv, comparisonMarkdown, comparisonTable } from '../../src/extension/panels/comparisonData';
import { metricDescription } from '../../src/extension/sidebar/metricDescription';
import type { ComparisonTable } from '../../src/shared/webviewMessages';
import { sharedBenchmark } from './sharedBenchmark';
import { launchBrowser, openWebview } from './webviewPage';

/** The width of the Comparison Table view in VS Code's side bar at its default size (a 1600 px window). */
const SIDEBAR_WIDTH = 300;

/**
 * Every value of every pinned cell as the page lays it out: its text, and whether its box lies inside the viewport
 * horizontally and shows its whole text (nothing cut by the cell or an overflow).
 */
async function valueBoxes(page: Page) {
  return page.$$eval('td.value-cell', (cells) =>
    cells.map((td) => {
      const value = td.querySelector('.value')!;
      const box = value.getBoundingClientRect();
      const cell = td.getBoundingClientRect();
      return {
        arch: td.getAttribute('data-arch'),
        metric: td.getAttribute('data-metric'),
        text: value.textContent,
        inside: box.left >= 0 && box.right <= document.documentElement.clientWidth && box.width > 0,
        whole: box.left >= cell.left - 0.5 && box.right <= cell.right + 0.5 && td.scrollWidth <= td.clientWidth + 1,
      };
    }),
  );
}

function expectedValues(t: ComparisonTable): Map<string, string> {
  const out = new Map<string, string>();
  // Accuracies in percent with two decimals; params and FLOPs in NAS-Bench-201's units to four significant digits.
  const text = (v: number, format: string | undefined) =>
    format === 'number' ? String(Number(v.toPrecision(4))) : `${(v * 100).toFixed(2)}%`;
  for (const r of t.rows)
    t.metrics.forEach((m, c) =>
      out.set(`${r.archString} ${m.id}`, r.values[c] === null ? '–' : text(r.values[c]!, m.format)),
    );
  return out;
}

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
    assert.equal(t.metrics.length, 14);
    const pgd8 = t.metrics.findIndex((m) => m.id === 'pgd@8');
    assert.equal(t.rows[0].values[pgd8], bench.metric(t.rows[0].index, 'cifar10', 'pgd@8')!.value);
    assert.deepEqual(t.best[pgd8], [0], 'the top-1 cell is the best by PGD@8');
    assert.deepEqual(t.rows[0].differs, [false, false, false, false, false, false]);
    const first = bench.archOfIndex(t.rows[0].index).cell;
    assert.deepEqual(
      t.rows[2].differs,
      bench.archOfIndex(0).cell.map((op, k) => op !== first[k]),
    );
    // Params: the cell's own count in NAS-Bench-201's "MB"; the best is the smallest (index 0 here).
    const params = t.metrics.findIndex((m) => m.id === 'params');
    assert.equal(t.rows[2].values[params], 0.129306);
    assert.deepEqual(t.best[params], [2]);
    assert.ok(t.rows[0].values[params]! > 0.129306);
    const imagenet = comparisonTable(bench, pinned, 'imagenet16-120');
    assert.equal(
      imagenet.metrics.some((m) => m.id === 'std:corruption'),
      false,
    );
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

  it('the Comparison tree puts the best mark right after the value, before the rank a narrow side bar cuts', () => {
    assert.equal(metricDescription({ value: '48.10%', rank: '#3 / 6466', best: true }), '48.10% (best) · #3 / 6466');
    assert.equal(metricDescription({ value: '48.10%', rank: '#3 / 6466', best: false }), '48.10% · #3 / 6466');
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`shows every metric of every pinned cell at the side bar's default width, best marks, differing edges (${theme})`, async () => {
      const view = await openWebview(browser, 'comparison', { theme, width: SIDEBAR_WIDTH, height: 700 });
      await view.waitForPosted('ready');
      const t = comparisonTable(bench, pinned, 'cifar10');
      await view.send(t);
      const page = view.page;
      await page.waitForSelector('td.value-cell');
      // Nothing scrolls sideways: the page is as wide as the view.
      assert.ok(
        await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
        'the view scrolls sideways',
      );
      // One column per pinned cell, in pinning order, all in one block at this width.
      assert.deepEqual(
        await page.$$eval('th.cell-head', (hs) => hs.map((h) => h.getAttribute('data-arch'))),
        t.rows.map((r) => r.archString),
      );
      assert.equal(await page.$$eval('table.block', (ts) => ts.length), 1, 'three pinned cells side by side');
      const boxes = await valueBoxes(page);
      const want = expectedValues(t);
      assert.equal(boxes.length, want.size, 'every metric of every pinned cell has a cell');
      for (const b of boxes) {
        assert.equal(b.text, want.get(`${b.arch} ${b.metric}`), `${b.metric} of ${b.arch}`);
        assert.ok(b.inside && b.whole, `${b.metric} of ${b.arch} is cut or outside the view: ${JSON.stringify(b)}`);
      }
      // The dataset dropdown and the copy buttons are inside the view.
      for (const sel of ['vscode-single-select', 'button:has-text("Copy Markdown")', 'button:has-text("Copy CSV")']) {
        const box = (await page.locator(sel).boundingBox())!;
        assert.ok(box.x >= 0 && box.x + box.width <= SIDEBAR_WIDTH, `${sel} is clipped: ${JSON.stringify(box)}`);
      }
      const selectFace = await page.$eval('vscode-single-select', (s) => {
        const face = s.shadowRoot!.querySelector('.select-face, .face, [part="face"]') as HTMLElement | null;
        return face ? { text: face.innerText.trim(), fits: face.scrollWidth <= face.clientWidth + 1 } : null;
      });
      if (selectFace) assert.deepEqual(selectFace, { text: 'CIFAR-10', fits: true });
      // Its combobox (in the shadow root) is named for screen readers.
      assert.equal(await page.getByRole('combobox', { name: 'Dataset', exact: true }).count(), 1);
      // Best marks: a star in each best cell, named for screen readers.
      const stars = await page.$$eval('td.best .star', (ss) => ss.map((s) => s.getAttribute('aria-label')));
      assert.equal(
        stars.length,
        t.best.reduce((n, rows) => n + rows.length, 0),
      );
      assert.ok(stars.every((s) => s === 'best'));
      const pgd8Best = await page.$eval(`td.best[data-metric="pgd@8"]`, (td) => td.getAttribute('data-arch'));
      assert.equal(pgd8Best, t.rows[0].archString);
      const differing = await page.$$eval(`td.op.differs[data-arch="${t.rows[2].archString}"]`, (ops) =>
        ops.map((o) => Number(o.getAttribute('data-edge'))),
      );
      assert.deepEqual(
        differing,
        t.rows[2].differs.flatMap((d, k) => (d ? [k] : [])),
      );
      // The buttons are codicons (the font loaded, the glyphs drawn), each with a name and a tooltip.
      await page.evaluate(() => document.fonts.ready);
      assert.ok(await page.evaluate(() => document.fonts.check('16px codicon')), 'the codicon font did not load');
      const buttons = await page.$$eval('th.cell-head button', (bs) =>
        bs.map((b) => ({
          name: b.getAttribute('aria-label'),
          title: b.getAttribute('title'),
          glyph: b.querySelector('.codicon')!.getBoundingClientRect().width,
          font: getComputedStyle(b.querySelector('.codicon')!, '::before').fontFamily,
        })),
      );
      assert.equal(buttons.length, 5 * t.rows.length);
      for (const b of buttons) {
        assert.ok(b.name && b.name === b.title, `a button without a name or tooltip: ${JSON.stringify(b)}`);
        assert.ok(b.glyph >= 12 && /codicon/.test(b.font), `a button's icon is not drawn: ${JSON.stringify(b)}`);
      }
      await view.screenshot('comparison-sidebar');

      // Keyboard: Tab reaches the buttons; Enter and Space press them.
      const later = page.locator(`th.cell-head[data-arch="${t.rows[0].archString}"] button[aria-label*="later"]`);
      await later.focus();
      assert.equal(
        await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
        `Move #1 (index ${t.rows[0].index}) later`,
      );
      await page.keyboard.press('Enter');
      assert.deepEqual((({ archString, delta }) => ({ archString, delta }))(await view.waitForPosted('move')), {
        archString: t.rows[0].archString,
        delta: 1,
      });
      await page.keyboard.press('Tab');
      assert.match(
        await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''),
        /^Show the cell diagram of #1/,
      );
      await page.keyboard.press('Tab');
      assert.match(
        await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''),
        /^Export #1 .* as PyTorch\.\.\.$/,
      );
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space');
      assert.equal((await view.waitForPosted('remove')).archString, t.rows[0].archString);
      assert.equal(
        await page.$eval(
          `th.cell-head[data-arch="${t.rows[0].archString}"] button[aria-label*="earlier"]`,
          (b) => (b as HTMLButtonElement).disabled,
        ),
        true,
      );
      await page.click('button:has-text("Copy Markdown")');
      assert.equal((await view.waitForPosted('copy')).format, 'markdown');

      // The store changed: the host sends the new table.
      await view.send(comparisonTable(bench, pinned.slice(0, 1), 'cifar10'));
      await page.waitForFunction(() => document.querySelectorAll('th.cell-head').length === 1);
      await view.send(comparisonTable(bench, [], 'cifar10'));
      await page.waitForSelector('.empty');
      // Nothing about the dataset is kept in the webview: after a reload the table follows the setting.
      assert.equal(await view.savedState(), undefined);
      assert.deepEqual(await view.problems(), []);
      await view.close();
    });
  }

  it('more pinned cells than fit side by side: blocks of columns, every value still visible; re-split on resize', async () => {
    const many = bench.topK('cifar100', 'autoattack', 7).map((r) => r.arch.archString);
    const view = await openWebview(browser, 'comparison', { theme: 'dark', width: SIDEBAR_WIDTH, height: 700 });
    await view.waitForPosted('ready');
    const t = comparisonTable(bench, many, 'imagenet16-120');
    await view.send(t);
    const page = view.page;
    await page.waitForSelector('td.value-cell');
    const blocks = await page.$$eval('table.block', (ts) => ts.map((x) => x.querySelectorAll('th.cell-head').length));
    assert.ok(blocks.length >= 2 && blocks.reduce((a, b) => a + b, 0) === 7, `blocks ${JSON.stringify(blocks)}`);
    const check = async () => {
      const boxes = await valueBoxes(page);
      assert.equal(boxes.length, 7 * t.metrics.length);
      const want = expectedValues(t);
      for (const b of boxes)
        assert.ok(b.inside && b.whole && b.text === want.get(`${b.arch} ${b.metric}`), JSON.stringify(b));
    };
    await check();
    await view.screenshot('comparison-sidebar-7-cells');
    await page.setViewportSize({ width: 700, height: 700 });
    await page.waitForFunction(() => document.querySelectorAll('table.block').length === 1);
    await check();
    assert.deepEqual(await view.problems(), []);
    await view.close();
  });
});
