import * as vscode from 'vscode';
import { Commands } from '../../shared/commands';
import { CellDiagramPanel } from './cellDiagramPanel';
import { CorrelationChartsPanel } from './correlationChartsPanel';
import { errorMessage, type PanelServices } from './services';

/**
 * Registers the webview panels: their commands, the serializers that restore them after a reload, and the
 * comparison webview view. Called once from activate().
 */
export function registerPanels(context: vscode.ExtensionContext, services: PanelServices): void {
  const uri = context.extensionUri;
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.showCellDiagram, async (arg?: unknown) => {
      try {
        const text = await architectureArgument(arg, 'Architecture to draw (string, op code, index or NASLib tuple)');
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

/** The architecture a panel command was given: a string, an object with `archString` (tree items), or asked for. */
async function architectureArgument(arg: unknown, prompt: string): Promise<string | undefined> {
  if (typeof arg === 'string' && arg.trim()) return arg.trim();
  if (typeof arg === 'number') return String(arg);
  if (typeof arg === 'object' && arg !== null && typeof (arg as { archString?: unknown }).archString === 'string') return (arg as { archString: string }).archString;
  const editor = vscode.window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim().replace(/^['"]|['"]$/g, '') : '';
  if (selected) return selected;
  return vscode.window.showInputBox({ prompt, placeHolder: '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|' });
}
