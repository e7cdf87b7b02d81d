import * as vscode from 'vscode';
import { Commands } from '../../shared/commands';
import { archTextFromArgument } from '../editor/archArgument';
import { CellDiagramPanel } from './cellDiagramPanel';
import { COMPARISON_TABLE_VIEW_ID, ComparisonViewProvider } from './comparisonViewProvider';
import { CorrelationChartsPanel } from './correlationChartsPanel';
import { errorMessage, type PanelServices } from './services';

/**
 * Registers the webview panels: their commands, the serializers that restore them after a reload, and the
 * comparison webview view. Called once from activate().
 */
export function registerPanels(context: vscode.ExtensionContext, services: PanelServices): void {
  const uri = context.extensionUri;
  const comparisonView = new ComparisonViewProvider(uri, services);
  context.subscriptions.push(
    comparisonView,
    vscode.window.registerWebviewViewProvider(COMPARISON_TABLE_VIEW_ID, comparisonView),
    vscode.commands.registerCommand(Commands.showCellDiagram, async (arg?: unknown) => {
      try {
        // A string (hovers, CodeLenses), a tree item or webview row with `archString`, else the editor's selection
        // or the architecture under the cursor; asked for when there is none.
        const text = archTextFromArgument(arg)?.text ?? (await vscode.window.showInputBox({
          prompt: 'Architecture to draw (string, op code, index or NASLib tuple)',
          placeHolder: '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
        }));
        if (text) CellDiagramPanel.show(uri, services, text);
      } catch (error) {
        void vscode.window.showErrorMessage(errorMessage(error));
      }
    }),
    vscode.commands.registerCommand(Commands.openCorrelationCharts, () => CorrelationChartsPanel.show(uri, services)),
    vscode.window.registerWebviewPanelSerializer(CorrelationChartsPanel.viewType, {
      deserializeWebviewPanel: async (panel) => CorrelationChartsPanel.revive(panel, uri, services),
    }),
    vscode.window.registerWebviewPanelSerializer(CellDiagramPanel.viewType, {
      deserializeWebviewPanel: async (panel, state) => CellDiagramPanel.revive(panel, uri, services, state),
    }),
  );
}
