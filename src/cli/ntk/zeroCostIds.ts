import { PROXY_IDS, ROBUST_PROXY_IDS } from '../../core/ntk/proxies/registry';

/**
 * The zero-cost proxy ids the engine computes: `zc:<name>` and the robust variants `zc:<name>@<attack><eps>`
 * (`zc:snip@pgd8`, src/core/ntk/proxies/robust.ts), from the proxy registry (src/core/ntk/proxies/registry.ts).
 */
export function zeroCostProxyIds(): readonly string[] {
  return [...PROXY_IDS, ...ROBUST_PROXY_IDS];
}
