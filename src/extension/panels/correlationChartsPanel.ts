import * as vscode from 'vscode';
import type { BenchmarkApi } from '../../core/benchmark/api';
import type { DatasetId } from '../../core/space';
import { Commands } from '../../shared/commands';
import type {
  ChartsState,
  ChartsToHostMessage,
  ChartsViewId,
  HostToChartsMessage,
  WebviewDatasetId,
} from '../../shared/webviewMessages';
import { chartsInit, chartsResult, defaultChartsState, normaliseChartsState } from './chartsData';
import { architecturePositionsInText } from './editorArchitectures';
import { MetricCatalog, benchmarkMetricSource } from './metricColumns';
import { errorMessage, reloadWhenDataArrives, type PanelServices } from './services';
import { htmlFor, saveExport, webviewOptions } from './webviewResources';

/** The metrics the charts offer: the benchmark's, then those of every readable NTK sweep file. */
export function chartsCatalog(bench: BenchmarkApi, services: PanelServices): MetricCatalog {
  return new MetricCatalog([benchmarkMetricSource(bench), ...(services.ntkSweeps?.sources(bench) ?? [])]);
}

/**
 * The "Correlation Charts" editor panel. The webview keeps the user's choices (getState/setState) and asks for the
 * data of a view; this class computes it with the core and answers. It also tells the webview which evaluated cells
 * the active editor mentions, so the scatter can mark them.
 */
