import { averageRanks } from '../stats/ranks';
import { kendallTauB, spearman } from '../stats/correlation';
import {
  drawResamples,
  KendallScratch,
  percentileInterval,
  rankColumn,
  rankMoments,
  resampledSpearman,
  resampleRanks,
  weightedKendallTauB,
  weightedPearson,
  type RankedColumn,
} from '../stats/bootstrap';
import { abdelfattahVote } from './vote';

/**
 * The proxy leaderboard: how well each training-free score ranks the benchmark's classes by each accuracy metric.
 * Pure computation over aligned columns (one value per class, NaN where missing), shared by `robust-nas corr` and the
 * editor's correlation view.
 */

/** A training-free score (or the parameter count) as a column over the benchmark's evaluated classes. */
export interface ProxyColumn {
  readonly id: string;
  readonly label: string;
  /** +1: a higher score predicts a better network (as the proxy's paper uses it); -1: a lower one does. */
  readonly direction: 1 | -1;
  /** `cost` (params, FLOPs) are baselines; they are never ensemble members. */
  readonly family: 'ntk' | 'zc' | 'baseline' | 'cost';
  readonly values: ArrayLike<number>;
}

/** An accuracy metric as a column aligned with the proxies'. */
export interface TargetColumn {
  readonly id: string;
  readonly label: string;
  readonly values: ArrayLike<number>;
}

export interface LeaderboardOptions {
  /** Bootstrap resamples (0: no intervals). Default 1000. */
  readonly resamples?: number;
  /** Seed of the resamples. Default 0. */
  readonly seed?: number;
  /** Confidence level of the percentile intervals. Default 0.95. */
  readonly level?: number;
  /**
   * Also bootstrap Kendall's tau (default false): an O(n log n) weighted count per proxy, metric and resample instead
   * of Spearman's O(n) pass (bench/proxy-sweep.bench.ts measures both).
   */
  readonly kendallIntervals?: boolean;
  /** How many of the best proxies form the ensemble and the vote (default 3, as Abdelfattah et al.'s vote). */
  readonly ensembleSize?: number;
  /** Called after each metric (for progress). */
  readonly onMetric?: (done: number, total: number) => void;
}

export interface Interval {
  readonly low: number;
  readonly high: number;
}

export interface LeaderboardEntry {
  readonly proxy: string;
  readonly label: string;
  readonly direction: 1 | -1;
  readonly family: ProxyColumn['family'] | 'ensemble';
  /** Classes with both a score and the metric. */
  readonly n: number;
  /** Raw (signed) coefficients: the score against the metric, whatever the proxy's direction. */
  readonly spearman: number;
  readonly kendall: number;
  readonly spearmanCi?: Interval;
  readonly kendallCi?: Interval;
  /** `direction * spearman`: positive when the proxy ranks classes the way its paper says it should. Sort key. */
  readonly score: number;
}

/** Abdelfattah et al.'s vote among the ensemble's members (see vote.ts). */
export interface VoteResult {
  readonly members: readonly string[];
  /** Ordered pairs of classes with different accuracy. */
  readonly pairs: number;
  /** Fraction of those pairs the majority orders like the accuracy. */
  readonly pairwiseAccuracy: number;
  /** 2 * pairwiseAccuracy - 1: on Kendall's scale (it is Kendall's tau-a when no score ties). */
  readonly kendallScale: number;
}

export interface MetricBoard {
  readonly metric: string;
  readonly label: string;
  /** Classes with a value of this metric among those the sweep scored. */
  readonly n: number;
  /** Every proxy, the ensemble included, best first (by `score`). */
  readonly entries: readonly LeaderboardEntry[];
  readonly vote?: VoteResult;
}

export interface Leaderboard {
  readonly boards: readonly MetricBoard[];
  readonly resamples: number;
  readonly seed: number;
  readonly level: number;
  readonly ensembleSize: number;
  readonly kendallIntervals: boolean;
  /** One sentence on how the intervals were computed, for every output. */
  readonly method: string;
}

export const ENSEMBLE_ID = 'ensemble:rank-sum';

