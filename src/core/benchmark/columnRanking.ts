import type { MetricDirection } from './metrics';

/**
 * Ranks of one metric column, precomputed once so that a cell's rank and percentile are array look-ups.
 * Rank 1 is the best value: the highest for a metric that is maximised (accuracy), the lowest for one that is
 * minimised (params, FLOPs). Tied cells share the best rank of their group (competition ranking, "1224"), so a cell
 * is never ranked below a cell with the same value; the percentile counts only cells strictly worse.
 */
export interface ColumnRanking {
  readonly direction: MetricDirection;
  /** Rank of each position; 0 where the column has no value (NaN). */
  readonly rank: Int32Array;
  /** How many cells have a strictly worse value (lower when maximised, higher when minimised), per position. */
  readonly worseCount: Int32Array;
  /** How many cells have a value. */
  readonly of: number;
  /** The column's values without NaN, ascending, for ranking a value that is not in the column. */
  readonly sorted: Float64Array;
  /** Positions (into the column) of the cells that have a value, best first; ties in position order. Built on first use. */
  readonly order: Int32Array;
}

/** First i in the ascending array with sorted[i] >= v (or > v when `strict`). */
function bound(sorted: Float64Array, v: number, strict: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v || (strict && sorted[mid] === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Where a value stands among the sorted column, by the same rules as {@link rankColumn}: for a value in the column
 * the same rank and worse-count as its cells; for any other value, the rank it would have if it were added.
 */
export function rankAmongSorted(
  sorted: Float64Array,
  direction: MetricDirection,
  v: number,
): { rank: number; worseCount: number } {
  const below = bound(sorted, v, false);
  const atOrBelow = bound(sorted, v, true);
  const above = sorted.length - atOrBelow;
  return direction === 'max' ? { rank: above + 1, worseCount: below } : { rank: below + 1, worseCount: above };
}

export function rankColumn(values: Float64Array, direction: MetricDirection = 'max'): ColumnRanking {
  // A native numeric sort of the values and two binary searches per cell: several times faster than sorting
  // positions with a comparator, which only topK's `order` needs (built lazily below).
  const sorted = values.filter((v) => !Number.isNaN(v)).sort();
  const of = sorted.length;
  const rank = new Int32Array(values.length);
  const worseCount = new Int32Array(values.length);
  for (let p = 0; p < values.length; p++) {
    const v = values[p];
    if (Number.isNaN(v)) continue;
    const r = rankAmongSorted(sorted, direction, v);
    rank[p] = r.rank;
    worseCount[p] = r.worseCount;
  }
  const sign = direction === 'max' ? 1 : -1;
  let order: Int32Array | undefined;
  return {
    direction,
    rank,
    worseCount,
    of,
    sorted,
    get order() {
      if (!order) {
        const present: number[] = [];
        for (let p = 0; p < values.length; p++) if (!Number.isNaN(values[p])) present.push(p);
        order = Int32Array.from(present).sort((a, b) => sign * (values[b] - values[a]) || a - b);
      }
      return order;
    },
  };
}

/**
 * Percentage of the other cells with a strictly worse value: 100 when a cell beats every other, 0 when none. Over
 * `of - 1` (the others) rather than `of`, so that the best cell reads 100 as the API promises.
 */
export function percentileOf(worseCount: number, of: number): number {
  return of > 1 ? (100 * worseCount) / (of - 1) : 100;
}
