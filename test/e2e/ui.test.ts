// The UI suite: headless Chromium drives the VS Code workbench (code-server with the packaged VSIX installed, on a
// copy of the demo workspace) as a user would, one step after another in one window. Each step saves a screenshot
// in test-output/e2e/ (ui-<n>-<step>.png).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, suite, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openWorkbench } from '../../scripts/vscode-server/browser';
import { ensureCodeServer, projectRoot } from '../../scripts/vscode-server/install';
import { startCodeServer, type RunningServer } from '../../scripts/vscode-server/server';
import { copyDemoWorkspace } from './support/demoWorkspace';
import { extensionUnderTest } from './support/extensionUnderTest';
import { sharedDataDir } from './support/sharedData';
import { openFile, screenshot } from './support/workbench';

suite('UI: a user in the VS Code workbench', { timeout: 300_000 }, () => {
  let work: string;
  let workspace: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ensureCodeServer();
    work = mkdtempSync(join(tmpdir(), 'robust-nas-ui-'));
    workspace = copyDemoWorkspace();
    const data = sharedDataDir();
    const target = extensionUnderTest(work, join(projectRoot, 'out', 'test', 'integration'));
    server = await startCodeServer({ vsix: target.vsix, userSettings: { 'robustNas.dataPath': data } });
    browser = await launchChromium(server.baseDir);
    page = await openWorkbench(browser, server.workbenchUrl({
      folder: workspace,
      // In VSIX mode the installed extension runs; in dev mode, the working tree.
      extensionDevelopmentPath: target.mode === 'dev' ? target.extensionDevelopmentPath : undefined,
    }));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(workspace, { recursive: true, force: true });
  });

  test('opens the Python NAS script from Quick Open', async () => {
    const editor = await openFile(page, 'search_robust_cells.py', 'RESNET_LIKE');
    assert.match(await editor.locator('.view-lines').innerText(), /nor_conv_3x3~0\|\+\|none~0\|nor_conv_3x3~1/);
    await screenshot(page, 'ui-1-open-python-file');
  });
});
