/**
 * Ranks with ties averaged (the "fractional" ranking Spearman's rho needs): the smallest value gets rank 1, and a
 * run of equal values shares the mean of the ranks it spans. NaN stays NaN.
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).filter((i) => !Number.isNaN(values[i]));
  order.sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n).fill(NaN);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    const shared = (start + 1 + end) / 2; // mean of ranks start+1 .. end
    for (let k = start; k < end; k++) ranks[order[k]] = shared;
    start = end;
  }
  return ranks;
}

/**
 * Keeps the positions where both series have a value. Correlations are computed over complete pairs: the
 * standard-training file lacks some metrics (corruption on ImageNet16-120), and NTK sweeps may cover a sample.
 */
export function completePairs(x: ArrayLike<number>, y: ArrayLike<number>): [Float64Array, Float64Array] {
  if (x.length !== y.length) throw new RangeError(`series differ in length: ${x.length} vs ${y.length}`);
  let m = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]) && !Number.isNaN(y[i])) m++;
  const xs = new Float64Array(m);
  const ys = new Float64Array(m);
  for (let i = 0, j = 0; i < x.length; i++) {
    if (!Number.isNaN(x[i]) && !Number.isNaN(y[i])) {
      xs[j] = x[i];
      ys[j] = y[i];
      j++;
    }
  }
  return [xs, ys];
}
