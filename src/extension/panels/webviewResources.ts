import * as vscode from 'vscode';
import type { ExportRequest } from '../../shared/webviewMessages';
import { exportBytes } from './exportBytes';
import { webviewHtml } from './webviewHtml';

/** Only the built webview bundles and the media folder may be loaded into a webview. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
  };
}

/** The HTML of bundle `name` (dist/webview/<name>.js and .css). */
export function htmlFor(webview: vscode.Webview, extensionUri: vscode.Uri, name: string, title: string): string {
  const asset = (ext: string) =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${name}.${ext}`)).toString();
  return webviewHtml({ cspSource: webview.cspSource, scriptUri: asset('js'), styleUri: asset('css'), title });
}

const FILTERS: Record<ExportRequest['format'], Record<string, string[]>> = {
  png: { 'PNG image': ['png'] },
  svg: { 'SVG image': ['svg'] },
  csv: { 'CSV table': ['csv'] },
  md: { Markdown: ['md'] },
};

/**
 * Asks where to save what a webview exported (in the workspace folder by default), checks the content is a valid
 * file of its format, then writes it. A failure is told to the user and nothing is written.
 */
export async function saveExport(request: ExportRequest): Promise<vscode.Uri | undefined> {
  const checked = exportBytes(request);
  if (!checked.ok) {
    void vscode.window.showErrorMessage(`Robust NAS: ${checked.message}`);
    return undefined;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const safeName = request.suggestedName.replace(/[^\w.@-]+/g, '-');
  const uri = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, safeName) : undefined,
    filters: FILTERS[request.format],
    title: `Export ${request.format.toUpperCase()}`,
  });
  if (!uri) return undefined;
  try {
    await vscode.workspace.fs.writeFile(uri, checked.bytes);
  } catch (error) {
    void vscode.window.showErrorMessage(
      `Robust NAS: could not write ${uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
  void vscode.window.showInformationMessage(
    `Saved ${vscode.workspace.asRelativePath(uri)} (${checked.bytes.length.toLocaleString('en-US')} bytes).`,
  );
  return uri;
}
