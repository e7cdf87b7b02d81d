// The UI suite: headless Chromium drives the VS Code workbench (code-server with the packaged VSIX installed, on a
// copy of the demo workspace) as a user would, one step after another in one window. Each step saves a screenshot
// in test-output/e2e/ (ui-<n>-<step>.png).
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
import {
  activeEditor,
  frameWithSelector,
  frameWithText,
  goToLine,
  hoverText,
  openFile,
  positionOfText,
  runCommand,
  screenshot,
  sideBarView,
} from './support/workbench';
import { pollUntil } from '../../scripts/vscode-server/poll';
import type { BenchmarkApi } from '../../src/core/benchmark/api';
import { loadBenchmark } from '../../src/core/benchmark/load';
import { ADVERSARIAL_METRIC_IDS } from '../../src/core/benchmark/metrics';
import { DATASET_SHAPE, OP_SHORT_LABEL, deadEdges } from '../../src/core/space';
import { correlationMatrix, kendallTauB, spearman } from '../../src/core/stats';
import { readSweepFile } from '../../src/core/ntk/sweepFile';
import { sweepMetricSet } from '../../src/core/ntk/sweepMetricSet';
import { writeSweepFixture } from '../helpers/ntkSweepFixture';
import { DEFAULT_NTK_CONFIG, ntkJobOptions } from '../../src/core/ntk/jobOptions';
import { defaultSweepFileName } from '../../src/core/ntk/sweepScope';

/** The first file called `name` under `dir` (depth-first), or undefined. */
function findFile(dir: string, name: string): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isFile() && entry.name === name) return path;
    if (entry.isDirectory()) {
      const inner = findFile(path, name);
      if (inner) return inner;
    }
  }
  return undefined;
}

