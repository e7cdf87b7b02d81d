import * as vscode from 'vscode';
import { Commands } from '../../shared/commands';
import { reportToMarkdown, type Report } from './reportModel';
import { REPORT_LINK_COMMANDS, reportPageHtml } from './reportPage';

export const REPORT_SCHEME = 'robust-nas-report';
export const REPORT_VIEW_TYPE = 'robustNas.report';

function fileNameOf(report: Report): string {
  return `${report.tabTitle
    .replace(/[#·]/g, ' ')
    .replace(/[\\/:*?"<>|%]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ /g, '-')}.md`;
}

interface OpenReport {
  readonly report: Report;
  readonly markdown: string;
  readonly uri: vscode.Uri;
  readonly panel: vscode.WebviewPanel;
}

/**
 * Command results (top-k, Pareto front, NAS runs, NTK scores) shown in a report panel beside the editor: a short tab
 * title, metrics first, each cell named by index and ops with its string below and links to draw, pin or copy it.
 * The report's Markdown stays reachable as a read-only document (`robust-nas-report:` URI, for tests and for
 * "Export Markdown…", which saves it into the workspace).
 */
export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly open = new Map<number, OpenReport>();
  private next = 1;
  private active: number | undefined;
  private readonly disposables: vscode.Disposable[] = [
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this),
    vscode.commands.registerCommand(Commands.exportReport, (arg?: unknown) => this.exportReport(arg)),
  ];

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.contents.get(uri.toString()) ?? `# Report no longer available\n\nRun the command again to recreate it.\n`
    );
  }

  /** Opens `report` in a panel beside the active editor; returns the URI of its Markdown. */
  async show(report: Report): Promise<vscode.Uri> {
    const id = this.next++;
    const markdown = reportToMarkdown(report);
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${id}/${fileNameOf(report)}` });
    this.contents.set(uri.toString(), markdown);
    const panel = vscode.window.createWebviewPanel(
      REPORT_VIEW_TYPE,
      report.tabTitle,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      {
        enableScripts: false,
        enableCommandUris: REPORT_LINK_COMMANDS,
        localResourceRoots: [],
      },
    );
    panel.webview.html = reportPageHtml(report, id);
    this.open.set(id, { report, markdown, uri, panel });
    this.active = id;
    panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.active = id;
    });
    panel.onDidDispose(() => {
      this.open.delete(id);
      if (this.active === id) this.active = undefined;
    });
    return uri;
  }

  /** Export Report as Markdown: args `[reportId?]` (a report's own link), else the active report. Returns the file. */
  private async exportReport(arg?: unknown): Promise<vscode.Uri | undefined> {
    const id = arg === undefined ? this.active : arg;
    const entry = typeof id === 'number' && Number.isInteger(id) ? this.open.get(id) : undefined;
    if (!entry) {
      const message =
        arg === undefined
          ? 'Robust NAS: no report is open. Run Top Architectures, Run NAS Algorithm or Compute NTK Scores first.'
          : 'Robust NAS: that report is closed; run the command that made it again.';
      void vscode.window.showWarningMessage(message);
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = fileNameOf(entry.report);
    const target = await vscode.window.showSaveDialog({
      title: `Export "${entry.report.tabTitle}" as Markdown`,
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { Markdown: ['md'] },
      saveLabel: 'Export',
    });
    if (!target) return undefined;
    try {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(entry.markdown));
    } catch (error) {
      void vscode.window.showErrorMessage(
        `Robust NAS: could not save the report to ${target.fsPath}: ${error instanceof Error ? error.message : String(error)}. Choose another folder.`,
      );
      return undefined;
    }
    void vscode.window
      .showInformationMessage(`Robust NAS: report saved to ${vscode.workspace.asRelativePath(target)}.`, 'Open')
      .then((c) => {
        if (c === 'Open') void vscode.window.showTextDocument(target);
      });
    return target;
  }

  dispose(): void {
    for (const r of this.open.values()) r.panel.dispose();
    this.disposables.forEach((d) => d.dispose());
    this.contents.clear();
  }
}
