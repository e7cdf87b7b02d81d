import { isProxyAttackName, PROXY_ATTACK_NAMES } from './attacks';
import type { ProxyDefinition } from './definition';
import { epeNasProxy } from './epeNas';
import { fisher } from './fisher';
import { gradNorm } from './gradNorm';
import { graspProxy } from './grasp';
import { jacobCovProxy } from './jacobCov';
import { l2Norm } from './l2Norm';
import { plain } from './plain';
import { noRobustVariantMessage, robustVariant } from './robust';
import { snip } from './snip';
import { synflow } from './synflow';
import { zenProxy } from './zen';

/**
 * Every zero-cost proxy Robust NAS computes, by id. The CLI (`robust-nas proxies`), the proxy sweep and the
 * correlation views all read this one table. Add a proxy: one file beside these, one line here
 * (CONTRIBUTING.md, "Add a training-free score (proxy)").
 */
export const PROXIES: readonly ProxyDefinition[] = [
  gradNorm,
  snip,
  fisher,
  plain,
  l2Norm,
  synflow,
  jacobCovProxy,
  epeNasProxy,
  zenProxy,
  graspProxy,
];

/**
 * Every robust variant (robust.ts): each proxy that reads input images, on each attack of attacks.ts, proxy by
 * proxy (`zc:grad_norm@fgsm3`, `zc:grad_norm@pgd3`, ...).
 */
export const ROBUST_PROXIES: readonly ProxyDefinition[] = PROXIES.filter((p) => p.needsData).flatMap((p) =>
  PROXY_ATTACK_NAMES.map((a) => robustVariant(p, a)),
);

export type ProxyId = ProxyDefinition['id'];

export const PROXY_IDS: readonly ProxyId[] = PROXIES.map((p) => p.id);

export const ROBUST_PROXY_IDS: readonly ProxyId[] = ROBUST_PROXIES.map((p) => p.id);

const ROBUST_SYNTAX = `<id>@${PROXY_ATTACK_NAMES.join('|')} for the proxies that read images (${PROXIES.filter(
  (p) => p.needsData,
)
  .map((p) => p.id)
  .join(', ')})`;

/** An id that names no proxy; the message lists the valid ones. */
export class UnknownProxyError extends RangeError {
  override readonly name = 'UnknownProxyError';
  constructor(readonly id: string) {
    super(`unknown proxy "${id}"; valid ids: ${PROXY_IDS.join(', ')}, and robust variants ${ROBUST_SYNTAX}`);
  }
}

/**
 * The definition of `id` (`zc:snip`, or a robust variant `zc:snip@pgd8`; the `zc:` prefix may be left out).
 * Throws UnknownProxyError, or a RangeError saying why when a proxy that reads no images is asked for a robust
 * variant or the attack is not one of attacks.ts.
 */
export function proxyDefinition(id: string): ProxyDefinition {
  const full = id.startsWith('zc:') ? id : `zc:${id}`;
  const at = full.indexOf('@');
  const baseId = at < 0 ? full : full.slice(0, at);
  const base = PROXIES.find((p) => p.id === baseId);
  if (!base) throw new UnknownProxyError(id);
  if (at < 0) return base;
  const attack = full.slice(at + 1);
  if (!isProxyAttackName(attack)) {
    throw new RangeError(`unknown attack "${attack}" in proxy "${id}"; robust variants are ${ROBUST_SYNTAX}`);
  }
  if (!base.needsData) throw new RangeError(noRobustVariantMessage(base));
  return ROBUST_PROXIES.find((p) => p.id === `${base.id}@${attack}`)!;
}

/**
 * The proxies a comma-separated list (the CLI's `--proxies zc:snip,zc:synflow`) or an array names, in the order
 * given, without repeats; `all` names every proxy (clean), `all@<attack>` every robust variant on that attack.
 * Throws UnknownProxyError on the first unknown id.
 */
export function parseProxyIds(list: string | readonly string[]): ProxyDefinition[] {
  const items = (typeof list === 'string' ? list.split(',') : list).map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new RangeError(`no proxy named; valid ids: ${PROXY_IDS.join(', ')} (or all)`);
  const out: ProxyDefinition[] = [];
  for (const item of items) {
    for (const def of expand(item)) if (!out.includes(def)) out.push(def);
  }
  return out;
}

function expand(item: string): readonly ProxyDefinition[] {
  if (item === 'all') return PROXIES;
  if (item.startsWith('all@')) {
    const attack = item.slice(4);
    if (!isProxyAttackName(attack))
      throw new RangeError(`unknown attack "${attack}" in "${item}"; use all@${PROXY_ATTACK_NAMES.join('|all@')}`);
    return ROBUST_PROXIES.filter((p) => p.id.endsWith(`@${attack}`));
  }
  return [proxyDefinition(item)];
}
