/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

// The extension host the suite runs in: the VS Code release and the workspace the runner asked for. Under
// @vscode/test-cli on desktop the runner sets no expectations, so only the workspace check applies there.
suite('Workbench', () => {
  test('runs in the VS Code release the runner started', function () {
    const expected = process.env.ROBUST_NAS_E2E_VSCODE_VERSION;
    if (!expected) this.skip();
    assert.equal(vscode.version, expected);
  });

  test('has the demo workspace open', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(
      folders.length,
      1,
      `expected one workspace folder, got ${folders.map((f) => f.uri.toString()).join(', ')}`,
    );
    const found = await vscode.workspace.findFiles('**/*.{py,yaml,md}');
    const names = found.map((u) => u.path.slice(folders[0].uri.path.length + 1)).sort();
    assert.deepEqual(names, ['configs/robust_search.yaml', 'notes/architectures.md', 'search_robust_cells.py']);
  });
});
