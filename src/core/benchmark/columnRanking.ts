/**
 * Ranks of one metric column, precomputed once so that a cell's rank and percentile are array look-ups.
 * Rank 1 is the best (highest) value; tied cells share the best rank of their group (competition ranking, "1224").
 */
export interface ColumnRanking {
  /** Positions (into the column) of the cells that have a value, best first; ties keep position order. */
  readonly order: Int32Array;
  /** Rank of each position; 0 where the column has no value (NaN). */
  readonly rank: Int32Array;
  /** How many cells have a strictly lower value, per position. */
  readonly lowerCount: Int32Array;
  /** How many cells have a value. */
  readonly of: number;
}

export function rankColumn(values: Float64Array): ColumnRanking {
  const present: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) present.push(i);
  const order = Int32Array.from(present).sort((a, b) => values[b] - values[a] || a - b);
  const rank = new Int32Array(values.length);
  const lowerCount = new Int32Array(values.length);
  const of = order.length;
  for (let start = 0; start < of;) {
    let end = start + 1;
    while (end < of && values[order[end]] === values[order[start]]) end++;
    for (let i = start; i < end; i++) {
      rank[order[i]] = start + 1;
      lowerCount[order[i]] = of - end;
    }
    start = end;
  }
  return { order, rank, lowerCount, of };
}

/**
 * Percentage of the other cells with a strictly lower value: 100 when a cell beats every other, 0 when none. Over
 * `of - 1` (the others) rather than `of`, so that the best cell reads 100 as the API promises.
 */
export function percentileOf(lowerCount: number, of: number): number {
  return of > 1 ? (100 * lowerCount) / (of - 1) : 100;
}