/** The direction-signed ranks of a column (NaN stays NaN): a higher value is a better predicted class. */
function orientedRanks(p: ProxyColumn): Float64Array {
  const r = averageRanks(p.values);
  if (p.direction === -1) for (let i = 0; i < r.length; i++) r[i] = -r[i];
  return r;
}

/**
 * The rank-sum ensemble of `members`: each class's score is the sum of its (direction-signed, tie-averaged) ranks
 * under every member, as TE-NAS combines its two indicators (Chen et al., ICLR 2021, Sec. 3.3); NaN where a member
 * has no value.
 */
export function rankSumEnsemble(members: readonly ProxyColumn[]): Float64Array {
  const n = members[0]?.values.length ?? 0;
  const sum = new Float64Array(n);
  for (const m of members) {
    const r = orientedRanks(m);
    for (let i = 0; i < n; i++) sum[i] += r[i];
  }
  return sum;
}

function restrict(values: ArrayLike<number>, positions: Uint32Array): Float64Array {
  const out = new Float64Array(positions.length);
  for (let k = 0; k < positions.length; k++) out[k] = values[positions[k]];
  return out;
}

/** A column restricted to the metric's classes, with what the bootstrap needs of it (computed once per metric). */
interface Prepared {
  readonly values: Float64Array;
  readonly ranked: RankedColumn;
  /** 1 where the value is present. */
  readonly present: Uint8Array;
  readonly complete: boolean;
}

function prepare(values: Float64Array): Prepared {
  const present = new Uint8Array(values.length);
  let complete = true;
  for (let i = 0; i < values.length; i++) {
    present[i] = Number.isNaN(values[i]) ? 0 : 1;
    if (!present[i]) complete = false;
  }
  return { values, ranked: rankColumn(values), present, complete };
}

/**
 * Spearman's rho and Kendall's tau-b of every proxy against every target, best first per target, with percentile
 * bootstrap intervals over the same resamples of classes for every cell of the table, plus the rank-sum ensemble
 * and the vote of the `ensembleSize` best non-cost proxies of each target.
 */
