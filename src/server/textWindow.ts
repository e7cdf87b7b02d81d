import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LineDocument } from './lineDocument';

/**
 * The text between two document offsets. On the server's documents (LineDocument) it is built from the lines it
 * spans, so a feature that reads a few characters around the cursor does not build the whole text of a large
 * document after every keystroke.
 */
export function textBetween(doc: TextDocument, start: number, end: number): string {
  if (doc instanceof LineDocument) return doc.slice(start, end);
  return doc.getText().substring(start, end);
}

/** Length of the document's text, without building it on the server's documents. */
export function textLength(doc: TextDocument): number {
  return doc instanceof LineDocument ? doc.length : doc.getText().length;
}
