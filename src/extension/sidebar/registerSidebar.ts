import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { ComparisonDragAndDrop } from './comparisonDragAndDrop';
import { COMPARISON_VIEW_ID, ComparisonTree, REVEAL_PINNED_COMMAND } from './comparisonTree';
import { TOP_ARCHITECTURES_VIEW_ID, TopArchitecturesTree } from './topArchitecturesTree';

/** The Robust NAS activity-bar container's tree views. `refresh()` re-renders both after a settings change. */
export function registerSidebar(s: ExtensionServices): vscode.Disposable & { refresh(): void } {
  const comparison = new ComparisonTree(s.comparison, s.benchmark, s.settings);
  const top = new TopArchitecturesTree(s.benchmark, s.settings);
  const comparisonView = vscode.window.createTreeView(COMPARISON_VIEW_ID, {
    treeDataProvider: comparison,
    showCollapseAll: true,
    canSelectMany: true,
    dragAndDropController: new ComparisonDragAndDrop(s.comparison, s.benchmark, s.log),
  });
  const topView = vscode.window.createTreeView(TOP_ARCHITECTURES_VIEW_ID, { treeDataProvider: top });
  const describe = () => {
    comparisonView.description = comparison.description();
    topView.description = top.description();
  };
  describe();
  const revealPinned = vscode.commands.registerCommand(REVEAL_PINNED_COMMAND, async (archString: string) => {
    const pinned = s.comparison.list();
    const position = pinned.indexOf(archString);
    if (position < 0) return;
    await comparisonView.reveal(
      { kind: 'pinned', archString, position, count: pinned.length },
      { focus: false, select: false, expand: true },
    );
  });
  const disposables = [comparison, top, comparisonView, topView, revealPinned];
  return {
    refresh() {
      describe();
      comparison.refresh();
      top.refresh();
    },
    dispose() {
      disposables.forEach((d) => d.dispose());
    },
  };
}
