// Restricted Mode in the real workbench: code-server with workspace trust on, a copy of the demo workspace whose
// .vscode/settings.json points robustNas.dataPath and robustNas.ntk.inputs at a folder of the "attacker's" choice
// (empty here), and the user's own robustNas.dataPath naming the real data. The extension must run, read the
// benchmark from the user's folder (hovers show its numbers), ignore the folder's values, and say so in the status
// bar. Screenshots: test-output/e2e/ui-trust-*.png.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { pollUntil } from '../../scripts/vscode-server/poll';
import type { RunningServer } from '../../scripts/vscode-server/server';
import { loadBenchmark } from '../../src/core/benchmark/load';
import { openUiSession, type UiSession } from './support/uiSession';
import { sharedDataDir } from './support/sharedData';
import { hoverText, openFile, screenshot } from './support/workbench';
import { formatAccuracy } from '../../src/shared/cellFormat';

let hostile: string;
let server: RunningServer | undefined;
let session: UiSession | undefined;
let page: Page;

before(async () => {
  hostile = mkdtempSync(join(tmpdir(), 'robust-nas-hostile-'));
  session = await openUiSession({
    name: 'trust',
    workspaceTrust: true,
    prepareWorkspace: (dir) => {
      mkdirSync(join(dir, '.vscode'), { recursive: true });
      writeFileSync(
        join(dir, '.vscode', 'settings.json'),
        JSON.stringify(
          {
            'robustNas.dataPath': hostile,
            'robustNas.ntk.inputs': `cifar10:${hostile}`,
          },
          null,
          2,
        ),
      );
    },
  });
  ({ server, page } = session);
});

after(async () => {
  await session?.close();
  if (hostile) rmSync(hostile, { recursive: true, force: true });
});

test(
  "Restricted Mode: hovers use the user's data, the folder's data path is ignored, and the status bar says so",
  { timeout: 300_000 },
  async () => {
    try {
      await restrictedModeChecks();
    } catch (e) {
      await screenshot(page, 'ui-trust-failed').catch(() => undefined);
      throw new Error(`${(e as Error).message}\n--- server logs ---\n${server?.logs(3000) ?? ''}`);
    }
  },
);

async function restrictedModeChecks(): Promise<void> {
  // The workbench really is in Restricted Mode (its banner or status entry).
  await page.locator('text=Restricted Mode').first().waitFor({ state: 'visible', timeout: 60_000 });

  await openFile(page, 'search_robust_cells.py', 'RESNET_LIKE');
  // Activation (opening a Python file) says once what is ignored, with a way to trust the folder.
  const notice = page.locator('.notification-toast', { hasText: 'Restricted Mode ignores' }).first();
  await notice.waitFor({ state: 'visible', timeout: 60_000 });
  const noticeText = await notice.innerText();
  assert.match(
    noticeText,
    /this folder's settings set robustNas\.dataPath and robustNas\.ntk\.inputs; Restricted Mode ignores them/,
  );
  assert.match(noticeText, /Manage Workspace Trust/);
  await screenshot(page, 'ui-trust-0-notice');
  const best = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|';
  const reference = await loadBenchmark({ dataDir: sharedDataDir(), download: false });
  const r = reference.resolve(best);
  assert.ok(r.ok);
  // Read from the user's folder: the card has the benchmark's index and PGD@8 rank (the folder's path is empty).
  const card = await hoverText(page, best, new RegExp(`#${r.arch.index}\\b`));
  const pgd8 = reference.metric(r.arch.representativeIndex, 'cifar10', 'pgd@8')!;
  assert.ok(
    card.includes(
      `PGD@8 on CIFAR-10: ${formatAccuracy(pgd8.value)} · rank #${pgd8.rank} of ${pgd8.of.toLocaleString('en-US')}`,
    ),
    card,
  );
  await screenshot(page, 'ui-trust-1-hover');
  await page.mouse.move(5, 500);

  // The status bar item: ready (beaker), with the untrusted-workspace icon; its tooltip names the ignored values.
  const item = page.locator('.statusbar-item', { has: page.locator('.codicon-beaker') }).first();
  await item.waitFor({ state: 'visible', timeout: 60_000 });
  assert.equal(
    await item.locator('.codicon-workspace-untrusted').count(),
    1,
    'the status bar item shows that folder values are ignored',
  );
  const tooltip = await pollUntil(
    async () => {
      await page.mouse.move(5, 500);
      await item.hover();
      const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: 'Restricted Mode' }).first();
      try {
        await hover.waitFor({ state: 'visible', timeout: 3000 });
      } catch {
        return undefined;
      }
      // MarkdownString.appendText writes spaces as non-breaking ones.
      return (await hover.innerText()).replace(/\u00a0/g, ' ');
    },
    { timeoutMs: 30_000, intervalMs: 500, message: 'no Restricted Mode paragraph in the status bar tooltip' },
  );
  assert.match(tooltip, /NAS-RobBench-201: 6466 evaluated cells/);
  assert.match(tooltip, /robustNas\.dataPath/);
  assert.ok(tooltip.includes(hostile), `the tooltip names the ignored folder:\n${tooltip}`);
  assert.doesNotMatch(
    tooltip.split('Restricted Mode')[0],
    new RegExp(hostile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
    "the data did not come from the folder's path",
  );
  await screenshot(page, 'ui-trust-2-status-tooltip');
}
