import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';

export function showLog(s: ExtensionServices) {
  return () => s.log.show();
}

/** Opens the walkthrough's sample NAS script (media/sample.py, read from the extension folder) in an editor. */
export function openSample(s: ExtensionServices) {
  return async (): Promise<vscode.Uri> => {
    const uri = vscode.Uri.joinPath(s.context.extensionUri, 'media', 'sample.py');
    const bytes = await vscode.workspace.fs.readFile(uri);
    // An untitled copy: the user can type in it and try the fixes without touching the installed extension.
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: new TextDecoder().decode(bytes) });
    await vscode.window.showTextDocument(doc);
    return doc.uri;
  };
}
