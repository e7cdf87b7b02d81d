/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_NTK_CONFIG } from '../../../src/core/ntk/jobOptions';
import { demoUri, robustNas } from './context';

// Commands reached from links (hover cards, CodeLenses, the walkthrough) take their arguments as preselected
// answers, never as answers: each of these calls must stop at a question (dismissed here, so the command returns
// undefined and changes nothing). Before, each ran at once: a sweep wrote the file the link named, Locate Data
// saved the link's folder as robustNas.dataPath, Run NAS started its runs.

const GOOD = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';
const TINY = {
  ...DEFAULT_NTK_CONFIG,
  channels: 4,
  n: 4,
  attack: 'fgsm' as const,
  seed: 5,
  variants: ['clean' as const],
  dataset: 'cifar10' as const,
};

/**
 * Runs a command, dismissing whatever question it asks until it settles (polling: the question appears once the
 * benchmark is loaded). A command that asks nothing settles with its result.
 */
async function dismissingQuestions<T>(command: string, ...args: unknown[]): Promise<T | undefined> {
  let settled = false;
  const running = Promise.resolve(vscode.commands.executeCommand<T>(command, ...args)).finally(() => {
    settled = true;
  });
  const started = Date.now();
  while (!settled && Date.now() - started < 30_000) {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await Promise.race([running, new Promise((r) => setTimeout(r, 150))]);
  }
  return running;
}

suite('Command arguments from links', () => {
  let scratch: string;
  suiteSetup(async () => {
    await (await robustNas()).benchmark();
    scratch = mkdtempSync(join(tmpdir(), 'robust-nas-args-e2e-'));
  });
  suiteTeardown(() => rmSync(scratch, { recursive: true, force: true }));

  test('NTK Sweep with a scope and an output file still asks; the same arguments run unasked only through the internal command', async () => {
    const out = demoUri('ntk/from-a-link.jsonl').fsPath;
    const args = { scope: { kind: 'sample', k: 1 }, out, config: TINY };
    assert.equal(await dismissingQuestions('robustNas.ntkSweep', args), undefined);
    assert.equal(existsSync(out), false, 'nothing was written');
    // The arguments are valid: given to the command that takes them as they are, they sweep.
    const done = await vscode.commands.executeCommand<{ computed: number }>('robustNas.internal.ntkSweep', args);
    assert.equal(done?.computed, 1);
    assert.equal(existsSync(out), true);
    rmSync(out);
  });

  test("Compute NTK Scores with the hover card's configuration asks for the network size; inputs naming a folder are refused", async () => {
    assert.equal(
      await dismissingQuestions('robustNas.computeNtkScores', GOOD, { config: TINY, useCache: false }),
      undefined,
    );
    const computed = await vscode.commands.executeCommand<{ cached: boolean }>(
      'robustNas.internal.computeNtkScores',
      GOOD,
      { config: TINY, useCache: false },
    );
    assert.equal(computed?.cached, false, 'the same arguments compute when taken as given');
    // A folder of the link's choosing: refused (the error is shown; the command returns nothing).
    const hostile = { ...TINY, inputs: `cifar10:${scratch}` };
    assert.equal(
      await vscode.commands.executeCommand('robustNas.internal.computeNtkScores', GOOD, {
        config: hostile,
        useCache: false,
      }),
      undefined,
    );
  });

  test('Locate Data with a folder opens the picker there and saves nothing unasked', async () => {
    const config = vscode.workspace.getConfiguration('robustNas');
    const before = config.inspect('dataPath');
    assert.equal(await dismissingQuestions('robustNas.locateData', scratch), undefined);
    const after = vscode.workspace.getConfiguration('robustNas').inspect('dataPath');
    assert.deepEqual([after?.globalValue, after?.workspaceValue], [before?.globalValue, before?.workspaceValue]);
  });

  test('Select Dataset and Metric with arguments asks before writing the settings', async () => {
    const before = vscode.workspace.getConfiguration('robustNas').inspect('dataset');
    assert.equal(
      await dismissingQuestions('robustNas.selectDatasetAndMetric', 'imagenet16-120', 'autoattack'),
      undefined,
    );
    const after = vscode.workspace.getConfiguration('robustNas').inspect('dataset');
    assert.deepEqual([after?.globalValue, after?.workspaceValue], [before?.globalValue, before?.workspaceValue]);
  });

  test('Run NAS with an algorithm, budget and runs asks before starting', async () => {
    assert.equal(
      await dismissingQuestions('robustNas.runNasAlgorithm', { algorithm: 'rs', budget: 5, runs: 1 }),
      undefined,
    );
  });

  test('Add NTK Sweep Results with a file outside the workspace opens the picker instead of reading it', async () => {
    const outside = join(scratch, 'elsewhere.jsonl');
    writeFileSync(outside, '{}\n');
    assert.equal(await dismissingQuestions('robustNas.addNtkSweepToCorrelationCharts', outside), undefined);
  });
});