export class CorrelationChartsPanel implements vscode.Disposable {
  static readonly viewType = 'robustNas.correlationCharts';
  private static current: CorrelationChartsPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private catalog: MetricCatalog | undefined;
  private bench: BenchmarkApi | undefined;
  private editorTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private ready = false;
  /** The view to show once the webview is ready (set by show()); cleared once the page asks for it. */
  private initialView: ChartsViewId | undefined;
  /** With `initialView`: the dataset to show it on (an added sweep's). */
  private initialDataset: WebviewDatasetId | undefined;
  /** The text editor whose architectures are marked: the active one, or the last one before the panel took focus. */
  private editor: vscode.TextEditor | undefined = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];

  /**
   * Opens (or reveals) the panel; `view` switches it to that view (e.g. `proxies` after adding a sweep file), on
   * `dataset` when given (the sweep's).
   */
  static show(
    extensionUri: vscode.Uri,
    services: PanelServices,
    view?: ChartsViewId,
    dataset?: WebviewDatasetId,
  ): void {
    const current = CorrelationChartsPanel.current;
    if (current) {
      // A hidden panel's page reloads when revealed and says `ready` again: the view is applied then, or now by a
      // `sweeps` message when the page is live (whichever comes first; the page's next request confirms it).
      current.initialView = view;
      current.initialDataset = dataset;
      current.panel.reveal();
      if (view) void current.postSweeps(view, dataset);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      CorrelationChartsPanel.viewType,
      'Correlation Charts',
      vscode.ViewColumn.Active,
      webviewOptions(extensionUri),
    );
    CorrelationChartsPanel.current = new CorrelationChartsPanel(panel, extensionUri, services);
    CorrelationChartsPanel.current.initialView = view;
    CorrelationChartsPanel.current.initialDataset = dataset;
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, services: PanelServices): void {
    panel.webview.options = webviewOptions(extensionUri);
    CorrelationChartsPanel.current?.dispose();
    CorrelationChartsPanel.current = new CorrelationChartsPanel(panel, extensionUri, services);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly services: PanelServices,
  ) {
    panel.webview.html = htmlFor(panel.webview, extensionUri, 'charts', 'Correlation Charts');
    this.disposables.push(
      // A page that showed a data error starts again once the data arrives (Locate, Download, a fixed setting).
      reloadWhenDataArrives(
        services,
        () => this.showedError,
        () => {
          this.showedError = false;
          this.ready = false;
          panel.webview.html = htmlFor(panel.webview, extensionUri, 'charts', 'Correlation Charts');
        },
      ),
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: ChartsToHostMessage) => void this.onMessage(m)),
      // The panel itself becomes the active editor group's focus, leaving no text editor: keep the last marks then.
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (!e) return;
        this.editor = e;
        this.scheduleEditorScan();
      }),
      vscode.workspace.onDidChangeTextDocument(
        (e) => e.document === this.editor?.document && this.scheduleEditorScan(),
      ),
    );
    if (services.ntkSweeps) {
      this.disposables.push(
        services.ntkSweeps.onDidChange(() => {
          this.catalog = undefined;
          if (this.ready) void this.postSweeps();
        }),
      );
    }
  }

  /** Tells the webview the NTK metrics changed (it asks again for its view); optionally switches its view. */
  private async postSweeps(showView?: ChartsViewId, showDataset?: WebviewDatasetId): Promise<void> {
    try {
      const { bench, catalog } = await this.load();
      this.post({
        type: 'sweeps',
        metrics: catalog.descriptors(),
        sweeps: this.services.ntkSweeps?.list(bench) ?? [],
        showView,
        showDataset,
      });
    } catch (error) {
      this.showedError = true;
      this.post({ type: 'error', message: errorMessage(error) });
    }
  }

  /** True once the page shows an error instead of charts; it is reloaded when the data arrives. */
  private showedError = false;

  private post(message: HostToChartsMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private async load(): Promise<{ bench: BenchmarkApi; catalog: MetricCatalog }> {
    const bench = await this.services.benchmark.get();
    if (bench !== this.bench || !this.catalog) {
      this.bench = bench;
      this.catalog = chartsCatalog(bench, this.services);
    }
    return { bench, catalog: this.catalog };
  }

  private defaults(): ChartsState {
    const s = this.services.settings();
    return defaultChartsState(s.dataset as DatasetId, s.metric);
  }

  private async onMessage(message: ChartsToHostMessage): Promise<void> {
    try {
      switch (message.type) {
        case 'ready': {
          const { bench, catalog } = await this.load();
          const restored = normaliseChartsState(message.state, catalog, this.defaults());
          const state = this.initialView
            ? { ...restored, view: this.initialView, dataset: this.initialDataset ?? restored.dataset }
            : restored;
          this.initialView = undefined;
          this.initialDataset = undefined;
          this.post(chartsInit(bench, catalog, state, this.services.ntkSweeps?.list(bench) ?? []));
          this.ready = true;
          this.scanEditor();
          break;
        }
        case 'request': {
          if (message.state.view === this.initialView) this.initialView = undefined;
          const { bench, catalog } = await this.load();
          const state = normaliseChartsState(message.state, catalog, this.defaults());
          this.post({
            ...chartsResult(bench, catalog, state, this.services.ntkSweeps?.list(bench)),
            requestId: message.requestId,
          });
          break;
        }
        case 'openDiagram':
          await vscode.commands.executeCommand(Commands.showCellDiagram, message.archString);
          break;
        case 'pin':
          await vscode.commands.executeCommand(Commands.addToComparison, message.archString);
          break;
        case 'export':
          await saveExport(message);
          break;
        case 'addNtkSweep':
          await vscode.commands.executeCommand(Commands.addNtkSweepToCharts);
          break;
        case 'removeNtkSweep':
          await this.services.ntkSweeps?.remove(message.key);
          break;
      }
    } catch (error) {
      this.services.log.warn(`Correlation charts: ${errorMessage(error)}`);
      this.showedError = true;
      this.post({ type: 'error', message: errorMessage(error) });
    }
  }

  private scheduleEditorScan(): void {
    if (this.editorTimer) clearTimeout(this.editorTimer);
    this.editorTimer = setTimeout(() => this.scanEditor(), 300);
  }

  private scanEditor(): void {
    const editor = this.editor;
    if (!editor || editor.document.isClosed || !this.bench) return;
    const positions = architecturePositionsInText(this.bench, editor.document.getText());
    this.post({ type: 'editorArchitectures', positions, source: vscode.workspace.asRelativePath(editor.document.uri) });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (CorrelationChartsPanel.current === this) CorrelationChartsPanel.current = undefined;
    if (this.editorTimer) clearTimeout(this.editorTimer);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
