// Runs the integration suite (test/e2e/integration) inside a real VS Code extension host: code-server 4.100.3 with
// the packaged VSIX installed, opened on a copy of the demo workspace by headless Chromium, the suite loaded
// through the workbench URL's `extensionTestsPath` (desktop VS Code's --extensionTestsPath). The suite writes its
// results to a JSON file; each of its tests becomes a subtest here, so Node's runner reports them one by one.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, openWorkbench } from '../../scripts/vscode-server/browser';
import { ensureCodeServer, projectRoot, VSCODE_VERSION } from '../../scripts/vscode-server/install';
import { fatal, pollUntil } from '../../scripts/vscode-server/poll';
import { startCodeServer, type RunningServer } from '../../scripts/vscode-server/server';
import type { IntegrationResults } from './integration/results';
import { copyDemoWorkspace } from './support/demoWorkspace';
import { extensionUnderTest } from './support/extensionUnderTest';
import { sharedDataDir } from './support/sharedData';

const suiteDir = join(projectRoot, 'out', 'test', 'integration');
const screenshots = join(projectRoot, 'test-output', 'e2e');

test('integration suite inside the VS Code extension host', { timeout: 300_000 }, async (t) => {
  ensureCodeServer();
  assert.ok(
    existsSync(join(suiteDir, 'index.js')),
    'out/test/integration/index.js is missing: run `npm run build` first',
  );
  const work = mkdtempSync(join(tmpdir(), 'robust-nas-e2e-'));
  const workspace = copyDemoWorkspace();
  const resultsFile = join(work, 'results.json');
  const started = Date.now();
  const step = (what: string) => t.diagnostic(`${what} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  try {
    const data = sharedDataDir();
    const target = extensionUnderTest(work, suiteDir);
    step(target.mode === 'vsix' ? 'packaged the VSIX' : 'testing the working tree (ROBUST_NAS_E2E_MODE=dev)');
    server = await startCodeServer({
      vsix: target.vsix,
      userSettings: { 'robustNas.dataPath': data },
      env: {
        ROBUST_NAS_E2E_RESULTS: resultsFile,
        ROBUST_NAS_E2E_VSCODE_VERSION: VSCODE_VERSION,
        ROBUST_NAS_E2E_DATA: data,
        ROBUST_NAS_E2E_MODE: target.mode,
      },
    });
    step('server up');
    browser = await launchChromium(server.baseDir);
    const page = await openWorkbench(
      browser,
      server.workbenchUrl({
        folder: workspace,
        extensionDevelopmentPath: target.extensionDevelopmentPath,
        extensionTestsPath: join(suiteDir, 'index.js'),
      }),
    );
    step('workbench open');
    const running = server;
    const results = await pollUntil(
      () => {
        if (existsSync(resultsFile)) return JSON.parse(readFileSync(resultsFile, 'utf8')) as IntegrationResults;
        // The host exits after run() settles; exiting without results means the suite never ran.
        if (/Extension Host Process exited/.test(running.output()))
          throw fatal(`The extension host exited without results.\n${running.output()}\n${running.logs()}`);
        return undefined;
      },
      {
        timeoutMs: 240_000,
        intervalMs: 250,
        message: () => `The integration suite wrote no results.\n${running.output()}\n${running.logs()}`,
      },
    );
    step(`suite done (${(results.durationMs / 1000).toFixed(1)} s inside the host)`);
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'integration-workbench.png') });

    assert.ok(results.tests.length > 0, 'the integration suite ran no tests');
    for (const r of results.tests) {
      await t.test(r.fullTitle, (st) => {
        if (r.state === 'pending') st.skip('skipped inside the extension host');
        else if (r.state === 'failed') assert.fail(r.error ?? 'failed');
      });
    }
  } finally {
    await browser?.close();
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(workspace, { recursive: true, force: true });
  }
});
