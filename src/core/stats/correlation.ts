import { averageRanks, completePairs } from './ranks';

export type CorrelationMethod = 'spearman' | 'kendall' | 'pearson';
export const CORRELATION_METHODS: readonly CorrelationMethod[] = ['spearman', 'kendall', 'pearson'];

/** Pearson's r over complete pairs; NaN when fewer than 2 pairs or a series is constant. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const [xs, ys] = completePairs(x, y);
  const n = xs.length;
  if (n < 2) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Spearman's rho: Pearson's r of the average ranks (ties share their mean rank). */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const [xs, ys] = completePairs(x, y);
  return pearson(averageRanks(xs), averageRanks(ys));
}

/** Number of pairs within runs of equal values of a sorted-by-key index list. */
function tiedPairs(idx: Uint32Array, key: (i: number) => boolean): number {
  let pairs = 0;
  let run = 1;
  for (let k = 1; k <= idx.length; k++) {
    if (k < idx.length && key(k)) run++;
    else {
      pairs += (run * (run - 1)) / 2;
      run = 1;
    }
  }
  return pairs;
}

/**
 * Kendall's tau-b, in O(n log n) by Knight's algorithm (1966): sort by (x, y), count ties, then count the
 * discordant pairs as the swaps a merge sort by y makes. An 18x18 matrix over 6,466 cells would take seconds with
 * the O(n^2) pair count.
 */
export function kendallTauB(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const [xs, ys] = completePairs(x, y);
  const n = xs.length;
  if (n < 2) return NaN;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => xs[a] - xs[b] || ys[a] - ys[b]);
  const tiesX = tiedPairs(idx, (k) => xs[idx[k]] === xs[idx[k - 1]]);
  const tiesXY = tiedPairs(idx, (k) => xs[idx[k]] === xs[idx[k - 1]] && ys[idx[k]] === ys[idx[k - 1]]);

  // Bottom-up merge sort of idx by y, counting how many pairs are out of order (strictly).
  let swaps = 0;
  let src = idx;
  let dst = new Uint32Array(n);
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (ys[src[j]] < ys[src[i]]) {
          dst[k++] = src[j++];
          swaps += mid - i;
        } else {
          dst[k++] = src[i++];
        }
      }
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    [src, dst] = [dst, src];
  }
  const tiesY = tiedPairs(src, (k) => ys[src[k]] === ys[src[k - 1]]);
  const total = (n * (n - 1)) / 2;
  const denominator = Math.sqrt((total - tiesX) * (total - tiesY));
  if (denominator === 0) return NaN;
  const concordantMinusDiscordant = total - tiesX - tiesY + tiesXY - 2 * swaps;
  return Math.max(-1, Math.min(1, concordantMinusDiscordant / denominator));
}

export function correlation(method: CorrelationMethod, x: ArrayLike<number>, y: ArrayLike<number>): number {
  switch (method) {
    case 'spearman':
      return spearman(x, y);
    case 'kendall':
      return kendallTauB(x, y);
    case 'pearson':
      return pearson(x, y);
  }
}

/**
 * A complete column's ranks, centred, and their sum of squares: what every Pearson r of ranks with this column
 * needs, computed once. Same operations in the same order as {@link pearson}, so a matrix entry is bit-identical to
 * `spearman(a, b)`.
 */
interface CentredRanks {
  readonly deviations: Float64Array;
  readonly sumOfSquares: number;
}

function centredRanks(column: ArrayLike<number>): CentredRanks {
  const ranks = averageRanks(column);
  const n = ranks.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += ranks[i];
  mean /= n;
  const deviations = new Float64Array(n);
  let sumOfSquares = 0;
  for (let i = 0; i < n; i++) {
    const d = ranks[i] - mean;
    deviations[i] = d;
    sumOfSquares += d * d;
  }
  return { deviations, sumOfSquares };
}

/** Pearson's r of two centred rank vectors: one pass, no allocation. */
function pearsonOfCentred(a: CentredRanks, b: CentredRanks): number {
  const n = a.deviations.length;
  if (n < 2 || a.sumOfSquares === 0 || b.sumOfSquares === 0) return NaN;
  const da = a.deviations;
  const db = b.deviations;
  let sxy = 0;
  for (let i = 0; i < n; i++) sxy += da[i] * db[i];
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(a.sumOfSquares * b.sumOfSquares)));
}

function hasGap(column: ArrayLike<number>): boolean {
  for (let i = 0; i < column.length; i++) if (Number.isNaN(column[i])) return true;
  return false;
}

/** Symmetric matrix of pairwise correlations; the diagonal is 1 (NaN for a series with fewer than 2 values). */
export function correlationMatrix(
  columns: readonly ArrayLike<number>[],
  method: CorrelationMethod = 'spearman',
): number[][] {
  const m = columns.length;
  const matrix = Array.from({ length: m }, () => new Array<number>(m).fill(NaN));
  // Spearman of two complete columns is Pearson of their ranks: rank and centre each complete column once (18
  // rankings instead of 306 for the 18x18 matrix of bench:core), then each pair is one dot product, as
  // scipy.stats.spearmanr ranks each column once and takes one correlation matrix. Columns with gaps are ranked
  // per pair, over the pairs complete in both.
  const complete = columns.map((c) => !hasGap(c));
  const centred = method === 'spearman' ? columns.map((c, a) => (complete[a] ? centredRanks(c) : undefined)) : [];
  for (let a = 0; a < m; a++) {
    for (let b = a; b < m; b++) {
      const ca = centred[a];
      const cb = centred[b];
      let r: number;
      if (a === b)
        r = (complete[a] ? columns[a].length : completePairs(columns[a], columns[a])[0].length) >= 2 ? 1 : NaN;
      else r = ca && cb ? pearsonOfCentred(ca, cb) : correlation(method, columns[a], columns[b]);
      matrix[a][b] = r;
      matrix[b][a] = r;
    }
  }
  return matrix;
}
