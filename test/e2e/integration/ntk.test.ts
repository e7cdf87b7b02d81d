/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { canonicalCell } from '../../../src/core/ntk/canonical';
import { jsBackend } from '../../../src/core/ntk/engine/jsBackend';
import { loadInputs } from '../../../src/core/ntk/inputs/load';
import { DEFAULT_NTK_CONFIG, ntkJobOptions } from '../../../src/core/ntk/jobOptions';
import { computeNtkScoresSync } from '../../../src/core/ntk/scores';
import { readSweepFile } from '../../../src/core/ntk/sweepFile';
import { selectSweepIndices, sweepHeader } from '../../../src/core/ntk/sweepScope';
import { formatKernelNumber } from '../../../src/shared/ntkFormat';
import { demoUri, pollUntil, referenceBenchmark, robustNas } from './context';

// NTK Sweep and the NTK paragraph of the hover card, in the real extension host. A tiny configuration set through
// the settings (C=4, N=1, 4 synthetic inputs, FGSM) keeps each score to milliseconds; expected values come from the
// core, computed here.

const NTK_SETTINGS: Record<string, unknown> = {
  'ntk.channels': 4,
  'ntk.n': 4,
  'ntk.attack': 'fgsm',
  'ntk.seed': 11,
  'ntk.variants': ['clean', 'robust'],
};
const CONFIG = {
  ...DEFAULT_NTK_CONFIG,
  channels: 4,
  n: 4,
  attack: 'fgsm' as const,
  seed: 11,
  dataset: 'cifar10' as const,
};

/** NTK Sweep and Compute NTK Scores with their arguments as given (the public commands always ask). */
const SWEEP_UNASKED = 'robustNas.internal.ntkSweep';
const COMPUTE_UNASKED = 'robustNas.internal.computeNtkScores';

interface SweepOutcome {
  out: string;
  classes: number;
  alreadyDone: number;
  computed: number;
  cancelled: boolean;
}

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

/** The hover at `position` once it satisfies `ready` (the server starts and loads the data in the background). */
function hoverWhen(
  uri: vscode.Uri,
  position: vscode.Position,
  ready: (text: string) => boolean,
  what: string,
): Promise<string> {
  let last = '';
  return pollUntil(
    async () => {
      last = await hoverText(uri, position);
      return ready(last) ? last : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250, message: () => `${what}; the hover is:\n${last}` },
  );
}

