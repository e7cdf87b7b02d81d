import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { BenchmarkApi } from '../core/benchmark/api';
import { formatArchString } from '../core/space/cell';
import type { ArchOccurrence } from '../core/scan/occurrence';
import { CELL_ACTIONS } from '../shared/cellActions';
import { resolveOccurrence } from './resolveOccurrence';

/** Lenses per line at most: a line listing many cells would otherwise be buried in them. */
const MAX_PER_LINE = 1;

/**
 * Most architectures given lenses in one file. A client asks for the lenses of the whole file at once: a search log
 * of 36,761 cells would get 147,044 of them (tens of megabytes of JSON, and a line of lenses above every line).
 */
export const MAX_LENSED_ARCHITECTURES = 500;

/**
 * "NTK | Compare | Diagram" above each well-formed architecture (off by default: `robustNas.codeLens.enabled`): the
 * hover card's actions that have a CodeLens title (src/shared/cellActions.ts), in the same order. Past
 * {@link MAX_LENSED_ARCHITECTURES}, one lens at the top of the file says which architectures have lenses (a lens
 * with no command is shown as plain text); hovers and inlay hints cover every architecture.
 */
export function computeCodeLenses(
  doc: TextDocument,
  occurrences: readonly ArchOccurrence[],
  bench: BenchmarkApi | undefined,
  max = MAX_LENSED_ARCHITECTURES,
): CodeLens[] {
  const lenses: CodeLens[] = [];
  const perLine = new Map<number, number>();
  let lensed = 0;
  let lensable = 0;
  for (const occ of occurrences) {
    const { cell } = resolveOccurrence(occ, bench);
    if (!cell) continue;
    lensable++;
    if (lensed >= max) continue;
    const range = { start: doc.positionAt(occ.start), end: doc.positionAt(occ.end) };
    const seen = perLine.get(range.start.line) ?? 0;
    if (seen >= MAX_PER_LINE) continue;
    perLine.set(range.start.line, seen + 1);
    lensed++;
    // No NTK configuration in the arguments: run from a lens, the commands read the settings when clicked.
    const context = { archString: formatArchString(cell), index: undefined, ntkConfig: undefined, ntkStored: false };
    for (const action of CELL_ACTIONS) {
      if ('lens' in action)
        lenses.push({
          range,
          command: { title: action.lens, command: action.command, arguments: action.args(context) },
        });
    }
  }
  if (lensable > lensed && lensed >= max) {
    const count = (n: number) => n.toLocaleString('en-US');
    const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    lenses.unshift({
      range: top,
      command: {
        title: `Robust NAS: lenses on the first ${count(lensed)} of ${count(lensable)} architectures in this file (large file); hovers and inlay hints cover all`,
        command: '',
      },
    });
  }
  return lenses;
}
