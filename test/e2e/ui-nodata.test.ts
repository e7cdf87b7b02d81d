// The no-data path in the real workbench, as a first-time user meets it offline: nothing in the cache, no data
// folder set, and the download fails (a local mirror that answers 503, named by ROBUST_NAS_DOWNLOAD_URL, stands in
// for the unreachable pinned URL). The user must be told that in one line with the actions that fix it, and every
// view must recover by itself once "Download" succeeds; then "Locate Benchmark Data..." saves into the user settings.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, suite } from 'node:test';
import type { Page } from 'playwright-core';
import { pollUntil } from '../../scripts/vscode-server/poll';
import type { RunningServer } from '../../scripts/vscode-server/server';
import { PUBLISHED_FILES } from '../../src/core/benchmark/dataSources';
import { openUiSession, stepWithScreenshot, type UiSession } from './support/uiSession';
import { sharedDataDir } from './support/sharedData';
import {
  activeEditor,
  frameWithText,
  hoverText,
  openFile,
  runCommand,
  screenshot,
  sideBarView,
} from './support/workbench';

suite('UI: starting without the benchmark data', { timeout: 300_000 }, () => {
  let workspace: string;
  let server: RunningServer;
  let session: UiSession | undefined;
  let page: Page;
  let mirror: Server;
  /** The local mirror fails until the test lets it serve the shared copy (the network "comes back"). */
  let mirrorUp = false;

  before(async () => {
    const data = sharedDataDir();
    const byName = new Map(Object.values(PUBLISHED_FILES).map((f) => [f.name, f]));
    mirror = createServer((req, res) => {
      const name = (req.url ?? '').split('/').pop() ?? '';
      if (!mirrorUp || !byName.has(name)) return void res.writeHead(503).end('offline');
      res.writeHead(200, { 'content-length': String(byName.get(name)!.bytes) }).end(readFileSync(join(data, name)));
    });
    await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', r));
    const { port } = mirror.address() as { port: number };
    // Always the packaged extension: a development one runs from the checkout and finds ../shared beside it.
    session = await openUiSession({
      name: 'nodata',
      withData: false,
      packaged: true,
      env: { ROBUST_NAS_DOWNLOAD_URL: `http://127.0.0.1:${port}/` },
    });
    ({ server, page, workspace } = session);
  });

  after(async () => {
    await session?.close();
    mirror?.close();
  });

  const step = stepWithScreenshot(() => session, 'nodata');

  /** The extension's status bar item (its DOM id ends with the item's id, `robustNas.status`). */
  const statusItem = () => page.locator('.part.statusbar .statusbar-item[id$="robustNas.status"]').first();
  const toast = () => page.locator('.notifications-toasts .notification-toast', { hasText: 'Robust NAS' }).first();

  step('says in one line that the download failed, with Locate, Download and Show Log', async () => {
    // Opening a Python file activates the extension.
    await openFile(page, 'search_robust_cells.py', 'RESNET_LIKE');
    await statusItem().waitFor({ timeout: 60_000 });
    await pollUntil(async () => (await statusItem().innerText()).includes('download failed'), {
      timeoutMs: 60_000,
      message: 'the status bar never said "download failed"',
    });
    assert.equal((await statusItem().innerText()).trim(), 'Robust NAS: download failed');
    await toast().waitFor({ timeout: 30_000 });
    const message = (await toast().locator('.notification-list-item-message').innerText()).trim();
    assert.equal(message, 'Robust NAS: No benchmark data: the download failed (HTTP 503 Service Unavailable).');
    assert.doesNotMatch(message, /damaged|`/);
    // Short enough to read at a glance: at most two lines at the notification's width (was nine).
    const box = await toast().locator('.notification-list-item-message').boundingBox();
    const lineHeight = await toast()
      .locator('.notification-list-item-message')
      .evaluate((e) => parseFloat(getComputedStyle(e).lineHeight) || 22);
    assert.ok(box && box.height < lineHeight * 3, `the message takes ${box?.height} px (line height ${lineHeight})`);
    const buttons = await toast().locator('.monaco-button').allInnerTexts();
    assert.deepEqual(
      buttons.map((b) => b.trim()),
      ['Locate Benchmark Data...', 'Download', 'Show Log'],
    );
    await screenshot(page, 'nodata-1-download-failed');
  });

  step('the views say the same in one line: the tree row and the Correlation Charts panel', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="Robust NAS"]').first().click();
    const top = sideBarView(page, 'Top Architectures');
    await top
      .locator('.monaco-list-row', { hasText: 'Download failed: click to get the data' })
      .waitFor({ timeout: 30_000 });
    await runCommand(page, 'Open Correlation Charts');
    const frame = await frameWithText(page, 'No benchmark data: the download failed');
    const text = await frame.evaluate(() => document.body.innerText);
    assert.doesNotMatch(text, /`/, 'raw Markdown in the panel');
    assert.match(text, /Fix it from the Robust NAS item in the status bar/);
    await frame.locator('.error').first().waitFor({ state: 'visible' });
    await screenshot(page, 'nodata-2-views');
  });

  step('"Download" from the status bar gets the data, and every view recovers by itself', async () => {
    mirrorUp = true;
    await statusItem().click();
    const input = page.locator('.quick-input-widget .quick-input-box input').first();
    await input.waitFor();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Download' }).first().click();
    await pollUntil(async () => (await statusItem().innerText()).includes('CIFAR-10'), {
      timeoutMs: 60_000,
      message: 'the status bar never showed the dataset again',
    });
    // The charts panel, opened on the error, now draws the heatmap without being reopened.
    await frameWithText(page, 'Spearman', 60_000);
    // The tree lists architectures.
    await sideBarView(page, 'Top Architectures')
      .locator('.monaco-list-row', { hasText: '#1' })
      .first()
      .waitFor({ timeout: 30_000 });
    // The language server loads too: hovers show results again.
    await page.mouse.move(700, 400);
    await page.locator('.tabs-container .tab', { hasText: 'search_robust_cells.py' }).click();
    await activeEditor(page).locator('.view-lines', { hasText: 'RESNET_LIKE' }).waitFor();
    const best = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|';
    await hoverText(page, best, /PGD@8/);
    await page.keyboard.press('Escape');
    await screenshot(page, 'nodata-3-recovered');
  });

  step('"Locate Benchmark Data..." saves the folder in the user settings, not the workspace', async () => {
    const data = sharedDataDir();
    await runCommand(page, 'Locate Benchmark Data...');
    // code-server's folder picker is VS Code's simple file dialog: a path box in the quick input.
    const input = page.locator('.quick-input-widget .quick-input-box input').first();
    await input.waitFor();
    // The dialog fills in its starting folder once it has read it: type ours only after that, and check it stuck.
    await pollUntil(async () => (await input.inputValue()).length > 0, {
      timeoutMs: 15_000,
      message: 'the folder dialog showed no starting folder',
    });
    await pollUntil(
      async () => {
        if ((await input.inputValue()) === `${data}/`) return true;
        await input.fill(`${data}/`);
        return false;
      },
      { timeoutMs: 15_000, intervalMs: 500, message: 'the folder dialog did not keep the typed folder' },
    );
    await screenshot(page, 'nodata-4-locate-dialog');
    // Enter on a folder path may first open the folder in the dialog; Enter again accepts it.
    await pollUntil(
      async () => {
        if (!(await input.isVisible())) return true;
        await page.keyboard.press('Enter');
        return false;
      },
      { timeoutMs: 15_000, intervalMs: 1000, message: 'the folder dialog did not accept the folder' },
    );
    // robustNas.dataPath is machine-overridable: VS Code keeps such a user value in the machine settings of a remote
    // (code-server is one), else in the user settings; either is outside the workspace.
    const userLevelFiles = ['User', 'Machine'].map((d) => join(server.userDataDir, d, 'settings.json'));
    const savedPath = () =>
      userLevelFiles
        .filter((f) => existsSync(f))
        .map((f) => (JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>)['robustNas.dataPath'])
        .find((v): v is string => typeof v === 'string');
    await pollUntil(() => savedPath()?.replace(/\/$/, '') === data, {
      timeoutMs: 30_000,
      message: () => `robustNas.dataPath is "${savedPath()}" in the user-level settings`,
    });
    const workspaceSettings = join(workspace, '.vscode', 'settings.json');
    if (existsSync(workspaceSettings))
      assert.doesNotMatch(readFileSync(workspaceSettings, 'utf8'), /robustNas\.dataPath/);
    await screenshot(page, 'nodata-4-located');
  });
});
