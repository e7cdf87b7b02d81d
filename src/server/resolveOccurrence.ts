import type { ArchRecord, BenchmarkApi } from '../core/benchmark/api';
import type { Cell } from '../core/space/cell';
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
  // The scanner only yields valid cells, so the index look-up needs none of resolve()'s checks.
  return { cell, record: bench.archOfIndex(bench.indexOfCell(cell)) };
}
