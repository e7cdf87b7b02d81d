import { Rng } from '../ntk/rng';

/**
 * Percentile bootstrap of rank correlations (Efron & Tibshirani 1993, ch. 13): resample the n paired observations
 * with replacement B times, compute the statistic on each resample, and take the 2.5th and 97.5th percentiles of the
 * B values as the 95% interval. Every statistic of one table is computed on the same B resamples (a paired
 * bootstrap), so two proxies' intervals are comparable and the run is reproducible from the seed.
 *
 * Speed: a resample is stored as a multiplicity per observation (how often it was drawn), never as copied values.
 * Each column is sorted once ({@link RankedColumn}); a resample's tie-averaged ranks then come from a cumulative sum
 * of multiplicities along that fixed order in O(n), so Spearman's rho of a resample costs O(n) instead of a sort,
 * and Kendall's tau-b costs one O(n log n) weighted inversion count over the fixed x order. The values are exactly
 * those of {@link spearman} / {@link kendallTauB} applied to the expanded resample (tested).
 */

/** B resamples of n observations as multiplicities: `counts[b * n + i]` = times observation i was drawn. */
export interface BootstrapResamples {
  readonly n: number;
  readonly count: number;
  readonly seed: number;
  readonly counts: Uint16Array;
}

export function drawResamples(n: number, count: number, seed: number): BootstrapResamples {
  if (n >= 65536) throw new RangeError(`bootstrap of ${n} observations: at most 65,535 are supported`);
  const counts = new Uint16Array(n * count);
  const rng = new Rng(seed);
  for (let b = 0; b < count; b++) {
    const row = b * n;
    for (let k = 0; k < n; k++) counts[row + rng.int(n)]++;
  }
  return { n, count, seed, counts };
}

/** A column sorted once: its present observations in value order, and where each run of equal values ends. */
export interface RankedColumn {
  readonly order: Uint32Array;
  /** `groupEnd[k]`: one past the last position (in `order`) of the run of equal values that contains position k. */
  readonly groupEnd: Uint32Array;
  /** Dense rank (0-based) of each observation's value: equal values share one. */
  readonly dense: Uint32Array;
  readonly distinct: number;
}

export function rankColumn(values: ArrayLike<number>): RankedColumn {
  const n = values.length;
  // Missing values (NaN) are left out of the order: they take no rank and must get weight 0.
  const present: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(values[i])) present.push(i);
  const order = Uint32Array.from(present);
  order.sort((a, b) => values[a] - values[b]);
  const m = order.length;
  const groupEnd = new Uint32Array(m);
  const dense = new Uint32Array(n);
  let distinct = 0;
  for (let start = 0; start < m;) {
    let end = start + 1;
    while (end < m && values[order[end]] === values[order[start]]) end++;
    for (let k = start; k < end; k++) {
      groupEnd[k] = end;
      dense[order[k]] = distinct;
    }
    distinct++;
    start = end;
  }
  return { order, groupEnd, dense, distinct };
}

/**
 * Tie-averaged ranks (1-based) of every observation within the resample whose multiplicities are `w`, written to
 * `out`; observations not drawn get a rank too (it is never used: their weight is 0).
 */
export function resampleRanks(col: RankedColumn, w: ArrayLike<number>, out: Float64Array): void {
  const { order, groupEnd } = col;
  let before = 0;
  for (let start = 0; start < order.length;) {
    const end = groupEnd[start];
    let weight = 0;
    for (let k = start; k < end; k++) weight += w[order[k]];
    const shared = before + (weight + 1) / 2;
    for (let k = start; k < end; k++) out[order[k]] = shared;
    before += weight;
    start = end;
  }
}

/** The weighted mean and sum of squared deviations of resampled ranks (see {@link resampledSpearman}). */
export interface RankMoments {
  readonly mean: number;
  readonly squares: number;
}

export function rankMoments(ranks: ArrayLike<number>, w: ArrayLike<number>): RankMoments {
  let sw = 0;
  let s = 0;
  let ss = 0;
  for (let i = 0; i < w.length; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    sw += wi;
    s += wi * ranks[i];
    ss += wi * ranks[i] * ranks[i];
  }
  const mean = s / sw;
  return { mean, squares: ss - sw * mean * mean };
}

/**
 * Spearman's rho of the resample `w` between column x and the already resampled ranks `ry` of y (with their
 * moments): one pass over x's fixed order, accumulating each run of equal x values' weight and weighted y-rank sum,
 * so x's resampled ranks are never written out. Equals {@link weightedPearson} of both resampled rank vectors.
 */
