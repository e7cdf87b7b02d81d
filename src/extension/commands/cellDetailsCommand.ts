import * as vscode from 'vscode';
import { CellDetailsRequest } from '../../shared/protocol';
import { archTextFromArgument } from '../editor/archArgument';
import type { ExtensionServices } from '../services';

/** Read-only documents holding the cell details Markdown, shown in VS Code's Markdown preview. */
export const CELL_DETAILS_SCHEME = 'robust-nas-cell-details';

/**
 * Show Cell Details (the hover card's "All datasets"): asks the language server for the cell details report,
 * rendered from the same data, settings and stored NTK results as the hover, and opens it as a Markdown preview
 * beside the editor (a content provider, so closing it never asks to save). The argument is the cell in any
 * encoding; without one, the architecture under the cursor. Returns the report's document URI.
 */
export function showCellDetails(s: ExtensionServices) {
  const contents = new Map<string, string>();
  let next = 1;
  s.context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(CELL_DETAILS_SCHEME, {
      provideTextDocumentContent: (uri) =>
        contents.get(uri.toString()) ??
        '# Cell details no longer available\n\nHover the cell and choose "All datasets" again.\n',
    }),
  );
  return async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    const source = archTextFromArgument(arg);
    if (!source) {
      void vscode.window.showWarningMessage(
        'Robust NAS: put the cursor on an architecture string, index, op code or NASLib tuple (or select one), then run Show Cell Details again.',
      );
      return undefined;
    }
    const client = s.languageClient();
    if (!client)
      throw new Error(
        'the language server is not running, so the cell details cannot be computed; see the log (Robust NAS: Show Log).',
      );
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    const details = await client.sendRequest(CellDetailsRequest.type, {
      text: source.text,
      textDocument: active ? { uri: active } : undefined,
    });
    if (!details.ok) throw new Error(details.message);
    const name = details.title
      .replace(/[\\/:*?"<>|#%]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    const uri = vscode.Uri.from({ scheme: CELL_DETAILS_SCHEME, path: `/${next++}/${name}.md` });
    contents.set(uri.toString(), details.markdown);
    try {
      await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    } catch {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), {
        viewColumn: vscode.ViewColumn.Beside,
        preview: false,
      });
    }
    return uri;
  };
}
