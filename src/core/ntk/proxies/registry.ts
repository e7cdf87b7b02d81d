import type { ProxyDefinition } from './definition';
import { fisher } from './fisher';
import { gradNorm } from './gradNorm';
import { l2Norm } from './l2Norm';
import { plain } from './plain';
import { snip } from './snip';
import { synflow } from './synflow';

/**
 * Every zero-cost proxy Robust NAS computes, by id. The CLI (`robust-nas proxies`), the proxy sweep and the
 * correlation views all read this one table. Add a proxy: one file beside these, one line here
 * (CONTRIBUTING.md, "Add a training-free score (proxy)").
 */
export const PROXIES: readonly ProxyDefinition[] = [gradNorm, snip, fisher, plain, l2Norm, synflow];

export type ProxyId = ProxyDefinition['id'];

export const PROXY_IDS: readonly ProxyId[] = PROXIES.map((p) => p.id);

/** An id that names no proxy; the message lists the valid ones. */
export class UnknownProxyError extends RangeError {
  override readonly name = 'UnknownProxyError';
  constructor(readonly id: string) {
    super(`unknown proxy "${id}"; valid ids: ${PROXY_IDS.join(', ')}`);
  }
}

/** The definition of `id` (`zc:snip`; the `zc:` prefix may be left out). Throws UnknownProxyError. */
export function proxyDefinition(id: string): ProxyDefinition {
  const full = id.startsWith('zc:') ? id : `zc:${id}`;
  const found = PROXIES.find((p) => p.id === full);
  if (!found) throw new UnknownProxyError(id);
  return found;
}

/**
 * The proxies a comma-separated list (the CLI's `--proxies zc:snip,zc:synflow`) or an array names, in the order
 * given, without repeats; `all` names every proxy. Throws UnknownProxyError on the first unknown id.
 */
export function parseProxyIds(list: string | readonly string[]): ProxyDefinition[] {
  const items = (typeof list === 'string' ? list.split(',') : list).map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new RangeError(`no proxy named; valid ids: ${PROXY_IDS.join(', ')} (or all)`);
  const out: ProxyDefinition[] = [];
  for (const item of items) {
    for (const def of item === 'all' ? PROXIES : [proxyDefinition(item)]) if (!out.includes(def)) out.push(def);
  }
  return out;
}
