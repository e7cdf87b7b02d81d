/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openDemo, pollUntil, referenceBenchmark, robustNas } from './context';

/** Every open tab whose input is a webview panel, across all editor groups. */
function webviewTabs(): { tab: vscode.Tab; viewType: string }[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview)
    .map((tab) => ({ tab, viewType: (tab.input as vscode.TabInputWebview).viewType }));
}

/**
 * The tab of our webview panel, once it is open with the expected title. The tab input's viewType is the one the
 * extension passed to createWebviewPanel, which VS Code may prefix (e.g. `mainThreadWebview-`), so it is matched by
 * its ending.
 */
async function panelTab(viewType: string, label: string): Promise<vscode.Tab> {
  return pollUntil(() => webviewTabs().find((t) => t.viewType.endsWith(viewType) && t.tab.label === label)?.tab, {
    timeoutMs: 30_000,
    message: () =>
      `no "${label}" webview tab of type ${viewType}; open webview tabs: ${JSON.stringify(webviewTabs().map((t) => [t.viewType, t.tab.label]))}`,
  });
}

async function closeTab(tab: vscode.Tab): Promise<void> {
  await vscode.window.tabGroups.close(tab);
}

suite('Panels', () => {
  suiteSetup(async () => {
    await (await robustNas()).benchmark();
    await openDemo('search_robust_cells.py');
  });

  test('Open Correlation Charts opens its webview panel', async () => {
    await vscode.commands.executeCommand('robustNas.openCorrelationCharts');
    const tab = await panelTab('robustNas.correlationCharts', 'Correlation Charts');
    assert.ok(tab.isActive, 'the charts panel opens in the active group, as its active tab');
    // The command reuses one panel: running it again opens no second tab.
    await vscode.commands.executeCommand('robustNas.openCorrelationCharts');
    assert.equal(webviewTabs().filter((t) => t.viewType.endsWith('robustNas.correlationCharts')).length, 1);
    await closeTab(tab);
  });

  test("Show Cell Diagram opens a panel titled by the cell's NAS-Bench-201 index, and reuses it for the next cell", async () => {
    const reference = await referenceBenchmark();
    const first = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';
    const second = reference.archOfIndex(1462).archString;
    const r = reference.resolve(first);
    assert.ok(r.ok);
    await vscode.commands.executeCommand('robustNas.showCellDiagram', first);
    // The panel opens as "Cell Diagram" and takes the cell's index as its title once the data is drawn.
    const tab = await panelTab('robustNas.cellDiagram', `Cell ${r.arch.index}`);
    await vscode.commands.executeCommand('robustNas.showCellDiagram', second);
    await panelTab('robustNas.cellDiagram', 'Cell 1462');
    const diagrams = webviewTabs().filter((t) => t.viewType.endsWith('robustNas.cellDiagram'));
    assert.equal(
      diagrams.length,
      1,
      `one reused diagram panel expected, got ${diagrams.map((t) => t.tab.label).join(', ')}`,
    );
    assert.notEqual(tab.group.viewColumn, undefined);
    await closeTab(diagrams[0].tab);
  });
});
