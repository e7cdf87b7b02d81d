// The side bar comparison and the chart exports as a user meets them in the VS Code workbench (code-server with the
// packaged VSIX, a copy of the demo workspace, a 1600 x 1000 window, the side bar at its default width), in the
// light and the dark theme. Screenshots: test-output/e2e/ui-sidebar-<n>-<step>-<theme>.png.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, suite } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { pollUntil } from '../../scripts/vscode-server/poll';
import type { BenchmarkApi } from '../../src/core/benchmark/api';
import { loadBenchmark } from '../../src/core/benchmark/load';
import { METRIC_IDS, METRIC_INFO } from '../../src/core/benchmark/metrics';
import type { DatasetId } from '../../src/core/space';
import { pngSize } from '../../src/extension/panels/exportBytes';
import { openUiSession, stepWithScreenshot, type UiSession } from './support/uiSession';
import { sharedDataDir } from './support/sharedData';
import {
  frameWithSelector,
  openFile,
  positionOfText,
  runCommand,
  screenshot,
  sideBarView,
  useColorTheme,
} from './support/workbench';

const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern' } as const;
type Theme = keyof typeof THEMES;

suite('UI: the side bar comparison and the chart exports', { timeout: 420_000 }, () => {
  let workspace: string;
  let data: string;
  let session: UiSession | undefined;
  let page: Page;
  let reference: BenchmarkApi;
  const percent = (v: number) => `${(v * 100).toFixed(2)}%`;
  const pinned = [
    '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|',
    '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
  ];

  /** In an open quick pick: types `text`, waits until the first row shows `row`, accepts it. */
  async function pick(text: string, row: string): Promise<void> {
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input').first();
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(text);
    await pollUntil(
      async () =>
        (
          await widget
            .locator('.quick-input-list .monaco-list-row')
            .first()
            .innerText({ timeout: 1000 })
            .catch(() => '')
        ).includes(row),
      { timeoutMs: 15_000, message: `the quick pick does not offer "${row}" first` },
    );
    await page.keyboard.press('Enter');
  }

  /** The colour theme, chosen as a user does: Preferences: Color Theme. */
  const useTheme = (theme: Theme) => useColorTheme(page, theme);

  /** robustNas.dataset (and the metric kept), chosen with Select Dataset and Metric. */
  async function useDataset(label: string): Promise<void> {
    // Not runCommand: this command opens a quick pick of its own at once, so the palette never closes in between.
    const widget = page.locator('.quick-input-widget');
    await page.locator('.tabs-container .tab.active').first().click();
    await page.keyboard.press('F1');
    await widget.locator('.quick-input-box input').first().fill('>Robust NAS: Select Dataset and Metric');
    await pollUntil(
      async () =>
        (
          (await widget
            .locator('.quick-input-list .monaco-list-row')
            .first()
            .getAttribute('aria-label', { timeout: 1000 })
            .catch(() => '')) ?? ''
        ).startsWith('Robust NAS: Select Dataset and Metric'),
      { timeoutMs: 15_000, message: 'the palette does not offer Select Dataset and Metric' },
    );
    await page.keyboard.press('Enter');
    await widget.locator('.quick-input-title', { hasText: 'dataset (1/2)' }).waitFor({ timeout: 15_000 });
    await pick(label, label);
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'metric on' }).waitFor({ timeout: 15_000 });
    // The current metric is listed first.
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
  }

  before(async () => {
    data = sharedDataDir();
    reference = await loadBenchmark({ dataDir: data, download: false });
    session = await openUiSession({ name: 'sidebar', userSettings: { 'workbench.colorTheme': THEMES.light } });
    ({ page, workspace } = session);
  });

  after(async () => {
    await session?.close();
  });

  const step = stepWithScreenshot(() => session, 'sidebar');

  /** The Comparison Table's frame (a webview view), once it shows `expectText`. */
  async function comparisonTable(expectText: string): Promise<Frame> {
    return pollUntil(
      async () => {
        const frame = await frameWithSelector(page, 'button.text-button', 10_000).catch(() => undefined);
        if (!frame) return undefined;
        const text = await frame
          .locator('body')
          .innerText()
          .catch(() => '');
        return text.includes(expectText) ? frame : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, message: `the Comparison Table does not show "${expectText}"` },
    );
  }

  /** The keyboard focus is in the text editor (not in a side bar view). */
  async function focusInEditor(): Promise<boolean> {
    return page.evaluate(() => !!document.activeElement?.closest('.editor-group-container .monaco-editor'));
  }

  step('Add to Comparison shows each pin in the side bar and leaves the keyboard focus in the editor', async () => {
    await openFile(page, 'search_robust_cells.py', 'RESNET_LIKE');
    for (const arch of pinned) {
      const { x, y } = await positionOfText(page, arch);
      await page.mouse.click(x, y);
      await runCommand(page, 'Add to Comparison');
      const index = (reference.resolve(arch) as { ok: true; arch: { index: number } }).arch.index;
      await sideBarView(page, 'Comparison')
        .locator('.monaco-list-row', { hasText: `#${index}` })
        .first()
        .waitFor({ timeout: 30_000 });
      // Revealed without focus: typing goes on in the editor (before, the Comparison view took the focus).
      await pollUntil(focusInEditor, { timeoutMs: 5000, message: 'the keyboard focus left the editor' });
    }
    await screenshot(page, 'ui-sidebar-1-pinned-light');
  });

  for (const theme of ['light', 'dark'] as const) {
    step(
      `the Comparison Table shows every metric of every pinned cell at the default width; the tree shows its best marks (${theme})`,
      async () => {
        await useTheme(theme);
        const records = pinned.map(
          (a) =>
            (
              reference.resolve(a) as {
                ok: true;
                arch: { index: number; representativeIndex: number; archString: string };
              }
            ).arch,
        );
        const frame = await comparisonTable(`index ${records[1].index}`);
        const sidebarWidth = (await page.locator('.part.sidebar').boundingBox())!.width;
        assert.ok(sidebarWidth >= 200 && sidebarWidth <= 420, `the side bar is ${sidebarWidth} px wide`);
        // Every value of every pinned cell on CIFAR-10 (the configured dataset), as the data has it, inside the view.
        const cells = await frame.$$eval('td.value-cell', (tds) =>
          tds.map((td) => {
            const value = td.querySelector('.value')!;
            const box = value.getBoundingClientRect();
            const cell = td.getBoundingClientRect();
            return {
              arch: td.getAttribute('data-arch'),
              metric: td.getAttribute('data-metric'),
              text: value.textContent,
              inside:
                box.left >= 0 &&
                box.right <= document.documentElement.clientWidth &&
                box.width > 0 &&
                box.right <= cell.right + 0.5 &&
                td.scrollWidth <= td.clientWidth + 1,
            };
          }),
        );
        const metrics = METRIC_IDS.filter(
          (m) => reference.metric(records[0].representativeIndex, 'cifar10', m) !== undefined,
        );
        assert.equal(cells.length, records.length * metrics.length);
        for (const r of records) {
          for (const m of metrics) {
            const c = cells.find((x) => x.arch === r.archString && x.metric === m);
            assert.ok(c, `no cell for ${METRIC_INFO[m].label} of #${r.index}`);
            if (METRIC_INFO[m].unit === 'fraction')
              assert.equal(c.text, percent(reference.metric(r.representativeIndex, 'cifar10', m)!.value));
            // Costs are the cell's own (a conv on a dead edge still counts), shown to four significant digits.
            else
              assert.equal(
                Number(c.text),
                Number(reference.metric(r.index, 'cifar10', m)!.value.toPrecision(4)),
                `${METRIC_INFO[m].label} of #${r.index}: ${c.text}`,
              );
            assert.ok(c.inside, `${METRIC_INFO[m].label} of #${r.index} is cut or outside the view`);
          }
        }
        assert.ok(
          await frame.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
          'the Comparison Table scrolls sideways',
        );
        // The dataset dropdown and the buttons are inside the view; the buttons have names.
        const dropdown = await frame.$eval('vscode-single-select', (e) => {
          const r = e.getBoundingClientRect();
          return { left: r.left, right: r.right, width: document.documentElement.clientWidth };
        });
        assert.ok(
          dropdown.left >= 0 && dropdown.right <= dropdown.width,
          `the dataset dropdown is clipped: ${JSON.stringify(dropdown)}`,
        );
        const names = await frame.$$eval('th.cell-head button', (bs) =>
          bs.map((b) => b.getAttribute('aria-label') ?? ''),
        );
        assert.deepEqual(
          names.filter((n) => n.startsWith('Remove')),
          records.map((r, i) => `Remove #${i + 1} (index ${r.index}) from the comparison`),
        );

        // The tree: every metric row marked best shows "(best)" whole, not cut by the side bar's edge. The tree is a
        // virtual list (rows scrolled out of view leave the DOM): it is read from the top, one wheel step at a time. Its
        // rows are those under .monaco-list-rows: a sticky copy of the pinned cell's row sits above them.
        const tree = sideBarView(page, 'Comparison');
        const readMarks = () =>
          tree.evaluate((pane) =>
            Array.from(pane.querySelectorAll('.monaco-list-rows .monaco-list-row[aria-level="2"]'))
              .map((row) => {
                const description = row.querySelector('.label-description');
                const text = description?.textContent ?? '';
                const at = text.indexOf('(best)');
                if (!description || at < 0) return undefined;
                const node = description.firstChild!;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + '(best)'.length);
                const mark = range.getBoundingClientRect();
                const container = (row.querySelector('.monaco-icon-label-container') ?? row).getBoundingClientRect();
                const label = row.querySelector('.label-name')?.textContent ?? '';
                return {
                  key: row.getAttribute('data-index') ?? '',
                  label,
                  text,
                  visible: mark.right <= container.right + 0.5 && mark.right <= row.getBoundingClientRect().right,
                };
              })
              .filter((x) => x !== undefined),
          );
        const rowIndices = () =>
          tree.evaluate((pane) =>
            Array.from(pane.querySelectorAll('.monaco-list-rows .monaco-list-row')).map((r) =>
              Number(r.getAttribute('data-index')),
            ),
          );
        const body = (await tree.locator('.pane-body').boundingBox())!;
        await page.mouse.move(body.x + body.width / 2, body.y + Math.min(30, body.height / 2));
        await pollUntil(
          async () => {
            if ((await rowIndices()).includes(0)) return true;
            await page.mouse.wheel(0, -400);
            return false;
          },
          { timeoutMs: 10_000, message: 'the Comparison tree does not scroll to its top' },
        );
        const marked = new Map<string, { label: string; text: string; visible: boolean }>();
        const seen = new Set<number>();
        for (let unchanged = 0, step = 0; unchanged < 3 && step < 80; step++) {
          const before = seen.size;
          for (const m of await readMarks()) marked.set(m.key, m);
          for (const i of await rowIndices()) seen.add(i);
          unchanged = seen.size === before ? unchanged + 1 : 0;
          await page.mouse.wheel(0, 60);
          await page.waitForTimeout(100);
        }
        const marks = [...marked.values()];
        // Each metric is best in some pinned cell (ties mark each of them).
        for (const m of metrics) {
          assert.ok(
            marks.some((x) => x.label === METRIC_INFO[m].label),
            `no "(best)" on any ${METRIC_INFO[m].label} row: ${marks.map((x) => x.label).join(', ')}`,
          );
        }
        for (const m of marks) assert.ok(m.visible, `"(best)" is cut in "${m.text}"`);
        await screenshot(page, `ui-sidebar-2-comparison-${theme}`);
      },
    );
  }

  step(
    'the table follows the robustNas.dataset setting: a picked dataset gives way to a setting change and to a reload',
    async () => {
      const r = (reference.resolve(pinned[0]) as { ok: true; arch: { index: number; representativeIndex: number } })
        .arch;
      const cleanOn = (d: DatasetId) => percent(reference.metric(r.representativeIndex, d, 'clean')!.value);
      const shows = async (d: DatasetId) =>
        pollUntil(
          async () => {
            const frame = await comparisonTable(`index ${r.index}`);
            return (
              (await frame.$eval('td.value-cell[data-metric="clean"] .value', (e) => e.textContent).catch(() => '')) ===
              cleanOn(d)
            );
          },
          { timeoutMs: 30_000, intervalMs: 500, message: `the Comparison Table does not show ${d}` },
        );
      let frame = await comparisonTable(`index ${r.index}`);
      await frame.locator('vscode-single-select').evaluate((e) => {
        const s = e as HTMLElement & { value: string };
        s.value = 'cifar100';
        s.dispatchEvent(new Event('change'));
      });
      await shows('cifar100');
      // After a reload the table follows the setting (CIFAR-10), as the tree and the hovers do.
      await page.reload();
      await page.locator('.monaco-workbench .part.editor').waitFor();
      await shows('cifar10');
      frame = await comparisonTable(`index ${r.index}`);
      await frame.locator('vscode-single-select').evaluate((e) => {
        const s = e as HTMLElement & { value: string };
        s.value = 'cifar100';
        s.dispatchEvent(new Event('change'));
      });
      await shows('cifar100');
      await useDataset('ImageNet16-120');
      await shows('imagenet16-120');
    },
  );

  for (const theme of ['light', 'dark'] as const) {
    step(
      `Export PNG of the heatmap writes a PNG into the workspace folder; the colour bar states the auto range (${theme})`,
      async () => {
        await useTheme(theme);
        await runCommand(page, 'Open Correlation Charts');
        const chart = await frameWithSelector(page, '#chart[data-view="heatmap"] svg');
        const note = await pollUntil(
          async () =>
            (await chart.$$eval('#chart svg text', (ts) => ts.map((t) => t.textContent ?? ''))).find((t) =>
              t.startsWith('Colours: auto range'),
            ),
          { timeoutMs: 30_000, message: 'no auto range note on the heatmap' },
        );
        assert.match(note, /^Colours: auto range [+−][01]\.\d\d to \+[01]\.\d\d, the values shown/);
        // The chart is drawn at its box's size and ends inside the panel (its axis labels are not cut).
        const fit = (await chart.evaluate(`(() => {
        const c = document.getElementById('chart');
        return { drawn: c.chart.getHeight(), box: c.clientHeight, bottom: c.firstElementChild.getBoundingClientRect().bottom, viewport: document.documentElement.clientHeight };
      })()`)) as { drawn: number; box: number; bottom: number; viewport: number };
        assert.ok(
          fit.drawn === fit.box && fit.bottom <= fit.viewport,
          `the heatmap does not fit its panel: ${JSON.stringify(fit)}`,
        );
        await screenshot(page, `ui-sidebar-3-heatmap-${theme}`);
        const file = join(workspace, `heatmap-${theme}.png`);
        await chart.locator('vscode-button', { hasText: 'Export PNG' }).click();
        // VS Code's own save dialog: its path starts in the workspace folder, with the suggested name.
        const widget = page.locator('.quick-input-widget');
        const input = widget.locator('.quick-input-box input').first();
        await input.waitFor({ state: 'visible', timeout: 15_000 });
        const suggested = await pollUntil(
          async () => {
            const v = await input.inputValue().catch(() => '');
            return v.endsWith('.png') ? v : undefined;
          },
          { timeoutMs: 15_000, message: 'the save dialog shows no file name' },
        );
        // The charts open on the configured dataset (ImageNet16-120 since the step before).
        assert.equal(suggested, join(workspace, 'correlation-spearman-imagenet16-120.png'));
        await pollUntil(
          async () => {
            if (!(await widget.isVisible())) return true;
            if ((await input.inputValue().catch(() => '')) !== file) {
              await input.fill(file).catch(() => undefined);
              return false;
            }
            await page.keyboard.press('Enter');
            return widget.waitFor({ state: 'hidden', timeout: 2000 }).then(
              () => true,
              () => false,
            );
          },
          { timeoutMs: 20_000, intervalMs: 250, message: 'the save dialog did not accept the file' },
        );
        await pollUntil(() => existsSync(file), { timeoutMs: 15_000, message: `${file} was not written` });
        const bytes = await pollUntil(
          () => {
            const b = readFileSync(file);
            return pngSize(b) ? b : undefined;
          },
          { timeoutMs: 10_000, message: `${file} is not a PNG` },
        );
        const size = pngSize(bytes)!;
        assert.ok(size.width >= 600 && size.height >= 400, `the PNG is ${size.width} x ${size.height}`);
        await page
          .locator('.notifications-toasts', { hasText: `Saved heatmap-${theme}.png` })
          .first()
          .waitFor({ timeout: 15_000 });
        await screenshot(page, `ui-sidebar-4-exported-${theme}`);
      },
    );
  }
});