suite('UI: a user in the VS Code workbench', { timeout: 300_000 }, () => {
  let work: string;
  let workspace: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  /** The core's Benchmark over the shared data: the oracle for every number read off the screen. */
  let reference: BenchmarkApi;
  const percent = (v: number) => `${(v * 100).toFixed(2)}%`;

  before(async () => {
    ensureCodeServer();
    work = mkdtempSync(join(tmpdir(), 'robust-nas-ui-'));
    workspace = copyDemoWorkspace();
    const data = sharedDataDir();
    reference = await loadBenchmark({ dataDir: data, download: false });
    const target = extensionUnderTest(work, join(projectRoot, 'out', 'test', 'integration'));
    server = await startCodeServer({ vsix: target.vsix, userSettings: { 'robustNas.dataPath': data } });
    browser = await launchChromium(server.baseDir);
    page = await openWorkbench(
      browser,
      server.workbenchUrl({
        folder: workspace,
        // In VSIX mode the installed extension runs; in dev mode, the working tree.
        extensionDevelopmentPath: target.mode === 'dev' ? target.extensionDevelopmentPath : undefined,
      }),
    );
  });

  /** A test that saves a screenshot of the window when it fails (failed-<title>.png), to see what went wrong. */
  function step(title: string, fn: () => Promise<void>): void {
    test(title, async () => {
      try {
        await fn();
      } catch (e) {
        await screenshot(page, `failed-${title.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
        throw e;
      }
    });
  }

  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(workspace, { recursive: true, force: true });
  });

  step('opens the Python NAS script from Quick Open', async () => {
    const editor = await openFile(page, 'search_robust_cells.py', 'RESNET_LIKE');
    assert.match(await editor.locator('.view-lines').innerText(), /nor_conv_3x3~0\|\+\|none~0\|nor_conv_3x3~1/);
    await screenshot(page, 'ui-1-open-python-file');
  });

  step('hovers a string and reads the card, sees the inlay hints and the error squiggles', async () => {
    const best = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|';
    const r = reference.resolve(best);
    assert.ok(r.ok);
    const pgd8 = reference.metric(r.arch.representativeIndex, 'cifar10', 'pgd@8')!;
    const card = await hoverText(page, best, new RegExp(`#${r.arch.index}\\b`));
    assert.ok(
      card.includes(
        `PGD@8 on CIFAR-10: ${percent(pgd8.value)} · rank #${pgd8.rank} of ${pgd8.of.toLocaleString('en-US')}`,
      ),
      `the card lacks PGD@8 on CIFAR-10:\n${card}`,
    );
    await screenshot(page, 'ui-1b-hover-card');
    await page.keyboard.press('Escape');
    // The inlay hint after the string: the configured metric from the data.
    const editor = activeEditor(page);
    await editor
      .locator('.view-line', { hasText: `PGD@8 ${percent(pgd8.value)} #${pgd8.rank}` })
      .first()
      .waitFor();
    // Squiggles: the misspelt op and the swapped inputs are errors.
    await pollUntil(async () => (await editor.locator('.squiggly-error').count()) >= 2, {
      timeoutMs: 30_000,
      message: 'no error squiggles',
    });
    await screenshot(page, 'ui-1c-inlay-hints-and-squiggles');
  });

  step('runs "Search Architectures..." from the palette and picks a result into the editor', async () => {
    const wanted = reference.archOfIndex(1462).archString;
    await goToLine(page, 33);
    await runCommand(page, 'Search Architectures...');
    const input = page.locator('.quick-input-widget .quick-input-box input').first();
    await input.fill('1462');
    // Rows name the cell by index and ops (the string does not fit a row; Enter inserts it whole).
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'index 1462 ·' }).first();
    await row.waitFor();
    const rowText = await row.innerText();
    // The row shows the cell's PGD@8 accuracy on CIFAR-10 (the default metric) and its rank, from the data.
    const pgd8 = reference.metric(1462, 'cifar10', 'pgd@8')!;
    assert.ok(rowText.includes(percent(pgd8.value)), `row "${rowText}" lacks ${percent(pgd8.value)}`);
    assert.ok(rowText.includes(`#${pgd8.rank}`), `row "${rowText}" lacks rank #${pgd8.rank}`);
    await screenshot(page, 'ui-2-search-palette');
    await page.keyboard.press('Enter');
    // Enter inserts the picked string at the cursor: line 33 was empty.
    await page.locator('.editor-group-container.active .view-line', { hasText: wanted }).first().waitFor();
    await screenshot(page, 'ui-2-search-inserted');
  });

  step('pins two architectures from the editor and sees them in the Comparison view', async () => {
    const first = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|';
    const second = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';
    const [firstRecord, secondRecord] = [first, second].map((a) => {
      const r = reference.resolve(a);
      assert.ok(r.ok);
      return r.arch;
    });
    for (const [arch, record] of [
      [first, firstRecord],
      [second, secondRecord],
    ] as const) {
      const { x, y } = await positionOfText(page, arch);
      await page.mouse.click(x, y);
      await runCommand(page, 'Add to Comparison');
      // Each pin shows in the Comparison tree before the next click (its refresh moves the focus around).
      await sideBarView(page, 'Comparison')
        .locator('.monaco-list-row', { hasText: `#${record.index}` })
        .first()
        .waitFor();
    }
    // The Comparison tree: the first pinned cell, described by its index, with its metrics on CIFAR-10 below it.
    const tree = sideBarView(page, 'Comparison');
    await tree
      .locator('.monaco-list-row[aria-level="1"]', { hasText: `#${firstRecord.index}` })
      .first()
      .waitFor();
    const pgd8 = reference.metric(firstRecord.representativeIndex, 'cifar10', 'pgd@8')!;
    await tree
      .locator('.monaco-list-row[aria-level="2"]', {
        hasText: new RegExp(`PGD@8\\s*${percent(pgd8.value).replace('.', '\\.')}`),
      })
      .first()
      .waitFor();
    // The Comparison Table (a webview view) lists both, in pinning order, with their clean accuracy from the data.
    const table = await frameWithText(page, 'Copy Markdown');
    const text = await pollUntil(
      async () => {
        const t = await table.locator('body').innerText();
        return t.includes(`index ${firstRecord.index}`) && t.includes(`index ${secondRecord.index}`) ? t : undefined;
      },
      { timeoutMs: 30_000, message: 'the Comparison Table does not list both pinned cells' },
    );
    assert.ok(
      text.indexOf(`index ${firstRecord.index}`) < text.indexOf(`index ${secondRecord.index}`),
      'pinning order lost',
    );
    for (const r of [firstRecord, secondRecord]) {
      const clean = reference.metric(r.representativeIndex, 'cifar10', 'clean')!;
      assert.ok(
        text.includes(percent(clean.value)),
        `the table lacks #${r.index}'s clean accuracy ${percent(clean.value)}:\n${text}`,
      );
    }
    await screenshot(page, 'ui-3-comparison-view');
  });
  step("opens Correlation Charts from the palette and reads the heatmap's correlations", async () => {
    await runCommand(page, 'Open Correlation Charts');
    await page.locator('.tabs-container .tab.active', { hasText: 'Correlation Charts' }).waitFor();
    // Default view: Spearman's rho between the six adversarial-training metrics on the configured dataset (CIFAR-10),
    // drawn by ECharts' SVG renderer, so every cell's value is a DOM text node.
    const chart = await frameWithSelector(page, '#chart[data-view="heatmap"] svg');
    const texts = await pollUntil(
      async () => {
        const t = await chart.$$eval('#chart svg text', (ts) => ts.map((x) => x.textContent ?? ''));
        return t.filter((s) => /^(−|-)?\d\.\d\d$/.test(s)).length === 36 ? t : undefined;
      },
      { timeoutMs: 30_000, message: 'the heatmap does not show 6 x 6 values' },
    );
    // The oracle: the core's rank correlation over the benchmark's own columns.
    const columns = ADVERSARIAL_METRIC_IDS.map((id) => reference.column('cifar10', id));
    const expected = correlationMatrix(columns, 'spearman')
      .flat()
      .map((v) => v.toFixed(2).replace('-', '−'));
    const shown = texts.filter((s) => /^(−|-)?\d\.\d\d$/.test(s)).map((s) => s.replace('-', '−'));
    assert.deepEqual([...shown].sort(), [...expected].sort());
    assert.ok(
      texts.includes(`Spearman's ρ between metrics on ${DATASET_SHAPE.cifar10.label}`),
      `no heatmap title in ${JSON.stringify(texts.slice(0, 12))}`,
    );
    await screenshot(page, 'ui-4-correlation-heatmap');
  });

  step("shows the cell diagram of the string under the cursor, with the benchmark's index and PGD@8", async () => {
    // Back to the Python file (the charts panel took the active group).
    await page.locator('.tabs-container .tab[data-resource-name="search_robust_cells.py"]').click();
    const arch = '|nor_conv_1x1~0|+|skip_connect~0|nor_conv_3x3~1|+|avg_pool_3x3~0|nor_conv_1x1~1|nor_conv_3x3~2|';
    const r = reference.resolve(arch);
    assert.ok(r.ok);
    const { x, y } = await positionOfText(page, arch);
    await page.mouse.click(x, y);
    await runCommand(page, 'Show Cell Diagram');
    await page
      .locator('.tabs-container .tab', { hasText: `Cell ${r.arch.index}` })
      .first()
      .waitFor();
    const diagram = await frameWithSelector(page, '#cell-figure svg g.edge');
    // Every edge drawn with its op and label (dead edges marked) as the core parses and analyses the cell.
    const edges = await diagram.$$eval('#cell-figure g.edge', (gs) =>
      gs.map((g) => ({
        op: g.getAttribute('data-op'),
        label: g.querySelector('text.edge-label')?.textContent ?? '',
      })),
    );
    const dead = new Set(deadEdges(r.arch.cell).map((d) => d.edge));
    assert.deepEqual(
      edges,
      r.arch.cell.map((op, edge) => ({ op, label: `${OP_SHORT_LABEL[op]}${dead.has(edge) ? ' (dead)' : ''}` })),
    );
    const summary = await diagram.locator('p.summary').innerText();
    const pgd8 = reference.metric(r.arch.representativeIndex, 'cifar10', 'pgd@8')!;
    assert.ok(summary.includes(`NAS-Bench-201 index ${r.arch.index}`), summary);
    assert.ok(
      summary.includes(
        `PGD@8 on ${DATASET_SHAPE.cifar10.label}: ${percent(pgd8.value)} (rank ${pgd8.rank.toLocaleString('en-US')} of ${pgd8.of.toLocaleString('en-US')})`,
      ),
      summary,
    );
    await screenshot(page, 'ui-5-cell-diagram');
  });
  step('applies the quick fix for a misspelt op from the Ctrl+. menu, then undoes it', async () => {
    // The notebook's first string misspells skip_connect; the cursor goes onto the typo by Go to Line "line:column",
    // since the line may be wider than the editor (a panel beside it).
    const typo = 'skip_conect';
    const lines = readFileSync(join(workspace, 'search_robust_cells.py'), 'utf8').split('\n');
    const lineIndex = lines.findIndex((l) => l.includes(typo));
    assert.ok(lineIndex >= 0 && lineIndex < 32, 'the demo script has the typo above the line the search step inserted');
    const [line, column] = [lineIndex + 1, lines[lineIndex].indexOf(typo) + 3];
    await page.locator('.tabs-container .tab[data-resource-name="search_robust_cells.py"]').click();
    await activeEditor(page).locator('.view-lines').click();
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget .quick-input-box input').first();
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`);
    await page.keyboard.press('Enter');
    await page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).waitFor();
    const title = `Change '${typo}' to 'skip_connect'`;
    const menu = page.locator('.action-widget');
    // The language server answers code actions once it has the diagnostics; open the menu until it offers the fix.
    await pollUntil(
      async () => {
        await page.keyboard.press('Control+.');
        const offered = await menu
          .locator('.monaco-list-row', { hasText: title })
          .first()
          .waitFor({ timeout: 3000 })
          .then(
            () => true,
            () => false,
          );
        if (!offered) await page.keyboard.press('Escape');
        return offered;
      },
      { timeoutMs: 30_000, message: `the Ctrl+. menu never offered "${title}"` },
    );
    await screenshot(page, 'ui-6-quick-fix-menu');
    // Keyboard only: move the focus down to the fix (the menu focuses its first action), then Enter applies it.
    await pollUntil(
      async () => {
        const focused =
          (await menu
            .locator('.monaco-list-row.focused')
            .first()
            .innerText({ timeout: 500 })
            .catch(() => '')) ?? '';
        if (focused.includes(title)) return true;
        await page.keyboard.press('ArrowDown');
        return false;
      },
      { timeoutMs: 10_000, message: `could not focus "${title}" in the menu` },
    );
    const editor = activeEditor(page);
    // The fixed string is the evolved cell of line 20 too: two lines show it, none the typo.
    const fixedArch = /"([^"]+)"/.exec(lines[lineIndex])![1].replace(typo, 'skip_connect');
    const linesWith = (text: string) => editor.locator('.view-line', { hasText: text }).count();
    assert.equal(await linesWith(fixedArch), 1, 'before the fix only line 20 holds the corrected string');
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden' });
    await pollUntil(async () => (await linesWith(fixedArch)) === 2 && (await linesWith(typo)) === 0, {
      timeoutMs: 10_000,
      message: 'the fix did not change the string in the editor',
    });
    await screenshot(page, 'ui-6-quick-fix-applied');
    // Undo restores the user's text, so nothing after this step sees the edit.
    await page.keyboard.press('Control+Z');
    await pollUntil(async () => (await linesWith(fixedArch)) === 1 && (await linesWith(typo)) === 1, {
      timeoutMs: 10_000,
      message: 'Ctrl+Z did not restore the typo',
    });
  });
  step(
    'adds NTK sweep results to Correlation Charts through the file dialog and reads the proxies heatmaps and table',
    async () => {
      // A real sweep computed by the core (12 classes, tiny network, synthetic ImageNet16-120 inputs), in the workspace.
      const file = join(workspace, 'ntk-ui.jsonl');
      writeSweepFixture(file, reference, { classes: 12, dataset: 'imagenet16-120' });
      const widget = page.locator('.quick-input-widget');
      const input = widget.locator('.quick-input-box input').first();
      const title = 'Open NTK Sweep Results in Correlation Charts...';
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
          const label =
            (await widget
              .locator('.quick-input-list .monaco-list-row')
              .first()
              .getAttribute('aria-label', { timeout: 1000 })
              .catch(() => null)) ?? '';
          return label.split(', ')[0].endsWith(title);
        },
        { timeoutMs: 30_000, message: `the palette does not offer "${title}"` },
      );
      await page.keyboard.press('Enter');
      // VS Code's own (simple) file dialog: a quick input holding the workspace folder and listing it. Once the list is
      // there (before that, the dialog may still overwrite the input), type the file's path and accept it.
      await widget
        .locator('.quick-input-list .monaco-list-row', { hasText: 'ntk-ui.jsonl' })
        .first()
        .waitFor({ timeout: 15_000 });
      await pollUntil(
        async () => {
          if (!(await widget.isVisible())) return true;
          if ((await input.inputValue({ timeout: 500 }).catch(() => '')) !== file) {
            await input.fill(file, { timeout: 1000 }).catch(() => undefined);
            return false;
          }
          await page.keyboard.press('Enter');
          return widget.waitFor({ state: 'hidden', timeout: 2000 }).then(
            () => true,
            () => false,
          );
        },
        { timeoutMs: 20_000, intervalMs: 250, message: 'the file dialog did not accept the sweep file' },
      );
      // The view the command opens: training-free proxies vs accuracy on the sweep's dataset, clean | robust heatmaps
      // and the table, every number the core's Spearman / Kendall over the classes the sweep scored.
      const chart = await frameWithSelector(page, '#chart[data-view="proxies"] svg');
      const set = sweepMetricSet(readSweepFile(file), '', reference);
      const dataset = 'imagenet16-120';
      const column = (id: string) => set.column(set.metrics.find((m) => m.id.startsWith(`ntk:${id}.frobenius`))!.id)!;
      const scored = column('clean');
      const cost = (c: 'params' | 'flops') =>
        reference.column(dataset, c).map((v, p) => (Number.isNaN(scored[p]) ? NaN : v));
      const rows = [
        ['NTK Θ, Frobenius norm', column('clean'), column('robust')],
        ['Params (data-free)', cost('params'), cost('params')],
        ['FLOPs (data-free)', cost('flops'), cost('flops')],
      ] as const;
      const two = (v: number) => v.toFixed(2);
      const expected = rows.flatMap(([, clean, robust]) =>
        [clean, robust].flatMap((c) =>
          ADVERSARIAL_METRIC_IDS.map((acc) => two(spearman(c, reference.column(dataset, acc)))),
        ),
      );
      const shown = await pollUntil(
        async () => {
          const t = (await chart.$$eval('#chart svg text', (ts) => ts.map((x) => x.textContent ?? ''))).filter((x) =>
            /^-?\d\.\d\d$/.test(x),
          );
          return t.length === expected.length ? t : undefined;
        },
        { timeoutMs: 30_000, message: `the proxies chart does not show ${expected.length} values` },
      );
      assert.deepEqual([...shown].sort(), [...expected].sort());
      // The table, as the user reads it: PGD@8 line of each proxy, rho and tau of both variants and the classes.
      const table = await chart.$$eval('.proxy-table tbody tr', (trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')),
      );
      assert.equal(table.length, rows.length * ADVERSARIAL_METRIC_IDS.length);
      for (const [label, clean, robust] of rows) {
        const line = table.find((r) => r[0] === label && r[1] === 'PGD@8')!;
        const pgd8 = reference.column(dataset, 'pgd@8');
        assert.ok(line, `no PGD@8 line for ${label} in the table`);
        // A coefficient cell may carry its interval after a space: the number comes first.
        assert.deepEqual(
          line.slice(2).map((x) => x.split(' ')[0]),
          [
            two(spearman(clean, pgd8)),
            two(spearman(robust, pgd8)),
            two(kendallTauB(clean, pgd8)),
            two(kendallTauB(robust, pgd8)),
            '12',
          ],
        );
      }
      const sweeps = await chart.locator('.sweeps').innerText();
      assert.ok(sweeps.includes('ntk-ui.jsonl') && sweeps.includes('12 classes'), sweeps);
      await screenshot(page, 'ui-7-proxies-vs-accuracy');
    },
  );

  step(
    'runs NTK Sweep from the palette: a seeded sample of 2, the default file, progress, then the summary',
    async () => {
      const widget = page.locator('.quick-input-widget');
      const input = widget.locator('.quick-input-box input').first();
      const title = 'NTK Sweep...';
      // The palette row (not necessarily the first: "Open NTK Sweep Results..." may rank above it as recently
      // used), then the command's own prompts, each recognised by its title.
      const row = widget.locator('.quick-input-list .monaco-list-row[aria-label^="Robust NAS: NTK Sweep..."]').first();
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
          return row.waitFor({ timeout: 1000 }).then(
            () => true,
            () => false,
          );
        },
        { timeoutMs: 30_000, message: `the palette does not offer "${title}"` },
      );
      await row.click();
      const prompt = async (heading: string) => {
        await widget.locator('.quick-input-title', { hasText: heading }).waitFor({ state: 'visible', timeout: 30_000 });
      };
      await prompt('NTK Sweep: which classes');
      const scopes = await widget.locator('.quick-input-list .monaco-list-row').allInnerTexts();
      assert.ok(
        scopes.some((r) => r.includes('All 6,466 classes')) &&
          scopes.some((r) => r.includes('seeded random sample')) &&
          scopes.some((r) => r.includes('top k by PGD@8 on cifar10')),
        scopes.join(' | '),
      );
      await input.fill('sample');
      await widget
        .locator('.quick-input-list .monaco-list-row', { hasText: 'seeded random sample' })
        .first()
        .waitFor({ timeout: 5000 });
      await page.keyboard.press('Enter');
      await prompt('NTK Sweep: sample size k');
      await input.fill('2');
      await page.keyboard.press('Enter');
      await prompt('NTK Sweep: results file');
      const defaultRow = widget
        .locator('.quick-input-list .monaco-list-row', { hasText: 'Default results file' })
        .first();
      await defaultRow.waitFor({ timeout: 5000 });
      assert.match(await defaultRow.innerText(), /new file/);
      await widget.locator('.quick-input-list .monaco-list-row').first().click();
      // The default settings: proxy network, fixed-BN, clean + robust (PGD), 32 synthetic inputs, seed 0.
      const options = ntkJobOptions({ ...DEFAULT_NTK_CONFIG, dataset: 'cifar10' });
      const name = defaultSweepFileName(options, { kind: 'sample', k: 2 });
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'NTK sweep done' });
      await toast.waitFor({ state: 'visible', timeout: 120_000 });
      const text = await toast.innerText();
      assert.match(
        text,
        new RegExp(`NTK sweep done: 2 classes in [0-9dhms]+; 2 of 2 in ${name.replace(/[.+]/g, '\\$&')}`),
      );
      for (const action of ['Show in Charts', 'Open Results', 'Reveal File'])
        assert.ok(text.includes(action), `${action} in: ${text}`);
      await screenshot(page, 'ui-8-ntk-sweep-done');
      await toast.getByRole('button', { name: 'Open Results' }).click();
      const tab = page.locator('.tabs-container .tab', { hasText: name });
      await tab.first().waitFor({ timeout: 15_000 });
    },
  );

  step(
    'cancels a running NTK Sweep from its progress notification: the rows written stay, the rest is counted as remaining',
    async () => {
      const widget = page.locator('.quick-input-widget');
      const input = widget.locator('.quick-input-box input').first();
      const row = widget.locator('.quick-input-list .monaco-list-row[aria-label^="Robust NAS: NTK Sweep..."]').first();
      await pollUntil(
        async () => {
          if (!(await input.isVisible())) await page.keyboard.press('F1');
          if (
            !(await input.fill('>NTK Sweep...', { timeout: 2000 }).then(
              () => true,
              () => false,
            ))
          )
            return false;
          return row.waitFor({ timeout: 1000 }).then(
            () => true,
            () => false,
          );
        },
        { timeoutMs: 30_000, message: 'the palette does not offer "NTK Sweep..."' },
      );
      await row.click();
      await widget.locator('.quick-input-title', { hasText: 'NTK Sweep: which classes' }).waitFor({ timeout: 30_000 });
      await input.fill('sample');
      await widget
        .locator('.quick-input-list .monaco-list-row', { hasText: 'seeded random sample' })
        .first()
        .waitFor({ timeout: 5000 });
      await page.keyboard.press('Enter');
      await widget.locator('.quick-input-title', { hasText: 'NTK Sweep: sample size k' }).waitFor({ timeout: 10_000 });
      const k = 60;
      await input.fill(String(k));
      await page.keyboard.press('Enter');
      await widget.locator('.quick-input-title', { hasText: 'NTK Sweep: results file' }).waitFor({ timeout: 10_000 });
      await widget.locator('.quick-input-list .monaco-list-row', { hasText: 'Default results file' }).first().click();
      // Progress with an ETA once the first classes are done, then Cancel.
      const progress = page.locator('.notifications-toasts .notification-toast', { hasText: 'Robust NAS: NTK Sweep' });
      await progress.filter({ hasText: /ETA \d/ }).waitFor({ timeout: 60_000 });
      assert.match(await progress.innerText(), new RegExp(`\\d+ of ${k} · ETA [0-9dhms]+ · [0-9dhms]+ elapsed`));
      await screenshot(page, 'ui-9-ntk-sweep-progress');
      await progress.getByRole('button', { name: 'Cancel' }).click();
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'NTK sweep cancelled' });
      await toast.waitFor({ timeout: 15_000 });
      const text = await toast.innerText();
      const m = /(\d+) classes computed and saved \((\d+) of (\d+) in (\S+\.jsonl)\); (\d+) remain/.exec(text);
      assert.ok(m, text);
      const [computed, inFile, total, name, remain] = [Number(m[1]), Number(m[2]), Number(m[3]), m[4], Number(m[5])];
      assert.equal(total, k);
      assert.equal(inFile, computed);
      assert.equal(remain, k - computed);
      assert.ok(computed >= 1 && computed < k, text);
      // The file in the extension's workspace storage holds exactly the rows reported, each a whole line.
      const found = pollUntil(() => findFile(server.baseDir, name), {
        timeoutMs: 5000,
        message: `${name} is not in the workspace storage`,
      });
      const contents = readSweepFile(await found);
      assert.equal(contents.rows.size, computed);
      assert.equal(contents.partialLastLine, false);
      await screenshot(page, 'ui-10-ntk-sweep-cancelled');
      // Cancelling terminates the workers: none of the classes they were scoring lands in the file afterwards.
      assert.equal(readSweepFile(await found).rows.size, computed);
    },
  );
});
