import type { NtkJobOptions } from './pool';
import { NTK_VARIANTS, type NtkVariant } from './scores';
import { NTK_STATS } from './sweepMetrics';

/**
 * Which training-free scores one proxy sweep computes per class, by id:
 * - `ntk:<variant>` (every summary of that kernel: `ntk:robust.condition` names one and computes the same kernel),
 * - `ntk:knas`, `ntk:naswot` (the baselines the NTK scorer computes),
 * - `zc:<name>` and robust variants `zc:<name>@<attack><eps>` (zero-cost proxies of the registry),
 * - `params`, `flops`: the benchmark network's cost, never computed by the sweep (the leaderboard always has them).
 * The sweep is an NTK sweep whose job options say which of these to compute, so resuming, sharding, merging, the
 * lock and the refusal of another configuration's file are the NTK sweep's.
 */

export const COST_PROXY_IDS = ['params', 'flops'] as const;

/** The NTK scorer's own scores as proxy ids (the summaries' `.stat` suffixes are accepted as well). */
export const NTK_PROXY_IDS: readonly string[] = [...NTK_VARIANTS.map((v) => `ntk:${v}`), 'ntk:knas', 'ntk:naswot'];

/** `all`: the paper's two kernels, the baselines and every zero-cost proxy with every robust variant. */
export function allProxyIds(zeroCostIds: readonly string[]): string[] {
  return ['ntk:clean', 'ntk:robust', 'ntk:knas', 'ntk:naswot', ...zeroCostIds];
}

/**
 * What `proxy-sweep` computes when no list is given: the paper's two kernels, the baselines, every clean zero-cost
 * proxy, and the robust variants on the NTK's own attack (`attack`, e.g. `pgd8`; none when the configured attack is
 * not one of the variants'), whose X' the robust kernel computes anyway. The robust variants on the other three
 * attacks (`all`) would cost two more PGD runs and four more sets of passes per class: measured in
 * `npm run bench:proxy-sweep` (docs/proxy-leaderboard.md), about twice the default's time.
 */
export function defaultProxyIds(zeroCostIds: readonly string[], attack: string | undefined): string[] {
  return [
    'ntk:clean',
    'ntk:robust',
    'ntk:knas',
    'ntk:naswot',
    ...zeroCostIds.filter((id) => !id.includes('@') || (attack !== undefined && id.endsWith(`@${attack}`))),
  ];
}

/** Every id a proxy list may name, given the zero-cost proxies the engine has. */
export function validProxyIds(zeroCostIds: readonly string[]): string[] {
  return [...NTK_PROXY_IDS, ...zeroCostIds, ...COST_PROXY_IDS];
}

export class UnknownProxyIdError extends RangeError {
  override readonly name = 'UnknownProxyIdError';
}

/** The selection a list of ids makes: NTK variants, whether the baselines run, and zero-cost ids, in list order. */
export interface ProxySelection {
  readonly variants: readonly NtkVariant[];
  readonly baselines: boolean;
  readonly zeroCost: readonly string[];
}

/**
 * Parses a proxy list (`all` = {@link allProxyIds}); throws UnknownProxyIdError naming the id and listing the
 * valid ones, or when the list computes nothing (only cost metrics).
 */
export function parseProxySelection(list: string | readonly string[], zeroCostIds: readonly string[]): ProxySelection {
  const items = (typeof list === 'string' ? list.split(',') : list).map((s) => s.trim()).filter((s) => s.length > 0);
  const valid = validProxyIds(zeroCostIds);
  const expanded = items.flatMap((id) => (id === 'all' ? allProxyIds(zeroCostIds) : [id]));
  const variants: NtkVariant[] = [];
  let baselines = false;
  const zeroCost: string[] = [];
  for (const id of expanded) {
    const ntk = /^ntk:([a-z-]+)(?:\.([a-z-]+))?$/.exec(id);
    if (
      ntk &&
      (NTK_VARIANTS as readonly string[]).includes(ntk[1]) &&
      (ntk[2] === undefined || (NTK_STATS as readonly string[]).includes(ntk[2]))
    ) {
      if (!variants.includes(ntk[1] as NtkVariant)) variants.push(ntk[1] as NtkVariant);
    } else if (id === 'ntk:knas' || id === 'ntk:naswot') {
      baselines = true;
    } else if (zeroCostIds.includes(id) || zeroCostIds.includes(`zc:${id}`)) {
      const full = id.startsWith('zc:') ? id : `zc:${id}`;
      if (!zeroCost.includes(full)) zeroCost.push(full);
    } else if (!(COST_PROXY_IDS as readonly string[]).includes(id)) {
      throw new UnknownProxyIdError(
        `unknown proxy '${id}'; valid ids: ${valid.join(', ')} (or all; ntk:<variant> also takes .${NTK_STATS.join('|.')})`,
      );
    }
  }
  if (variants.length === 0 && !baselines && zeroCost.length === 0) {
    throw new UnknownProxyIdError(
      `the proxy list ${items.length ? `'${items.join(',')}' ` : ''}computes nothing (params and flops come from the benchmark); name at least one of ${valid.filter((id) => !(COST_PROXY_IDS as readonly string[]).includes(id)).join(', ')}`,
    );
  }
  return { variants, baselines, zeroCost };
}

/**
 * The job options of a proxy sweep: the NTK options (network, kernel, attack, inputs, seed) with the selection's
 * variants and baselines, and `proxies` only when zero-cost proxies are selected, so a selection of NTK scores alone
 * has exactly the options (and sweep header, and cache key) of the equivalent `ntk-sweep`.
 */
export function proxySweepOptions(base: NtkJobOptions, selection: ProxySelection): NtkJobOptions {
  const { proxies: _proxies, ...rest } = base;
  return {
    ...rest,
    variants: [...selection.variants],
    baselines: selection.baselines,
    ...(selection.zeroCost.length > 0 ? { proxies: [...selection.zeroCost] } : {}),
  };
}
