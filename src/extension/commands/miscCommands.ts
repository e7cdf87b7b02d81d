import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';

export function showLog(s: ExtensionServices) {
  return () => s.log.show();
}

/**
 * Opens the walkthrough's sample NAS script: a copy of media/sample.py in the extension's storage (the workspace's,
 * else the global one), so the user gets a real, saved file (not a dirty `Untitled-1` that asks to be saved on
 * close) to type in and try the fixes on, without touching the installed extension. An existing copy is opened as
 * the user left it.
 */
export function openSample(s: ExtensionServices) {
  return async (): Promise<vscode.Uri> => {
    const source = vscode.Uri.joinPath(s.context.extensionUri, 'media', 'sample.py');
    const folder = s.context.storageUri ?? s.context.globalStorageUri;
    const copy = vscode.Uri.joinPath(folder, 'sample_nas_search.py');
    const exists = await vscode.workspace.fs.stat(copy).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await vscode.workspace.fs.createDirectory(folder);
      await vscode.workspace.fs.writeFile(copy, await vscode.workspace.fs.readFile(source));
    }
    await vscode.window.showTextDocument(copy, { preview: false });
    return copy;
  };
}
