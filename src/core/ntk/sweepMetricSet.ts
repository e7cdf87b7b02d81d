import type { BenchmarkApi } from '../benchmark/api';
import { DATASET_IDS, DATASET_SHAPE, type DatasetId } from '../space/cost';
import { MAX_ARCH_INDEX } from '../space/encodings';
import { NTK_VARIANTS, type NtkResult, type NtkVariant } from './scores';
import type { SweepContents, SweepRow } from './sweepFile';
import { NTK_STATS, ntkMetricColumn, type NtkMetric, type NtkStat } from './sweepMetrics';
import { lookupTable } from '../lookupTable';

/**
 * An NTK sweep file seen as a set of metric columns for correlation charts: every variant x summary the sweep
 * holds (and the KNAS / NASWOT baselines), each named with the configuration it was computed with (kernel kind,
 * network size, inputs - "synthetic" when they were - and attack), and joined to the benchmark by isomorphism class.
 */

/** How the scores of a sweep were computed, in words and as the facts the labels are made of. */
export interface SweepSetting {
  readonly dataset: DatasetId;
  readonly kernel: string;
  /** `proxy (C8 N1)`, `full (C16 N5)` or `C4 N1`. */
  readonly size: string;
  /** `synthetic CIFAR-10 inputs, n=32` or `CIFAR-10 inputs, n=32`. */
  readonly inputs: string;
  readonly synthetic: boolean;
  /** `PGD 8/255, 10 steps` or `FGSM 8/255`. */
  readonly attack: string;
  readonly seed: number | undefined;
  /** Everything above in one line: `fixed-bn, proxy (C8 N1), synthetic CIFAR-10 inputs, n=32, PGD 8/255, 10 steps`. */
  readonly label: string;
}

/**
 * A zero-cost proxy a proxy sweep computed (`result.proxies` of its rows): `zc:snip` on clean inputs, or a robust
 * variant such as `zc:snip@pgd8`, on adversarial inputs X' = attack(X) at initialisation (src/core/ntk/proxySweep.ts).
 */
export interface ZeroCostScore {
  readonly zeroCost: string;
}

/** A score a sweep row holds: an NTK summary or baseline, or a zero-cost proxy. */
export type SweepScore = NtkMetric | ZeroCostScore;

/** One metric column the sweep provides. */
export interface SweepMetric {
  /**
   * `ntk:robust.frobenius@<key>`, `ntk:knas@<key>`, `zc:snip@pgd8@<key>`: unique among the loaded sweeps through the
   * sweep's key (after the last `@`).
   */
  readonly id: string;
  readonly metric: SweepScore;
  /** Name without the setting: `robust NTK Θ(X′,X′), Frobenius norm`. */
  readonly shortLabel: string;
  /** Name with the setting, for axes and lists where several sweeps may meet. */
  readonly label: string;
  readonly description: string;
}

/** How the sweep's rows met the benchmark's 6,466 evaluated classes. */
export interface SweepJoin {
  /** Row per evaluated (representative) index. */
  readonly byClass: ReadonlyMap<number, SweepRow>;
  /** Classes with a score: the only ones any correlation with the benchmark can use. */
  readonly classes: number;
  /** Rows whose index is not a NAS-Bench-201 index (0..15624). */
  readonly outside: number;
  /** Rows of a class another row already scored (a non-representative member, or a re-run shard); the first is kept. */
  readonly duplicates: number;
}

export interface SweepMetricSet {
  readonly key: string;
  readonly setting: SweepSetting;
  readonly join: SweepJoin;
  readonly metrics: readonly SweepMetric[];
  /** Values aligned with `bench.evaluatedIndices`; NaN for classes the sweep has not scored. */
  column(id: string): Float64Array | undefined;
}

const VARIANT_NAME: Readonly<Record<NtkVariant, string>> = lookupTable({
  clean: 'clean NTK Θ(X,X)',
  robust: 'robust NTK Θ(X′,X′)',
  cross: 'cross NTK Θ(X,X′)',
  twice: 'twice-perturbed NTK Θ(X″,X″)',
  'joint-clean': 'joint NTK of X and X′',
  'joint-robust': 'joint NTK of X′ and X″',
});

