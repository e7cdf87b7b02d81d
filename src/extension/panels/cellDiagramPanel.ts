import * as vscode from 'vscode';
import { Commands } from '../../shared/commands';
import type { DiagramState, DiagramToHostMessage, HostToDiagramMessage } from '../../shared/webviewMessages';
import { buildDiagramData } from './diagramData';
import { errorMessage, reloadWhenDataArrives, type PanelServices } from './services';
import { htmlFor, saveExport, webviewOptions } from './webviewResources';

/**
 * The "Cell Diagram" editor panel. One panel is reused: showing another cell replaces its content. Its state (the
 * cell and the chosen options) lives in the webview's getState/setState, so the serializer can restore it after a
 * window reload.
 */
export class CellDiagramPanel implements vscode.Disposable {
  static readonly viewType = 'robustNas.cellDiagram';
  private static current: CellDiagramPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private state: DiagramState;

  static show(extensionUri: vscode.Uri, services: PanelServices, archString: string): void {
    const settings = services.settings();
    const base = CellDiagramPanel.current?.state;
    const state: DiagramState = {
      archString,
      dataset: base?.dataset ?? settings.dataset,
      metric: base?.metric ?? settings.metric,
      topK: base?.topK ?? 10,
      showNoneEdges: base?.showNoneEdges ?? true,
    };
    if (CellDiagramPanel.current) {
      CellDiagramPanel.current.panel.reveal(undefined, true);
      void CellDiagramPanel.current.update(state);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      CellDiagramPanel.viewType,
      'Cell Diagram',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        ...webviewOptions(extensionUri),
        retainContextWhenHidden: false,
      },
    );
    CellDiagramPanel.current = new CellDiagramPanel(panel, extensionUri, services, state);
  }

  /** Recreates the panel VS Code restored after a reload, from the state the webview saved. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, services: PanelServices, saved: unknown): void {
    const settings = services.settings();
    const s = (typeof saved === 'object' && saved !== null ? saved : {}) as Partial<DiagramState>;
    const state: DiagramState = {
      archString: typeof s.archString === 'string' ? s.archString : '',
      dataset: s.dataset ?? settings.dataset,
      metric: s.metric ?? settings.metric,
      topK: s.topK ?? 10,
      showNoneEdges: s.showNoneEdges ?? true,
    };
    panel.webview.options = webviewOptions(extensionUri);
    CellDiagramPanel.current?.dispose();
    CellDiagramPanel.current = new CellDiagramPanel(panel, extensionUri, services, state);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly services: PanelServices,
    state: DiagramState,
  ) {
    this.state = state;
    panel.webview.html = htmlFor(panel.webview, extensionUri, 'diagram', 'Cell Diagram');
    this.disposables.push(
      reloadWhenDataArrives(
        services,
        () => this.showedError,
        () => {
          this.showedError = false;
          void this.update(this.state);
        },
      ),
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: DiagramToHostMessage) => void this.onMessage(m)),
    );
  }

  private post(message: HostToDiagramMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(message: DiagramToHostMessage): Promise<void> {
    try {
      switch (message.type) {
        case 'ready':
          // A restored webview knows its own state best; a fresh one gets the state the command chose.
          await this.update(message.state?.archString ? message.state : this.state);
          break;
        case 'request':
          await this.update(message.state);
          break;
        case 'pin':
          await vscode.commands.executeCommand(Commands.addToComparison, message.archString);
          break;
        case 'exportPytorch':
          await vscode.commands.executeCommand(Commands.exportPytorch, message.archString);
          break;
        case 'export':
          await saveExport(message);
          break;
      }
    } catch (error) {
      this.showedError = true;
      this.post({ type: 'error', message: errorMessage(error) });
    }
  }

  /** True while the page shows an error; a data load that succeeds then redraws the diagram. */
  private showedError = false;

  private async update(state: DiagramState): Promise<void> {
    this.state = state;
    try {
      if (!state.archString)
        throw new Error('No architecture to draw: run "Robust NAS: Show Cell Diagram" on an architecture string.');
      const bench = await this.services.benchmark.get();
      const data = buildDiagramData(bench, state);
      this.state = data.state;
      this.panel.title = `Cell ${data.cell.index}`;
      this.post(data);
    } catch (error) {
      this.services.log.warn(`Cell diagram: ${errorMessage(error)}`);
      this.showedError = true;
      this.post({ type: 'error', message: errorMessage(error) });
    }
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (CellDiagramPanel.current === this) CellDiagramPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
