import { createHash } from 'node:crypto';
import type { BenchmarkApi } from '../benchmark/api';
import { isMetricId, METRIC_INFO, type MetricId } from '../benchmark/metrics';
import { DATASET_IDS, type DatasetId } from '../space';
import type { NtkJobOptions } from './pool';
import { Rng } from './rng';
import { shardOf, type SweepHeader } from './sweepFile';

/**
 * Which isomorphism classes a sweep scores, named by the evaluated (representative) cell's benchmark index:
 * every one of NAS-RobBench-201's 6,466 classes, a seeded random sample of k, or the k best by a benchmark metric
 * on one dataset (e.g. to look at the NTK of the most robust cells).
 */
export type SweepScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'sample'; readonly k: number }
  | { readonly kind: 'top'; readonly k: number; readonly dataset: DatasetId; readonly metric: MetricId };

export class SweepScopeError extends Error {}

/** Checks a scope against the benchmark's class count; throws SweepScopeError saying what is allowed. */
export function checkSweepScope(scope: SweepScope, classes: number): void {
  if (scope.kind === 'all') return;
  if (!Number.isInteger(scope.k) || scope.k < 1 || scope.k > classes)
    throw new SweepScopeError(`the number of classes must be an integer from 1 to ${classes}, got ${scope.k}`);
  if (scope.kind === 'top') {
    if (!DATASET_IDS.includes(scope.dataset))
      throw new SweepScopeError(`unknown dataset '${scope.dataset}'; use one of ${DATASET_IDS.join(', ')}`);
    if (!isMetricId(scope.metric)) throw new SweepScopeError(`unknown metric '${scope.metric}'`);
  }
}

/**
 * The seed of the sample's shuffle, derived from the NTK seed (so `--sample 500 --seed 1` and the extension's
 * "sample of 500" with seed 1 pick the same classes) but decorrelated from the weight draw that also uses it.
 */
function sampleSeed(seed: number): number {
  return (seed ^ 0x2545f491) >>> 0;
}

/**
 * The benchmark indices a scope selects, sorted ascending (the order they are computed and written in). The
 * sample is a partial Fisher-Yates shuffle of the evaluated indices with the core's seeded generator, so the same
 * k and seed select the same classes on every machine.
 */
export function selectSweepIndices(
  bench: Pick<BenchmarkApi, 'evaluatedIndices' | 'topK'>,
  scope: SweepScope,
  seed: number,
): number[] {
  const all = [...bench.evaluatedIndices];
  checkSweepScope(scope, all.length);
  if (scope.kind === 'all') return all.sort((a, b) => a - b);
  if (scope.kind === 'top')
    return bench
      .topK(scope.dataset, scope.metric, scope.k)
      .map((r) => r.arch.index)
      .sort((a, b) => a - b);
  const rng = new Rng(sampleSeed(seed));
  for (let i = 0; i < scope.k; i++) {
    const j = i + rng.int(all.length - i);
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, scope.k).sort((a, b) => a - b);
}

/**
 * The header of a sweep file: the job options plus the scope, so a file is only resumed by a run that would have
 * written the same rows. `sample` is null for the whole space and for top-k, which adds `top` (this layout is what
 * `robust-nas ntk-sweep` has always written, so its files and the extension's are interchangeable).
 */
export function sweepHeader(
  options: NtkJobOptions,
  scope: SweepScope,
  shard?: { index: number; count: number },
): SweepHeader {
  const config: Record<string, unknown> = { ...options, sample: scope.kind === 'sample' ? scope.k : null };
  if (scope.kind === 'top') config.top = { k: scope.k, dataset: scope.dataset, metric: scope.metric };
  return { type: 'ntk-sweep', version: 1, config, shard };
}

/** The scope a sweep file's header records (the inverse of sweepHeader's scope part); undefined when unreadable. */
export function scopeOfHeader(header: SweepHeader): SweepScope | undefined {
  const c = header.config as { sample?: unknown; top?: { k?: unknown; dataset?: unknown; metric?: unknown } } | null;
  if (!c || typeof c !== 'object') return undefined;
  if (c.top && typeof c.top.k === 'number' && typeof c.top.dataset === 'string' && typeof c.top.metric === 'string') {
    return { kind: 'top', k: c.top.k, dataset: c.top.dataset as DatasetId, metric: c.top.metric as MetricId };
  }
  if (typeof c.sample === 'number') return { kind: 'sample', k: c.sample };
  return c.sample === null ? { kind: 'all' } : undefined;
}

/** The job options part of a sweep header (everything but the scope fields). */
export function optionsOfHeader(header: SweepHeader): unknown {
  if (!header.config || typeof header.config !== 'object') return header.config;
  const { sample: _sample, top: _top, ...options } = header.config as Record<string, unknown>;
  return options;
}

/** Human text of a scope, e.g. `a seeded sample of 500 classes`, `the top 100 by PGD@8 on cifar10`. */
export function describeSweepScope(scope: SweepScope, total?: number): string {
  if (scope.kind === 'all') return `all ${total ?? 6466} classes`;
  if (scope.kind === 'sample') return `a seeded sample of ${scope.k} classes`;
  return `the top ${scope.k} by ${METRIC_INFO[scope.metric].label} on ${scope.dataset}`;
}

/** What a (re)started sweep has to do: the indices of its shard, those already in the file, and those left. */
export interface SweepPlan {
  readonly indices: readonly number[];
  readonly done: number;
  readonly todo: readonly number[];
}

/** Splits a scope's indices (of one shard, when given) into done (present in `completed`) and still to compute. */
export function planSweep(
  indices: readonly number[],
  completed: ReadonlySet<number> | ReadonlyMap<number, unknown>,
  shard?: { index: number; count: number },
): SweepPlan {
  const mine = shard ? shardOf(indices, shard.index, shard.count) : [...indices];
  const todo = mine.filter((i) => !completed.has(i));
  return { indices: mine, done: mine.length - todo.length, todo };
}

/**
 * A file name that says what a sweep holds and differs for every configuration and scope, e.g.
 * `ntk-sample500-proxy-fixed-bn-clean+robust-synthetic-n32-seed0-1a2b3c4d.jsonl` (the hash covers every option,
 * the readable part the ones people tell sweeps apart by). Running the same sweep again picks the same file, so it
 * resumes.
 */
export function defaultSweepFileName(options: NtkJobOptions, scope: SweepScope): string {
  const size =
    typeof options.size === 'string' ? options.size : `c${options.size.channels}n${options.size.cellsPerStage}`;
  const scopeTag =
    scope.kind === 'all'
      ? 'all'
      : scope.kind === 'sample'
        ? `sample${scope.k}`
        : `top${scope.k}-${scope.metric}-${scope.dataset}`;
  const inputs = options.inputs.kind === 'synthetic' ? 'synthetic' : options.inputs.dataset;
  const hash = createHash('sha256')
    .update(JSON.stringify(sweepHeader(options, scope).config))
    .digest('hex')
    .slice(0, 8);
  const name = `ntk-${scopeTag}-${size}-${options.kernel}-${[...options.variants].join('+')}-${inputs}-n${options.inputs.count}-seed${options.seed}-${hash}`;
  return `${name.replace(/[^A-Za-z0-9+@._-]/g, '_')}.jsonl`;
}
