import * as vscode from 'vscode';
import { Commands } from '../shared/commands';
import type { RobustNasSettings } from '../shared/settings';
import type { BenchmarkState } from './benchmarkService';
import { datasetLabel, metricLabel } from './format';
import { INTERNAL_COMMANDS } from './commands/commandIds';
import { DATA_PROBLEM_LABEL } from './dataProblemUi';
import type { IgnoredWorkspaceValue } from './settings';

/** Workspace trust as the status bar shows it. */
export interface TrustState {
  readonly trusted: boolean;
  /** Restricted settings the untrusted workspace sets, whose values are ignored. */
  readonly ignored: readonly IgnoredWorkspaceValue[];
}

/**
 * One status bar item: the configured dataset and metric, and whether the benchmark data is loading, ready, or
 * unavailable (then a warning naming the problem - missing, download failed, damaged - that offers the fixes).
 */
export class BenchmarkStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('robustNas.status', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = 'Robust NAS';
  }

  update(settings: RobustNasSettings, state: BenchmarkState, trust: TrustState = { trusted: true, ignored: [] }): void {
    const choice = `${datasetLabel(settings.dataset)} · ${metricLabel(settings.metric)}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    let plainTooltip: string | undefined;
    tooltip.appendMarkdown(
      `**Robust NAS**: ranking by ${metricLabel(settings.metric)} on ${datasetLabel(settings.dataset)}\n\n`,
    );
    this.item.backgroundColor = undefined;
    switch (state.kind) {
      case 'loading':
        this.item.text = `$(loading~spin) ${choice}`;
        tooltip.appendMarkdown('Loading NAS-RobBench-201...');
        this.item.command = Commands.showLog;
        break;
      case 'ready':
        this.item.text = `$(beaker) ${choice}`;
        tooltip.appendText(
          `NAS-RobBench-201: ${state.benchmark.evaluatedIndices.length} evaluated cells, from ${state.benchmark.sources.adversarial}`,
        );
        tooltip.appendMarkdown('\n\nClick to change the dataset and metric.');
        this.item.command = Commands.selectDatasetAndMetric;
        break;
      case 'unavailable':
        this.item.text = `$(warning) Robust NAS: ${DATA_PROBLEM_LABEL[state.problem.kind]}`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        // Plain text: the loader's message holds paths and URLs that Markdown would turn into links.
        plainTooltip = `${state.problem.summary}.\n\nClick for the actions that fix it (Locate Benchmark Data..., Download, Show Log).`;
        this.item.command = INTERNAL_COMMANDS.dataActions;
        break;
    }
    if (plainTooltip !== undefined) {
      if (!trust.trusted)
        plainTooltip +=
          "\n\nRestricted Mode: this folder's robustNas.dataPath and robustNas.ntk.inputs are ignored until you trust it.";
      this.item.tooltip = plainTooltip;
      this.item.show();
      return;
    }
    if (!trust.trusted) {
      // Restricted Mode: say which settings are held back, and which of the folder's own values are being ignored.
      tooltip.appendMarkdown(
        '\n\n---\n\n$(workspace-untrusted) **Restricted Mode**: lookups, hovers, diagnostics and charts work; ',
      );
      tooltip.appendMarkdown(
        "this folder's values of `robustNas.dataPath` and `robustNas.ntk.inputs` (folders that are read) are ignored until you trust it.",
      );
      for (const i of trust.ignored) {
        tooltip.appendMarkdown(`\n\n- \`${i.key}\` set by this folder to `);
        tooltip.appendText(JSON.stringify(i.value));
        tooltip.appendMarkdown(': ignored');
      }
      if (trust.ignored.length) this.item.text = `$(workspace-untrusted) ${this.item.text}`;
    }
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
