import * as vscode from 'vscode';
import type { RankedArch } from '../../core/benchmark/api';
import { METRIC_INFO } from '../../core/benchmark/metrics';
import type { RobustNasSettings } from '../../shared/settings';
import type { BenchmarkService } from '../benchmarkService';
import { datasetLabel, formatAccuracy, metricLabel, shortCellLabel } from '../format';
import { dataStateNode, type MessageNode, messageTreeItem } from './messageNode';

export const TOP_ARCHITECTURES_VIEW_ID = 'robustNas.topArchitectures';

/** How many cells the tree lists; the Search QuickPick and the Top report cover the rest. */
export const TOP_TREE_SIZE = 100;

export interface TopArchNode {
  readonly kind: 'top';
  /** Read by Add to Comparison / Copy / Diagram when run from the item's context menu. */
  readonly archString: string;
  readonly ranked: RankedArch;
}

type TopNode = TopArchNode | MessageNode;

/** The best cells of the benchmark by the configured dataset and metric, refreshed when either changes. */
export class TopArchitecturesTree implements vscode.TreeDataProvider<TopNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TopNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly benchmark: BenchmarkService,
    private readonly settings: () => RobustNasSettings,
  ) {
    this.subscription = benchmark.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  description(): string {
    const s = this.settings();
    return `${metricLabel(s.metric)} on ${datasetLabel(s.dataset)}`;
  }

  getChildren(node?: TopNode): TopNode[] {
    if (node) return [];
    const bench = this.benchmark.ready();
    if (!bench) return [dataStateNode(this.benchmark.state)];
    const { dataset, metric } = this.settings();
    return bench
      .topK(dataset, metric, TOP_TREE_SIZE)
      .map((ranked) => ({ kind: 'top', archString: ranked.arch.archString, ranked }));
  }

  getTreeItem(node: TopNode): vscode.TreeItem {
    if (node.kind === 'message') return messageTreeItem(node);
    const { metric } = this.settings();
    const { arch, value, rank } = node.ranked;
    const item = new vscode.TreeItem(`#${rank}  ${formatAccuracy(value)}`, vscode.TreeItemCollapsibleState.None);
    item.description = shortCellLabel(arch.cell);
    item.tooltip = new vscode.MarkdownString()
      .appendMarkdown(
        `**#${rank}** by ${METRIC_INFO[metric].label}: ${formatAccuracy(value)} (index ${arch.index})\n\n`,
      )
      .appendCodeblock(arch.archString, 'text');
    item.iconPath = new vscode.ThemeIcon('symbol-structure');
    item.id = `top:${arch.index}`;
    item.contextValue = 'robustNas.topArch';
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
