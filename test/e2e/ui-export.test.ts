// UI suite of "Export as PyTorch...": headless Chromium drives the VS Code workbench (code-server with the packaged
// VSIX, on a copy of the demo workspace, 1600x1000) as a user would: the hover card's link, the palette, the Cell
// Diagram panel's button. Checks the bytes written into the workspace against the core's export, that model.py opens,
// and that existing files are replaced only after the modal confirmation. Screenshots: test-output/e2e/export-*.png.
import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, suite } from 'node:test';
import type { Page } from 'playwright-core';
import { projectRoot } from '../../scripts/vscode-server/install';
import { pollUntil } from '../../scripts/vscode-server/poll';
import type { BenchmarkApi } from '../../src/core/benchmark/api';
import { loadBenchmark } from '../../src/core/benchmark/load';
import { exportSubjectOf, renderPytorchExport } from '../../src/core/export';
import type { DatasetId } from '../../src/core/space';
import { openUiSession, stepWithScreenshot, type UiSession } from './support/uiSession';
import { sharedDataDir } from './support/sharedData';
import { frameWithSelector, hoverText, openFile, positionOfText, runCommand, screenshot } from './support/workbench';

const version = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;

suite('UI: Export as PyTorch...', { timeout: 300_000 }, () => {
  let workspace: string;
  let session: UiSession | undefined;
  let page: Page;
  let reference: BenchmarkApi;

  /** What the extension must write for this cell and dataset: the core's export with the extension's version. */
  function expectedFiles(arch: string, dataset: DatasetId): { model: string; train: string } {
    const r = reference.resolve(arch);
    assert.ok(r.ok);
    const files = renderPytorchExport(exportSubjectOf(r.arch.cell, dataset, `Robust NAS ${version}`, reference));
    return { model: files['model.py'], train: files['train.py'] };
  }
  const onDisk = (name: string) => readFileSync(join(workspace, name), 'utf8');

  before(async () => {
    reference = await loadBenchmark({ dataDir: sharedDataDir(), download: false });
    session = await openUiSession({ name: 'export' });
    ({ page, workspace } = session);
  });

  after(async () => {
    await session?.close();
  });

  const step = stepWithScreenshot(() => session, 'export');

  const quickInput = () => page.locator('.quick-input-widget');
  /** Picks the quick-pick row that shows `text` (after checking the title names the export). */
  async function pick(titlePart: string, text: string): Promise<void> {
    await quickInput().locator('.quick-input-title', { hasText: titlePart }).waitFor();
    await quickInput().locator('.quick-input-list .monaco-list-row', { hasText: text }).first().click();
  }
  /** The dataset, then the first folder offered (the workspace). */
  async function answerPrompts(datasetLabel: string): Promise<void> {
    await pick('Export as PyTorch: dataset', datasetLabel);
    await quickInput().locator('.quick-input-title', { hasText: 'Export as PyTorch: folder' }).waitFor();
    const first = quickInput().locator('.quick-input-list .monaco-list-row').first();
    assert.match(
      await first.innerText(),
      new RegExp(workspace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
      'the workspace folder is offered first',
    );
    await first.click();
  }
  const modal = () => page.locator('.monaco-dialog-box');

  step(
    'from the hover card: CIFAR-100, the workspace folder; both files written as the core exports them, model.py opened',
    async () => {
      assert.equal(existsSync(join(workspace, 'model.py')), false);
      await openFile(page, 'search_robust_cells.py', 'RESNET_LIKE');
      const resnetLike = '|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|';
      await hoverText(page, resnetLike, /Export as PyTorch\.\.\./);
      await screenshot(page, 'export-1-hover-card');
      await page
        .locator('.monaco-hover:not(.hidden) .monaco-hover-content a', { hasText: 'Export as PyTorch...' })
        .first()
        .click();
      await answerPrompts('CIFAR-100');
      await page.locator('.tabs-container .tab.active[data-resource-name="model.py"]').waitFor();
      const expected = expectedFiles(resnetLike, 'cifar100');
      await pollUntil(() => existsSync(join(workspace, 'train.py')) || undefined, {
        timeoutMs: 10_000,
        message: 'train.py not written',
      });
      assert.equal(onDisk('model.py'), expected.model);
      assert.equal(onDisk('train.py'), expected.train);
      await page
        .locator('.editor-group-container.active .view-line', { hasText: 'NAS-Bench-201 network of one cell' })
        .first()
        .waitFor();
      await screenshot(page, 'export-2-model-py-opened');
    },
  );

  step(
    'from the palette on an index: existing files are kept on Cancel and replaced only after "Overwrite"',
    async () => {
      appendFileSync(join(workspace, 'model.py'), '# my own edit\n');
      const mine = onDisk('model.py');
      const runExport = async () => {
        // The active editor is model.py with the cursor on its first line (no architecture there): the command asks.
        await runCommand(page, 'Export as PyTorch...');
        const input = quickInput().locator('.quick-input-box input').first();
        await input.waitFor({ state: 'visible' });
        await input.fill('1462');
        await page.keyboard.press('Enter');
        await answerPrompts('CIFAR-10');
        await modal().waitFor();
        assert.match(await modal().innerText(), /model\.py and train\.py already exist in .*\. Overwrite them\?/s);
      };
      await runExport();
      await screenshot(page, 'export-3-overwrite-question');
      await modal().locator('.monaco-button', { hasText: 'Cancel' }).click();
      await modal().waitFor({ state: 'hidden' });
      assert.equal(onDisk('model.py'), mine, "Cancel keeps the user's file");

      await runExport();
      await modal().locator('.monaco-button', { hasText: 'Overwrite' }).click();
      const expected = expectedFiles(reference.archOfIndex(1462).archString, 'cifar10');
      await pollUntil(
        () => (onDisk('model.py') === expected.model && onDisk('train.py') === expected.train) || undefined,
        { timeoutMs: 15_000, message: 'the files were not replaced by the export of #1462' },
      );
    },
  );

  step("from the Cell Diagram panel's button, in the dark theme", async () => {
    const settingsDir = join(workspace, '.vscode');
    mkdirSync(settingsDir, { recursive: true });
    writeFileSync(
      join(settingsDir, 'settings.json'),
      JSON.stringify({ 'workbench.colorTheme': 'Default Dark Modern' }),
    );
    await page.locator('.monaco-workbench.vs-dark').first().waitFor({ timeout: 30_000 });
    await page.locator('.tabs-container .tab[data-resource-name="search_robust_cells.py"]').click();
    const arch = '|nor_conv_1x1~0|+|skip_connect~0|nor_conv_3x3~1|+|avg_pool_3x3~0|nor_conv_1x1~1|nor_conv_3x3~2|';
    const { x, y } = await positionOfText(page, arch);
    await page.mouse.click(x, y);
    await runCommand(page, 'Show Cell Diagram');
    const diagram = await frameWithSelector(page, '#cell-figure svg g.edge');
    const exportButton = diagram.locator('vscode-button', { hasText: 'Export as PyTorch...' });
    await exportButton.waitFor();
    await screenshot(page, 'export-4-diagram-button-dark');
    await exportButton.click();
    await quickInput().locator('.quick-input-title', { hasText: 'Export as PyTorch: dataset' }).waitFor();
    await page.keyboard.press('Escape');
    await quickInput().waitFor({ state: 'hidden' });
    rmSync(settingsDir, { recursive: true, force: true });
  });
});
