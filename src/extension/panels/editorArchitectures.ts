import type { BenchmarkApi } from '../../core/benchmark/api';
import { scanArchitectures, type ArchOccurrence } from '../../core/scan';

/** The cell or index an occurrence names, as `BenchmarkApi.resolve` takes it; undefined for malformed text. */
function resolvable(o: ArchOccurrence): Parameters<BenchmarkApi['resolve']>[0] | undefined {
  switch (o.kind) {
    case 'string':
    case 'naslib':
      return o.cell;
    case 'index':
      return o.index;
    default:
      return undefined;
  }
}

/**
 * Positions (into `evaluatedIndices`) of the evaluated cells written in a text (the language server's scanner:
 * architecture strings, NASLib tuples, indices in API calls), each once, in order of first appearance. A cell
 * that is not evaluated itself counts as its class representative, whose results it shares.
 */
export function architecturePositionsInText(bench: BenchmarkApi, text: string): number[] {
  const position = new Map<number, number>();
  bench.evaluatedIndices.forEach((index, pos) => position.set(index, pos));
  const found: number[] = [];
  for (const o of scanArchitectures(text)) {
    const input = resolvable(o);
    if (input === undefined) continue;
    const r = bench.resolve(input);
    if (!r.ok) continue;
    const pos = position.get(r.arch.representativeIndex);
    if (pos !== undefined && !found.includes(pos)) found.push(pos);
  }
  return found;
}
