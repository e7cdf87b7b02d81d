import * as vscode from 'vscode';

export const REPORT_SCHEME = 'robust-nas-report';

/**
 * Read-only Markdown documents for command results (top-k, Pareto front, NAS runs, NTK scores). A content provider
 * rather than untitled files: closing a report never asks to save it.
 */
export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private next = 1;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? `# Report no longer available\n\nRun the command again to recreate it.\n`;
  }

  /** Stores `markdown` and shows it rendered beside the active editor (the Markdown source when preview fails). */
  async open(title: string, markdown: string): Promise<vscode.Uri> {
    const safeTitle = title.replace(/[\\/:*?"<>|#%]/g, ' ').replace(/\s+/g, ' ').trim();
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${this.next++}/${safeTitle}.md` });
    this.contents.set(uri.toString(), markdown);
    try {
      await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    } catch {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    }
    return uri;
  }

  dispose(): void {
    this.registration.dispose();
    this.contents.clear();
  }
}
