import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { BenchmarkApi } from '../core/benchmark/api';
import { cellToOpCode, formatArchString, type Cell } from '../core/space/cell';
import { deadEdges } from '../core/space/deadEdges';
import { EDGES, edgeLabel } from '../core/space/ops';
import { documentRangeOf, type ArchOccurrence } from '../core/scan/occurrence';
import { edgeOpSpans } from '../core/scan/edgeSpans';
import { encodingEdit } from '../core/scan/encodingEdit';
import type { CellEncodingKind } from '../core/space/encodings';
import { DiagnosticCode } from './diagnosticCodes';
import { naslibTupleText } from './hoverCard';
import { resolveOccurrence } from './resolveOccurrence';

function toRange(doc: TextDocument, start: number, end: number): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }) =>
    p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

function edit(
  doc: TextDocument,
  title: string,
  kind: string,
  edits: TextEdit[],
  diagnostics?: Diagnostic[],
  isPreferred = false,
): CodeAction {
  return { title, kind, edit: { changes: { [doc.uri]: edits } }, diagnostics, isPreferred: isPreferred || undefined };
}

/** Diagnostics from the request context with this code and a range inside [start, end). */
function matching(
  doc: TextDocument,
  diagnostics: readonly Diagnostic[],
  code: string,
  start: number,
  end: number,
): Diagnostic[] {
  return diagnostics.filter(
    (d) => d.code === code && doc.offsetAt(d.range.start) >= start && doc.offsetAt(d.range.end) <= end,
  );
}

type Encoding = CellEncodingKind;

function encode(cell: Cell, index: number | undefined, to: Encoding): string | undefined {
  switch (to) {
    case 'string':
      return formatArchString(cell);
    case 'code':
      return cellToOpCode(cell);
    case 'naslib':
      return naslibTupleText(cell);
    case 'index':
      return index === undefined ? undefined : String(index);
  }
}

/** The replacement of an occurrence by another encoding, written the way it fits its place (see `encodingEdit`). */
function conversionEdit(
  doc: TextDocument,
  text: string,
  occ: ArchOccurrence,
  to: Encoding,
  replacement: string,
): TextEdit {
  const e = encodingEdit(text, occ.start, occ.end, doc.languageId, to, replacement);
  return { range: toRange(doc, e.start, e.end), newText: e.newText };
}

/** Quick fixes and conversions for the architectures overlapping `range`. */
export function computeCodeActions(
  doc: TextDocument,
  occurrences: readonly ArchOccurrence[],
  range: Range,
  contextDiagnostics: readonly Diagnostic[],
  bench: BenchmarkApi | undefined,
): CodeAction[] {
  const text = doc.getText();
  const actions: CodeAction[] = [];
  for (const occ of occurrences) {
    const occRange = toRange(doc, occ.start, occ.end);
    if (!overlaps(occRange, range)) continue;

    if (occ.kind === 'malformed-string') {
      for (const e of occ.errors) {
        let replacement: string | undefined;
        let title: string | undefined;
        if (e.kind === 'unknown-op' && e.suggestion) {
          replacement = e.suggestion;
          title = `Change '${occ.value.slice(e.offset, e.offset + e.length)}' to '${e.suggestion}'`;
        } else if ((e.kind === 'wrong-input' || e.kind === 'bad-input') && /^\d$/.test(e.expected)) {
          replacement = e.expected;
          title = `Change the input to ~${e.expected}`;
        } else if (e.kind === 'missing-input' && /^~\d$/.test(e.expected)) {
          replacement = e.expected;
          title = `Insert '${e.expected}'`;
        } else if (e.kind === 'expected-separator' && e.length === 0) {
          replacement = '|';
          title = "Insert '|'";
        }
        if (replacement === undefined || title === undefined) continue;
        const r = documentRangeOf(occ.segments, e.offset, e.length);
        const diags = contextDiagnostics.filter((d) => d.code === e.kind && doc.offsetAt(d.range.start) === r.start);
        actions.push(
          edit(
            doc,
            title,
            CodeActionKind.QuickFix,
            [{ range: toRange(doc, r.start, r.end), newText: replacement }],
            diags,
            e.kind === 'unknown-op',
          ),
        );
      }
      continue;
    }
    if (occ.kind === 'index' && !bench) continue;

    const resolved = resolveOccurrence(occ, bench);
    const cell = resolved.cell;
    if (!cell) continue;
    const from: Encoding = occ.kind === 'index' ? 'index' : occ.kind === 'naslib' ? 'naslib' : 'string';

    if (resolved.record && !resolved.record.isRepresentative && bench) {
      const rep = bench.archOfIndex(resolved.record.representativeIndex);
      const replacement = encode(rep.cell, rep.index, from)!;
      actions.push(
        edit(
          doc,
          `Replace by the evaluated representative #${rep.index}`,
          CodeActionKind.QuickFix,
          [{ range: occRange, newText: replacement }],
          matching(doc, contextDiagnostics, DiagnosticCode.isomorphic, occ.start, occ.end + 1),
          true,
        ),
      );
    }

    if (occ.kind === 'string') {
      const spans = edgeOpSpans(occ.value);
      for (const dead of deadEdges(cell)) {
        const span = spans[dead.edge];
        if (!span) continue;
        const r = documentRangeOf(occ.segments, span.offset, span.length);
        const deadRange = toRange(doc, r.start, r.end);
        if (!overlaps(deadRange, range) && !overlaps(occRange, range)) continue;
        actions.push(
          edit(
            doc,
            `Replace dead edge ${edgeLabel(EDGES[dead.edge])} (${cell[dead.edge]}) by none`,
            CodeActionKind.QuickFix,
            [{ range: deadRange, newText: 'none' }],
            matching(doc, contextDiagnostics, DiagnosticCode.deadEdge, r.start, r.end),
          ),
        );
      }
    }

    const index = resolved.record?.index;
    const targets: Encoding[] = (['string', 'index', 'code', 'naslib'] as const).filter((t) => t !== from);
    for (const to of targets) {
      const replacement = encode(cell, index, to);
      if (replacement === undefined) continue;
      const label =
        to === 'string'
          ? 'architecture string'
          : to === 'index'
            ? `index ${replacement}`
            : to === 'code'
              ? `op code ${replacement}`
              : `NASLib tuple ${replacement}`;
      actions.push(
        edit(doc, `Convert to ${label}`, CodeActionKind.RefactorRewrite, [
          conversionEdit(doc, text, occ, to, replacement),
        ]),
      );
    }
  }
  return actions;
}
