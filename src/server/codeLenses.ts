import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { BenchmarkApi } from '../core/benchmark/api';
import { formatArchString } from '../core/space/cell';
import type { ArchOccurrence } from '../core/scan/occurrence';
import { Commands } from '../shared/commands';
import { resolveOccurrence } from './resolveOccurrence';

/** Lenses per line at most: a line listing many cells would otherwise be buried in them. */
const MAX_PER_LINE = 1;

/** "Diagram | Compare | NTK | PyTorch" above each well-formed architecture (off by default: `robustNas.codeLens.enabled`). */
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
    const s = formatArchString(cell);
    lenses.push(
      { range, command: { title: 'Diagram', command: Commands.showCellDiagram, arguments: [s] } },
      { range, command: { title: 'Compare', command: Commands.addToComparison, arguments: [s] } },
      { range, command: { title: 'NTK', command: Commands.computeNtkScores, arguments: [s] } },
      { range, command: { title: 'PyTorch', command: Commands.exportPytorch, arguments: [s] } },
    );
  }
  return lenses;
}
