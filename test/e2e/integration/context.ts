import * as vscode from 'vscode';
import type { BenchmarkApi } from '../../../src/core/benchmark/api';
import { loadBenchmark } from '../../../src/core/benchmark/load';
import type { RobustNasExtensionApi } from '../../../src/extension/extension';

/** Helpers shared by the integration suites (they run inside the extension host, with the `vscode` API). */

export const EXTENSION_ID = 'robust-nas.robust-nas';

export { pollUntil } from '../../../scripts/vscode-server/poll';

/** A file of the open demo workspace (a temporary copy under our runner, test/fixtures/demo under test-cli). */
export function demoUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('No workspace folder is open: the suite needs the demo workspace (test/fixtures/demo).');
  return vscode.Uri.joinPath(folder.uri, ...relativePath.split('/'));
}

/** Opens a demo file in an editor (which also activates the extension through `onLanguage`). */
export async function openDemo(relativePath: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(demoUri(relativePath));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** The extension's exported API, after activation. */
export async function robustNas(): Promise<RobustNasExtensionApi> {
  const ext = vscode.extensions.getExtension<RobustNasExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this VS Code.`);
  return ext.activate();
}

let reference: Promise<BenchmarkApi> | undefined;

/**
 * The core's own Benchmark over the shared data, loaded independently of the extension: the oracle every number
 * the extension shows is compared with. $ROBUST_NAS_E2E_DATA names the folder under our runner; under test-cli
 * the core's usual search finds ../shared beside the checkout.
 */
export function referenceBenchmark(): Promise<BenchmarkApi> {
  reference ??= loadBenchmark({
    dataDir: process.env.ROBUST_NAS_E2E_DATA || undefined,
    searchFrom: [__dirname],
    download: false,
  });
  return reference;
}

/** Text of a position range, for assertion messages. */
export function describeRange(doc: vscode.TextDocument, range: vscode.Range): string {
  return `${range.start.line + 1}:${range.start.character + 1}-${range.end.line + 1}:${range.end.character + 1} "${doc.getText(range)}"`;
}