export function resampledSpearman(
  x: RankedColumn,
  w: ArrayLike<number>,
  ry: ArrayLike<number>,
  y: RankMoments,
): number {
  const { order, groupEnd } = x;
  let before = 0;
  let sxy = 0;
  let sxx = 0;
  let sx = 0;
  for (let start = 0; start < order.length;) {
    const end = groupEnd[start];
    let weight = 0;
    let weightedY = 0;
    for (let k = start; k < end; k++) {
      const i = order[k];
      const wi = w[i];
      weight += wi;
      weightedY += wi * ry[i];
    }
    const shared = before + (weight + 1) / 2;
    sxy += shared * weightedY;
    sx += weight * shared;
    sxx += weight * shared * shared;
    before += weight;
    start = end;
  }
  const meanX = sx / before;
  const cov = sxy - before * meanX * y.mean;
  const varX = sxx - before * meanX * meanX;
  if (!(varX > 0 && y.squares > 0)) return NaN;
  return Math.max(-1, Math.min(1, cov / Math.sqrt(varX * y.squares)));
}

/** Pearson's r of (x_i, y_i) repeated w_i times; NaN when a side is constant. */
export function weightedPearson(x: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number>): number {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < w.length; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    sw += wi;
    sx += wi * x[i];
    sy += wi * y[i];
  }
  const mx = sx / sw;
  const my = sy / sw;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < w.length; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += wi * dx * dy;
    sxx += wi * dx * dx;
    syy += wi * dy * dy;
  }
  if (!(sxx > 0 && syy > 0)) return NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Scratch buffers of {@link weightedKendallTauB}, reused across calls of one size. */
export class KendallScratch {
  readonly tree: Float64Array;
  constructor(distinctY: number) {
    this.tree = new Float64Array(distinctY + 1);
  }
}

/**
 * Kendall's tau-b of the sample in which observation i appears w_i times (copies of one observation are tied in
 * both x and y). Walks observations in x order, a run of equal x at a time; a Fenwick tree over y's dense ranks holds
 * the weight seen so far, so each observation's concordant minus discordant weight against all earlier x values is
 * two prefix sums. O(n log n).
 */
export function weightedKendallTauB(
  x: RankedColumn,
  y: RankedColumn,
  w: ArrayLike<number>,
  scratch = new KendallScratch(y.distinct),
): number {
  const tree = scratch.tree;
  tree.fill(0);
  const m = y.distinct;
  const prefix = (r: number) => {
    // Weight of y dense ranks < r.
    let s = 0;
    for (let k = r; k > 0; k -= k & -k) s += tree[k];
    return s;
  };
  let total = 0;
  let sumProducts = 0; // sum over ordered-by-x pairs with distinct x of w_i w_j sgn(y_j - y_i)
  let tiesX = 0;
  for (let start = 0; start < x.order.length;) {
    const end = x.groupEnd[start];
    let groupWeight = 0;
    for (let k = start; k < end; k++) {
      const i = x.order[k];
      const wi = w[i];
      if (wi === 0) continue;
      const r = y.dense[i];
      const below = prefix(r);
      const above = total - prefix(r + 1);
      sumProducts += wi * (below - above);
      groupWeight += wi;
    }
    for (let k = start; k < end; k++) {
      const i = x.order[k];
      const wi = w[i];
      if (wi === 0) continue;
      for (let j = y.dense[i] + 1; j <= m; j += j & -j) tree[j] += wi;
    }
    total += groupWeight;
    tiesX += (groupWeight * (groupWeight - 1)) / 2;
    start = end;
  }
  let tiesY = 0;
  for (let start = 0; start < y.order.length;) {
    const end = y.groupEnd[start];
    let g = 0;
    for (let k = start; k < end; k++) g += w[y.order[k]];
    tiesY += (g * (g - 1)) / 2;
    start = end;
  }
  const pairs = (total * (total - 1)) / 2;
  const denominator = Math.sqrt((pairs - tiesX) * (pairs - tiesY));
  if (!(denominator > 0)) return NaN;
  return Math.max(-1, Math.min(1, sumProducts / denominator));
}

/** The (lower, upper) percentiles of `values` (NaN ignored), with linear interpolation between order statistics. */
export function percentileInterval(values: ArrayLike<number>, level = 0.95): [number, number] {
  const v = Array.from(values)
    .filter((x) => !Number.isNaN(x))
    .sort((a, b) => a - b);
  if (v.length === 0) return [NaN, NaN];
  const at = (q: number) => {
    const pos = q * (v.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(v.length - 1, lo + 1);
    return v[lo] + (pos - lo) * (v[hi] - v[lo]);
  };
  const tail = (1 - level) / 2;
  return [at(tail), at(1 - tail)];
}
