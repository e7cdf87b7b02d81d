import * as vscode from 'vscode';
import { encodingEdit } from '../../core/scan/encodingEdit';
import type { CellEncodingKind } from '../../core/space/encodings';

/**
 * Writes an encoding over each range (a selection, the architecture under the cursor, or an empty range at the
 * cursor) the way it fits there, by the rule the language server's conversions use (`encodingEdit`): bare inside a
 * string or comment, a literal of the document's language in code. One undo step for all ranges.
 */
export async function writeEncoding(
  editor: vscode.TextEditor,
  ranges: readonly vscode.Range[],
  kind: CellEncodingKind,
  value: string,
): Promise<boolean> {
  const doc = editor.document;
  const text = doc.getText();
  const edits = ranges.map((r) => {
    const e = encodingEdit(text, doc.offsetAt(r.start), doc.offsetAt(r.end), doc.languageId, kind, value);
    return { range: new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), newText: e.newText };
  });
  return editor.edit((b) => {
    for (const e of edits) b.replace(e.range, e.newText);
  });
}
