import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { occurrenceAt } from '../core/scan/scanArchitectures';
import type { ArchOccurrence } from '../core/scan/occurrence';
import type { RobustNasSettings } from '../shared/settings';
import { MAX_ARCH_INDEX } from '../core/space/encodings';
import { renderHoverCard, type HoverData } from './hoverCard';

/** The hover at `position`, or null when no well-formed architecture is there (diagnostics explain malformed ones). */
export function computeHover(
  doc: TextDocument,
  occurrences: readonly ArchOccurrence[],
  position: Position,
  settings: RobustNasSettings,
  data: HoverData,
): Hover | null {
  const occ = occurrenceAt(occurrences, doc.offsetAt(position));
  if (!occ || occ.kind === 'malformed-string') return null;
  if (occ.kind === 'naslib' && !occ.cell) return null;
  if (occ.kind === 'index' && (occ.index < 0 || occ.index > MAX_ARCH_INDEX)) return null;
  const subject =
    occ.kind === 'index'
      ? { cell: undefined, index: occ.index, writtenAs: 'index' as const }
      : { cell: occ.cell, index: undefined, writtenAs: occ.kind };
  return {
    contents: { kind: MarkupKind.Markdown, value: renderHoverCard(subject, settings, data) },
    range: { start: doc.positionAt(occ.start), end: doc.positionAt(occ.end) },
  };
}
