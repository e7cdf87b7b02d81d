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
 * "NTK | Compare | Diagram" above each well-formed architecture (off by default: `robustNas.codeLens.enabled`): the
 * hover card's actions that have a CodeLens title (src/shared/cellActions.ts), in the same order.
 */
export function computeCodeLenses(doc: TextDocument, occurrences: readonly ArchOccurrence[], bench: BenchmarkApi | undefined): CodeLens[] {
  const lenses: CodeLens[] = [];
  const perLine = new Map<number, number>();
  for (const occ of occurrences) {
    const { cell } = resolveOccurrence(occ, bench);
    if (!cell) continue;
    const range = { start: doc.positionAt(occ.start), end: doc.positionAt(occ.end) };
    const seen = perLine.get(range.start.line) ?? 0;
    if (seen >= MAX_PER_LINE) continue;
    perLine.set(range.start.line, seen + 1);
    // No NTK configuration in the arguments: run from a lens, the commands read the settings when clicked.
    const context = { archString: formatArchString(cell), index: undefined, ntkConfig: undefined, ntkStored: false };
    for (const action of CELL_ACTIONS) {
      if ('lens' in action) lenses.push({ range, command: { title: action.lens, command: action.command, arguments: action.args(context) } });
    }
  }
  return lenses;
}