/** `cross` is not symmetric: its spectrum is given by singular values (src/core/ntk/scores.ts). */
function statName(stat: NtkStat, variant: NtkVariant): string {
  const value = variant === 'cross' ? 'singular value' : 'eigenvalue';
  switch (stat) {
    case 'frobenius':
      return 'Frobenius norm';
    case 'trace':
      return 'trace';
    case 'min-eig':
      return `smallest ${value}`;
    case 'max-eig':
      return `largest ${value}`;
    case 'condition':
      return 'condition number';
  }
}

export const NTK_STAT_LABEL: Readonly<Record<NtkStat, string>> = lookupTable({
  frobenius: "Frobenius norm (the paper's NTK score)",
  trace: 'trace',
  'min-eig': 'smallest eigenvalue',
  'max-eig': 'largest eigenvalue',
  condition: 'condition number',
});

type Loose = Record<string, unknown> | undefined;

function asRecord(v: unknown): Loose {
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
}

/**
 * The setting of a sweep: from its header's config (the NtkJobOptions `ntk-sweep` wrote), completed from the first
 * row's result where the header lacks a field (shards merged by an older tool).
 */
export function sweepSetting(contents: Pick<SweepContents, 'header' | 'rows'>): SweepSetting {
  const config = asRecord(contents.header.config);
  const first = contents.rows.values().next().value as SweepRow | undefined;
  const result: Partial<NtkResult> = first?.result ?? {};
  const inputs = asRecord(config?.inputs);
  const datasetText = inputs?.dataset ?? result.dataset;
  const dataset = (DATASET_IDS as readonly unknown[]).includes(datasetText) ? (datasetText as DatasetId) : 'cifar10';
  const kernel = String(config?.kernel ?? result.kernel ?? 'unknown kernel');
  const sizeValue = config?.size ?? result.size?.name ?? result.size;
  let size = 'unknown size';
  const NAMED: Readonly<Record<string, string>> = lookupTable({ proxy: 'proxy (C8 N1)', full: 'full (C16 N5)' });
  if (typeof sizeValue === 'string') size = NAMED[sizeValue] ?? sizeValue;
  else if (asRecord(sizeValue)) {
    const s = sizeValue as { channels?: number; cellsPerStage?: number; name?: string };
    size = s.name && NAMED[s.name] ? NAMED[s.name] : `C${s.channels} N${s.cellsPerStage}`;
  }
  const synthetic = inputs ? inputs.kind === 'synthetic' : (result.inputs?.synthetic ?? true);
  const count = Number(inputs?.count ?? result.inputs?.count);
  const inputsLabel = `${synthetic ? 'synthetic ' : ''}${DATASET_SHAPE[dataset].label} inputs${Number.isFinite(count) ? `, n=${count}` : ''}`;
  const attack = asRecord(config?.attack) ?? asRecord(result.attack);
  let attackLabel = 'unknown attack';
  if (attack) {
    const eps = Math.round(Number(attack.eps) * 255 * 100) / 100;
    attackLabel =
      attack.kind === 'pgd'
        ? `PGD ${eps}/255, ${attack.steps} steps`
        : `${String(attack.kind).toUpperCase()} ${eps}/255`;
  }
  const seedValue = config?.seed ?? result.seed;
  const seed = typeof seedValue === 'number' ? seedValue : undefined;
  return {
    dataset,
    kernel,
    size,
    inputs: inputsLabel,
    synthetic,
    attack: attackLabel,
    seed,
    label: `${kernel}, ${size}, ${inputsLabel}, ${attackLabel}`,
  };
}

export function sweepMetricId(key: string, metric: SweepScore): string {
  if ('zeroCost' in metric) return `${metric.zeroCost}@${key}`;
  return 'baseline' in metric ? `ntk:${metric.baseline}@${key}` : `ntk:${metric.variant}.${metric.stat}@${key}`;
}

/** The sweep key of a `sweepMetricId`, or undefined when the id is not one. */
export function sweepKeyOfMetricId(id: string): string | undefined {
  const m = /^ntk:[a-z-]+(?:\.[a-z-]+)?@(.+)$/.exec(id) ?? /^zc:[a-z0-9_]+(?:@[a-z]+[0-9.]+)?@([^@]+)$/.exec(id);
  return m?.[1];
}

