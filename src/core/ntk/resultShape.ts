import { isomorphismKey, parseArchString, type Cell } from '../space';
import type { NtkJobOptions } from './pool';
import { NTK_VARIANTS, type NtkResult } from './scores';

/**
 * Checks a stored NTK result (a cache entry, a sweep row) before it is shown or ranked: files on disk can be
 * damaged, edited or planted, and a NaN, a negative norm, a string score, a missing variant or another cell's
 * `arch` must not reach a hover, a chart or the CLI as if the engine had computed it. Returns what is wrong, or
 * undefined for a result of the right shape. With `expected`, the result must also be of that cell's isomorphism
 * class and of that configuration.
 */
export function ntkResultProblem(
  value: unknown,
  expected?: { readonly cell: Cell; readonly options: NtkJobOptions },
): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return `is ${describeValue(value)}, not a result`;
  const r = value as Partial<Record<keyof NtkResult, unknown>>;
  if (typeof r.arch !== 'string' || r.arch.length === 0)
    return `has arch ${describeValue(r.arch)}, not an architecture string`;
  if (r.variants === null || typeof r.variants !== 'object' || Array.isArray(r.variants))
    return `has variants ${describeValue(r.variants)}, not an object`;
  const variants = r.variants as Record<string, unknown>;
  const names = Object.keys(variants);
  for (const name of names) {
    if (!(NTK_VARIANTS as readonly string[]).includes(name)) return `has an unknown variant ${JSON.stringify(name)}`;
    const problem = summaryProblem(variants[name], name === 'cross');
    if (problem) return `variant ${name} ${problem}`;
  }
  // KNAS is a squared norm (>= 0); NASWOT a log |det| (-Infinity for a singular activation matrix, never NaN).
  if (r.knas !== undefined && !(typeof r.knas === 'number' && Number.isFinite(r.knas) && r.knas >= 0))
    return `has KNAS ${describeValue(r.knas)}, not a number >= 0`;
  if (r.naswot !== undefined && !(typeof r.naswot === 'number' && !Number.isNaN(r.naswot) && r.naswot !== Infinity))
    return `has NASWOT ${describeValue(r.naswot)}, not a log-determinant`;
  // Zero-cost proxies by registry id; an undefined score is stored as NASLib's -1e8 (proxies/undefinedScore.ts).
  if (r.proxies !== undefined) {
    if (r.proxies === null || typeof r.proxies !== 'object' || Array.isArray(r.proxies))
      return `has proxies ${describeValue(r.proxies)}, not an object`;
    for (const [id, v] of Object.entries(r.proxies))
      if (!(typeof v === 'number' && Number.isFinite(v))) return `has ${id} ${describeValue(v)}, not a finite number`;
  }
  // A proxy sweep may hold baselines or zero-cost proxies alone (no kernel computed, `variants` empty).
  if (names.length === 0 && r.knas === undefined && r.naswot === undefined && Object.keys(r.proxies ?? {}).length === 0)
    return 'has no scores (no NTK variant, baseline or zero-cost proxy)';
  if (!(typeof r.seconds === 'number' && Number.isFinite(r.seconds) && r.seconds >= 0))
    return `has seconds ${describeValue(r.seconds)}, not a duration`;
  const inputs = r.inputs as { count?: unknown; source?: unknown } | undefined;
  if (
    !inputs ||
    typeof inputs !== 'object' ||
    typeof inputs.source !== 'string' ||
    !(typeof inputs.count === 'number' && Number.isInteger(inputs.count) && inputs.count > 0)
  )
    return 'does not say which inputs it used';
  if (!expected) return undefined;

  const parsed = parseArchString(r.arch);
  if (!parsed.ok) return `has arch ${describeValue(r.arch)}, not an architecture string`;
  if (isomorphismKey(parsed.cell) !== isomorphismKey(expected.cell)) return `is for ${r.arch}, another architecture`;
  const { options } = expected;
  for (const v of options.variants) if (!(v in variants)) return `lacks the ${v} variant`;
  if (r.dataset !== options.inputs.dataset)
    return `is for dataset ${describeValue(r.dataset)}, not ${options.inputs.dataset}`;
  if (r.kernel !== options.kernel) return `has kernel ${describeValue(r.kernel)}, not ${options.kernel}`;
  if (r.seed !== options.seed) return `has seed ${describeValue(r.seed)}, not ${options.seed}`;
  if (inputs.count !== options.inputs.count) return `used ${inputs.count} inputs, not ${options.inputs.count}`;
  if (options.baselines && (r.knas === undefined || r.naswot === undefined))
    return 'lacks the KNAS and NASWOT baselines';
  return undefined;
}

/**
 * A kernel summary: norms and traces finite (>= 0 for the symmetric positive semi-definite kernels; the cross
 * kernel's trace can be negative), extreme eigenvalues finite, the condition number >= 1 or Infinity (singular).
 */
function summaryProblem(value: unknown, cross: boolean): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return `is ${describeValue(value)}, not a kernel summary`;
  const s = value as Record<string, unknown>;
  const finite = (k: string) => typeof s[k] === 'number' && Number.isFinite(s[k]);
  for (const k of ['frobenius', 'trace', 'minEigenvalue', 'maxEigenvalue'])
    if (!finite(k)) return `has ${k} ${describeValue(s[k])}, not a finite number`;
  if ((s.frobenius as number) < 0) return `has a negative Frobenius norm (${s.frobenius})`;
  if (!cross && (s.trace as number) < 0) return `has a negative trace (${s.trace})`;
  if ((s.maxEigenvalue as number) < (s.minEigenvalue as number)) return 'has its largest eigenvalue below its smallest';
  const c = s.conditionNumber;
  if (!(typeof c === 'number' && (c === Infinity || (Number.isFinite(c) && c >= 1 - 1e-9))))
    return `has condition number ${describeValue(c)}, not >= 1`;
  return undefined;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'missing';
  if (typeof v === 'string') return v.length > 40 ? `a string of length ${v.length}` : JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return 'a list';
  return v === null ? 'null' : typeof v;
}
