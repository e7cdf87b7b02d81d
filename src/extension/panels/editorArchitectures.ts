import type { BenchmarkApi } from '../../core/benchmark/api';
import { parseArchString } from '../../core/space';

// An architecture string: `|`, op~input items and `+` separators, up to the last `|` (quotes and spaces end it).
const ARCH_STRING = /\|[A-Za-z0-9_~|+]*\|/g;

/**
 * Positions (into `evaluatedIndices`) of the evaluated cells written in a text, each once, in order of first
 * appearance. A cell that is not evaluated itself counts as its class representative, whose results it shares.
 */
export function architecturePositionsInText(bench: BenchmarkApi, text: string): number[] {
  const position = new Map<number, number>();
  bench.evaluatedIndices.forEach((index, pos) => position.set(index, pos));
  const found: number[] = [];
  for (const m of text.matchAll(ARCH_STRING)) {
    const parsed = parseArchString(m[0]);
    if (!parsed.ok) continue;
    const r = bench.resolve(parsed.cell);
    if (!r.ok) continue;
    const pos = position.get(r.arch.representativeIndex);
    if (pos !== undefined && !found.includes(pos)) found.push(pos);
  }
  return found;
}
