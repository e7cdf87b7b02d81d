// `npm run bench:workbench`: a 5 MB Python results dump (36,761 architecture strings, one per line) in the real
// workbench (code-server + the extension + Chromium at 1600x1000, as the UI suite runs it), issue 14 item 4. Prints
// how long a user waits: open -> diagnostics on screen, hover card, an edit -> its diagnostic, and how many
// diagnostics the server computed and sent. Asserts nothing; figures vary with machine load (printed first).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { launchChromium, openWorkbench } from '../scripts/vscode-server/browser';
import { ensureCodeServer, projectRoot } from '../scripts/vscode-server/install';
import { pollUntil } from '../scripts/vscode-server/poll';
import { startCodeServer } from '../scripts/vscode-server/server';
import { scanArchitectures } from '../src/core/scan/scanArchitectures';
import { SeededRandom } from '../src/core/search/random';
import { CELL_COUNT, codeNumberToCell, formatArchString } from '../src/core/space/cell';
import { computeDiagnostics, publishedDiagnostics } from '../src/server/diagnostics';
import { DEFAULT_SETTINGS } from '../src/shared/settings';
import { extensionUnderTest } from '../test/e2e/support/extensionUnderTest';
import { sharedDataDir } from '../test/e2e/support/sharedData';
import { activeEditor, goToLine, hoverText, openFile } from '../test/e2e/support/workbench';
import { sharedBenchmark } from '../test/server/serverTestKit';

/** A search log as Python: one `{"arch": ..., "step": i}` per line, random cells (seeded). */
function resultsDump(cells: number, seed: number): string {
  const random = new SeededRandom(seed);
  const lines: string[] = [];
  for (let i = 0; i < cells; i++) lines.push(`    {"arch": "${formatArchString(codeNumberToCell(Math.floor(random.next() * CELL_COUNT)))}", "step": ${i}},`);
  return `RESULTS = [\n${lines.join('\n')}\n]\n`;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (2 cores: figures above ~2 are inflated by other work)`);
  const text = resultsDump(36761, 14);
  const bench = await sharedBenchmark();
  const doc = TextDocument.create('file:///dump.py', 'python', 1, text);
  const all = computeDiagnostics(doc, scanArchitectures(text), DEFAULT_SETTINGS, bench);
  const sent = publishedDiagnostics(all);
  console.log(`document: ${(text.length / 1048576).toFixed(2)} MB, 36,761 cells; diagnostics computed ${all.length} (${(JSON.stringify(all).length / 1048576).toFixed(1)} MB of JSON), sent ${sent.length} (${(JSON.stringify(sent).length / 1048576).toFixed(2)} MB)`);

  ensureCodeServer();
  const work = mkdtempSync(join(tmpdir(), 'robust-nas-bench-wb-'));
  const workspace = mkdtempSync(join(tmpdir(), 'robust-nas-bench-ws-'));
  writeFileSync(join(workspace, 'search_log.py'), text);
  const target = extensionUnderTest(work, join(projectRoot, 'out', 'test', 'integration'));
  const server = await startCodeServer({ vsix: target.vsix, userSettings: { 'robustNas.dataPath': sharedDataDir() } });
  const browser = await launchChromium(server.baseDir);
  try {
    const page = await openWorkbench(browser, server.workbenchUrl({ folder: workspace, extensionDevelopmentPath: target.mode === 'dev' ? target.extensionDevelopmentPath : undefined }), { width: 1600, height: 1000 });
    // Let the extension start and load the data on a small file first, so the figures are about the big one.
    writeFileSync(join(workspace, 'warm.py'), `x = '${formatArchString(codeNumberToCell(7))}'\n`);
    await openFile(page, 'warm.py', 'x = ');
    await pollUntil(async () => (await activeEditor(page).locator('.view-line', { hasText: 'PGD@8' }).count()) > 0, { timeoutMs: 120_000, message: 'the extension did not start' });

    const t0 = performance.now();
    await openFile(page, 'search_log.py', 'RESULTS');
    const shown = performance.now() - t0;
    const editor = activeEditor(page);
    // The dump's visible lines hold isomorphic cells (information, blue squiggles) and duplicates and dead edges.
    await pollUntil(async () => (await editor.locator('.squiggly-info, .squiggly-warning, .squiggly-error').count()) > 0, { timeoutMs: 300_000, message: 'no diagnostics on screen', intervalMs: 50 });
    const diagnosed = performance.now() - t0;
    await pollUntil(async () => (await editor.locator('.view-line', { hasText: 'PGD@8' }).count()) > 0, { timeoutMs: 300_000, message: 'no inlay hints', intervalMs: 50 });
    const hinted = performance.now() - t0;
    console.log(`open: text on screen ${s(shown)}, first diagnostics on screen ${s(diagnosed)}, first inlay hints ${s(hinted)}`);

    const lineOf = (needle: string) => TextDocument.create('x', 'python', 1, text.slice(0, text.indexOf(needle) + 1)).lineCount;
    const cellOnLine10 = text.split('\n')[10].slice(14, 14 + 40);
    let t1 = performance.now();
    await hoverText(page, cellOnLine10, /NAS-Bench-201 cell #/, { timeoutMs: 300_000 });
    console.log(`hover card over line 11: ${s(performance.now() - t1)} (includes moving the mouse and VS Code's hover delay, 100 ms)`);
    await page.keyboard.press('Escape');

    // Typing: break an op name on line 21 and wait for its error squiggle.
    const line21 = text.split('\n')[20];
    await goToLine(page, lineOf(line21));
    await page.keyboard.press('End');
    // Into the first op name: `    {"arch": "|` is 15 characters.
    for (let k = 0; k < line21.length - 17; k++) await page.keyboard.press('ArrowLeft');
    t1 = performance.now();
    await page.keyboard.type('Q');
    await pollUntil(async () => (await editor.locator('.squiggly-error').count()) > 0, { timeoutMs: 300_000, message: 'no error after the edit', intervalMs: 50 });
    console.log(`edit -> its error squiggle: ${s(performance.now() - t1)}`);
    t1 = performance.now();
    await page.keyboard.type('xyz');
    await pollUntil(async () => (await editor.locator('.view-line', { hasText: 'Qxyz' }).count()) > 0, { timeoutMs: 60_000, message: 'typed text not shown', intervalMs: 20 });
    console.log(`3 more keystrokes on screen: ${s(performance.now() - t1)}`);
    const serverLines = server.logs(200_000).split('\n').filter((l) => l.includes('Diagnosed ') && l.includes('search_log.py'));
    for (const l of serverLines) console.log(`language server: ${l.replace(/^.*Diagnosed /, 'diagnosed ')}`);
  } finally {
    await browser.close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
