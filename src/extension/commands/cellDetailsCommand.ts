import * as vscode from 'vscode';
import { CellDetailsRequest } from '../../shared/protocol';
import { archTextFromArgument } from '../editor/archArgument';
import type { ExtensionServices } from '../services';

/**
 * Show Cell Details (the hover card's "Show all datasets"): asks the language server for the cell details report,
 * rendered from the same data, settings and stored NTK results as the hover, and opens it beside the editor. The
 * argument is the cell in any encoding; without one, the architecture under the cursor.
 */
export function showCellDetails(s: ExtensionServices) {
  return async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    const source = archTextFromArgument(arg);
    if (!source) {
      void vscode.window.showWarningMessage('Robust NAS: put the cursor on an architecture string, index, op code or NASLib tuple (or select one), then run Show Cell Details again.');
      return undefined;
    }
    const client = s.languageClient();
    if (!client) throw new Error('the language server is not running, so the cell details cannot be computed; see the log (Robust NAS: Show Log).');
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const details = await client.sendRequest(CellDetailsRequest.type, { text: source.text, textDocument: uri ? { uri } : undefined });
    if (!details.ok) throw new Error(details.message);
    return s.reports.open(details.title, details.markdown);
  };
}
