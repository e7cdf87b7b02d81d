// UI checks of the palette flows (issue 11): Search Architectures with a bad query, what Enter writes into Python
// code and into a string, Convert's "Replace in the editor", the report panels (tab titles, metrics on screen,
// working links), the walkthrough's sample file, the NTK Sweep palette order and its result in the status bar.
// Headless Chromium drives code-server at the 1600x1000 window; screenshots go to test-output/e2e/
// (palette-*.png), the reports in the light (the default here) and the dark theme.
import * as assert from 'node:assert/strict';
import { after, before, suite } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { pollUntil } from '../../scripts/vscode-server/poll';
import type { BenchmarkApi } from '../../src/core/benchmark/api';
import { loadBenchmark } from '../../src/core/benchmark/load';
import { ADVERSARIAL_METRIC_IDS, METRIC_INFO } from '../../src/core/benchmark/metrics';
import { opCountSummary } from '../../src/core/space/opSummary';
import { openUiSession, stepWithScreenshot, type UiSession } from './support/uiSession';
import { sharedDataDir } from './support/sharedData';
import {
  activeEditor,
  frameWithSelector,
  goToLine,
  openFile,
  positionOfText,
  runCommand,
  screenshot,
  sideBarView,
  useColorTheme,
} from './support/workbench';
import { formatAccuracy } from '../../src/shared/cellFormat';

