/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, openDemo, pollUntil, referenceBenchmark, robustNas } from './context';

suite('Activation', () => {
  test('the extension under test is the one the runner installed', function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    // Under our runner in VSIX mode the packaged extension must run, not the working tree.
    if (process.env.ROBUST_NAS_E2E_MODE !== 'vsix') this.skip();
    assert.match(ext.extensionPath.replace(/\\/g, '/'), /\/extensions\/robust-nas\.robust-nas-\d+\.\d+\.\d+$/);
  });

  test('opening a Python file activates it', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await openDemo('search_robust_cells.py');
    await pollUntil(() => ext.isActive, {
      timeoutMs: 30_000,
      message: 'the extension did not activate on a Python file',
    });
  });

  test('it loads the benchmark: the 6,466 evaluated cells of NAS-RobBench-201', async () => {
    const api = await robustNas();
    const bench = await api.benchmark();
    const reference = await referenceBenchmark();
    assert.equal(bench.evaluatedIndices.length, 6466);
    assert.deepEqual([...bench.evaluatedIndices], [...reference.evaluatedIndices]);
  });

  test('every command in package.json is registered', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const declared = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(declared.length > 0);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      declared.filter((c) => !registered.has(c)),
      [],
    );
  });
});
