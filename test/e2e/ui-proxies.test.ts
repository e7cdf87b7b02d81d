// The training-free proxy lab as a user drives it in the workbench (code-server with the packaged VSIX, a copy of the
// demo workspace, 1600x1000): the cursor on an architecture string, "Compute Training-free Scores..." from the palette,
// proxies ticked in its multi-select pick by keyboard (a clean one, a robust variant on PGD 8/255, ...), a run on the
// benchmark's full-size network cancelled from its progress notification (nothing opened, no error, "cancelled" in
// the log, the choice kept for the next run), then a run on the small network whose report is read against the same
// computation in the core on the back end the report names; last, a proxy sweep written by the CLI is opened through
// the file dialog and the hover card of a swept class shows its ranks in that file, the details report its scores.
// Light and dark themes; screenshots in test-output/e2e/ui-proxies-*.png.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, suite } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { projectRoot } from '../../scripts/vscode-server/install';
import { pollUntil } from '../../scripts/vscode-server/poll';
import type { BenchmarkApi } from '../../src/core/benchmark/api';
import { loadBenchmark } from '../../src/core/benchmark/load';
import { ZERO_COST_DIRECTION } from '../../src/core/leaderboard/proxyColumns';
import { canonicalCell } from '../../src/core/ntk/canonical';
import type { NumericBackend } from '../../src/core/ntk/engine/backend';
import { jsBackend } from '../../src/core/ntk/engine/jsBackend';
import { wasmBackend } from '../../src/core/ntk/engine/wasmBackend';
import { loadInputs } from '../../src/core/ntk/inputs/load';
import { computeProxiesSync } from '../../src/core/ntk/proxies/compute';
import { proxyJobOptions } from '../../src/core/ntk/proxies/jobOptions';
import { proxyDefinition } from '../../src/core/ntk/proxies/registry';
import { readSweepFile } from '../../src/core/ntk/sweepFile';
import { shortCellLabel } from '../../src/shared/cellFormat';
import { formatKernelNumber } from '../../src/shared/ntkFormat';
import { coerceSettings, ntkConfigOf } from '../../src/shared/settings';
import { allKernelsWasmBinaries } from '../core/ntk/wasmKernels';
import { sharedDataDir } from './support/sharedData';
import { openUiSession, stepWithScreenshot, type UiSession } from './support/uiSession';
import {
  frameWithText,
  hoverText,
  openFile,
  positionOfText,
  runCommand,
  screenshot,
  useColorTheme,
} from './support/workbench';

/** The user's NTK settings: a tiny network and batch, so a run takes about a second on a loaded machine. */
const NTK = { size: 'proxy', channels: 4, cellsPerStage: 1, n: 8, seed: 3 } as const;
/**
 * The workspace's override while the run to cancel starts: the benchmark's own network (C=16 N=5) on a batch of 128,
 * tens of seconds of work (14 s for 64 inputs on one thread, measured at load 1.4 on 2 cores), so Cancel comes long
 * before the end.
 */
const FULL_SIZE_WORKSPACE = {
  'robustNas.ntk.size': 'full',
  'robustNas.ntk.channels': 0,
  'robustNas.ntk.cellsPerStage': 0,
  'robustNas.ntk.n': 128,
};
/** What the user picks: clean proxies and a robust variant (SNIP on PGD 8/255 inputs). */
const PICKED = ['zc:snip', 'zc:synflow', 'zc:jacob_cov', 'zc:snip@pgd8'];
/** The sweep's proxies: SNIP clean and robust (the card pairs them), SynFlow clean only. */
const SWEPT = ['zc:snip', 'zc:snip@pgd8', 'zc:synflow'];
const SWEEP_SAMPLE = 8;
const BEST = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|';
/** VS Code 1.100's content hover: at most this high before it scrolls (ui-hover.test.ts measures the same). */
const HOVER_MAX_HEIGHT = 250;

