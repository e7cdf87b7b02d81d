import * as vscode from 'vscode';
import { INTERNAL_COMMANDS } from '../commands/commandIds';
import { DATA_PROBLEM_LABEL } from '../dataProblemUi';
import type { BenchmarkState } from '../benchmarkService';

/** A one-line tree row that explains why there is nothing to show, optionally with a command to fix it. */
export interface MessageNode {
  readonly kind: 'message';
  readonly text: string;
  readonly tooltip?: string;
  readonly command?: vscode.Command;
}

export function messageTreeItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
  item.tooltip = node.tooltip ?? node.text;
  item.command = node.command;
  item.iconPath = new vscode.ThemeIcon(node.command ? 'warning' : 'info');
  item.contextValue = 'robustNas.message';
  return item;
}

/** The row shown in place of benchmark values while the data is loading or when it is missing. */
export function dataStateNode(state: BenchmarkState): MessageNode {
  switch (state.kind) {
    case 'loading':
    case 'ready':
      return { kind: 'message', text: 'Loading NAS-RobBench-201...' };
    case 'unavailable': {
      const label = DATA_PROBLEM_LABEL[state.problem.kind];
      return {
        kind: 'message',
        text: `${label[0].toUpperCase()}${label.slice(1)}: click to get the data`,
        tooltip: `${state.problem.summary}.`,
        command: { title: 'Get the Benchmark Data', command: INTERNAL_COMMANDS.dataActions },
      };
    }
  }
}
