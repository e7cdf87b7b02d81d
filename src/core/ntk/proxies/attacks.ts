import { lookupTable } from '../../lookupTable';
import { defaultAttack, type AttackConfig } from '../attack';

/**
 * The attacks a robust proxy variant runs on its inputs at initialisation, named as its id's suffix
 * (`zc:snip@pgd8`): FGSM and PGD at the benchmark's two radii, 3/255 and 8/255 (the NAS-RobBench-201 evaluation
 * columns `fgsm@3` ... `pgd@8`), each with the NTK scorer's defaults (attack.ts defaultAttack: PGD 10 steps of
 * 2.5 * eps / 10 from a random start, Madry et al., 2018).
 */
export const PROXY_ATTACKS = lookupTable({
  fgsm3: { kind: 'fgsm', eps: 3 },
  pgd3: { kind: 'pgd', eps: 3 },
  fgsm8: { kind: 'fgsm', eps: 8 },
  pgd8: { kind: 'pgd', eps: 8 },
} as const satisfies Record<string, { kind: 'fgsm' | 'pgd'; eps: number }>);
export type ProxyAttackName = keyof typeof PROXY_ATTACKS;
export const PROXY_ATTACK_NAMES = Object.keys(PROXY_ATTACKS) as ProxyAttackName[];

export function isProxyAttackName(s: string): s is ProxyAttackName {
  return (PROXY_ATTACK_NAMES as readonly string[]).includes(s);
}

export function proxyAttackConfig(name: ProxyAttackName): AttackConfig {
  const { kind, eps } = PROXY_ATTACKS[name];
  return defaultAttack(kind, eps);
}

/** Whether two attack configurations compute the same X' from the same pixels and seed (attack.ts attackPixels). */
export function sameAttack(a: AttackConfig, b: AttackConfig): boolean {
  if (a.kind !== b.kind || a.eps !== b.eps) return false;
  return a.kind === 'fgsm' || (a.steps === b.steps && a.stepSize === b.stepSize && a.randomStart === b.randomStart);
}

/** The robust variants' name of `config` (`pgd8` for the NTK scorer's default PGD 8/255), if it is one of them. */
export function proxyAttackNameOf(config: AttackConfig): ProxyAttackName | undefined {
  return PROXY_ATTACK_NAMES.find((name) => sameAttack(proxyAttackConfig(name), config));
}
