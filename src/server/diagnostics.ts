import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { BenchmarkApi } from '../core/benchmark/api';
import { cellToCodeNumber, formatArchString } from '../core/space/cell';
import { deadEdges } from '../core/space/deadEdges';
import { MAX_ARCH_INDEX } from '../core/space/encodings';
import { EDGES, edgeLabel } from '../core/space/ops';
import { documentRangeOf, type ArchOccurrence } from '../core/scan/occurrence';
import { edgeOpSpans } from '../core/scan/edgeSpans';
import type { IsomorphismSeverity, RobustNasSettings } from '../shared/settings';
import { DIAGNOSTIC_SOURCE, DiagnosticCode } from './diagnosticCodes';
import { resolveOccurrence } from './resolveOccurrence';
import { lookupTable } from '../core/lookupTable';

const SEVERITY: Readonly<Record<Exclude<IsomorphismSeverity, 'off'>, DiagnosticSeverity>> = lookupTable({
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
});

function range(doc: TextDocument, start: number, end: number) {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

/**
 * One diagnostic before it is built: where it starts (a document offset) and how severe it is, which is all that
 * choosing the published ones needs, and how to build it. Building (positions, message text, objects) is most of
 * the cost, so a file with 64,192 findings builds only the 1,000 it publishes.
 */
interface Finding {
  readonly start: number;
  readonly severity: DiagnosticSeverity;
  readonly build: () => Diagnostic;
}

/**
 * Every finding of one document, in the order {@link computeDiagnostics} returns them. Syntax diagnostics need no
 * data; isomorphism diagnostics and duplicates of indices need it and appear once it is loaded (the server
 * re-publishes then).
 */
function collectFindings(
  doc: TextDocument,
  occurrences: readonly ArchOccurrence[],
  settings: RobustNasSettings,
  bench: BenchmarkApi | undefined,
): Finding[] {
  const out: Finding[] = [];
  const isoSeverity = settings.diagnostics.isomorphismSeverity;
  const firstOfCode = new Map<number, { start: number; end: number; count: number }>();
  // Per cell: its dead edges and isomorphism message, computed once however often the cell is written.
  const deadOfCode = new Map<number, ReturnType<typeof deadEdges>>();
  const isoMessageOfIndex = new Map<number, string>();
  const duplicates: { occ: ArchOccurrence; code: number }[] = [];

  for (const occ of occurrences) {
    if (occ.kind === 'malformed-string') {
      for (const e of occ.errors) {
        const r = documentRangeOf(occ.segments, e.offset, e.length);
        out.push({
          start: r.start, severity: DiagnosticSeverity.Error,
          build: () => ({
            range: range(doc, r.start, r.end), severity: DiagnosticSeverity.Error, code: e.kind, source: DIAGNOSTIC_SOURCE,
            message: e.message,
          }),
        });
      }
      continue;
    }
    if (occ.kind === 'index' && (occ.index > MAX_ARCH_INDEX || occ.index < 0)) {
      out.push({
        start: occ.start, severity: DiagnosticSeverity.Warning,
        build: () => ({
          range: range(doc, occ.start, occ.end), severity: DiagnosticSeverity.Warning, code: DiagnosticCode.indexOutOfRange, source: DIAGNOSTIC_SOURCE,
          message: `${occ.index} is not a NAS-Bench-201 architecture index: ${occ.context} takes an index 0..${MAX_ARCH_INDEX}.`,
        }),
      });
      continue;
    }
    if (occ.kind === 'naslib' && !occ.cell) {
      out.push({
        start: occ.start, severity: DiagnosticSeverity.Warning,
        build: () => ({
          range: range(doc, occ.start, occ.end), severity: DiagnosticSeverity.Warning, code: DiagnosticCode.naslibInvalid, source: DIAGNOSTIC_SOURCE,
          message: `${occ.name} holds ${occ.values.length} entr${occ.values.length === 1 ? 'y' : 'ies'}; a NASLib NAS-Bench-201 op_indices tuple has six entries 0..4 (0 skip, 1 none, 2 conv3x3, 3 conv1x1, 4 avg pool; edges 0->1, 0->2, 0->3, 1->2, 1->3, 2->3).`,
        }),
      });
      continue;
    }

    const resolved = resolveOccurrence(occ, bench);
    const cell = resolved.cell;
    if (!cell) continue;
    const code = cellToCodeNumber(cell);

    const record = resolved.record;
    if (record && !record.isRepresentative && isoSeverity !== 'off') {
      const severity = SEVERITY[isoSeverity];
      out.push({
        start: occ.start, severity,
        build: () => {
          let message = isoMessageOfIndex.get(record.index);
          if (message === undefined) {
            const rep = bench!.archOfIndex(record.representativeIndex);
            message = `Cell #${record.index} is isomorphic to #${rep.index}, evaluated as ${rep.archString}; NAS-RobBench-201 reports #${rep.index}'s results for it.`;
            isoMessageOfIndex.set(record.index, message);
          }
          return { range: range(doc, occ.start, occ.end), severity, code: DiagnosticCode.isomorphic, source: DIAGNOSTIC_SOURCE, message };
        },
      });
    }

    let deadList = deadOfCode.get(code);
    if (deadList === undefined) {
      deadList = deadEdges(cell);
      deadOfCode.set(code, deadList);
    }
    if (occ.kind === 'string' && deadList.length > 0) {
      const spans = edgeOpSpans(occ.value);
      for (const dead of deadList) {
        const span = spans[dead.edge];
        if (!span) continue;
        const r = documentRangeOf(occ.segments, span.offset, span.length);
        out.push({
          start: r.start, severity: DiagnosticSeverity.Hint,
          build: () => {
            const e = EDGES[dead.edge];
            const why = dead.reason === 'unreachable'
              ? `node ${e.to} never reaches the cell output`
              : `its input, node ${e.from}, is always zero`;
            return {
              range: range(doc, r.start, r.end), severity: DiagnosticSeverity.Hint, code: DiagnosticCode.deadEdge, source: DIAGNOSTIC_SOURCE,
              tags: [DiagnosticTag.Unnecessary],
              message: `Edge ${edgeLabel(e)} (${cell[dead.edge]}) is dead: ${why}, so it can be none without changing the network.`,
            };
          },
        });
      }
    }

    const first = firstOfCode.get(code);
    if (first === undefined) firstOfCode.set(code, { start: occ.start, end: occ.end, count: 1 });
    else {
      first.count++;
      duplicates.push({ occ, code });
    }
  }

  // One shared related-information list per cell: the first place it is written (diagnostics are serialised as
  // they are, never mutated, so sharing is safe and saves thousands of objects in large files). Built on first use.
  const relatedOfCode = new Map<number, { line: number; related: DiagnosticRelatedInformation[] }>();
  const relatedOf = (code: number) => {
    let found = relatedOfCode.get(code);
    if (!found) {
      const first = firstOfCode.get(code)!;
      const firstRange = range(doc, first.start, first.end);
      found = { line: firstRange.start.line, related: [{ location: { uri: doc.uri, range: firstRange }, message: 'first written here' }] };
      relatedOfCode.set(code, found);
    }
    return found;
  };
  for (const { occ, code } of duplicates) {
    out.push({
      start: occ.start, severity: DiagnosticSeverity.Hint,
      build: () => {
        const { line, related } = relatedOf(code);
        const cellString = occ.kind === 'string' ? occ.value : undefined;
        return {
          range: range(doc, occ.start, occ.end), severity: DiagnosticSeverity.Hint, code: DiagnosticCode.duplicateCell, source: DIAGNOSTIC_SOURCE,
          message: `The same cell${cellString ? '' : ` (${formatArchString(resolveOccurrence(occ, bench).cell!)})`} is written ${firstOfCode.get(code)!.count} times in this file; first at line ${line + 1}.`,
          relatedInformation: related,
        };
      },
    });
  }
  return out;
}

/** All diagnostics of one document (what {@link diagnosticsToPublish} chooses from). */
export function computeDiagnostics(
  doc: TextDocument,
  occurrences: readonly ArchOccurrence[],
  settings: RobustNasSettings,
  bench: BenchmarkApi | undefined,
): Diagnostic[] {
  return collectFindings(doc, occurrences, settings, bench).map((f) => f.build());
}

/**
 * Most diagnostics published for one document. A search log with 36,761 cells has 64,283 findings (isomorphic
 * cells, dead edges, duplicates): 21.6 MB of JSON that the client converts and the workbench renders, 16-40 s before
 * anything showed (issue 14). The lsp-sample's `maxNumberOfProblems` default is the same 1,000.
 */
export const MAX_PUBLISHED_DIAGNOSTICS = 1000;

/**
 * The rule for which diagnostics are published: all of them up to `max`; beyond it the errors and warnings first,
 * then the rest in document order, `max - 1` in all, returned in document order (the caller adds the note saying
 * so). Array.prototype.sort is stable, so diagnostics starting at the same place keep the order they were found in.
 */
function keptForPublishing<T>(all: readonly T[], max: number, severity: (x: T) => number, before: (a: T, b: T) => number): readonly T[] {
  if (all.length <= max) return all;
  return [...all]
    .sort((a, b) => severity(a) - severity(b) || before(a, b))
    .slice(0, max - 1)
    .sort(before);
}

/** The note at the top of a file with more diagnostics than are published, so the limit is never silent. */
function limitNote(total: number, max: number): Diagnostic {
  const count = (n: number) => n.toLocaleString('en-US');
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information, code: DiagnosticCode.moreDiagnostics, source: DIAGNOSTIC_SOURCE,
    message: `Robust NAS found ${count(total)} problems and notes in this file and shows ${count(max - 1)} of them (errors and warnings first, then from the top), to keep the editor responsive. Hovers and inlay hints still cover every architecture.`,
  };
}

