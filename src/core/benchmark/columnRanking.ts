/**
 * Ranks of one metric column, precomputed once so that a cell's rank and percentile are array look-ups.
 * Rank 1 is the best (highest) value; tied cells share the best rank of their group (competition ranking, "1224").
 */
export interface ColumnRanking {
  /** Rank of each position; 0 where the column has no value (NaN). */
  readonly rank: Int32Array;
  /** How many cells have a strictly lower value, per position. */
  readonly lowerCount: Int32Array;
  /** How many cells have a value. */
  readonly of: number;
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

export function rankColumn(values: Float64Array): ColumnRanking {
  // A native numeric sort of the values and two binary searches per cell: several times faster than sorting
  // positions with a comparator, which only topK's `order` needs (built lazily below).
  const sorted = values.filter((v) => !Number.isNaN(v)).sort();
  const of = sorted.length;
  const rank = new Int32Array(values.length);
  const lowerCount = new Int32Array(values.length);
  for (let p = 0; p < values.length; p++) {
    const v = values[p];
    if (Number.isNaN(v)) continue;
    lowerCount[p] = bound(sorted, v, false);
    rank[p] = of - bound(sorted, v, true) + 1;
  }
  let order: Int32Array | undefined;
  return {
    rank,
    lowerCount,
    of,
    get order() {
      if (!order) {
        const present: number[] = [];
        for (let p = 0; p < values.length; p++) if (!Number.isNaN(values[p])) present.push(p);
        order = Int32Array.from(present).sort((a, b) => values[b] - values[a] || a - b);
      }
      return order;
    },
  };
}

/**
 * Percentage of the other cells with a strictly lower value: 100 when a cell beats every other, 0 when none. Over
 * `of - 1` (the others) rather than `of`, so that the best cell reads 100 as the API promises.
 */
export function percentileOf(lowerCount: number, of: number): number {
  return of > 1 ? (100 * lowerCount) / (of - 1) : 100;
}
