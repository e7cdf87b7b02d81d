import type { ArchRecord, BenchmarkApi } from '../core/benchmark/api';
import { cellToCodeNumber, type Cell } from '../core/space/cell';
import { MAX_ARCH_INDEX } from '../core/space/encodings';
import type { ArchOccurrence } from '../core/scan/occurrence';

/** What an occurrence denotes: its cell when known, and its benchmark record when the data is loaded. */
export interface ResolvedArch {
  /** Undefined for an index without data, or a malformed string or tuple. */
  readonly cell: Cell | undefined;
  readonly record: ArchRecord | undefined;
}

/** Resolves without throwing: a bad index or a benchmark error yields an unresolved result. */
export function resolveOccurrence(occ: ArchOccurrence, bench: BenchmarkApi | undefined): ResolvedArch {
  let cell: Cell | undefined;
  if (occ.kind === 'string' || occ.kind === 'naslib') cell = occ.cell;
  if (!bench) return { cell, record: undefined };
  if (occ.kind === 'index') {
    if (occ.index < 0 || occ.index > MAX_ARCH_INDEX) return { cell: undefined, record: undefined };
    const record = bench.archOfIndex(occ.index);
    return { cell: record.cell, record };
  }
  if (!cell) return { cell: undefined, record: undefined };
  let records = recordOfCell.get(bench);
  if (!records) {
    records = new WeakMap();
    recordOfCell.set(bench, records);
  }
  let record = records.get(cell);
  if (!record) {
    // The scanner only yields valid cells, so the index look-up needs none of resolve()'s checks.
    record = bench.archOfIndex(bench.indexOfCell(cell));
    records.set(cell, record);
  }
  return { cell, record };
}

/**
 * The record of each cell object, per loaded benchmark. A scan after an edit carries the occurrences away from the
 * edit over with their cell objects (core/scan/incrementalScan.ts), so re-diagnosing a 36,761-cell file after a
 * keystroke looks its cells up here instead of computing each one's code number and index again.
 */
const recordOfCell = new WeakMap<BenchmarkApi, WeakMap<Cell, ArchRecord>>();

/** A cell's code number (0..15624, the key of per-cell tables), kept per cell object for the same reason. */
export function codeOfCell(cell: Cell): number {
  let code = codeOfCellObject.get(cell);
  if (code === undefined) {
    code = cellToCodeNumber(cell);
    codeOfCellObject.set(cell, code);
  }
  return code;
}

const codeOfCellObject = new WeakMap<Cell, number>();