/** The back end the report names, built here on the same kernels (every thread count computes bit-identically). */
function backendNamed(name: string): NumericBackend {
  if (name === 'js') return jsBackend();
  const wasm = wasmBackend(allKernelsWasmBinaries(), { fma: name === 'wasm-fma', memoryBytes: 256 * 2 ** 20 });
  assert.equal(wasm.name, name, `this process cannot run the ${name} back end the report names`);
  return wasm;
}

suite('UI: training-free scores and proxy ranks on the hover card', { timeout: 300_000 }, () => {
  let session: UiSession | undefined;
  let page: Page;
  let reference: BenchmarkApi;
  let sweepFile: string;
  /** A class the sweep scored, and an evaluated class it did not. */
  let swept: number;
  let unswept: number;

  before(async () => {
    reference = await loadBenchmark({ dataDir: sharedDataDir(), download: false });
    session = await openUiSession({
      name: 'proxies',
      userSettings: {
        'workbench.colorTheme': 'Default Light Modern',
        ...Object.fromEntries(Object.entries(NTK).map(([k, v]) => [`robustNas.ntk.${k}`, v])),
      },
      prepareWorkspace: (dir) => {
        // A proxy sweep as a user makes one with the CLI: a seeded sample, the same tiny network and batch.
        sweepFile = join(dir, 'proxy-sample.jsonl');
        execFileSync(
          process.execPath,
          [
            join(projectRoot, 'dist', 'cli.js'),
            'proxy-sweep',
            ...['--out', sweepFile, '--sample', String(SWEEP_SAMPLE), '--proxies', SWEPT.join(',')],
            ...['--channels', String(NTK.channels), '--cells', String(NTK.cellsPerStage)],
            ...['--n', String(NTK.n), '--seed', String(NTK.seed), '--data', sharedDataDir()],
          ],
          { stdio: 'pipe' },
        );
        // The workspace settings exist before the workbench opens (VS Code watches the file from the start).
        mkdirSync(join(dir, '.vscode'), { recursive: true });
        writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify(FULL_SIZE_WORKSPACE, null, 2));
        const rows = readSweepFile(sweepFile).rows;
        swept = [...rows.keys()].sort((a, b) => a - b)[0];
        unswept = reference.evaluatedIndices.find((i) => !rows.has(i))!;
        writeFileSync(
          join(dir, 'proxy_cases.py'),
          [
            '# Cells for the training-free proxy checks.',
            `BEST = "${BEST}"`,
            `SWEPT = "${reference.archOfIndex(swept).archString}"`,
            `UNSWEPT = "${reference.archOfIndex(unswept).archString}"`,
            '',
          ].join('\n'),
        );
      },
    });
    ({ page } = session);
  });

  after(async () => {
    await session?.close();
  });

  // Each step goes on from where the one before left the workbench: after a failure the rest stop at once.
  const screenshotStep = stepWithScreenshot(() => session, 'ui-proxies');
  let failed: string | undefined;
  const step = (title: string, fn: () => Promise<void>) =>
    screenshotStep(title, async () => {
      assert.equal(failed, undefined, `not run: the step "${failed}" failed`);
      try {
        await fn();
      } catch (e) {
        failed = title;
        throw e;
      }
    });
  const widget = () => page.locator('.quick-input-widget');
  const input = () => widget().locator('.quick-input-box input').first();
  const rowOf = (id: string) =>
    widget()
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${id.replace(/[.@]/g, '\\$&')}$`) }) })
      .first();
  const notification = () =>
    page.locator('.notifications-toasts .notification-toast', { hasText: 'training-free scores' }).first();
  const reportTabs = () => page.locator('.tabs-container .tab', { hasText: 'Training-free scores' }).count();

  /** Clicks into the architecture string `arch` of the editor, so the command finds it under the cursor. */
  async function cursorOn(arch: string): Promise<void> {
    await page.locator('.tabs-container .tab[data-resource-name="proxy_cases.py"]').click();
    const { x, y } = await positionOfText(page, arch, { offsetInText: 3 });
    await page.mouse.click(x, y);
  }

  /** How many rows of the multi-select pick are ticked: its "N Selected" badge (hidden at 0). */
  async function tickedCount(): Promise<number> {
    const badge = widget().locator('.quick-input-count').first();
    if (!(await badge.isVisible())) return 0;
    return Number(/\d+/.exec(await badge.innerText())?.[0] ?? 0);
  }

  /** Whether the pick's row of `id` is ticked, read with the filter set to the id. */
  async function isTicked(id: string): Promise<boolean> {
    await input().fill(id);
    await rowOf(id).waitFor({ timeout: 10_000 });
    return (await rowOf(id).getAttribute('aria-checked')) === 'true';
  }

  /** Opens the command's pick on BEST; checks its title names the cell and robust variants are offered. */
  async function openPick(): Promise<void> {
    await cursorOn(BEST);
    await runCommand(page, 'Compute Training-free Scores...');
    const parsed = reference.resolve(BEST);
    assert.ok(parsed.ok);
    await widget()
      .locator('.quick-input-title', { hasText: `Training-free scores of ${shortCellLabel(parsed.arch.cell)}` })
      .waitFor({ timeout: 15_000 });
    await rowOf('zc:snip').waitFor();
  }

  /**
   * In the open pick, by keyboard: every proxy unticked with the "toggle all" box (Space on it ticks all, then
   * unticks all), then for each id its name typed as the filter, the list entered at its first row (Ctrl+Home),
   * Down to the id's row, Space to tick it; each tick is read back before the next. Enter accepts.
   */
  async function pickProxies(ids: readonly string[]): Promise<void> {
    // The box ticks and unticks the rows the filter shows: with no filter, all of them.
    await input().fill('');
    const toggleAll = widget().getByRole('checkbox', { name: 'Toggle all checkboxes' });
    await pollUntil(
      async () => {
        const before = await tickedCount();
        if (before === 0) return true;
        await toggleAll.press('Space');
        await pollUntil(async () => (await tickedCount()) !== before, { timeoutMs: 3000, message: '' }).catch(
          () => undefined,
        );
        return false;
      },
      { timeoutMs: 20_000, message: 'the toggle-all box did not untick every proxy' },
    );
    for (const [k, id] of ids.entries()) {
      await pollUntil(
        async () => {
          if ((await tickedCount()) === k + 1) return true;
          await input().fill(id);
          await rowOf(id).waitFor({ timeout: 5000 });
          await input().press('Control+Home');
          // The focused row is the one Space ticks: move down to the id's own row (a filter also lists its variants).
          const onRow = await pollUntil(
            async () => {
              const focused = widget().locator('.quick-input-list .monaco-list-row.focused .label-name').first();
              if ((await focused.innerText({ timeout: 1000 }).catch(() => '')) === id) return true;
              await page.keyboard.press('ArrowDown');
              return false;
            },
            { timeoutMs: 5000, intervalMs: 200, message: '' },
          ).catch(() => false);
          if (!onRow) return false;
          await page.keyboard.press('Space');
          await pollUntil(async () => (await tickedCount()) !== k, { timeoutMs: 3000, message: '' }).catch(
            () => undefined,
          );
          return false;
        },
        { timeoutMs: 30_000, message: `could not tick ${id} (${k} ticked before it)` },
      );
      assert.equal(await rowOf(id).getAttribute('aria-checked'), 'true', `${id} is not the ticked row`);
    }
    await input().fill('');
    await screenshot(page, 'ui-proxies-pick-light');
    await input().press('Enter');
  }

  /**
   * Accepts the preselected pick (the last choice) and waits until the run shows a notification naming `network` or
   * opens a report. A settings file just written reaches the extension a moment later, so a run on the wrong network
   * (seen in its notification) is cancelled and the command run again. Returns the notification's text, or '' when
   * the run ended (its report opened) before the notification could be read.
   */
  async function runPreselected(network: RegExp, reportsBefore: number): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      await openPick();
      await pollUntil(async () => (await tickedCount()) === PICKED.length, {
        timeoutMs: 10_000,
        message: `the last choice (${PICKED.length} proxies) is not preselected`,
      });
      for (const id of PICKED) assert.ok(await isTicked(id), `${id} of the last choice is not ticked`);
      await input().fill('');
      await input().press('Enter');
      const seen = await pollUntil(
        async () => {
          if ((await reportTabs()) > reportsBefore) return { text: '' };
          const text = await notification()
            .innerText({ timeout: 500 })
            .catch(() => undefined);
          return text ? { text } : undefined;
        },
        { timeoutMs: 30_000, message: 'the command neither showed its progress nor opened a report' },
      );
      if (!seen.text || network.test(seen.text)) return seen.text;
      assert.ok(attempt < 5, `no run on the ${network} network started; the last said: ${seen.text}`);
      await notification().getByRole('button', { name: 'Cancel' }).click();
      await notification().waitFor({ state: 'detached', timeout: 15_000 });
    }
  }

  step(
    'the pick: robust variants offered, four proxies ticked by keyboard; a full-size run cancelled from its progress',
    async () => {
      await openFile(page, 'proxy_cases.py', 'UNSWEPT');
      await openPick();
      // Every proxy that reads images has variants on each attack, named by the attack.
      await input().fill('@pgd8');
      await rowOf('zc:snip@pgd8').waitFor();
      assert.equal(await rowOf('zc:snip@pgd8').locator('.label-description').innerText(), 'SNIP @ PGD 8/255');
      assert.equal(await rowOf('zc:synflow@pgd8').count(), 0, 'SynFlow reads no images: no robust variant');
      await pickProxies(PICKED);

      // The workspace asks for the full-size network: the notification says so, with the proxy being computed.
      const progress = await pollUntil(
        async () => {
          const text = await notification()
            .innerText({ timeout: 1000 })
            .catch(() => '');
          return PICKED.some((id) => text.includes(id)) ? text : undefined;
        },
        { timeoutMs: 30_000, message: 'no progress notification naming the proxy being computed' },
      );
      assert.match(progress, new RegExp(`training-free scores \\(${PICKED.length} proxies, full network\\)`));
      // The toast slides in from below: the screenshot once it is all on screen with its Cancel button.
      await pollUntil(
        () =>
          notification().evaluate(
            (n) =>
              n.getBoundingClientRect().bottom <= window.innerHeight &&
              n.getAnimations({ subtree: true }).every((a) => a.playState !== 'running'),
          ),
        { timeoutMs: 10_000, message: 'the progress notification did not come fully on screen' },
      );
      await notification().getByRole('button', { name: 'Cancel' }).waitFor();
      await screenshot(page, 'ui-proxies-progress-light');
      const before = await reportTabs();
      await notification().getByRole('button', { name: 'Cancel' }).click();
      await notification().waitFor({ state: 'detached', timeout: 15_000 });
      // Nothing opened, nothing reported as an error; the log says the run was cancelled.
      assert.equal(await reportTabs(), before);
      assert.equal(await page.locator('.notifications-toasts .notification-toast .codicon-error').count(), 0);
      await runCommand(page, 'Robust NAS: Show Log');
      // The Output view's text, its spaces as Monaco renders them (no-break) made plain.
      const logText = async () =>
        (
          await page
            .locator('.part.panel .monaco-editor .view-lines')
            .first()
            .innerText({ timeout: 1000 })
            .catch(() => '')
        ).replace(/\u00a0/g, ' ');
      await pollUntil(async () => (await logText()).includes('robustNas.computeTrainingFreeScores cancelled.'), {
        timeoutMs: 15_000,
        message: 'the Robust NAS log does not say the run was cancelled',
      });
      const log = await logText();
      assert.ok(!/computeTrainingFreeScores failed|Training-free scores computed/.test(log), log);
      await screenshot(page, 'ui-proxies-cancelled-log-light');
      await runCommand(page, 'Hide Panel');
    },
  );

  /** The report's table as text cells, its page text, the value column's right edges and any horizontal overflow. */
  async function readReport(frame: Frame) {
    await frame.evaluate('globalThis.__name ??= (f) => f');
    return frame.evaluate(() => {
      /** The text of an element as the screen shows it, one string per rendered line. */
      const linesOf = (el: Element | null): string[] => {
        const lines: string[] = [];
        let top: number | undefined;
        const walker = document.createTreeWalker(el ?? document.createElement('i'), NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (let i = 0; i < (node.textContent ?? '').length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const y = range.getBoundingClientRect().top;
            if (top === undefined || y > top + 2) lines.push('');
            top = y;
            lines[lines.length - 1] += node.textContent![i];
          }
        }
        return lines;
      };
      const rows = Array.from(document.querySelectorAll('table tr')).map((tr) =>
        Array.from(tr.children).map((c) => (c as HTMLElement).innerText.trim()),
      );
      const valueRightEdges = Array.from(document.querySelectorAll('table tbody tr')).map((tr) => {
        const range = document.createRange();
        range.selectNodeContents(tr.children[1]);
        return range.getBoundingClientRect().right;
      });
      const root = document.scrollingElement ?? document.documentElement;
      const wraps = Array.from(document.querySelectorAll('.table-wrap')) as HTMLElement[];
      return {
        rows,
        text: document.body.innerText,
        valueRightEdges,
        pageOverflow: root.scrollWidth - root.clientWidth,
        tableOverflow: Math.max(0, ...wraps.map((w) => w.scrollWidth - w.clientWidth)),
        archLines: linesOf(document.querySelector('p > code')),
      };
    });
  }

  step(
    'back to the small network: the kept choice runs to a report whose values are the core computation',
    async () => {
      const before = await reportTabs();
      writeFileSync(join(session!.workspace, '.vscode', 'settings.json'), '{}');
      await runPreselected(/C=4 N=1 network/, before);
      await pollUntil(async () => (await reportTabs()) === before + 1, {
        timeoutMs: 60_000,
        message: 'the run did not open its report',
      });
      const frame = await frameWithText(page, 'Training-free scores at initialisation', 30_000);
      const report = await pollUntil(
        async () => {
          const r = await readReport(frame);
          return r.rows.length === PICKED.length + 1 ? r : undefined;
        },
        { timeoutMs: 10_000, message: 'the report table did not show a row per proxy' },
      );

      // The same computation in the core: the user's settings as the extension reads them, the back end it names.
      const backend = /on the ([\w-]+) back end/.exec(report.text)?.[1];
      assert.ok(backend, `the report names no back end:\n${report.text}`);
      const config = ntkConfigOf(coerceSettings({ ntk: NTK }));
      const { inputs, ...scoring } = proxyJobOptions({ ...config, proxies: PICKED });
      const parsed = reference.resolve(BEST);
      assert.ok(parsed.ok);
      const local = computeProxiesSync(canonicalCell(parsed.arch.cell), {
        options: scoring,
        inputs: loadInputs(inputs),
        backend: backendNamed(backend),
      });
      assert.deepEqual(report.rows[0], ['Proxy', 'Value', 'Paper']);
      assert.deepEqual(
        report.rows.slice(1).map((r) => r[0]),
        PICKED.map((id) => `${proxyDefinition(id).name} (${id})`),
      );
      for (const [k, id] of PICKED.entries()) {
        const [, shown, paper] = report.rows[k + 1];
        assert.equal(paper, proxyDefinition(id).paper);
        assert.equal(shown, formatKernelNumber(local.values[id]), `${id} on ${backend}`);
      }
      // The cell's string, wrapped (if at all) between two edges, never inside an op's name.
      assert.equal(report.archLines.join(''), parsed.arch.archString);
      for (const line of report.archLines.slice(0, -1)) assert.ok(line.endsWith('|'), report.archLines.join('\n'));
      assert.match(report.text, new RegExp(`Network C=${NTK.channels} N=${NTK.cellsPerStage} on CIFAR-10`));
      assert.ok(
        report.text.includes(
          `one batch of ${NTK.n} synthetic inputs (seeded random images and labels, not data); seed ${NTK.seed};`,
        ),
        report.text,
      );
      // Right-aligned numbers (every value ends at the same x), nothing running past the report's width.
      const edges = report.valueRightEdges;
      assert.ok(Math.max(...edges) - Math.min(...edges) < 1, `values not aligned: ${edges.join(', ')}`);
      assert.ok(report.pageOverflow <= 0 && report.tableOverflow <= 0, JSON.stringify(report));
      await screenshot(page, 'ui-proxies-report-light');
    },
  );

  step('the report in the dark theme', async () => {
    await useColorTheme(page, 'dark');
    const frame = await frameWithText(page, 'Training-free scores at initialisation');
    const report = await readReport(frame);
    assert.ok(report.pageOverflow <= 0 && report.tableOverflow <= 0, JSON.stringify(report));
    await screenshot(page, 'ui-proxies-report-dark');
  });

  /** Opens the sweep file through "Open NTK Sweep Results in Correlation Charts..." and its file dialog. */
  async function openSweepAsUser(): Promise<void> {
    await runCommand(page, 'Open NTK Sweep Results in Correlation Charts...');
    // VS Code's simple file dialog lists the workspace folder; once it does, type the path and accept it.
    await widget()
      .locator('.quick-input-list .monaco-list-row', { hasText: 'proxy-sample.jsonl' })
      .first()
      .waitFor({ timeout: 15_000 });
    await pollUntil(
      async () => {
        if (!(await widget().isVisible())) return true;
        if (
          (await input()
            .inputValue({ timeout: 500 })
            .catch(() => '')) !== sweepFile
        ) {
          await input()
            .fill(sweepFile, { timeout: 1000 })
            .catch(() => undefined);
          return false;
        }
        await page.keyboard.press('Enter');
        return widget()
          .waitFor({ state: 'hidden', timeout: 2000 })
          .then(
            () => true,
            () => false,
          );
      },
      { timeoutMs: 20_000, intervalMs: 250, message: 'the file dialog did not accept the sweep file' },
    );
  }

  /** One editor group again, no tab left (the reports and the charts took the right half, where the strings run on). */
  async function closeAllEditors(): Promise<void> {
    await runCommand(page, 'View: Close All Editors');
    await pollUntil(async () => (await page.locator('.tabs-container .tab').count()) === 0, {
      timeoutMs: 15_000,
      message: 'editors stayed open after Close All Editors',
    });
  }

  /** `index`'s rank by `id` among the sweep's classes: 1 + how many score better in the proxies' direction. */
  function expectedRank(id: string, index: number): number {
    const rows = readSweepFile(sweepFile).rows;
    const value = rows.get(index)!.result.proxies![id];
    return (
      1 +
      [...rows.values()].filter((r) => ZERO_COST_DIRECTION * r.result.proxies![id] > ZERO_COST_DIRECTION * value).length
    );
  }

  /** Hovers the swept class; its card's proxy line names the file and the ranks in it, and the card still fits. */
  async function checkSweptCard(theme: 'light' | 'dark'): Promise<void> {
    const card = await hoverText(page, reference.archOfIndex(swept).archString, /Proxy ranks in/);
    const rank = (id: string) => `#${expectedRank(id, swept)}`;
    const line = card.split('\n').find((l) => l.startsWith('Proxy ranks in'));
    assert.equal(
      line,
      `Proxy ranks in proxy-sample.jsonl (of ${SWEEP_SAMPLE}, clean / robust): ` +
        `snip ${rank('zc:snip')} / ${rank('zc:snip@pgd8')} · synflow ${rank('zc:synflow')}`,
      card,
    );
    // Screenshots once the card has faded in (before that the editor shows through it).
    await pollUntil(
      () =>
        page.evaluate(() => {
          const h = document.querySelector('.monaco-hover:not(.hidden)');
          return (
            !!h &&
            getComputedStyle(h).opacity === '1' &&
            h.getAnimations({ subtree: true }).every((a) => a.playState !== 'running')
          );
        }),
      { timeoutMs: 5000, message: 'the hover did not finish fading in' },
    );
    const size = await page.evaluate(() => {
      const content = document.querySelector('.monaco-hover:not(.hidden) .monaco-hover-content') as HTMLElement;
      return { height: content.getBoundingClientRect().height, scroll: content.scrollHeight - content.clientHeight };
    });
    assert.ok(size.height <= HOVER_MAX_HEIGHT && size.scroll <= 0, `the card does not fit: ${JSON.stringify(size)}`);
    await page
      .locator('.monaco-hover:not(.hidden)')
      .first()
      .screenshot({ path: join(projectRoot, 'test-output', 'e2e', `ui-proxies-hover-${theme}.png`) });
    await screenshot(page, `ui-proxies-hover-window-${theme}`);
  }

  step('a proxy sweep opened as a user: the card of a swept class shows its ranks, the report its scores', async () => {
    await openSweepAsUser();
    // The charts list the file once they have read it (from then on the language server knows it too).
    const charts = await frameWithText(page, 'proxy-sample.jsonl');
    await pollUntil(
      async () =>
        (await charts.evaluate(() => document.body.innerText).catch(() => '')).includes(`${SWEEP_SAMPLE} classes`),
      { timeoutMs: 30_000, message: `the Correlation Charts do not list the sweep's ${SWEEP_SAMPLE} classes` },
    );
    await closeAllEditors();
    await openFile(page, 'proxy_cases.py', 'UNSWEPT');
    await checkSweptCard('dark');

    // "All datasets" opens the cell's details: each swept proxy's stored scores and ranks, clean and robust.
    await page.locator('.monaco-hover:not(.hidden) a', { hasText: 'All datasets' }).click();
    const details = await frameWithText(page, 'Training-free proxies in loaded sweeps');
    const table = await pollUntil(
      async () => {
        const rows = await details.evaluate(() =>
          Array.from(document.querySelectorAll('table tr')).map((tr) =>
            Array.from(tr.children).map((c) => (c as HTMLElement).innerText.trim()),
          ),
        );
        return rows.some((r) => r[0] === 'synflow') ? rows : undefined;
      },
      { timeoutMs: 10_000, message: 'the details report has no proxy table' },
    );
    const stored = readSweepFile(sweepFile).rows.get(swept)!.result.proxies!;
    const of = `of ${SWEEP_SAMPLE}`;
    const scoreAndRank = (id: string) => [formatKernelNumber(stored[id]), `#${expectedRank(id, swept)} ${of}`];
    assert.deepEqual(
      table.find((r) => r[0] === 'snip'),
      ['snip', ...scoreAndRank('zc:snip'), ...scoreAndRank('zc:snip@pgd8')],
    );
    assert.deepEqual(
      table.find((r) => r[0] === 'synflow'),
      ['synflow', ...scoreAndRank('zc:synflow'), '–', '–'],
    );
    // The section in view, the card out of the way, for the screenshot; the table fits the report's width.
    const overflow = await details.evaluate(() => {
      const heading = Array.from(document.querySelectorAll('h2')).find((h) =>
        h.textContent?.includes('Training-free proxies in loaded sweeps'),
      );
      heading?.scrollIntoView();
      const table = heading?.parentElement?.querySelector('h2 ~ table:last-of-type') as HTMLElement | null;
      return table ? table.getBoundingClientRect().right - document.documentElement.clientWidth : NaN;
    });
    assert.ok(overflow <= 0, `the proxy table runs ${overflow} px past the details report`);
    // The mouse is still on the card (its link was clicked): away from it, the card closes.
    await page.mouse.move(150, 900);
    await page.locator('.monaco-hover:not(.hidden)').waitFor({ state: 'hidden', timeout: 10_000 });
    await screenshot(page, 'ui-proxies-details-dark');
    await closeAllEditors();
    await openFile(page, 'proxy_cases.py', 'UNSWEPT');

    // An evaluated class the sweep did not score: its card names no ranks.
    const other = await hoverText(page, reference.archOfIndex(unswept).archString, new RegExp(`#${unswept}\\b`));
    assert.ok(!other.includes('Proxy ranks'), other);
  });

  step('the same card in the light theme', async () => {
    await page.keyboard.press('Escape');
    await useColorTheme(page, 'light');
    await checkSweptCard('light');
  });
});
