import { NTK_VARIANTS, type NtkVariant, type VariantSummary } from './scores';
import type { SweepRow } from './sweepFile';
import { lookupTable } from '../lookupTable';

/**
 * NTK scores as benchmark-style metric columns, so correlation tools treat them like accuracies:
 * `ntk:<variant>` (the Frobenius norm, the paper's NTK score) or `ntk:<variant>.<stat>`, and `ntk:knas`,
 * `ntk:naswot` for the baselines.
 */
export const NTK_STATS = ['frobenius', 'trace', 'min-eig', 'max-eig', 'condition'] as const;
export type NtkStat = (typeof NTK_STATS)[number];

export type NtkMetric =
  { readonly variant: NtkVariant; readonly stat: NtkStat } | { readonly baseline: 'knas' | 'naswot' };

const STAT_FIELD: Readonly<Record<NtkStat, keyof VariantSummary>> = lookupTable({
  frobenius: 'frobenius',
  trace: 'trace',
  'min-eig': 'minEigenvalue',
  'max-eig': 'maxEigenvalue',
  condition: 'conditionNumber',
});

export function isNtkMetricText(text: string): boolean {
  return text.startsWith('ntk:');
}

/** Parses `ntk:robust`, `ntk:twice.condition`, `ntk:knas`; undefined when it is not one. */
export function parseNtkMetric(text: string): NtkMetric | undefined {
  if (!isNtkMetricText(text)) return undefined;
  const body = text.slice(4);
  if (body === 'knas' || body === 'naswot') return { baseline: body };
  const [variant, stat = 'frobenius'] = body.split('.');
  if (!(NTK_VARIANTS as readonly string[]).includes(variant) || !(NTK_STATS as readonly string[]).includes(stat))
    return undefined;
  return { variant: variant as NtkVariant, stat: stat as NtkStat };
}

export const NTK_METRIC_SYNTAX = `ntk:<variant>[.<stat>] with variant ${NTK_VARIANTS.join('|')} and stat ${NTK_STATS.join('|')} (default frobenius), or ntk:knas, ntk:naswot`;

/** Values aligned with `evaluatedIndices`; NaN for classes the sweep has no value for. */
export function ntkMetricColumn(
  rows: ReadonlyMap<number, SweepRow>,
  evaluatedIndices: ArrayLike<number>,
  metric: NtkMetric,
): Float64Array {
  const out = new Float64Array(evaluatedIndices.length).fill(NaN);
  for (let p = 0; p < evaluatedIndices.length; p++) {
    const r = rows.get(evaluatedIndices[p])?.result;
    if (!r) continue;
    let v: number | undefined;
    if ('baseline' in metric) v = r[metric.baseline];
    else v = r.variants[metric.variant]?.[STAT_FIELD[metric.stat]] as number | undefined;
    // Infinite condition numbers (singular kernels) rank above every finite one; keep them.
    if (typeof v === 'number' && !Number.isNaN(v)) out[p] = v;
  }
  return out;
}

/** Every `ntk:` metric the sweep has values for: each variant's Frobenius norm, then the baselines. */
export function ntkMetricsInSweep(rows: ReadonlyMap<number, SweepRow>): string[] {
  const first = rows.values().next().value as SweepRow | undefined;
  if (!first) return [];
  const ids = NTK_VARIANTS.filter((v) => first.result.variants[v]).map((v) => `ntk:${v}`);
  if (first.result.knas !== undefined) ids.push('ntk:knas', 'ntk:naswot');
  return ids;
}