suite('NTK', () => {
  const config = () => vscode.workspace.getConfiguration('robustNas');

  suiteSetup(async () => {
    await (await robustNas()).benchmark();
    // Workspace settings (the demo workspace is a temporary copy). Written as user settings instead, the next
    // configuration read in code-server saw robustNas.dataPath empty and the extension lost the runner's data.
    for (const [key, value] of Object.entries(NTK_SETTINGS))
      await config().update(key, value, vscode.ConfigurationTarget.Workspace);
  });

  suiteTeardown(async () => {
    for (const key of Object.keys(NTK_SETTINGS))
      await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('NTK Sweep scores a seeded sample of 2 classes into a sweep file, then resumes it with nothing left to do', async () => {
    const reference = await referenceBenchmark();
    const out = demoUri('ntk/sample2.jsonl').fsPath;
    const scope = { kind: 'sample', k: 2 } as const;
    const first = await vscode.commands.executeCommand<SweepOutcome>(SWEEP_UNASKED, { scope, out });
    assert.deepEqual([first.classes, first.alreadyDone, first.computed, first.cancelled], [2, 0, 2, false]);

    const options = ntkJobOptions(CONFIG);
    const contents = readSweepFile(out);
    // The CLI's format: its header, so `robust-nas ntk-sweep --out` with the same options resumes this file.
    assert.deepEqual(contents.header, JSON.parse(JSON.stringify(sweepHeader(options, scope))));
    const expected = selectSweepIndices(reference, scope, CONFIG.seed);
    assert.deepEqual(
      [...contents.rows.keys()].sort((a, b) => a - b),
      expected,
    );
    for (const index of expected) {
      const row = contents.rows.get(index)!;
      const { inputs, ...rest } = options;
      const local = computeNtkScoresSync(canonicalCell(reference.archOfIndex(index).cell), {
        options: rest,
        inputs: loadInputs(inputs),
        backend: jsBackend(),
      });
      // The JS back end is bit-identical to the plain WebAssembly one; the fused multiply-add build (wasm-fma, what
      // the extension's workers pick where relaxed SIMD exists) rounds differently, so it is compared by tolerance.
      if (row.result.backend === 'wasm-fma')
        assertClose(row.result.variants, local.variants, `row ${index} (wasm-fma) vs the core's JS computation`);
      else assert.deepEqual(row.result.variants, local.variants, `row ${index} equals the core's own computation`);
      assert.equal(row.result.inputs.synthetic, true);
    }

    const again = await vscode.commands.executeCommand<SweepOutcome>(SWEEP_UNASKED, { scope, out });
    assert.deepEqual([again.classes, again.alreadyDone, again.computed], [2, 2, 0]);
    assert.equal(readSweepFile(out).rows.size, 2);
  });

  test("a swept class's card says its scores are stored and the cell details show them; another class computes its own through the card's link", async () => {
    const reference = await referenceBenchmark();
    const out = demoUri('ntk/sample2.jsonl').fsPath;
    const rows = readSweepFile(out).rows;
    const [swept] = [...rows.keys()].sort((a, b) => a - b);
    const sweptArch = reference.archOfIndex(swept).archString;
    const other = [...reference.evaluatedIndices].find((i) => !rows.has(i))!;
    const otherArch = reference.archOfIndex(other).archString;
    const file = demoUri('ntk/hover_ntk.py');
    await vscode.workspace.fs.writeFile(file, Buffer.from(`SWEPT = "${sweptArch}"\nOTHER = "${otherArch}"\n`));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    /** The cell details report ("All datasets" on the card), as the command opens it. */
    const details = async (arch: string) => {
      const uri = await vscode.commands.executeCommand<vscode.Uri>('robustNas.showCellDetails', arch);
      return (await vscode.workspace.openTextDocument(uri)).getText();
    };

    const clean = formatKernelNumber(rows.get(swept)!.result.variants.clean!.frobenius);
    await hoverWhen(
      file,
      new vscode.Position(0, 12),
      (t) => t.includes('[NTK scores]('),
      'the card of a swept class does not say its NTK scores are stored',
    );
    const sweptDetails = await details(sweptArch);
    assert.ok(sweptDetails.includes('from the sweep `sample2.jsonl`'), sweptDetails);
    assert.ok(sweptDetails.includes(`| clean | ${clean} |`), sweptDetails);
    // Text from the sweep file is escaped Markdown (`fixed\-bn`): shown as written, never a link.
    assert.match(sweptDetails, /fixed\\?-bn kernel · C=4 N=1 · 4 \*\*synthetic\*\* inputs/);

    const otherHover = await hoverWhen(
      file,
      new vscode.Position(1, 12),
      (t) => t.includes('Compute NTK scores'),
      'no Compute NTK scores link for a class not computed',
    );
    const link = /\[Compute NTK scores\]\(command:robustNas\.computeNtkScores\?([^)]*)\)/.exec(otherHover);
    assert.ok(link, otherHover);
    const args = JSON.parse(decodeURIComponent(link[1])) as unknown[];
    // The link's arguments, through the command that takes them as given (robustNas.computeNtkScores would ask for
    // the size and kernels, preselected from them: commandArguments.test.ts checks that it does).
    const computed = await vscode.commands.executeCommand<{
      result: { variants: { clean: { frobenius: number } } };
      cached: boolean;
    }>(COMPUTE_UNASKED, ...args);
    assert.equal(computed.cached, false);
    const value = formatKernelNumber(computed.result.variants.clean.frobenius);
    await hoverWhen(
      file,
      new vscode.Position(1, 12),
      (t) => t.includes('[NTK scores]('),
      'the computed scores did not reach the card',
    );
    const after = await details(otherArch);
    assert.ok(after.includes('from the NTK cache') && after.includes(`| clean | ${value} |`), after);
  });

  test('a second NTK Sweep on a file being written is refused, so no class is appended twice', async () => {
    const out = demoUri('ntk/concurrent.jsonl').fsPath;
    const scope = { kind: 'sample', k: 3 } as const;
    const first = vscode.commands.executeCommand<SweepOutcome>(SWEEP_UNASKED, { scope, out });
    const second = await vscode.commands.executeCommand<SweepOutcome | undefined>(SWEEP_UNASKED, { scope, out });
    assert.equal(second, undefined, 'the second run must stop (its error is shown to the user)');
    assert.equal((await first).computed, 3);
    const text = (await vscode.workspace.fs.readFile(vscode.Uri.file(out))).toString();
    assert.equal(text.split('\n').filter(Boolean).length, 1 + 3, 'the header and one row per class');
  });
});

/** Same shape and strings; numbers within 1e-4 relative (the PyTorch fixtures' tolerance for the FMA back end). */
function assertClose(actual: unknown, expected: unknown, message: string, path = ''): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const scale = Math.max(Math.abs(expected), Math.abs(actual), 1e-12);
    assert.ok(Math.abs(actual - expected) <= 1e-4 * scale, `${message}: ${path} ${actual} vs ${expected}`);
  } else if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${message}: ${path} is not an object`);
    assert.deepEqual(Object.keys(actual as object).sort(), Object.keys(expected).sort(), `${message}: keys of ${path}`);
    for (const [k, v] of Object.entries(expected))
      assertClose((actual as Record<string, unknown>)[k], v, message, `${path}.${k}`);
  } else {
    assert.deepEqual(actual, expected, `${message}: ${path}`);
  }
}
