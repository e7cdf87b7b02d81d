// The numbers users compare with NAS-Bench-201 and the paper, as the workbench shows them: the hover card's cost in
// NAS-Bench-201's units and its eps-labelled columns, and Run NAS's choice of how random architectures are drawn,
// whose report says which sampling reproduces the paper. Screenshots: test-output/e2e/numbers-*.png.
import * as assert from 'node:assert/strict';
import { after, before, suite } from 'node:test';
import type { Page } from 'playwright-core';
import { openUiSession, stepWithScreenshot, type UiSession } from './support/uiSession';
import { sharedDataDir } from './support/sharedData';
import {
  frameWithSelector,
  frameWithText,
  hoverText,
  openFile,
  runCommand,
  screenshot,
  useColorTheme,
} from './support/workbench';
import { pollUntil } from '../../scripts/vscode-server/poll';
import type { BenchmarkApi } from '../../src/core/benchmark/api';
import { loadBenchmark } from '../../src/core/benchmark/load';
import { formatNasBench201Cost, networkCost } from '../../src/core/space';
import { ADVERSARIAL_METRIC_IDS } from '../../src/core/benchmark/metrics';
import { correlationMatrix } from '../../src/core/stats';

suite('UI: benchmark numbers in the workbench', { timeout: 300_000 }, () => {
  let session: UiSession | undefined;
  let page: Page;
  let reference: BenchmarkApi;

  before(async () => {
    reference = await loadBenchmark({ dataDir: sharedDataDir(), download: false });
    session = await openUiSession({ name: 'numbers' });
    ({ page } = session);
  });

  after(async () => {
    await session?.close();
  });

  const step = stepWithScreenshot(() => session, 'numbers');

  step("the hover card gives NAS-Bench-201's cost and labels every attacked column with its eps", async () => {
    await openFile(page, 'search_robust_cells.py', 'RESNET_LIKE');
    const best = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|';
    const r = reference.resolve(best);
    assert.ok(r.ok);
    const card = await hoverText(page, best, new RegExp(`#${r.arch.index}\\b`));
    for (const label of ['AutoAttack@8', 'PGD@8']) assert.ok(card.includes(label), `${label} missing:\n${card}`);
    // The card's Params column: the cell's own count in NAS-Bench-201's "MB" and its rank, fewest first.
    const params = reference.metric(r.arch.index, 'cifar10', 'params')!;
    assert.ok(
      card.includes('Params') && card.includes(`${params.value.toFixed(2)} MB`) && card.includes(`#${params.rank}`),
      `no Params ${params.value.toFixed(2)} MB #${params.rank}:\n${card}`,
    );
    await screenshot(page, 'numbers-1-hover-card');
    // Cost and the standard-training columns are in the cell details report, one click away ("All datasets").
    await page.locator('.monaco-hover:not(.hidden) a', { hasText: 'All datasets' }).click();
    const report = await frameWithText(page, 'Cost of the NAS-Bench-201 network');
    const text = await report.locator('body').innerText();
    const cost = formatNasBench201Cost(networkCost(r.arch.cell, 'cifar10'));
    assert.ok(text.includes(cost.params) && text.includes(cost.flops), text);
    for (const label of ['AutoAttack@8', 'PGD@8', 'Std FGSM@1', 'Std PGD@1', 'Std APGD-CE@1', 'Std Square@1'])
      assert.ok(text.includes(label), `${label} missing:\n${text}`);
    await screenshot(page, 'numbers-1b-cell-details');
    const reportTab = page
      .locator('.tabs-container .tab.active', { hasText: new RegExp(`Cell #?${r.arch.index}\\b`) })
      .first();
    await reportTab.waitFor();
    await page.keyboard.press('Control+W');
    await reportTab.waitFor({ state: 'detached' });
  });

  step(
    'Run NAS asks how random architectures are drawn, class-uniform first, and the report says which was used',
    async () => {
      // The palette row, then the command's own prompts (runCommand waits for the palette to close, which a command
      // that opens a quick pick never lets it do), each recognised by its title.
      const widget = page.locator('.quick-input-widget');
      const input = widget.locator('.quick-input-box input').first();
      const title = 'Run NAS Algorithm on the Benchmark';
      const paletteRow = widget
        .locator(`.quick-input-list .monaco-list-row[aria-label^="Robust NAS: ${title}"]`)
        .first();
      await pollUntil(
        async () => {
          if (!(await input.isVisible())) await page.keyboard.press('F1');
          if (
            !(await input.fill(`>${title}`, { timeout: 2000 }).then(
              () => true,
              () => false,
            ))
          )
            return false;
          return paletteRow.waitFor({ timeout: 1000 }).then(
            () => true,
            () => false,
          );
        },
        { timeoutMs: 30_000, message: `the palette does not offer "${title}"` },
      );
      await paletteRow.click();
      await widget
        .locator('.quick-input-title', { hasText: 'Run NAS on the benchmark' })
        .waitFor({ state: 'visible', timeout: 30_000 });
      await widget.locator('.quick-input-list .monaco-list-row', { hasText: 'random search' }).first().click();
      await widget
        .locator('.quick-input-title', { hasText: 'how random architectures are drawn' })
        .waitFor({ state: 'visible', timeout: 30_000 });
      const rows = await widget.locator('.quick-input-list .monaco-list-row').allInnerTexts();
      assert.equal(rows.length, 2, rows.join(' | '));
      assert.match(rows[0], /Uniform over the 6,466 evaluated isomorphism classes/);
      assert.match(rows[0], /Reproduces the random-search figures of the paper's Table 2/);
      assert.match(rows[1], /Uniform over the 15,625 cells/);
      await screenshot(page, 'numbers-2-sampling-pick');
      await widget
        .locator('.quick-input-list .monaco-list-row', { hasText: 'Uniform over the 15,625 cells' })
        .first()
        .click();
      // Budget and runs: small numbers, typed into the input boxes.
      for (const [title, value] of [
        ['budget', '20'],
        ['runs', '5'],
      ] as const) {
        await widget.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 30_000 });
        await widget.locator('.quick-input-box input').first().fill(value);
        await page.keyboard.press('Enter');
      }
      const report = await frameWithText(page, 'Random architectures (every proposal) are drawn', 60_000);
      const text = await report.evaluate(() => document.body.innerText);
      assert.match(text, /are drawn uniformly over the 15,625 cells, as NAS-Bench-201's samplers do\./);
      assert.match(text, /Class-uniform sampling is the one that reproduces the paper's Table 2/);
      await screenshot(page, 'numbers-3-nas-report');
    },
  );

  step(
    'Correlation Charts put params and FLOPs beside the accuracies and draw the accuracy-vs-params front',
    async () => {
      await runCommand(page, 'Open Correlation Charts');
      await page.locator('.tabs-container .tab.active', { hasText: 'Correlation Charts' }).waitFor();
      const chart = await frameWithSelector(page, '#chart[data-view="heatmap"] svg');
      await chart.locator('vscode-checkbox[label="Include params and FLOPs"]').click();
      // The heatmap (SVG: every value is a DOM text) grows to the six accuracies plus params and FLOPs.
      const numeric = (t: string[]) => t.filter((s) => /^(−|-)?\d\.\d\d$/.test(s)).map((s) => s.replace('-', '−'));
      const texts = await pollUntil(
        async () => {
          const t = await chart.$$eval('#chart svg text', (ts) => ts.map((x) => x.textContent ?? ''));
          return numeric(t).length === 64 ? t : undefined;
        },
        { timeoutMs: 30_000, message: 'the heatmap does not show 8 x 8 values' },
      );
      for (const label of ['Params (MB)', 'FLOPs (M)'])
        assert.ok(texts.includes(label), `no ${label} axis label in ${JSON.stringify(texts.slice(0, 30))}`);
      const ids = [...ADVERSARIAL_METRIC_IDS, 'params', 'flops'] as const;
      const expected = correlationMatrix(
        ids.map((id) => reference.column('cifar10', id)),
        'spearman',
      )
        .flat()
        .map((v) => v.toFixed(2).replace('-', '−'));
      assert.deepEqual([...numeric(texts)].sort(), [...expected].sort());
      await screenshot(page, 'numbers-4-heatmap-with-cost');
      // Clicking the Params x PGD@8 entry opens their scatter. A click on the front's first point (the cheapest cell no
      // cell beats on both) selects a cell there (others lie under it): the details line must give its index, params
      // and PGD@8 as the core has them, and say whether it is on the front.
      const entry = (await chart.evaluate(
        `document.getElementById('chart').chart.convertToPixel({ xAxisIndex: 0, yAxisIndex: 0 }, [6, 4])`,
      )) as [number, number];
      await chart.locator('#chart').click({ position: { x: entry[0], y: entry[1] } });
      await frameWithSelector(page, '#chart[data-view="scatter"] canvas');
      const front = reference.pareto('cifar10', 'params', 'pgd@8');
      const first = front[0];
      assert.equal(first.x, Math.min(...reference.column('cifar10', 'params')));
      const details = chart.locator('.details');
      const line = await pollUntil(
        async () => {
          const at = (await chart.evaluate(
            `document.getElementById('chart').chart.convertToPixel({ xAxisIndex: 0, yAxisIndex: 0 }, [${first.x}, ${first.y}])`,
          )) as [number, number];
          await chart.locator('#chart').click({ position: { x: at[0], y: at[1] } });
          const text = await details.innerText().catch(() => '');
          return text.startsWith('Index ') ? text : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 1000, message: 'clicking the first point of the front selects nothing' },
      );
      const index = Number(/^Index (\d+)/.exec(line)![1]);
      const params = reference.metric(index, 'cifar10', 'params')!.value;
      const pgd8 = reference.metric(index, 'cifar10', 'pgd@8')!.value;
      const onFront = front.some(
        (p) => p.arch.representativeIndex === reference.archOfIndex(index).representativeIndex,
      );
      assert.equal(params, first.x, `the click selected #${index}, not a cell at ${first.x} MB`);
      assert.ok(
        line.startsWith(
          `Index ${index} · Params (MB) ${Number(params.toPrecision(4))} · PGD@8 ${(pgd8 * 100).toFixed(2)}%${onFront ? ' · on the Pareto front' : ''}`,
        ),
        line,
      );
      for (const theme of ['dark', 'light'] as const) {
        await useColorTheme(page, theme);
        // The chart redraws in the theme's colours; the selection and its details stay.
        await details.filter({ hasText: `Index ${index}` }).waitFor();
        await screenshot(page, `numbers-5-params-scatter-${theme}`);
      }
    },
  );
});
