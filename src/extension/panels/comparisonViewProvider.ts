import * as vscode from 'vscode';
import { DATASET_IDS, type DatasetId } from '../../core/space';
import { Commands } from '../../shared/commands';
import type { ComparisonToHostMessage, HostToComparisonMessage } from '../../shared/webviewMessages';
import { comparisonCsv, comparisonMarkdown, comparisonTable } from './comparisonData';
import { errorMessage, type PanelServices } from './services';
import { htmlFor, webviewOptions } from './webviewResources';

/** The comparison table: a webview view in the Robust NAS sidebar, beside the Comparison tree. */
export const COMPARISON_TABLE_VIEW_ID = 'robustNas.comparisonTable';

export class ComparisonViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  /**
   * A dataset the user picked in the view's dropdown. It lasts while the extension runs (the view may be hidden and
   * shown again) and gives way to the `robustNas.dataset` setting when that changes; after a reload the table
   * follows the setting again, as the Comparison tree and the hovers do.
   */
  private picked: DatasetId | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly services: PanelServices,
  ) {
    this.disposables.push(
      services.comparison.onDidChange(() => void this.update()),
      ...(services.benchmark.onDidChange ? [services.benchmark.onDidChange(() => void this.update())] : []),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('robustNas.dataset')) return;
        this.picked = undefined;
        void this.update();
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = htmlFor(view.webview, this.extensionUri, 'comparison', 'Comparison');
    this.disposables.push(
      view.webview.onDidReceiveMessage((m: ComparisonToHostMessage) => void this.onMessage(m)),
      view.onDidDispose(() => {
        this.view = undefined;
      }),
    );
  }

  private post(message: HostToComparisonMessage): void {
    void this.view?.webview.postMessage(message);
  }

  private async table() {
    const bench = await this.services.benchmark.get();
    return comparisonTable(bench, this.services.comparison.list(), this.picked ?? this.services.settings().dataset);
  }

  private async update(): Promise<void> {
    if (!this.view) return;
    try {
      this.post(await this.table());
    } catch (error) {
      this.post({ type: 'error', message: errorMessage(error) });
    }
  }

  private async onMessage(message: ComparisonToHostMessage): Promise<void> {
    try {
      switch (message.type) {
        case 'ready':
          await this.update();
          break;
        case 'setDataset':
          if (!(DATASET_IDS as readonly string[]).includes(message.dataset))
            throw new Error(`Unknown dataset ${message.dataset}.`);
          this.picked = message.dataset;
          await this.update();
          break;
        case 'remove':
          await this.services.comparison.remove(message.archString);
          break;
        case 'move':
          await this.services.comparison.move(message.archString, message.delta);
          break;
        case 'openDiagram':
          await vscode.commands.executeCommand(Commands.showCellDiagram, message.archString);
          break;
        case 'exportPytorch':
          await vscode.commands.executeCommand(Commands.exportPytorch, message.archString);
          break;
        case 'copy': {
          const t = await this.table();
          await vscode.env.clipboard.writeText(
            message.format === 'markdown' ? comparisonMarkdown(t) : comparisonCsv(t),
          );
          void vscode.window.showInformationMessage(
            `Copied the comparison of ${t.rows.length} cells as ${message.format === 'markdown' ? 'Markdown' : 'CSV'}.`,
          );
          break;
        }
      }
    } catch (error) {
      this.services.log.warn(`Comparison view: ${errorMessage(error)}`);
      this.post({ type: 'error', message: errorMessage(error) });
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