/**
 * Joins the sweep's rows to the benchmark's evaluated classes: a row keyed by any member of an isomorphism class
 * scores that class (NAS-RobBench-201 evaluates one member per class, the smallest index; isomorphic cells compute
 * the same function, so their NTK is the same up to the seeded initialisation).
 */
export function joinSweepToClasses(
  rows: ReadonlyMap<number, SweepRow>,
  bench: Pick<BenchmarkApi, 'archOfIndex'>,
): SweepJoin {
  const byClass = new Map<number, SweepRow>();
  let outside = 0;
  let duplicates = 0;
  // Representatives first, so a class scored under its own index keeps that row over a member's.
  const ordered = [...rows.values()].sort((a, b) => a.index - b.index);
  for (const row of ordered) {
    if (!Number.isInteger(row.index) || row.index < 0 || row.index > MAX_ARCH_INDEX) {
      outside++;
      continue;
    }
    const cls = bench.archOfIndex(row.index).representativeIndex;
    if (byClass.has(cls)) duplicates++;
    else byClass.set(cls, row);
  }
  return { byClass, classes: byClass.size, outside, duplicates };
}

/**
 * The metrics a sweep can provide: each variant its first row has, with every summary; then the baselines; then the
 * zero-cost proxies of the first row that has any, in its order.
 */
function metricsOf(rows: ReadonlyMap<number, SweepRow>): SweepScore[] {
  const first = rows.values().next().value as SweepRow | undefined;
  if (!first) return [];
  const out: SweepScore[] = [];
  for (const variant of NTK_VARIANTS) {
    if (!first.result.variants[variant]) continue;
    for (const stat of NTK_STATS) out.push({ variant, stat });
  }
  if (typeof first.result.knas === 'number') out.push({ baseline: 'knas' });
  if (typeof first.result.naswot === 'number') out.push({ baseline: 'naswot' });
  for (const row of rows.values()) {
    const ids = Object.keys(row.result.proxies ?? {});
    if (ids.length === 0) continue;
    for (const zeroCost of ids) out.push({ zeroCost });
    break;
  }
  return out;
}

/** `pgd8` -> `PGD 8/255`, `fgsm3` -> `FGSM 3/255` (the attack suffix of a robust zero-cost proxy id). */
function attackSuffixLabel(suffix: string): string {
  const m = /^([a-z]+)([0-9.]+)$/.exec(suffix);
  return m ? `${m[1].toUpperCase()} ${m[2]}/255` : suffix;
}

/** `zc:snip` -> `snip`; `zc:snip@pgd8` -> `snip on PGD 8/255 inputs`. */
export function zeroCostLabel(id: string): string {
  const [base, attack] = id.replace(/^zc:/, '').split('@');
  return attack ? `${base} on ${attackSuffixLabel(attack)} inputs` : base;
}

export function sweepMetricShortLabel(metric: SweepScore): string {
  if ('zeroCost' in metric) return zeroCostLabel(metric.zeroCost);
  if ('baseline' in metric) return metric.baseline === 'knas' ? 'KNAS score' : 'NASWOT score';
  return `${VARIANT_NAME[metric.variant]}, ${statName(metric.stat, metric.variant)}`;
}

/**
 * Which proxy an NTK metric is a variant of, so clean and robust scores can be read side by side: the clean kernel
 * Θ(X,X) pairs with the robust Θ(X′,X′) (the paper's comparison, Wu et al., ICLR 2024, Sec. 5 and Fig. 5), the
 * joint kernel of [X; X′] (which governs clean accuracy) with that of [X′; X″] (robust accuracy). The cross and
 * twice-perturbed kernels read adversarial inputs only (robust, no clean twin); KNAS and NASWOT read clean inputs.
 */
export interface NtkProxyOf {
  /** `frobenius`, `joint.trace`, `cross.condition`, `knas`: unique per proxy within one sweep. */
  readonly proxy: string;
  /** `NTK Θ, Frobenius norm`, `KNAS score`. */
  readonly label: string;
  readonly inputs: 'clean' | 'robust';
  readonly family: 'ntk' | 'baseline' | 'zc';
}

/**
 * Also for zero-cost proxies: `zc:snip` (clean) and `zc:snip@pgd8` (robust) are the two variants of `zc:snip`; a
 * second attack of the same proxy (`zc:snip@fgsm8` next to `@pgd8`) is a proxy of its own, robust only.
 */
