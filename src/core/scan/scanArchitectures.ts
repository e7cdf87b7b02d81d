import type { ArchOccurrence } from './occurrence';
import { scanArchStrings, type ScanOptions } from './scanArchStrings';
import { scanArchIndices } from './scanIndices';
import { scanNaslibTuples } from './scanNaslibTuples';

/**
 * Every NAS-Bench-201 cell written in `text`: architecture strings (well-formed or malformed), indices in API
 * calls, NASLib `op_indices` tuples. Sorted by start offset, never overlapping. Never throws; linear time.
 */
export function scanArchitectures(text: string, options: ScanOptions = {}): ArchOccurrence[] {
  const strings = scanArchStrings(text, options);
  if (options.isCancelled?.()) return strings;
  return withIndicesAndTuples(text, strings);
}

/** The strings found with the indices and NASLib tuples of `text` merged in, sorted, never overlapping. */
export function withIndicesAndTuples(text: string, strings: ArchOccurrence[]): ArchOccurrence[] {
  const others: ArchOccurrence[] = [...scanArchIndices(text), ...scanNaslibTuples(text)];
  if (others.length === 0) return strings;
  const all: ArchOccurrence[] = [...strings, ...others].sort((a, b) => a.start - b.start);
  // Indices and tuples never contain `|`, but a malformed run could end inside one; keep the earlier occurrence.
  const out: ArchOccurrence[] = [];
  for (const o of all) {
    if (out.length > 0 && o.start < out[out.length - 1].end) continue;
    out.push(o);
  }
  return out;
}

/** The occurrence containing `offset` (the end offset counts, so a cursor just after a string still finds it). */
export function occurrenceAt<T extends { start: number; end: number }>(
  occurrences: readonly T[],
  offset: number,
): T | undefined {
  let lo = 0;
  let hi = occurrences.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const o = occurrences[mid];
    if (offset < o.start) hi = mid - 1;
    else if (offset > o.end) lo = mid + 1;
    else return o;
  }
  return undefined;
}
