import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic,
  type DiagnosticRelatedInformation,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { BenchmarkApi } from '../core/benchmark/api';
import { CELL_COUNT, formatArchString, sharedCell, type Cell } from '../core/space/cell';
import { sharedDeadEdges } from '../core/space/deadEdges';
import { MAX_ARCH_INDEX } from '../core/space/encodings';
import { EDGE_COUNT, EDGES, edgeLabel } from '../core/space/ops';
import {
  documentOffsetOf,
  documentRangeOf,
  type ArchIndexOccurrence,
  type ArchOccurrence,
  type ArchStringOccurrence,
  type MalformedStringOccurrence,
  type NaslibTupleOccurrence,
} from '../core/scan/occurrence';
import { edgeOpOffsets, edgeOpSpans } from '../core/scan/edgeSpans';
import type { IsomorphismSeverity, RobustNasSettings } from '../shared/settings';
import { DIAGNOSTIC_SOURCE, DiagnosticCode } from './diagnosticCodes';
import { lookupTable } from '../core/lookupTable';
import { codeOfCell } from './resolveOccurrence';

const SEVERITY: Readonly<Record<Exclude<IsomorphismSeverity, 'off'>, DiagnosticSeverity>> = lookupTable({
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
});

function range(doc: TextDocument, start: number, end: number) {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

// What a finding is, stored as a small integer (see Findings).
const PARSE_ERROR = 0;
const INDEX_OUT_OF_RANGE = 1;
const NASLIB_INVALID = 2;
const ISOMORPHIC = 3;
const DEAD_EDGE = 4;
const DUPLICATE = 5;

/** Numbers per finding in {@link Findings}: start, severity, kind, occurrence, detail. */
const FINDING_FIELDS = 5;

/**
 * The diagnostics of one document before they are built, as numbers in one typed array: where each starts (a
 * document offset), how severe it is, what it is, which occurrence it is about and one detail (the parse error,
 * the dead edge, the cell). That is all that choosing the published ones needs; building them (positions, message
 * text, objects) is most of the cost, and a file with 64,192 findings publishes 1,000. Numbers instead of an object
 * (or a closure) per finding: a 36,761-cell file spent more time collecting garbage than finding. One Int32Array
 * instead of five number[]: their 320,000 pushes took ~30 ms of a first (not yet optimised) run on that file.
 * Every field is an integer below 2^31 (offsets of a JavaScript string are below 2^30).
 */
class Findings {
  private data: Int32Array;
  private count = 0;

  constructor(expected: number) {
    this.data = new Int32Array(FINDING_FIELDS * Math.max(64, expected));
  }

  get length(): number {
    return this.count;
  }

  push(start: number, severity: DiagnosticSeverity, kind: number, occurrence: number, detail: number): void {
    const at = this.count * FINDING_FIELDS;
    if (at === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const data = this.data;
    data[at] = start;
    data[at + 1] = severity;
    data[at + 2] = kind;
    data[at + 3] = occurrence;
    data[at + 4] = detail;
    this.count++;
  }

  start(f: number): number {
    return this.data[f * FINDING_FIELDS];
  }

  severity(f: number): DiagnosticSeverity {
    return this.data[f * FINDING_FIELDS + 1] as DiagnosticSeverity;
  }

  kind(f: number): number {
    return this.data[f * FINDING_FIELDS + 2];
  }

  occurrence(f: number): number {
    return this.data[f * FINDING_FIELDS + 3];
  }

  detail(f: number): number {
    return this.data[f * FINDING_FIELDS + 4];
  }
}

/** Where a dead edge's op name is in the document. */
function deadEdgeRange(occ: ArchStringOccurrence, edge: number): { start: number; end: number } | undefined {
  const span = edgeOpSpans(occ.value)[edge];
  return span && documentRangeOf(occ.segments, span.offset, span.length);
}

/**
 * Every finding of one document, and how to build each. Syntax diagnostics need no data; isomorphism diagnostics
 * and duplicates of indices need it and appear once it is loaded (the server re-publishes then). The order is the
 * one {@link computeDiagnostics} returns.
 */
function collectFindings(
  doc: TextDocument,
  occurrences: readonly ArchOccurrence[],
  settings: RobustNasSettings,
  bench: BenchmarkApi | undefined,
): { findings: Findings; build: (i: number) => Diagnostic } {
  // A search log has about 1.75 findings per cell (isomorphic cells, dead edges, duplicates).
  const findings = new Findings(2 * occurrences.length);
  const isoSeverity = settings.diagnostics.isomorphismSeverity;
  // Per cell (code number): the occurrence where it is first written, and how often it is written.
  const firstOfCode = new Int32Array(CELL_COUNT).fill(-1);
  const countOfCode = new Int32Array(CELL_COUNT);
  // The benchmark index of each occurrence's cell (-1: none or no data). Records (strings and arrays per cell) are
  // made only for the diagnostics published: making one for every cell of a 36,761-cell file took ~0.1 s.
  const indexOf = new Int32Array(occurrences.length).fill(-1);
  // The code number of each occurrence's cell (-1: none); its cell is sharedCell(code), equal to the one written.
  const codeOf = new Int32Array(occurrences.length).fill(-1);
  const duplicates: number[] = [];
  // The benchmark index of each cell (code number) once looked up (-2: not yet). A search log writes each cell
  // about twice, and the look-up recomputes the code number from the op names.
  const indexOfCode = bench ? new Int32Array(CELL_COUNT).fill(-2) : undefined;
  const opOffsets = new Int32Array(EDGE_COUNT);

  for (let i = 0; i < occurrences.length; i++) {
    const occ = occurrences[i];
    if (occ.kind === 'malformed-string') {
      // Where documentRangeOf(segments, e.offset, e.length) starts.
      for (let k = 0; k < occ.errors.length; k++)
        findings.push(
          documentOffsetOf(occ.segments, occ.errors[k].offset),
          DiagnosticSeverity.Error,
          PARSE_ERROR,
          i,
          k,
        );
      continue;
    }
    if (occ.kind === 'index' && (occ.index > MAX_ARCH_INDEX || occ.index < 0)) {
      findings.push(occ.start, DiagnosticSeverity.Warning, INDEX_OUT_OF_RANGE, i, 0);
      continue;
    }
    if (occ.kind === 'naslib' && !occ.cell) {
      findings.push(occ.start, DiagnosticSeverity.Warning, NASLIB_INVALID, i, 0);
      continue;
    }

    let cell: Cell | undefined;
    if (occ.kind === 'index') {
      cell = bench?.archOfIndex(occ.index).cell;
      if (cell) indexOf[i] = occ.index;
    } else cell = occ.cell;
    if (!cell) continue;
    const code = codeOfCell(cell);
    codeOf[i] = code;
    if (occ.kind !== 'index' && indexOfCode) {
      if (indexOfCode[code] === -2) indexOfCode[code] = bench!.indexOfCell(cell);
      indexOf[i] = indexOfCode[code];
    }

    const index = indexOf[i];
    if (index >= 0 && isoSeverity !== 'off' && bench!.representativeOf(index) !== index)
      findings.push(occ.start, SEVERITY[isoSeverity], ISOMORPHIC, i, 0);

    if (occ.kind === 'string') {
      const dead = sharedDeadEdges(cell);
      // Where deadEdgeRange's range starts, with the op offsets found once per string (not once per dead edge).
      if (dead.length > 0 && edgeOpOffsets(occ.value, opOffsets))
        for (let k = 0; k < dead.length; k++)
          findings.push(
            documentOffsetOf(occ.segments, opOffsets[dead[k].edge]),
            DiagnosticSeverity.Hint,
            DEAD_EDGE,
            i,
            k,
          );
    }

    if (firstOfCode[code] < 0) firstOfCode[code] = i;
    else duplicates.push(i);
    countOfCode[code]++;
  }
  for (const i of duplicates) findings.push(occurrences[i].start, DiagnosticSeverity.Hint, DUPLICATE, i, codeOf[i]);

  // Built on first use, for the published diagnostics only.
  const isoMessageOfIndex = new Map<number, string>();
  // One shared related-information list per cell: the first place it is written (diagnostics are serialised as
  // they are, never mutated, so sharing is safe and saves thousands of objects in large files).
  const relatedOfCode = new Map<number, { line: number; related: DiagnosticRelatedInformation[] }>();
  const relatedOf = (code: number) => {
    let found = relatedOfCode.get(code);
    if (!found) {
      const first = occurrences[firstOfCode[code]];
      const firstRange = range(doc, first.start, first.end);
      found = {
        line: firstRange.start.line,
        related: [{ location: { uri: doc.uri, range: firstRange }, message: 'first written here' }],
      };
      relatedOfCode.set(code, found);
    }
    return found;
  };

  const build = (f: number): Diagnostic => {
    const i = findings.occurrence(f);
    const occ = occurrences[i];
    const detail = findings.detail(f);
    switch (findings.kind(f)) {
      case PARSE_ERROR: {
        const o = occ as MalformedStringOccurrence;
        const e = o.errors[detail];
        const r = documentRangeOf(o.segments, e.offset, e.length);
        return {
          range: range(doc, r.start, r.end),
          severity: DiagnosticSeverity.Error,
          code: e.kind,
          source: DIAGNOSTIC_SOURCE,
          message: e.message,
        };
      }
      case INDEX_OUT_OF_RANGE: {
        const o = occ as ArchIndexOccurrence;
        return {
          range: range(doc, o.start, o.end),
          severity: DiagnosticSeverity.Warning,
          code: DiagnosticCode.indexOutOfRange,
          source: DIAGNOSTIC_SOURCE,
          message: `${o.index} is not a NAS-Bench-201 architecture index: ${o.context} takes an index 0..${MAX_ARCH_INDEX}.`,
        };
      }
      case NASLIB_INVALID: {
        const o = occ as NaslibTupleOccurrence;
        return {
          range: range(doc, o.start, o.end),
          severity: DiagnosticSeverity.Warning,
          code: DiagnosticCode.naslibInvalid,
          source: DIAGNOSTIC_SOURCE,
          message: `${o.name} holds ${o.values.length} entr${o.values.length === 1 ? 'y' : 'ies'}; a NASLib NAS-Bench-201 op_indices tuple has six entries 0..4 (0 skip, 1 none, 2 conv3x3, 3 conv1x1, 4 avg pool; edges 0->1, 0->2, 0->3, 1->2, 1->3, 2->3).`,
        };
      }
      case ISOMORPHIC: {
        const index = indexOf[i];
        let message = isoMessageOfIndex.get(index);
        if (message === undefined) {
          const rep = bench!.archOfIndex(bench!.representativeOf(index));
          message = `Cell #${index} is isomorphic to #${rep.index}, evaluated as ${rep.archString}; NAS-RobBench-201 reports #${rep.index}'s results for it.`;
          isoMessageOfIndex.set(index, message);
        }
        return {
          range: range(doc, occ.start, occ.end),
          severity: findings.severity(f),
          code: DiagnosticCode.isomorphic,
          source: DIAGNOSTIC_SOURCE,
          message,
        };
      }
      case DEAD_EDGE: {
        const cell = sharedCell(codeOf[i]);
        const dead = sharedDeadEdges(cell)[detail];
        const r = deadEdgeRange(occ as ArchStringOccurrence, dead.edge)!;
        const e = EDGES[dead.edge];
        const why =
          dead.reason === 'unreachable'
            ? `node ${e.to} never reaches the cell output`
            : `its input, node ${e.from}, is always zero`;
        return {
          range: range(doc, r.start, r.end),
          severity: DiagnosticSeverity.Hint,
          code: DiagnosticCode.deadEdge,
          source: DIAGNOSTIC_SOURCE,
          tags: [DiagnosticTag.Unnecessary],
          message: `Edge ${edgeLabel(e)} (${cell[dead.edge]}) is dead: ${why}, so it can be none without changing the network.`,
        };
      }
      default: {
        const { line, related } = relatedOf(detail);
        const cellString = occ.kind === 'string' ? occ.value : undefined;
        return {
          range: range(doc, occ.start, occ.end),
          severity: DiagnosticSeverity.Hint,
          code: DiagnosticCode.duplicateCell,
          source: DIAGNOSTIC_SOURCE,
          message: `The same cell${cellString ? '' : ` (${formatArchString(sharedCell(detail))})`} is written ${countOfCode[detail]} times in this file; first at line ${line + 1}.`,
          relatedInformation: related,
        };
      }
    }
  };
  return { findings, build };
}

/** All diagnostics of one document (what {@link diagnosticsToPublish} chooses from). */
export function computeDiagnostics(
  doc: TextDocument,
  occurrences: readonly ArchOccurrence[],
  settings: RobustNasSettings,
  bench: BenchmarkApi | undefined,
): Diagnostic[] {
  const { findings, build } = collectFindings(doc, occurrences, settings, bench);
  return Array.from({ length: findings.length }, (_, f) => build(f));
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
function keptForPublishing<T>(
  all: readonly T[],
  max: number,
  severity: (x: T) => number,
  before: (a: T, b: T) => number,
): readonly T[] {
  if (all.length <= max) return all;
  return [...all]
    .sort((a, b) => severity(a) - severity(b) || before(a, b))
    .slice(0, max - 1)
    .sort(before);
}

/**
 * The findings {@link keptForPublishing} keeps, in the order it returns them, without sorting all of them with a
 * comparator: the severities are counted, the severities that fit are kept whole, and of the one that does not fit
 * the first in (start, order found) are chosen by sorting numbers (`start * n + f`, exact below 2^53) in a typed
 * array. For 64,192 findings the closure sort took ~35 ms of a first run. Undefined when there are at most `max`.
 */
function keptFindings(findings: Findings, max: number): number[] | undefined {
  const n = findings.length;
  if (n <= max) return undefined;
  // keptForPublishing's generic path for what the numbers cannot hold (or a limit below 1, which keeps n + max - 1).
  if (max < 1 || n > 2 ** 22)
    return keptForPublishing(
      Array.from({ length: n }, (_, f) => f),
      max,
      (f) => findings.severity(f),
      (a, b) => findings.start(a) - findings.start(b),
    ) as number[];
  const countOfSeverity = new Int32Array(DiagnosticSeverity.Hint + 1);
  for (let f = 0; f < n; f++) countOfSeverity[findings.severity(f)]++;
  // The severity that does not fit whole: kept are every finding before it and `remaining` of it.
  let remaining = max - 1;
  let boundary: number = DiagnosticSeverity.Error;
  // (There are more than `remaining` findings in all, so the Hints do not fit whole if nothing before them did.)
  while (boundary < DiagnosticSeverity.Hint && countOfSeverity[boundary] <= remaining)
    remaining -= countOfSeverity[boundary++];
  const kept: number[] = [];
  const keys = new Float64Array(countOfSeverity[boundary]);
  let m = 0;
  for (let f = 0; f < n; f++) {
    const severity = findings.severity(f);
    if (severity < boundary) kept.push(f);
    else if (severity === boundary) keys[m++] = findings.start(f) * n + f;
  }
  keys.sort();
  for (let j = 0; j < remaining; j++) kept.push(keys[j] % n);
  // keptForPublishing's second (stable) sort by start leaves equal starts in its first sort's order: severity, then
  // the order found.
  return kept.sort(
    (a, b) => findings.start(a) - findings.start(b) || findings.severity(a) - findings.severity(b) || a - b,
  );
}

/**
 * `n.toLocaleString('en-US')` for a whole number: digits grouped by three with commas. The first toLocaleString of a
 * process costs 20-30 ms (it sets up ICU number formatting), on the way to a large file's first diagnostics.
 */
function groupedDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** The note at the top of a file with more diagnostics than are published, so the limit is never silent. */
function limitNote(total: number, max: number): Diagnostic {
  const count = groupedDigits;
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    code: DiagnosticCode.moreDiagnostics,
    source: DIAGNOSTIC_SOURCE,
    message: `Robust NAS found ${count(total)} problems and notes in this file and shows ${count(max - 1)} of them (errors and warnings first, then from the top), to keep the editor responsive. Hovers and inlay hints still cover every architecture.`,
  };
}

/**
 * The diagnostics to publish, chosen from already built ones (see {@link keptForPublishing}), plus the note when
 * some are left out. The server uses {@link diagnosticsToPublish}, which makes the same choice before building.
 */
export function publishedDiagnostics(all: readonly Diagnostic[], max = MAX_PUBLISHED_DIAGNOSTICS): Diagnostic[] {
  const before = (a: Diagnostic, b: Diagnostic) =>
    a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
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
  const { findings, build } = collectFindings(doc, occurrences, settings, bench);
  const total = findings.length;
  const kept = keptFindings(findings, max);
  if (kept === undefined) return { diagnostics: Array.from({ length: total }, (_, f) => build(f)), total };
  return { diagnostics: [limitNote(total, max), ...kept.map(build)], total };
}
