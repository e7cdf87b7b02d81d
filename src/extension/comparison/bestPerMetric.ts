/**
 * Which pinned rows hold the best value of each metric, in the column's direction (`max` by default: accuracies;
 * `min` for params and FLOPs). Ties are all marked; a metric no row has a value for marks nothing.
 * `values[row][column]` is undefined or NaN where the data has none.
 */
export function bestRowsPerColumn(
  values: readonly (readonly (number | undefined)[])[],
  columns: number,
  directions: readonly ('max' | 'min' | undefined)[] = [],
): Set<number>[] {
  const best: Set<number>[] = [];
  for (let c = 0; c < columns; c++) {
    const sign = directions[c] === 'min' ? -1 : 1;
    let max = -Infinity;
    for (const row of values) {
      const v = row[c];
      if (v !== undefined && Number.isFinite(v) && sign * v > max) max = sign * v;
    }
    const rows = new Set<number>();
    if (max > -Infinity)
      values.forEach((row, r) => {
        if (row[c] !== undefined && sign * row[c]! === max) rows.add(r);
      });
    best.push(rows);
  }
  return best;
}