suite('UI: palette search, conversions, reports and small frictions', { timeout: 420_000 }, () => {
  let session: UiSession | undefined;
  let page: Page;
  let reference: BenchmarkApi;
  const percent = (v: number) => `${(v * 100).toFixed(2)}%`;

  before(async () => {
    reference = await loadBenchmark({ dataDir: sharedDataDir(), download: false });
    session = await openUiSession({ name: 'palette' });
    ({ page } = session);
  });

  after(async () => {
    await session?.close();
  });

  const step = stepWithScreenshot(() => session, 'palette');

  const widget = () => page.locator('.quick-input-widget');
  const input = () => widget().locator('.quick-input-box input').first();
  const rows = () => widget().locator('.quick-input-list .monaco-list-row');

  /** The text of the editor line that starts with `prefix` (Monaco renders spaces as U+00A0). */
  async function lineStartingWith(prefix: string): Promise<string> {
    const line = activeEditor(page).locator('.view-line', { hasText: prefix }).first();
    await line.waitFor();
    return (await line.innerText()).replace(/\u00a0/g, ' ');
  }

  /**
   * Runs a command whose first step is a quick input of its own (so the palette never closes, which the shared
   * runCommand waits for): F1, the title, Enter on its row, then the command's prompt, known by its title.
   */
  async function startCommand(title: string, promptTitle: string): Promise<void> {
    await pollUntil(
      async () => {
        if (!(await input().isVisible())) await page.keyboard.press('F1');
        if (
          !(await input()
            .fill(`>${title}`, { timeout: 2000 })
            .then(
              () => true,
              () => false,
            ))
        )
          return false;
        const label =
          (await rows()
            .first()
            .getAttribute('aria-label', { timeout: 1000 })
            .catch(() => null)) ?? '';
        if (!label.split(', ')[0].endsWith(title)) return false;
        await page.keyboard.press('Enter');
        return pollUntil(
          async () => {
            if (
              (
                await input()
                  .inputValue()
                  .catch(() => '')
              ).startsWith('>')
            )
              return undefined;
            const heading = await widget()
              .locator('.quick-input-title')
              .innerText({ timeout: 500 })
              .catch(() => '');
            return (await input().isVisible()) && heading.includes(promptTitle) ? true : undefined;
          },
          { timeoutMs: 10_000, message: '' },
        ).then(
          () => true,
          () => false,
        );
      },
      { timeoutMs: 45_000, message: `could not start "${title}" from the palette` },
    );
  }

  /** Types `text` at the start of `line` (an empty line of the demo script), leaving the cursor after it. */
  async function typeOnLine(line: number, text: string): Promise<void> {
    await goToLine(page, line);
    await page.keyboard.type(text);
  }

  step(
    'a bad query lists no cells, only its problem with the fix; Enter applies the fix, then inserts a quoted literal into Python code',
    async () => {
      await openFile(page, 'search_robust_cells.py', 'RESNET_LIKE');
      await typeOnLine(33, 'PICK = ');
      await startCommand('Search Architectures...', '');
      await input().fill('edge 2->3 = sikp');
      const problem = rows().filter({ hasText: "did you mean 'skip'" }).first();
      await problem.waitFor();
      await pollUntil(async () => (await rows().count()) === 1, {
        timeoutMs: 10_000,
        message: 'the list still shows cells beside the problem',
      });
      assert.match(
        await problem.innerText(),
        /Unknown operation 'sikp': did you mean 'skip'\?[\s\S]*Enter: search for "edge 2->3 = skip"/,
      );
      assert.match(await widget().locator('.quick-input-title').innerText(), /problem · no cells listed/);
      await screenshot(page, 'palette-1-bad-query');
      await page.keyboard.press('Enter');
      await pollUntil(async () => (await input().inputValue()) === 'edge 2->3 = skip', {
        timeoutMs: 10_000,
        message: 'Enter did not apply the fix',
      });
      // The fixed query's cells, best first by PGD@8 on CIFAR-10: the core's top cell with edge 2->3 = skip.
      const best = reference.topK('cifar10', 'pgd@8', 1, [{ kind: 'edge-is', edge: 5, op: 'skip_connect' }])[0];
      const first = rows().first();
      await first.filter({ hasText: `index ${best.arch.index}` }).waitFor({ timeout: 15_000 });
      const text = await first.innerText();
      // What tells the cells apart fits the row: rank, metric, index, ops counted, the cell node by node.
      for (const part of [
        `#${best.rank} · PGD@8 ${percent(best.value)}`,
        `index ${best.arch.index} · ${opCountSummary(best.arch.cell)}`,
      ]) {
        assert.ok(text.includes(part), `row "${text}" lacks "${part}"`);
      }
      for (const label of await first.locator('.monaco-icon-label-container').all()) {
        const overflow = await label.evaluate((e) => e.scrollWidth > e.clientWidth + 1);
        assert.equal(overflow, false, `"${await label.innerText()}" is cut in the row`);
      }
      await screenshot(page, 'palette-2-fixed-query');
      await page.keyboard.press('Enter');
      // In code, a quoted literal in the document's quotes (the inlay hint after it is part of the rendered line).
      const line = await pollUntil(
        async () => {
          const t = await lineStartingWith('PICK = ');
          return t.includes(best.arch.archString) ? t : undefined;
        },
        { timeoutMs: 10_000, message: 'the pick was not inserted' },
      );
      assert.ok(line.startsWith(`PICK = "${best.arch.archString}"`) && !line.startsWith(`PICK = ""`), line);
      await screenshot(page, 'palette-3-inserted-in-code');
    },
  );

  step('inside a string literal, Enter inserts the bare string', async () => {
    const wanted = reference.archOfIndex(1462).archString;
    // Monaco closes the quote as it is typed: the cursor is inside "…".
    await typeOnLine(34, 'NOTE = "best: ');
    await startCommand('Search Architectures...', '');
    await input().fill('1462');
    await rows().filter({ hasText: 'index 1462' }).first().waitFor();
    await page.keyboard.press('Enter');
    const text = await pollUntil(
      async () => {
        const t = await lineStartingWith('NOTE = ');
        return t.includes(wanted) ? t : undefined;
      },
      { timeoutMs: 10_000, message: 'the pick was not inserted into the string' },
    );
    assert.ok(text.startsWith(`NOTE = "best: ${wanted}`), text);
    assert.ok(!text.includes(`"${wanted}"`) && !text.includes(`'${wanted}'`), `quoted inside a string: ${text}`);
  });

  step('completion in an empty string: whole cells told apart by index, ops and metric', async () => {
    const top = reference.topK('cifar10', 'pgd@8', 3);
    // Monaco closes the quote: `CELL = "|"` with the cursor after the `|`, which opens completion.
    await typeOnLine(30, 'CELL = "|');
    const suggest = page.locator('.editor-widget.suggest-widget.visible');
    const firstRow = suggest.locator('.monaco-list-row').first();
    await firstRow
      .filter({ hasText: `#${top[0].arch.index} ${opCountSummary(top[0].arch.cell)}` })
      .waitFor({ timeout: 30_000 });
    const texts = (await suggest.locator('.monaco-list-row').allInnerTexts())
      .slice(0, 3)
      .map((t) => t.replace(/\s+/g, ' ').trim());
    top.forEach((r, i) => {
      const row = `#${r.arch.index} ${opCountSummary(r.arch.cell)} ${formatAccuracy(r.value)} PGD@8 #${r.rank}`;
      assert.equal(texts[i], row, `completion row ${i}`);
    });
    for (const label of await suggest
      .locator('.monaco-list-row .monaco-icon-label-container')
      .all()
      .then((l) => l.slice(0, 3))) {
      assert.equal(
        await label.evaluate((e) => e.scrollWidth > e.clientWidth + 1),
        false,
        `"${await label.innerText()}" is cut`,
      );
    }
    await screenshot(page, 'palette-3b-completion');
    await page.keyboard.press('Escape');
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Delete');
  });

  step(
    'Convert Architecture Encoding -> index -> Replace in the editor writes the index as the lightbulb does, without quotes',
    async () => {
      const allConv3 =
        '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|';
      const r = reference.resolve(allConv3);
      assert.ok(r.ok);
      await goToLine(page, 1);
      const { x, y } = await positionOfText(page, allConv3);
      await page.mouse.click(x, y);
      await startCommand('Convert Architecture Encoding', 'Convert');
      await rows().filter({ hasText: 'NAS-Bench-201 index' }).first().waitFor();
      await input().fill('NAS-Bench-201 index');
      await page.keyboard.press('Enter');
      await rows().filter({ hasText: 'Replace in the editor' }).first().waitFor();
      await input().fill('Replace');
      await page.keyboard.press('Enter');
      const line = await pollUntil(
        async () => {
          const t = await lineStartingWith('ALL_CONV3 = ');
          return t.includes(allConv3) ? undefined : t;
        },
        { timeoutMs: 10_000, message: 'the string was not replaced' },
      );
      assert.ok(line.startsWith(`ALL_CONV3 = ${r.arch.index}`) && !line.includes('"'), line);
      await screenshot(page, 'palette-4-converted');
    },
  );

  /** The report panel's frame (found by its page's heading) and the report's iframe box on the page. */
  async function reportFrame(heading: string): Promise<Frame> {
    return pollUntil(
      async () => {
        const frame = await frameWithSelector(page, 'h1');
        const h1 = await frame
          .locator('h1')
          .innerText()
          .catch(() => '');
        return h1.includes(heading) ? frame : undefined;
      },
      { timeoutMs: 30_000, message: `no report titled "${heading}"` },
    );
  }

  step('Top Architectures: a short tab title, metrics on screen before the cell, links that act (Pin)', async () => {
    await startCommand('Top Architectures by Metric', 'Top architectures on CIFAR-10 by');
    await page.keyboard.press('Enter'); // the configured metric (PGD@8) is listed first
    await widget().locator('.quick-input-title', { hasText: 'filter' }).waitFor();
    await page.keyboard.press('Enter'); // no constraints
    const tab = page.locator('.editor-group-container.active .tabs-container .tab.active');
    await tab.filter({ hasText: 'Top 25 · PGD@8 · CIFAR-10' }).waitFor({ timeout: 30_000 });
    const tabTitle = (await tab.locator('.label-name').innerText()).trim();
    assert.equal(tabTitle, 'Top 25 · PGD@8 · CIFAR-10');
    const frame = await reportFrame('Top 25 architectures by PGD@8 on CIFAR-10');
    const top = reference.topK('cifar10', 'pgd@8', 25);
    // The first row: rank and every metric, all inside the visible panel; under it the cell by index and ops, its
    // links and its string.
    const firstRow = frame.locator('tbody tr.values').first();
    const cells = await firstRow.locator('td').allInnerTexts();
    const pgd3 = reference.metric(top[0].arch.index, 'cifar10', 'pgd@3')!;
    assert.deepEqual(await frame.locator('thead th').allInnerTexts(), [
      'Rank',
      ...ADVERSARIAL_METRIC_IDS.map((m) => METRIC_INFO[m].label),
    ]);
    assert.equal(cells[0], String(top[0].rank));
    assert.equal(cells[3], percent(pgd3.value));
    assert.equal(cells[5], percent(top[0].value));
    const cellRow = frame.locator('tbody tr.cell-row').first();
    assert.ok(
      (await cellRow.locator('.cell-name').innerText()).startsWith(
        `#${top[0].arch.index} ${opCountSummary(top[0].arch.cell)}`,
      ),
    );
    assert.equal(await cellRow.locator('.arch').innerText(), top[0].arch.archString);
    const viewportWidth = await frame.evaluate(() => window.innerWidth);
    const rights = await frame
      .locator('tbody tr.values')
      .first()
      .locator('td')
      .evaluateAll((tds) => tds.map((e) => e.getBoundingClientRect().right));
    for (const [i, right] of rights.entries())
      assert.ok(right <= viewportWidth, `column ${i} ends at ${right} px, past the panel's ${viewportWidth} px`);
    for (const action of await cellRow.locator('a.action').all()) {
      const right = await action.evaluate((e) => e.getBoundingClientRect().right);
      assert.ok(right <= viewportWidth, `the ${await action.innerText()} link is off-screen`);
    }
    const h1Size = await frame.locator('h1').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    assert.ok(h1Size <= 22, `title font ${h1Size}px`);
    await screenshot(page, 'palette-5-top-report-light'); // the workbench starts in Light Modern here
    // Pin through the row's link: the Comparison view lists the cell.
    await cellRow.locator('a.action', { hasText: 'Pin' }).click();
    await sideBarView(page, 'Comparison')
      .locator('.monaco-list-row', { hasText: `#${top[0].arch.index}` })
      .first()
      .waitFor({ timeout: 30_000 });
    // The same report in the dark theme.
    await useColorTheme(page, 'dark', () =>
      page.locator('.tabs-container .tab', { hasText: 'Top 25 · PGD@8 · CIFAR-10' }).first(),
    );
    await screenshot(page, 'palette-6-top-report-dark');
  });

  step('NTK report: short tab title and heading, eps in /255', async () => {
    await page.locator('.tabs-container .tab[data-resource-name="search_robust_cells.py"]').first().click();
    const arch = '|nor_conv_1x1~0|+|skip_connect~0|nor_conv_3x3~1|+|avg_pool_3x3~0|nor_conv_1x1~1|nor_conv_3x3~2|';
    const r = reference.resolve(arch);
    assert.ok(r.ok);
    const { x, y } = await positionOfText(page, arch);
    await page.mouse.click(x, y);
    await startCommand('Compute NTK Scores', 'network size');
    await page.keyboard.press('Enter');
    await widget().locator('.quick-input-title', { hasText: 'kernels' }).waitFor();
    await page.keyboard.press('Enter');
    const tabTitle = `NTK #${r.arch.index} · proxy`;
    await page.locator('.tabs-container .tab.active', { hasText: tabTitle }).waitFor({ timeout: 180_000 });
    const frame = await reportFrame(`NTK scores of #${r.arch.index} · ${opCountSummary(r.arch.cell)}`);
    const h1 = frame.locator('h1');
    const lines = await h1.evaluate((e) =>
      Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)),
    );
    assert.equal(lines, 1, 'the title is one line');
    assert.ok(!(await h1.innerText()).includes('|'), 'the string is not in the title');
    assert.ok((await frame.locator('.cell-detail .arch').innerText()).includes(arch));
    assert.match(await frame.locator('body').innerText(), /eps 8\/255/);
    await screenshot(page, 'palette-7-ntk-report-dark');
  });

  step('the walkthrough sample opens as a saved file, not a dirty Untitled buffer', async () => {
    await runCommand(page, 'Open Sample NAS Script');
    const tab = page.locator('.editor-group-container.active .tabs-container .tab.active');
    await tab.filter({ hasText: 'sample_nas_search.py' }).waitFor({ timeout: 15_000 });
    assert.equal(await tab.evaluate((e) => e.classList.contains('dirty')), false, 'the sample tab is dirty');
    assert.doesNotMatch(await tab.innerText(), /Untitled/);
    await screenshot(page, 'palette-8-sample');
  });

  step('typing "NTK Sweep" offers the sweep first; its result stays in the status bar after the toast', async () => {
    await pollUntil(
      async () => {
        if (!(await input().isVisible())) await page.keyboard.press('F1');
        if (
          !(await input()
            .fill('>NTK Sweep', { timeout: 2000 })
            .then(
              () => true,
              () => false,
            ))
        )
          return false;
        const label =
          (await rows()
            .first()
            .getAttribute('aria-label', { timeout: 1000 })
            .catch(() => null)) ?? '';
        return label.startsWith('Robust NAS: NTK Sweep...');
      },
      { timeoutMs: 30_000, message: 'the first row for "NTK Sweep" is not "Robust NAS: NTK Sweep..."' },
    );
    await screenshot(page, 'palette-9-ntk-sweep-first');
    await page.keyboard.press('Enter');
    await widget().locator('.quick-input-title', { hasText: 'NTK Sweep: which classes' }).waitFor({ timeout: 30_000 });
    await input().fill('sample');
    await rows().filter({ hasText: 'seeded random sample' }).first().waitFor();
    await page.keyboard.press('Enter');
    await widget().locator('.quick-input-title', { hasText: 'NTK Sweep: sample size k' }).waitFor();
    await input().fill('1');
    await page.keyboard.press('Enter');
    await widget().locator('.quick-input-title', { hasText: 'NTK Sweep: results file' }).waitFor();
    await rows().filter({ hasText: 'Default results file' }).first().click();
    const status = page.locator('.statusbar-item', { hasText: 'NTK sweep done:' });
    await status.waitFor({ timeout: 180_000 });
    // After the toast has gone (dismissed here, as VS Code does after a few seconds), the result is still one click away.
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'NTK sweep done' });
    await toast.waitFor({ timeout: 30_000 });
    await toast.hover();
    await toast
      .locator('.codicon-notifications-clear')
      .first()
      .click()
      .catch(() => page.keyboard.press('Escape'));
    await toast.waitFor({ state: 'hidden', timeout: 15_000 });
    assert.equal((await status.innerText()).trim(), 'NTK sweep done: 1 of 1 classes');
    await screenshot(page, 'palette-10-sweep-status');
  });
});
