import { attackPixels } from '../attack';
import type { NumericBackend } from '../engine/backend';
import type { InputSet } from '../inputs/inputSet';
import type { Network } from '../network';
import { proxyAttackConfig, type ProxyAttackName } from './attacks';
import { lossGradients, type LossGradients } from './lossGradients';

/**
 * What a proxy is computed from: one seeded network at initialisation (float32, BatchNorm with batch statistics:
 * NASLib scores a copy of the network in training mode) and one batch of inputs with labels (the NTK scorer's
 * inputs: the user's dataset files or seeded synthetic images with random labels).
 */
export interface ProxyContext {
  readonly network: Network;
  readonly inputs: InputSet;
  readonly backend: NumericBackend;
  /** The weights' seed. */
  readonly seed: number;
  /** The gradient of the mean cross-entropy (computed once, shared by every proxy that reads it). */
  lossGradients(): LossGradients;
  /**
   * This context on X' = attack(X) (same network, labels and seed; the seed also starts PGD), the attack run on
   * the network as initialised; computed once per attack and shared by every robust variant (robust.ts).
   */
  adversarial(attack: ProxyAttackName): ProxyContext;
}

/**
 * A context for `network` and `inputs`. A robust variant of a proxy is the same proxy on a context whose inputs
 * are attacked pixels (same network, same labels). `knownAttacks`: attacked pixels the caller already computed
 * with exactly the attack and seed the context would use (the NTK scorer's X', scores.ts), used instead of
 * attacking again. FGSM's one step from the clean pixels is the clean loss-gradient pass's input gradient, so
 * `@fgsm3` and `@fgsm8` cost no gradient pass of their own beside the clean proxies' one.
 */
export function createProxyContext(
  network: Network,
  inputs: InputSet,
  backend: NumericBackend,
  seed: number,
  knownAttacks: ReadonlyMap<ProxyAttackName, Float32Array> = new Map(),
): ProxyContext {
  let gradients: LossGradients | undefined;
  const attacked = new Map<ProxyAttackName, ProxyContext>();
  const clean: ProxyContext = {
    network,
    inputs,
    backend,
    seed,
    lossGradients: () => (gradients ??= lossGradients(network, inputs, backend)),
    adversarial(attack) {
      let context = attacked.get(attack);
      if (!context) {
        const config = proxyAttackConfig(attack);
        const startsAtInputs = config.kind === 'fgsm' || !config.randomStart;
        const pixels =
          knownAttacks.get(attack) ??
          attackPixels(
            network,
            inputs,
            inputs.pixels,
            config,
            seed,
            backend,
            startsAtInputs ? clean.lossGradients().inputGradient : undefined,
          );
        const base = createProxyContext(network, { ...inputs, pixels }, backend, seed);
        context = {
          ...base,
          adversarial: () => {
            throw new Error(`the inputs are already attacked (${attack}); a robust variant attacks the clean inputs`);
          },
        };
        attacked.set(attack, context);
      }
      return context;
    },
  };
  return clean;
}

/** A training-free score ("zero-cost proxy") of one architecture. */
export interface ProxyDefinition {
  /** Registry id, `zc:<NASLib measure name>`, e.g. `zc:snip`. */
  readonly id: `zc:${string}`;
  /** Display name, e.g. `SNIP`. */
  readonly name: string;
  /** What the number is, in one line. */
  readonly summary: string;
  /** The paper that defines it. */
  readonly paper: string;
  /** The reference code whose definition is followed line by line. */
  readonly reference: string;
  /** Reads the input images (false: weights only, or a fixed input such as SynFlow's all-ones image). */
  readonly needsData: boolean;
  /** Reads the labels (a loss). */
  readonly needsLabels: boolean;
  compute(context: ProxyContext): number;
}