export function computeLeaderboard(
  proxies: readonly ProxyColumn[],
  targets: readonly TargetColumn[],
  options: LeaderboardOptions = {},
): Leaderboard {
  const resamples = options.resamples ?? 1000;
  const seed = options.seed ?? 0;
  const level = options.level ?? 0.95;
  const ensembleSize = options.ensembleSize ?? 3;
  const kendallIntervals = options.kendallIntervals === true;
  if (!Number.isInteger(resamples) || resamples < 0)
    throw new RangeError(`resamples must be a whole number >= 0, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be between 0 and 1, got ${level}`);
  const length = proxies[0]?.values.length ?? 0;
  // The classes the sweep scored: those where at least one proxy that is not a cost metric has a value (cost
  // metrics exist for every class; a sample sweep must not be compared on classes it never scored).
  const scored = proxies.filter((p) => p.family !== 'cost');
  const inSweep = new Uint8Array(length);
  for (let i = 0; i < length; i++)
    inSweep[i] = scored.length === 0 || scored.some((p) => !Number.isNaN(p.values[i])) ? 1 : 0;

  const boards: MetricBoard[] = [];
  targets.forEach((target, t) => {
    const positionsList: number[] = [];
    for (let i = 0; i < length; i++) if (inSweep[i] && !Number.isNaN(target.values[i])) positionsList.push(i);
    const positions = Uint32Array.from(positionsList);
    const n = positions.length;
    if (n < 3) {
      boards.push({ metric: target.id, label: target.label, n, entries: [] });
      options.onMetric?.(t + 1, targets.length);
      return;
    }
    const y = prepare(restrict(target.values, positions));
    const pointEntries = proxies.map((p) => {
      const x = restrict(p.values, positions);
      const rho = spearman(x, y.values);
      return { p, x, rho, score: p.direction * rho };
    });
    // The ensemble: the best non-cost proxies of this metric by the point estimate (chosen on the same data).
    const members = pointEntries
      .filter((e) => e.p.family !== 'cost' && !Number.isNaN(e.rho))
      .sort((a, b) => b.score - a.score)
      .slice(0, ensembleSize)
      .map((e) => e.p);
    const columns = pointEntries.map((e) => ({ p: e.p as ProxyColumn | EnsembleColumn, x: e.x }));
    if (members.length >= 2) {
      const ensemble: EnsembleColumn = {
        id: ENSEMBLE_ID,
        label: `rank-sum ensemble of ${members.map((m) => m.id).join(', ')}`,
        direction: 1,
        family: 'ensemble',
        values: rankSumEnsemble(members.map((m) => ({ ...m, values: restrict(m.values, positions) }))),
      };
      columns.push({ p: ensemble, x: ensemble.values as Float64Array });
    }
    const prepared = columns.map((c) => prepare(c.x));
    const spearmanSamples = columns.map(() => new Float64Array(resamples));
    const kendallSamples = columns.map(() => new Float64Array(kendallIntervals ? resamples : 0));
    if (resamples > 0) {
      const draws = drawResamples(n, resamples, seed);
      const ry = new Float64Array(n);
      const ryOwn = new Float64Array(n);
      const rx = new Float64Array(n);
      const effective = new Float64Array(n);
      const scratch = new KendallScratch(y.ranked.distinct);
      for (let b = 0; b < resamples; b++) {
        const w = draws.counts.subarray(b * n, (b + 1) * n);
        resampleRanks(y.ranked, w, ry);
        const yMoments = rankMoments(ry, w);
        prepared.forEach((x, k) => {
          if (x.complete) {
            spearmanSamples[k][b] = resampledSpearman(x.ranked, w, ry, yMoments);
            if (kendallIntervals) kendallSamples[k][b] = weightedKendallTauB(x.ranked, y.ranked, w, scratch);
            return;
          }
          // A proxy with missing classes: the resample restricted to its classes, the target re-ranked within them.
          for (let i = 0; i < n; i++) effective[i] = w[i] * x.present[i];
          resampleRanks(y.ranked, effective, ryOwn);
          resampleRanks(x.ranked, effective, rx);
          spearmanSamples[k][b] = weightedPearson(rx, ryOwn, effective);
          if (kendallIntervals) kendallSamples[k][b] = weightedKendallTauB(x.ranked, y.ranked, effective, scratch);
        });
      }
    }
    const entries: LeaderboardEntry[] = columns.map((c, k) => {
      const rho = spearman(c.x, y.values);
      const ci = (s: Float64Array, wanted = true): Interval | undefined => {
        if (resamples === 0 || !wanted) return undefined;
        const [low, high] = percentileInterval(s, level);
        return { low, high };
      };
      return {
        proxy: c.p.id,
        label: c.p.label,
        direction: c.p.direction,
        family: c.p.family,
        n: prepared[k].present.reduce((a, v) => a + v, 0),
        spearman: rho,
        kendall: kendallTauB(c.x, y.values),
        spearmanCi: ci(spearmanSamples[k]),
        kendallCi: ci(kendallSamples[k], kendallIntervals),
        score: c.p.direction * rho,
      };
    });
    entries.sort((a, b) => (Number.isNaN(a.score) ? 1 : 0) - (Number.isNaN(b.score) ? 1 : 0) || b.score - a.score);
    const vote =
      members.length >= 2
        ? {
            members: members.map((m) => m.id),
            ...abdelfattahVote(
              members.map((m) => ({ values: restrict(m.values, positions), direction: m.direction })),
              y.values,
            ),
          }
        : undefined;
    boards.push({ metric: target.id, label: target.label, n, entries, vote });
    options.onMetric?.(t + 1, targets.length);
  });
  return {
    boards,
    resamples,
    seed,
    level,
    ensembleSize,
    kendallIntervals,
    method:
      resamples > 0
        ? `${Math.round(level * 100)}% percentile bootstrap intervals of Spearman's rho${kendallIntervals ? " and Kendall's tau" : ''}: ` +
          `${resamples} resamples of the classes with replacement (seed ${seed}), the same resamples for every proxy and metric`
        : 'no confidence intervals (0 bootstrap resamples)',
  };
}

interface EnsembleColumn {
  readonly id: string;
  readonly label: string;
  readonly direction: 1;
  readonly family: 'ensemble';
  readonly values: ArrayLike<number>;
}