export function ntkProxyOf(metric: SweepScore, robustTwinTaken?: (base: string) => boolean): NtkProxyOf {
  if ('zeroCost' in metric) {
    const [base, attack] = metric.zeroCost.split('@');
    if (attack === undefined) return { proxy: base, label: zeroCostLabel(base), inputs: 'clean', family: 'zc' };
    if (robustTwinTaken?.(base))
      return { proxy: metric.zeroCost, label: zeroCostLabel(metric.zeroCost), inputs: 'robust', family: 'zc' };
    return { proxy: base, label: zeroCostLabel(base), inputs: 'robust', family: 'zc' };
  }
  if ('baseline' in metric)
    return { proxy: metric.baseline, label: sweepMetricShortLabel(metric), inputs: 'clean', family: 'baseline' };
  const stat = statName(metric.stat, metric.variant);
  switch (metric.variant) {
    case 'clean':
    case 'robust':
      return { proxy: metric.stat, label: `NTK Θ, ${stat}`, inputs: metric.variant, family: 'ntk' };
    case 'joint-clean':
    case 'joint-robust':
      return {
        proxy: `joint.${metric.stat}`,
        label: `joint NTK, ${stat}`,
        inputs: metric.variant === 'joint-clean' ? 'clean' : 'robust',
        family: 'ntk',
      };
    case 'cross':
    case 'twice':
      return {
        proxy: `${metric.variant}.${metric.stat}`,
        label: sweepMetricShortLabel(metric),
        inputs: 'robust',
        family: 'ntk',
      };
  }
}

/** A zero-cost proxy's values aligned with `evaluatedIndices`; NaN for classes without one. */
function zeroCostColumn(
  rows: ReadonlyMap<number, SweepRow>,
  evaluatedIndices: ArrayLike<number>,
  id: string,
): Float64Array {
  const out = new Float64Array(evaluatedIndices.length).fill(NaN);
  for (let p = 0; p < evaluatedIndices.length; p++) {
    const v = rows.get(evaluatedIndices[p])?.result.proxies?.[id];
    if (typeof v === 'number' && !Number.isNaN(v)) out[p] = v;
  }
  return out;
}

/** The sweep as metric columns over `bench.evaluatedIndices`; `key` tells its metrics apart from other sweeps'. */
export function sweepMetricSet(
  contents: Pick<SweepContents, 'header' | 'rows'>,
  key: string,
  bench: Pick<BenchmarkApi, 'archOfIndex' | 'evaluatedIndices'>,
): SweepMetricSet {
  const setting = sweepSetting(contents);
  const join = joinSweepToClasses(contents.rows, bench);
  const metrics: SweepMetric[] = metricsOf(contents.rows).map((metric) => {
    const shortLabel = sweepMetricShortLabel(metric);
    const what =
      'zeroCost' in metric
        ? `zero-cost proxy ${metric.zeroCost} at initialisation${metric.zeroCost.includes('@') ? ', on adversarial inputs' : ''}`
        : 'baseline' in metric
          ? metric.baseline === 'knas'
            ? 'KNAS (Xu et al., KDD 2021): mean gradient-kernel score'
            : 'NASWOT (Mellor et al., ICML 2021): log-determinant of the activation-code kernel'
          : `${shortLabel} at initialisation (Wu et al., ICLR 2024, Sec. 5)`;
    return {
      id: sweepMetricId(key, metric),
      metric,
      shortLabel,
      label: `${shortLabel} [${setting.label}]`,
      description: `${what}; ${setting.label}${setting.seed === undefined ? '' : `, seed ${setting.seed}`}; ${join.classes.toLocaleString('en-US')} classes scored.`,
    };
  });
  const cache = new Map<string, Float64Array>();
  return {
    key,
    setting,
    join,
    metrics,
    column(id) {
      const m = metrics.find((x) => x.id === id);
      if (!m) return undefined;
      let c = cache.get(id);
      if (!c) {
        const metric = m.metric;
        c =
          'zeroCost' in metric
            ? zeroCostColumn(join.byClass, bench.evaluatedIndices, metric.zeroCost)
            : ntkMetricColumn(join.byClass, bench.evaluatedIndices, metric);
        cache.set(id, c);
      }
      return c;
    },
  };
}
