import { PROXY_ATTACKS, type ProxyAttackName } from './attacks';
import type { ProxyDefinition } from './definition';

/**
 * The robust variant of a proxy that reads data: the same proxy, same network and labels, on X' = attack(X)
 * computed on the freshly initialised network (ProxyContext.adversarial), so a user can test whether a proxy's
 * robust version predicts robust accuracy better than its clean one (Wu et al., ICLR 2024, make that case for the
 * NTK). Id `<proxy id>@<attack>`, e.g. `zc:snip@pgd8`.
 */
export function robustVariant(base: ProxyDefinition, attack: ProxyAttackName): ProxyDefinition {
  if (!base.needsData) throw new RangeError(noRobustVariantMessage(base));
  const { kind, eps } = PROXY_ATTACKS[attack];
  return {
    ...base,
    id: `${base.id}@${attack}`,
    name: `${base.name} @ ${kind.toUpperCase()} ${eps}/255`,
    summary: `${base.summary}; on inputs attacked with ${kind.toUpperCase()} (eps ${eps}/255) at initialisation`,
    compute: (context) => base.compute(context.adversarial(attack)),
  };
}

export function noRobustVariantMessage(base: ProxyDefinition): string {
  return `${base.id} has no robust variant: it reads no input images (${base.summary}), so attacking them changes nothing; use ${base.id}`;
}
