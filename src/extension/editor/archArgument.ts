import * as vscode from 'vscode';
import type { ArchRecord, BenchmarkApi } from '../../core/benchmark/api';
import { formatArchString } from '../../core/space/cell';
import { parseCellEncoding } from '../../core/space/encodings';
import { architectureTextAt } from './architectureAt';

/** Where the architecture text of a command came from, so a conversion can write back over it. */
export interface ArchTextSource {
  readonly text: string;
  readonly editor?: vscode.TextEditor;
  readonly range?: vscode.Range;
}

/**
 * The architecture a command is about, from its argument: a string (hover links, CodeLenses, tests), a tree item
 * or webview row carrying `archString`, or, with no usable argument (palette, editor context menu, whose argument is
 * the file's URI), the editor's selection or the architecture text under the cursor.
 */
export function archTextFromArgument(arg: unknown): ArchTextSource | undefined {
  if (typeof arg === 'string' && arg.trim()) return { text: arg.trim() };
  if (typeof arg === 'number' && Number.isInteger(arg)) return { text: String(arg) };
  if (typeof arg === 'object' && arg !== null && typeof (arg as { archString?: unknown }).archString === 'string') {
    return { text: (arg as { archString: string }).archString };
  }
  return archTextInEditor(vscode.window.activeTextEditor);
}

export function archTextInEditor(editor: vscode.TextEditor | undefined): ArchTextSource | undefined {
  if (!editor) return undefined;
  const selection = editor.selection;
  if (!selection.isEmpty) {
    const text = editor.document
      .getText(selection)
      .trim()
      .replace(/^['"]|['"]$/g, '');
    return text ? { text, editor, range: selection } : undefined;
  }
  const line = editor.document.lineAt(selection.active.line);
  const span = architectureTextAt(line.text, selection.active.character);
  if (!span) return undefined;
  return { text: span.text, editor, range: new vscode.Range(line.lineNumber, span.start, line.lineNumber, span.end) };
}

/** The record of any encoding through the benchmark; throws an Error with the parser's sentence when it is invalid. */
export function resolveArch(benchmark: BenchmarkApi, text: string): ArchRecord {
  const r = benchmark.resolve(text);
  if (!r.ok) throw new Error(r.errors[0]?.message ?? `'${text}' is not a NAS-Bench-201 architecture.`);
  return r.arch;
}

/**
 * The canonical architecture string of any encoding. Strings, op codes and NASLib tuples convert without the data;
 * an index needs the benchmark's index table, so only then is the benchmark awaited.
 */
export async function archStringOf(text: string, benchmark: () => Promise<BenchmarkApi>): Promise<string> {
  const parsed = parseCellEncoding(text);
  if (!parsed.ok) throw new Error(parsed.errors[0].message);
  if (parsed.kind !== 'index') return formatArchString(parsed.cell);
  return (await benchmark()).archOfIndex(parsed.index).archString;
}
