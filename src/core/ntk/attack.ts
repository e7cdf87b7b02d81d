import type { NumericBackend } from './engine/backend';
import { Tape, type GradSpec } from './engine/tape';
import type { InputSet } from './inputs/inputSet';
import { normalisePixels } from './inputs/inputSet';
import type { Network } from './network';
import { softmaxCrossEntropy } from './ops/softmaxCrossEntropy';
import { Rng } from './rng';

/** An L-infinity attack in pixel space ([0, 1]); eps and stepSize are fractions, e.g. 8/255. */
export interface AttackConfig {
  readonly kind: 'fgsm' | 'pgd';
  readonly eps: number;
  /** PGD only. */
  readonly stepSize: number;
  /** PGD only. */
  readonly steps: number;
  /** PGD only: start from a uniform random point of the eps-ball (Madry et al., 2018). */
  readonly randomStart: boolean;
}

/** PGD defaults from Madry et al. (2018) scaled by eps: 10 steps of 2.5 * eps / 10. */
export function defaultAttack(kind: 'fgsm' | 'pgd', epsOver255: number): AttackConfig {
  const eps = epsOver255 / 255;
  return {
    kind,
    eps,
    stepSize: kind === 'pgd' ? (2.5 * eps) / 10 : eps,
    steps: kind === 'pgd' ? 10 : 1,
    randomStart: kind === 'pgd',
  };
}

/**
 * d(mean cross-entropy)/d(pixels) through the whole batch (BN with batch statistics, as PyTorch in train mode).
 * Exactly zero for a cell whose output does not depend on its input (every path from the cell input to its output
 * passes a `none` edge, e.g. index 10): NAS-Bench-201's `Zero` op is `x.mul(0.)` (xautodl/models/cell_operations.py),
 * which keeps the input in PyTorch's autograd graph, so PyTorch returns a zero gradient there. Our network builds
 * such a node as a constant, so no gradient reaches the input and we return the same zeros.
 */
export function lossGradientWrtPixels(
  network: Network,
  pixels: Float32Array,
  inputs: InputSet,
  backend: NumericBackend,
): Float32Array {
  const { count, size, dataset, labels } = inputs;
  const data = backend.alloc(pixels.length);
  normalisePixels(pixels, dataset, data);
  const tape = new Tape(backend);
  const x = tape.leaf({ c: 3, b: count, h: size, w: size, data }, true);
  const logits = network.forward(tape, x);
  const { dLogits } = softmaxCrossEntropy(logits.t.data, network.config.classes, labels);
  const seed = backend.alloc(dLogits.length);
  seed.set(dLogits);
  const spec: GradSpec = { directions: 1, paramRows: 'per-direction', bnStatistics: 'batch' };
  return tape.backward(logits, seed, spec, [x]).get(x.id) ?? new Float32Array(pixels.length);
}

/**
 * FGSM (Goodfellow et al., 2015) or PGD (Madry et al., 2018) on the network at initialisation, maximising the
 * cross-entropy of `inputs.labels`, projected to the eps-ball around the starting pixels and to [0, 1].
 * The sign of the gradient w.r.t. normalised inputs equals its sign w.r.t. pixels (std > 0). A zero gradient has
 * sign 0 (as torch.sign), so it leaves the input where it is: for a cell whose output ignores its input, FGSM
 * returns X and PGD its random start, and the robust kernels equal the clean one (the network cannot tell them apart).
 * `gradientAtStart`: lossGradientWrtPixels at `start` when the caller already has it (the zero-cost proxies' clean
 * loss-gradient pass computes it, proxies/lossGradients.ts); used for the first step of an attack that starts at
 * `start` (FGSM, PGD without a random start), so FGSM 3/255 and 8/255 share one gradient with the clean proxies.
 */
export function attackPixels(
  network: Network,
  inputs: InputSet,
  start: Float32Array,
  attack: AttackConfig,
  seed: number,
  backend: NumericBackend,
  gradientAtStart?: Float32Array,
): Float32Array {
  const x = attackStart(start, attack, seed);
  const steps = attack.kind === 'fgsm' ? 1 : attack.steps;
  const step = attack.kind === 'fgsm' ? attack.eps : attack.stepSize;
  const project = (): void => projectToBall(x, start, attack.eps);
  const startsAtStart = attack.kind === 'fgsm' || !attack.randomStart;
  for (let s = 0; s < steps; s++) {
    // Each step's tape is released once its gradient's signs are applied (x is a plain array): ten steps at full
    // size would otherwise hold ten forward passes in the WebAssembly heap.
    const mark = backend.mark();
    const g =
      s === 0 && startsAtStart && gradientAtStart
        ? gradientAtStart
        : lossGradientWrtPixels(network, x, inputs, backend);
    for (let i = 0; i < x.length; i++) x[i] += step * Math.sign(g[i]);
    backend.releaseTo(mark);
    project();
  }
  return x;
}

/**
 * Where the attack starts: the pixels themselves, or for PGD with a random start a seeded uniform point of the
 * eps-ball around them, projected to [0, 1] (the PyTorch reference of the robust proxies is given this point).
 */
export function attackStart(start: Float32Array, attack: AttackConfig, seed: number): Float32Array {
  const x = Float32Array.from(start);
  if (attack.kind === 'pgd' && attack.randomStart) {
    const rng = new Rng((seed ^ 0x27d4eb2f) >>> 0);
    for (let i = 0; i < x.length; i++) x[i] += (2 * rng.uniform() - 1) * attack.eps;
    projectToBall(x, start, attack.eps);
  }
  return x;
}

/** x clipped to the L-infinity eps-ball around `centre` and to [0, 1], in place. */
function projectToBall(x: Float32Array, centre: Float32Array, eps: number): void {
  for (let i = 0; i < x.length; i++) {
    const lo = Math.max(0, centre[i] - eps);
    const hi = Math.min(1, centre[i] + eps);
    x[i] = Math.min(hi, Math.max(lo, x[i]));
  }
}
