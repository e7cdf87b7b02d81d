import * as vscode from 'vscode';
import { Commands } from '../../shared/commands';
import { archTextFromArgument } from '../editor/archArgument';
import { CellDiagramPanel } from './cellDiagramPanel';
import { COMPARISON_TABLE_VIEW_ID, ComparisonViewProvider } from './comparisonViewProvider';
import { chartsResult, defaultChartsState, normaliseChartsState } from './chartsData';
import { CorrelationChartsPanel, chartsCatalog } from './correlationChartsPanel';
import { NtkSweepFiles } from './ntkSweepFiles';
import { errorMessage, type PanelServices } from './services';
import type { ChartsState, NtkSweepInfo } from '../../shared/webviewMessages';
import type { DatasetId } from '../../core/space';

/**
 * Internal (not in the palette): `[state: Partial<ChartsState>]` -> the data the correlation charts would draw for
 * that state, with the metrics they offer now (benchmark + loaded NTK sweeps). For the end-to-end tests.
 */
export const CHARTS_RESULT_COMMAND = 'robustNas.internal.correlationChartsResult';

/** A Uri (the explorer context menu passes one), its JSON components, a URI string or a path -> the Uri. */
function fileArgument(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  // A Uri that travelled as JSON (a `command:` link, another extension): its components.
  const parts = arg as { scheme?: unknown; path?: unknown } | undefined;
  if (parts && typeof parts === 'object' && typeof parts.scheme === 'string' && typeof parts.path === 'string')
    return vscode.Uri.from(parts as vscode.Uri);
  if (typeof arg === 'string' && arg.length > 0)
    return /^[a-z][a-z0-9+.-]+:/i.test(arg) && !/^[a-z]:[\\/]/i.test(arg)
      ? vscode.Uri.parse(arg)
      : vscode.Uri.file(arg);
  return undefined;
}

/** True when `file` may be read without asking: a known sweep file, or a file inside a trusted workspace folder. */
function mayReadUnasked(file: vscode.Uri, knownSweepFiles: readonly string[]): boolean {
  if (file.scheme !== 'file') return false;
  if (knownSweepFiles.includes(file.fsPath)) return true;
  if (!vscode.workspace.isTrusted) return false;
  const folder = vscode.workspace.getWorkspaceFolder(file);
  return folder !== undefined && folder.uri.scheme === 'file';
}

/**
 * Registers the webview panels: their commands, the serializers that restore them after a reload, and the
 * comparison webview view. Called once from activate().
 */
export function registerPanels(context: vscode.ExtensionContext, base: PanelServices): void {
  const uri = context.extensionUri;
  const ntkSweeps = new NtkSweepFiles(context.workspaceState, base.log);
  const services: PanelServices = { ...base, ntkSweeps };
  context.subscriptions.push(ntkSweeps);
  // The hover card ranks a class's scores in the sweeps loaded here: tell the language server which files they are.
  const shareSweeps = () => base.ntkResults?.setChartSweepFiles?.(ntkSweeps.list().map((s) => s.path));
  shareSweeps();
  context.subscriptions.push(ntkSweeps.onDidChange(shareSweeps));
  const comparisonView = new ComparisonViewProvider(uri, services);
  context.subscriptions.push(
    comparisonView,
    vscode.window.registerWebviewViewProvider(COMPARISON_TABLE_VIEW_ID, comparisonView),
    vscode.commands.registerCommand(Commands.showCellDiagram, async (arg?: unknown) => {
      try {
        // A string (hovers, CodeLenses), a tree item or webview row with `archString`, else the editor's selection
        // or the architecture under the cursor; asked for when there is none.
        const text =
          archTextFromArgument(arg)?.text ??
          (await vscode.window.showInputBox({
            prompt: 'Architecture to draw (string, op code, index or NASLib tuple)',
            placeHolder:
              '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
          }));
        if (text) CellDiagramPanel.show(uri, services, text);
      } catch (error) {
        void vscode.window.showErrorMessage(errorMessage(error));
      }
    }),
    vscode.commands.registerCommand(Commands.openCorrelationCharts, () => CorrelationChartsPanel.show(uri, services)),
    vscode.commands.registerCommand(
      Commands.addNtkSweepToCharts,
      async (arg?: unknown): Promise<NtkSweepInfo | undefined> => {
        let file = fileArgument(arg);
        // A file argument is read unasked only when the user already chose it (a sweep file this extension wrote or
        // was given) or it lies in a trusted workspace folder; any other (a link's) opens the picker there instead.
        if (
          !file ||
          !mayReadUnasked(file, [...(services.ntkResults?.sweepFiles ?? []), ...ntkSweeps.list().map((i) => i.path)])
        ) {
          const picked = await vscode.window.showOpenDialog({
            title: 'Open NTK Sweep Results in Correlation Charts',
            openLabel: 'Add to Charts',
            canSelectMany: false,
            defaultUri: file?.scheme === 'file' ? file : undefined,
            filters: { 'NTK sweep results (JSON Lines)': ['jsonl', 'ndjson', 'json'], 'All files': ['*'] },
          });
          file = picked?.[0];
        }
        if (!file) return undefined;
        if (file.scheme !== 'file') {
          void vscode.window.showErrorMessage(
            `Robust NAS: ${file.toString()} is not a local file; NTK sweep results are read from disk. Copy it into the workspace first.`,
          );
          return undefined;
        }
        // Without the benchmark the file still loads (its classes are counted once the data is there).
        const bench = await services.benchmark.get().catch(() => undefined);
        const info = await ntkSweeps.add(file, bench);
        CorrelationChartsPanel.show(uri, services, 'proxies', info.dataset);
        if (info.error) {
          void vscode.window.showErrorMessage(`Robust NAS: ${info.error}`);
        } else {
          const more = info.partialLastLine ? ' (a sweep is still writing it: the charts update as lines arrive)' : '';
          base.log.info(`NTK sweep ${info.path}: ${info.rows} rows, ${info.classes} benchmark classes${more}`);
        }
        return info;
      },
    ),
    vscode.commands.registerCommand(CHARTS_RESULT_COMMAND, async (state?: Partial<ChartsState>) => {
      const bench = await services.benchmark.get();
      const catalog = chartsCatalog(bench, services);
      const s = services.settings();
      const normal = normaliseChartsState(state, catalog, defaultChartsState(s.dataset as DatasetId, s.metric));
      return {
        result: chartsResult(bench, catalog, normal, ntkSweeps.list(bench)),
        metrics: catalog.descriptors(),
        sweeps: ntkSweeps.list(bench),
      };
    }),
    vscode.window.registerWebviewPanelSerializer(CorrelationChartsPanel.viewType, {
      deserializeWebviewPanel: async (panel) => CorrelationChartsPanel.revive(panel, uri, services),
    }),
    vscode.window.registerWebviewPanelSerializer(CellDiagramPanel.viewType, {
      deserializeWebviewPanel: async (panel, state) => CellDiagramPanel.revive(panel, uri, services, state),
    }),
  );
}
