// UI checks for finding architectures in code (issue 11): the demo's `BASELINE_OP_INDICES = (2, 2, 0, 2, 2, 2)`
// gets a hover card and an inlay hint in the real workbench (code-server with the packaged VSIX, Chromium at
// 1600x1000), in the light and the dark theme; a 260 KB line of cells written back to back gets its hints.
// Screenshots: test-output/e2e/ui-scan-*.png.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, suite } from 'node:test';
import type { Page } from 'playwright-core';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pollUntil } from '../../scripts/vscode-server/poll';
import type { BenchmarkApi } from '../../src/core/benchmark/api';
import { loadBenchmark } from '../../src/core/benchmark/load';
import { naslibOpIndicesToCell } from '../../src/core/space/encodings';
import { formatArchString, codeNumberToCell, CELL_COUNT } from '../../src/core/space/cell';
import { SeededRandom } from '../../src/core/search/random';
import { scanArchitectures } from '../../src/core/scan/scanArchitectures';
import { diagnosticsToPublish } from '../../src/server/diagnostics';
import { READ_AHEAD_PUBLISHED_LINES } from '../../src/server/readAhead';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { openUiSession, stepWithScreenshot, type UiSession } from './support/uiSession';
import { sharedDataDir } from './support/sharedData';
import { activeEditor, goToLine, hoverText, openFile, screenshot, useColorTheme } from './support/workbench';

