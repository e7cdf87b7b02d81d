import type { ArchRecord, BenchmarkApi, CellConstraint } from '../../core/benchmark/api';
import { meetsConstraints } from '../../core/benchmark/constraints';
import type { MetricId } from '../../core/benchmark/metrics';
import type { DatasetId } from '../../core/space/cost';
import type { SearchQuery, SearchQueryProblem } from './searchQuery';

/** One row of the search results: an evaluated cell (or the member of its class that meets the constraints). */
export interface SearchMatch {
  readonly arch: ArchRecord;
  /** Value of the configured metric; NaN where the data has none. */
  readonly value: number;
  /** Rank by the configured metric (1 = best); undefined where the data has no value. */
  readonly rank: number | undefined;
}

export interface SearchResult {
  /** Best first by the configured metric, cells without a value last; at most `limit` rows. */
  readonly matches: readonly SearchMatch[];
  /** How many cells match in all (may exceed `matches.length`). */
  readonly total: number;
  /** Parts of the query that were not understood; when there are any, no cell is listed. */
  readonly errors: readonly SearchQueryProblem[];
}

/**
 * Runs a parsed query over the 6,466 evaluated cells, ranked by `metric` on `dataset`. Constraints are checked the
 * core's way (a class matches when one of its members does, shown as that member), so `edge 1->2 = skip` also
 * finds cells the benchmark stores under an isomorphic string.
 */
export function searchBenchmark(
  bench: BenchmarkApi,
  dataset: DatasetId,
  metric: MetricId,
  query: SearchQuery,
  limit: number,
): SearchResult {
  const valueOf = (index: number) => bench.metric(index, dataset, metric);
  const row = (arch: ArchRecord): SearchMatch => {
    const v = valueOf(arch.representativeIndex);
    return { arch, value: v?.value ?? NaN, rank: v?.rank };
  };
  switch (query.kind) {
    case 'arch': {
      const r = bench.resolve(query.text);
      if (!r.ok)
        return {
          matches: [],
          total: 0,
          errors: [{ message: r.errors[0]?.message ?? `'${query.text}' is not an architecture.` }],
        };
      // The cell itself when it is evaluated; otherwise its evaluated representative, which holds the results.
      const arch = r.arch.isRepresentative ? r.arch : bench.archOfIndex(r.arch.representativeIndex);
      return { matches: [row(arch)], total: 1, errors: [] };
    }
    case 'substring': {
      const ranked = rankedAll(bench, dataset, metric, []);
      const hits = ranked.filter((m) => m.arch.archString.includes(query.text));
      return { matches: hits.slice(0, limit), total: hits.length, errors: [] };
    }
    case 'all':
    case 'constraints': {
      // A query with a problem lists nothing: cells filtered by the clauses that happened to parse would look like
      // the answer to the whole query.
      if (query.kind === 'constraints' && query.errors.length > 0)
        return { matches: [], total: 0, errors: query.errors };
      const constraints = query.kind === 'constraints' ? query.constraints : [];
      const ranked = rankedAll(bench, dataset, metric, constraints);
      return { matches: ranked.slice(0, limit), total: ranked.length, errors: [] };
    }
  }
}

/** Every evaluated class meeting the constraints, best first; classes without a value for the metric at the end. */
function rankedAll(
  bench: BenchmarkApi,
  dataset: DatasetId,
  metric: MetricId,
  constraints: readonly CellConstraint[],
): SearchMatch[] {
  const n = bench.evaluatedIndices.length;
  const ranked: SearchMatch[] = bench
    .topK(dataset, metric, n, constraints)
    .map((r) => ({ arch: r.arch, value: r.value, rank: r.rank }));
  if (ranked.length === n) return ranked;
  // Cells the metric has no value for (e.g. corruption accuracy on ImageNet16-120): listed after the ranked ones,
  // checked on their representative's cell only (they carry no ranking to pick a member by).
  const seen = new Set(ranked.map((m) => m.arch.representativeIndex));
  for (const index of bench.evaluatedIndices) {
    if (seen.has(index)) continue;
    const arch = bench.archOfIndex(index);
    if (bench.metric(index, dataset, metric)) continue;
    if (meetsConstraints(arch.cell, constraints)) ranked.push({ arch, value: NaN, rank: undefined });
  }
  return ranked;
}