/**
 * The diagnostics to publish, chosen from already built ones (see {@link keptForPublishing}), plus the note when
 * some are left out. The server uses {@link diagnosticsToPublish}, which makes the same choice before building.
 */
export function publishedDiagnostics(all: readonly Diagnostic[], max = MAX_PUBLISHED_DIAGNOSTICS): Diagnostic[] {
  const before = (a: Diagnostic, b: Diagnostic) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
  const kept = keptForPublishing(all, max, (d) => d.severity ?? DiagnosticSeverity.Error, before);
  return kept === all ? [...all] : [limitNote(all.length, max), ...kept];
}

/**
 * What the server publishes for a document: the same as `publishedDiagnostics(computeDiagnostics(...))`, but only
 * the published diagnostics are built. `total` is how many were found.
 */
export function diagnosticsToPublish(
  doc: TextDocument,
  occurrences: readonly ArchOccurrence[],
  settings: RobustNasSettings,
  bench: BenchmarkApi | undefined,
  max = MAX_PUBLISHED_DIAGNOSTICS,
): { diagnostics: Diagnostic[]; total: number } {
  const findings = collectFindings(doc, occurrences, settings, bench);
  const kept = keptForPublishing(findings, max, (f) => f.severity, (a, b) => a.start - b.start);
  const diagnostics = kept.map((f) => f.build());
  return { diagnostics: kept === findings ? diagnostics : [limitNote(findings.length, max), ...diagnostics], total: findings.length };
}