suite('UI: architectures found in code', { timeout: 300_000 }, () => {
  let session: UiSession | undefined;
  let page: Page;
  let reference: BenchmarkApi;
  /** Accuracies as the hover card and the inlay hints write them: two decimals (src/shared/cellFormat.ts). */
  const percent = (v: number) => `${(v * 100).toFixed(2)}%`;
  const random = new SeededRandom(11);
  const longLineCells = Array.from({ length: 3300 }, () =>
    formatArchString(codeNumberToCell(Math.floor(random.next() * CELL_COUNT))),
  );
  const longLineText = `CELLS = '${longLineCells.join('')}'\n`;
  // A search log over 1 MB (the server logs when it reads such a file and when it diagnoses it).
  const searchLogCells = Array.from({ length: 9000 }, () =>
    formatArchString(codeNumberToCell(Math.floor(random.next() * CELL_COUNT))),
  );
  const searchLogText = `RESULTS = [\n${searchLogCells.map((c, i) => `    {"arch": "${c}", "step": ${i}},\n`).join('')}]\n`;

  before(async () => {
    reference = await loadBenchmark({ dataDir: sharedDataDir(), download: false });
    session = await openUiSession({
      name: 'scan',
      // Written before the workbench starts, so Quick Open's file index has it.
      prepareWorkspace: (dir) => {
        writeFileSync(join(dir, 'one_line_cells.py'), longLineText);
        writeFileSync(join(dir, 'search_log.py'), searchLogText);
      },
      userSettings: { 'workbench.colorTheme': 'Default Light Modern' },
    });
    ({ page } = session);
  });

  after(async () => {
    await session?.close();
  });

  const step = stepWithScreenshot(() => session, 'ui-scan');

  /** Switches the colour theme as a user does, then puts the cursor back on the tuple's line. */
  async function setTheme(theme: 'light' | 'dark'): Promise<void> {
    // Focus the editor through its tab: clicking its lines could scroll the tuple out of view.
    await useColorTheme(page, theme);
    await goToLine(page, 32);
  }

  step(
    "the demo's BASELINE_OP_INDICES tuple shows a hover card and an inlay hint, in the light and the dark theme",
    async () => {
      await openFile(page, 'search_robust_cells.py', 'BASELINE_OP_INDICES');
      const cell = naslibOpIndicesToCell([2, 2, 0, 2, 2, 2]);
      assert.ok(cell);
      const r = reference.resolve(formatArchString(cell));
      assert.ok(r.ok);
      const pgd8 = reference.metric(r.arch.representativeIndex, 'cifar10', 'pgd@8')!;
      const hint = `PGD@8 ${percent(pgd8.value)} #${pgd8.rank}`;
      const editor = activeEditor(page);
      // The hint follows the tuple on its line.
      const line = editor.locator('.view-line', { hasText: 'BASELINE_OP_INDICES' }).first();
      await pollUntil(async () => (await line.innerText()).replace(/\u00a0/g, ' ').includes(hint), {
        timeoutMs: 60_000,
        message: `no inlay hint "${hint}" after BASELINE_OP_INDICES`,
      });
      const lineText = (await line.innerText()).replace(/\u00a0/g, ' ');
      assert.ok(
        lineText.indexOf(hint) > lineText.indexOf('(2, 2, 0, 2, 2, 2)'),
        `the hint comes after the tuple: ${lineText}`,
      );
      for (const name of ['light', 'dark'] as const) {
        await setTheme(name);
        const card = await hoverText(page, '2, 0, 2', new RegExp(`#${r.arch.index}\\b`));
        assert.ok(
          card.includes(
            `PGD@8 on CIFAR-10: ${percent(pgd8.value)} · rank #${pgd8.rank} of ${pgd8.of.toLocaleString('en-US')}`,
          ),
          `the card shows PGD@8 on CIFAR-10:\n${card}`,
        );
        await screenshot(page, `ui-scan-1-baseline-op-indices-${name}`);
        await page.keyboard.press('Escape');
      }
    },
  );

  step('a 260 KB line of cells written back to back shows inlay hints', async () => {
    assert.ok(longLineText.length > 260_000);
    await openFile(page, 'one_line_cells.py', 'CELLS');
    const first = reference.resolve(longLineCells[0]);
    assert.ok(first.ok);
    const m = reference.metric(first.arch.representativeIndex, 'cifar10', 'pgd@8')!;
    const hint = `PGD@8 ${percent(m.value)} #${m.rank}`;
    const line = activeEditor(page).locator('.view-line', { hasText: 'CELLS' }).first();
    await pollUntil(async () => (await line.innerText()).replace(/\u00a0/g, ' ').includes(hint), {
      timeoutMs: 60_000,
      message: `no inlay hint "${hint}" after the first cell of the long line`,
    });
    // VS Code itself shows at most `editor.inlayHints.maximumLength` (43) characters of hints per line and ends the
    // last one with an ellipsis: the first two cells' hints show in full, the third is cut.
    // The long line wraps: its hints are spread over the visual lines of the editor.
    const shown = (await activeEditor(page).locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
    assert.ok((shown.match(/PGD@8 \d+\.\d\d% #\d+/g) ?? []).length >= 2, shown.slice(0, 400));
    await screenshot(page, 'ui-scan-2-long-line-hints');
  });

  step('a large file opened from a tab is diagnosed from disk before its text reaches the server', async () => {
    assert.ok(searchLogText.length > 1048576);
    await openFile(page, 'search_log.py', 'RESULTS');
    const editor = activeEditor(page);
    await pollUntil(async () => (await editor.locator('.squiggly-info, .squiggly-warning').count()) > 0, {
      timeoutMs: 60_000,
      message: 'no diagnostics on the search log',
    });
    // The server's log lines about the file, in order: diagnosed from disk first, then the text arrived.
    const uri = pathToFileURL(join(session!.workspace, 'search_log.py')).toString();
    const lines = await pollUntil(
      () => {
        const about = session!.server
          .logs(400_000)
          .split('\n')
          .filter((l) => l.includes(uri));
        return about.some((l) => l.includes(`Opened ${uri}`)) ? about : undefined;
      },
      { timeoutMs: 60_000, message: `the server never logged the opening of ${uri}` },
    );
    const ahead = lines.findIndex((l) => l.includes(`Diagnosed ${uri} ahead of its text`));
    const opened = lines.findIndex((l) => l.includes(`Opened ${uri}`));
    assert.ok(ahead >= 0 && ahead < opened, lines.join('\n'));
    await screenshot(page, 'ui-scan-3-search-log-diagnostics');

    // Only the first lines' diagnostics come ahead of the text; the rest must follow once it opens. Below them, on a
    // screen the published diagnostics cover (computed here as the server computes them), the squiggles show.
    const doc = TextDocument.create(uri, 'python', 1, searchLogText);
    const published = diagnosticsToPublish(doc, scanArchitectures(searchLogText), DEFAULT_SETTINGS, reference);
    const below = published.diagnostics.find(
      (d) => d.range.start.line >= READ_AHEAD_PUBLISHED_LINES + 100 && d.severity !== DiagnosticSeverity.Hint,
    );
    assert.ok(below, 'the published diagnostics reach below the first lines');
    await goToLine(page, below.range.start.line + 1);
    await pollUntil(async () => (await editor.locator('.squiggly-info, .squiggly-warning').count()) > 0, {
      timeoutMs: 30_000,
      message: `no squiggles around line ${below.range.start.line + 1}, below the diagnostics published ahead`,
    });
    await screenshot(page, 'ui-scan-4-search-log-below-first-lines');
  });
});
