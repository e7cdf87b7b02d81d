import * as vscode from 'vscode';
import type { BenchmarkApi } from '../../core/benchmark/api';
import {
  ADVERSARIAL_METRIC_IDS,
  COST_METRIC_IDS,
  formatMetricNumber,
  METRIC_INFO,
  STANDARD_METRIC_IDS,
  type MetricId,
} from '../../core/benchmark/metrics';
import { parseArchString } from '../../core/space/parse';
import type { BenchmarkService } from '../benchmarkService';
import { bestRowsPerColumn } from '../comparison/bestPerMetric';
import type { ComparisonStore } from '../comparison/comparisonStore';
import { datasetLabel, formatRank, metricLabel, shortCellLabel } from '../format';
import type { RobustNasSettings } from '../../shared/settings';
import { metricDescription } from './metricDescription';
import { dataStateNode, type MessageNode, messageTreeItem } from './messageNode';

export const COMPARISON_VIEW_ID = 'robustNas.comparison';

/**
 * Internal: `[archString]` -> shows that pinned cell in the Comparison view (opening the side bar if needed)
 * without taking the keyboard focus, so an open palette, quick pick or editor keeps it.
 */
export const REVEAL_PINNED_COMMAND = 'robustNas.internal.revealPinned';

/** Metrics listed under each pinned cell: the adversarial ones, the standard-training counterparts, params and FLOPs. */
const LISTED_METRICS: readonly MetricId[] = [...ADVERSARIAL_METRIC_IDS, ...STANDARD_METRIC_IDS, ...COST_METRIC_IDS];

export interface PinnedNode {
  readonly kind: 'pinned';
  /** Also what Add/Remove/Move/Copy/Diagram commands read from their tree argument. */
  readonly archString: string;
  readonly position: number;
  readonly count: number;
}

interface MetricNode {
  readonly kind: 'metric';
  readonly archString: string;
  readonly metric: MetricId;
  /** `48.10%`. */
  readonly value: string;
  /** `#3 / 6466`. */
  readonly rank: string;
  readonly best: boolean;
  readonly configured: boolean;
}

type ComparisonNode = PinnedNode | MetricNode | MessageNode;

/**
 * The Comparison tree: pinned cells in the user's order, each with its metrics on the configured dataset as
 * children; the best value of each metric among the pinned cells is starred.
 */
export class ComparisonTree implements vscode.TreeDataProvider<ComparisonNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ComparisonNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly store: ComparisonStore,
    private readonly benchmark: BenchmarkService,
    private readonly settings: () => RobustNasSettings,
  ) {
    this.subscriptions = [store.onDidChange(() => this.refresh()), benchmark.onDidChange(() => this.refresh())];
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** Shown after the view's title: which dataset the values are for. */
  description(): string {
    return datasetLabel(this.settings().dataset);
  }

  getChildren(node?: ComparisonNode): ComparisonNode[] {
    const pinned = this.store.list();
    if (!node) {
      return pinned.map((archString, position) => ({ kind: 'pinned', archString, position, count: pinned.length }));
    }
    if (node.kind !== 'pinned') return [];
    const bench = this.benchmark.ready();
    if (!bench) return [dataStateNode(this.benchmark.state)];
    return this.metricNodes(bench, pinned, node.archString);
  }

  private metricNodes(bench: BenchmarkApi, pinned: readonly string[], archString: string): ComparisonNode[] {
    const { dataset, metric: configured } = this.settings();
    // The pinned cell's own index: accuracies are its class's, params and FLOPs its own.
    const indexOf = (s: string) => {
      const r = bench.resolve(s);
      return r.ok ? r.arch.index : -1;
    };
    const rows = pinned.map((s) => {
      const index = indexOf(s);
      return LISTED_METRICS.map((m) => (index < 0 ? undefined : bench.metric(index, dataset, m)?.value));
    });
    const best = bestRowsPerColumn(
      rows,
      LISTED_METRICS.length,
      LISTED_METRICS.map((m) => METRIC_INFO[m].direction),
    );
    const row = pinned.indexOf(archString);
    const index = indexOf(archString);
    if (index < 0) return [{ kind: 'message', text: 'Not a valid architecture string' }];
    const nodes: ComparisonNode[] = [];
    LISTED_METRICS.forEach((m, column) => {
      const v = bench.metric(index, dataset, m);
      if (!v) return;
      nodes.push({
        kind: 'metric',
        archString,
        metric: m,
        configured: m === configured,
        best: pinned.length > 1 && best[column].has(row),
        value: formatMetricNumber(m, v.value),
        rank: formatRank(v.rank, v.of),
      });
    });
    return nodes;
  }

  getTreeItem(node: ComparisonNode): vscode.TreeItem {
    switch (node.kind) {
      case 'message':
        return messageTreeItem(node);
      case 'pinned': {
        const parsed = parseArchString(node.archString);
        const label = parsed.ok ? shortCellLabel(parsed.cell) : node.archString;
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
        const bench = this.benchmark.ready();
        const r = bench?.resolve(node.archString);
        item.description = r?.ok ? `#${r.arch.index}` : undefined;
        item.tooltip = new vscode.MarkdownString().appendCodeblock(node.archString, 'text');
        item.iconPath = new vscode.ThemeIcon('pinned');
        item.id = `pinned:${node.archString}`;
        // `first`/`last` let the menus hide Move Up on the first row and Move Down on the last.
        const edge =
          node.count === 1 ? ':only' : node.position === 0 ? ':first' : node.position === node.count - 1 ? ':last' : '';
        item.contextValue = `robustNas.pinned${edge}`;
        return item;
      }
      case 'metric': {
        const item = new vscode.TreeItem(metricLabel(node.metric), vscode.TreeItemCollapsibleState.None);
        item.description = metricDescription(node);
        item.tooltip = `${METRIC_INFO[node.metric].description}\n${node.value}, rank ${node.rank} of the benchmark${node.best ? '\nBest of the pinned architectures.' : ''}`;
        item.iconPath = node.best
          ? new vscode.ThemeIcon('star-full', new vscode.ThemeColor('charts.yellow'))
          : new vscode.ThemeIcon(node.configured ? 'target' : 'dash');
        item.id = `metric:${node.archString}:${node.metric}`;
        item.contextValue = 'robustNas.metric';
        return item;
      }
    }
  }

  getParent(node: ComparisonNode): ComparisonNode | undefined {
    if (node.kind !== 'metric') return undefined;
    const pinned = this.store.list();
    const position = pinned.indexOf(node.archString);
    return position < 0 ? undefined : { kind: 'pinned', archString: node.archString, position, count: pinned.length };
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}
