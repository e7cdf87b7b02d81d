import { PROXY_IDS } from '../../core/ntk/proxies/registry';

/**
 * The zero-cost proxy ids the engine computes (`zc:<name>`; robust `zc:<name>@<attack><eps>` once the registry
 * has them), from the proxy registry (src/core/ntk/proxies/registry.ts).
 */
export function zeroCostProxyIds(): readonly string[] {
  return PROXY_IDS;
}
