/**
 * The zero-cost proxy ids the engine computes (`zc:<name>` and robust `zc:<name>@<attack><eps>`), from the proxy
 * registry. Empty until the registry is part of the engine: the sweep then offers the NTK scores and baselines.
 */
export function zeroCostProxyIds(): readonly string[] {
  return [];
}
