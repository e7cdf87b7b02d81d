/**
 * Which pinned rows hold the best value of each metric (all accuracies: higher is better). Ties are all marked;
 * a metric no row has a value for marks nothing. `values[row][column]` is undefined or NaN where the data has none.
 */
export function bestRowsPerColumn(values: readonly (readonly (number | undefined)[])[], columns: number): Set<number>[] {
  const best: Set<number>[] = [];
  for (let c = 0; c < columns; c++) {
    let max = -Infinity;
    for (const row of values) {
      const v = row[c];
      if (v !== undefined && Number.isFinite(v) && v > max) max = v;
    }
    const rows = new Set<number>();
    if (max > -Infinity) values.forEach((row, r) => {
      if (row[c] === max) rows.add(r);
    });
    best.push(rows);
  }
  return best;
}
