import * as vscode from 'vscode';
import { Commands } from '../shared/commands';
import type { RobustNasSettings } from '../shared/settings';
import type { BenchmarkState } from './benchmarkService';
import { datasetLabel, metricLabel } from './format';
import { INTERNAL_COMMANDS } from './commands/commandIds';
import { DATA_PROBLEM_LABEL } from './dataProblemUi';

/**
 * One status bar item: the configured dataset and metric, and whether the benchmark data is loading, ready, or
 * unavailable (then a warning naming the problem - missing, download failed, damaged - that offers the fixes).
 */
export class BenchmarkStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('robustNas.status', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = 'Robust NAS';
  }

  update(settings: RobustNasSettings, state: BenchmarkState): void {
    const choice = `${datasetLabel(settings.dataset)} · ${metricLabel(settings.metric)}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**Robust NAS**: ranking by ${metricLabel(settings.metric)} on ${datasetLabel(settings.dataset)}\n\n`);
    this.item.backgroundColor = undefined;
    switch (state.kind) {
      case 'loading':
        this.item.text = `$(loading~spin) ${choice}`;
        tooltip.appendMarkdown('Loading NAS-RobBench-201...');
        this.item.command = Commands.showLog;
        break;
      case 'ready':
        this.item.text = `$(beaker) ${choice}`;
        tooltip.appendText(`NAS-RobBench-201: ${state.benchmark.evaluatedIndices.length} evaluated cells, from ${state.benchmark.sources.adversarial}`);
        tooltip.appendMarkdown('\n\nClick to change the dataset and metric.');
        this.item.command = Commands.selectDatasetAndMetric;
        break;
      case 'unavailable':
        this.item.text = `$(warning) Robust NAS: ${DATA_PROBLEM_LABEL[state.problem.kind]}`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        // Plain text: the loader's message holds paths and URLs that Markdown would turn into links.
        this.item.tooltip = `${state.problem.summary}.\n\nClick for the actions that fix it (Locate Benchmark Data..., Download, Show Log).`;
        this.item.command = INTERNAL_COMMANDS.dataActions;
        this.item.show();
        return;
    }
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
