/**
 * Entry point of the integration suite inside the VS Code extension host: VS Code loads this module from
 * `--extensionTestsPath` (desktop, through @vscode/test-electron) or from the workbench URL's `extensionTestsPath`
 * payload (code-server, through test/e2e/integration.test.ts) and awaits `run()`, the @vscode/test-electron layout.
 *
 * Mocha is bundled in here; the suites are a separate bundle (`suites.js`, beside this file) that mocha loads with
 * its tdd globals in place, the same file @vscode/test-cli loads (see .vscode-test.mjs). Results are written as JSON
 * to $ROBUST_NAS_E2E_RESULTS when set, because the extension host's console is not visible to the runner outside.
 */
import Mocha from 'mocha';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IntegrationResults, IntegrationTestResult } from './results';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  mocha.addFile(join(__dirname, 'suites.js'));
  const tests: IntegrationTestResult[] = [];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let runner: Mocha.Runner;
    try {
      runner = mocha.run((failures) => {
        writeResults({ tests, durationMs: Date.now() - started });
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed.`));
        else resolve();
      });
    } catch (e) {
      // A suite that throws while loading (bad import, syntax) fails the run as one result the runner can show.
      tests.push({
        title: 'load suites',
        fullTitle: 'load suites',
        state: 'failed',
        durationMs: 0,
        error: String((e as Error).stack ?? e),
      });
      writeResults({ tests, durationMs: Date.now() - started });
      reject(e);
      return;
    }
    runner.on('pass', (t) =>
      tests.push({ title: t.title, fullTitle: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 }),
    );
    runner.on('fail', (t, err: Error) =>
      tests.push({
        title: t.title,
        fullTitle: t.fullTitle(),
        state: 'failed',
        durationMs: t.duration ?? 0,
        error: String(err?.stack ?? err),
      }),
    );
    runner.on('pending', (t) =>
      tests.push({ title: t.title, fullTitle: t.fullTitle(), state: 'pending', durationMs: 0 }),
    );
  });
}

/** Atomic write (temp file, then rename) so the runner outside never reads half a file. */
function writeResults(results: IntegrationResults): void {
  const target = process.env.ROBUST_NAS_E2E_RESULTS;
  if (!target) return;
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(results, null, 2));
  renameSync(tmp, target);
}
