import * as vscode from 'vscode';
import type { ExportRequest } from '../../shared/webviewMessages';
import { webviewHtml } from './webviewHtml';

/** Only the built webview bundles and the media folder may be loaded into a webview. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** The HTML of bundle `name` (dist/webview/<name>.js and .css). */
export function htmlFor(webview: vscode.Webview, extensionUri: vscode.Uri, name: string, title: string): string {
  const asset = (ext: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${name}.${ext}`)).toString();
  return webviewHtml({ cspSource: webview.cspSource, scriptUri: asset('js'), styleUri: asset('css'), title });
}

const FILTERS: Record<ExportRequest['format'], Record<string, string[]>> = {
  png: { 'PNG image': ['png'] },
  svg: { 'SVG image': ['svg'] },
  csv: { 'CSV table': ['csv'] },
  md: { Markdown: ['md'] },
};

/** Asks where to save what a webview exported, then writes it. */
export async function saveExport(request: ExportRequest): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const safeName = request.suggestedName.replace(/[^\w.@-]+/g, '-');
  const uri = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, safeName) : undefined,
    filters: FILTERS[request.format],
    title: `Export ${request.format.toUpperCase()}`,
  });
  if (!uri) return undefined;
  const bytes = request.encoding === 'base64' ? Buffer.from(request.content, 'base64') : Buffer.from(request.content, 'utf8');
  await vscode.workspace.fs.writeFile(uri, bytes);
  void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(uri)}.`);
  return uri;
}
