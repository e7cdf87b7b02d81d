import type { NumericBackend } from '../engine/backend';
import { Tape } from '../engine/tape';
import type { Param } from '../engine/tensor';
import { buildNetwork, type Network } from '../network';
import { BN_EPS } from '../ops/batchNorm';
import { Rng } from '../rng';
import type { ProxyDefinition } from './definition';
import { rankedLastWhenUndefined } from './undefinedScore';

/** NASLib's / Zen-NAS's `mixup_gamma`: the size of the input perturbation. */
export const ZEN_MIXUP_GAMMA = 1e-2;
/** PyTorch's BatchNorm2d default momentum: how far one training-mode forward pass moves `running_var`. */
const BN_MOMENTUM = 0.1;

/** The Gaussian weights and inputs Zen-NAS draws, kept so the PyTorch reference can be fed the same ones. */
export interface ZenDraw {
  /** [3][n][H][W], standard normal (Zen-NAS feeds them as they are, not image-normalised). */
  readonly input: Float32Array;
  /** input + gamma * (another standard normal draw). */
  readonly mixup: Float32Array;
}

/**
 * Re-draws the network's weights as Zen-NAS does (`network_weight_gaussian_init` in NASLib's zen.py and
 * idstcv/ZenNAS's compute_zen_score.py): convolution and linear weights N(0, 1), the linear bias 0, BatchNorm
 * gamma 1 and beta 0, and draws the two Gaussian input batches. Seeded: the same seed gives the same draw.
 */
export function zenDraw(network: Network, n: number, seed: number): ZenDraw {
  const rng = new Rng((seed ^ 0x2e4e) >>> 0);
  const weights = new Set(network.layers.map((l) => l.weight));
  for (const p of network.params) {
    if (weights.has(p)) for (let i = 0; i < p.size; i++) p.data[i] = rng.normal();
    // The classifier's bias 0; BN's gamma (`<bn>.weight`) 1 and beta 0.
    else p.data.fill(p.name.endsWith('.weight') ? 1 : 0);
  }
  const size = network.config.inputSize;
  const input = new Float32Array(3 * n * size * size);
  for (let i = 0; i < input.length; i++) input[i] = rng.normal();
  const mixup = new Float32Array(input.length);
  for (let i = 0; i < input.length; i++) mixup[i] = input[i] + ZEN_MIXUP_GAMMA * rng.normal();
  return { input, mixup };
}

/**
 * Zen-score (Lin et al., "Zen-NAS: A Zero-Shot NAS for High-Performance Image Recognition", ICCV 2021), as NASLib
 * computes it (naslib/predictors/utils/pruners/measures/zen.py, from idstcv/ZenNAS): with Gaussian weights
 * (zenDraw) and BN in training mode, f = the features before global pooling (Network.featuresBeforePool),
 * Delta = mean over samples of sum over C, H, W of |f(x) - f(x + gamma * eps)|, and
 * score = log(Delta) + sum over BN layers of log(sqrt(mean over channels of running_var)).
 * running_var is what the two training-mode forward passes (x, then the mixed-up x) leave in a fresh network
 * (running_var 1, momentum 0.1, unbiased batch variance): 0.81 + 0.09 var(x) + 0.1 var(mixup) per channel.
 * It reads no data, only the batch shape, so it has no robust variant. -Infinity when f ignores its input.
 */
export function zenScore(network: Network, draw: ZenDraw, n: number, backend: NumericBackend): number {
  const size = network.config.inputSize;
  const variances = new Map<Param, Float64Array[]>();
  const features = (pixels: Float32Array): Float32Array => {
    const data = backend.alloc(pixels.length);
    data.set(pixels);
    const tape = new Tape(backend);
    tape.bnObserver = (gamma, _mean, invStd, count) => {
      // Unbiased variance, as PyTorch updates running_var: biased * m / (m - 1), biased = 1/invStd^2 - eps.
      const unbiased = invStd.map((s) => ((1 / (s * s) - BN_EPS) * count) / (count - 1));
      const list = variances.get(gamma) ?? [];
      list.push(unbiased);
      variances.set(gamma, list);
    };
    const f = network.featuresBeforePool(tape, tape.leaf({ c: 3, b: n, h: size, w: size, data }));
    return Float32Array.from(f.t.data);
  };
  const a = features(draw.input);
  const b = features(draw.mixup);
  let delta = 0;
  for (let i = 0; i < a.length; i++) delta += Math.abs(a[i] - b[i]);
  delta /= n;
  let logScaling = 0;
  for (const [first, second] of variances.values()) {
    let mean = 0;
    for (let ch = 0; ch < first.length; ch++) {
      const afterFirst = (1 - BN_MOMENTUM) * 1 + BN_MOMENTUM * first[ch];
      mean += (1 - BN_MOMENTUM) * afterFirst + BN_MOMENTUM * second[ch];
    }
    logScaling += Math.log(Math.sqrt(mean / first.length));
  }
  return Math.log(delta) + logScaling;
}

export const zenProxy: ProxyDefinition = {
  id: 'zc:zen',
  name: 'Zen-NAS',
  summary: 'log E|f(x) - f(x + 0.01 eps)| + sum_BN log sqrt(mean running_var), Gaussian weights and inputs (no data)',
  // NASLib's zen.py follows idstcv/ZenNAS's ZeroShotProxy/compute_zen_score.py.
  paper: 'Lin et al., Zen-NAS: A Zero-Shot NAS for High-Performance Image Recognition, ICCV 2021',
  reference: 'NASLib naslib/predictors/utils/pruners/measures/zen.py',
  // Only the batch shape: the inputs are Gaussian draws.
  needsData: false,
  needsLabels: false,
  compute({ network, inputs, backend, seed }) {
    // Its own copy: Zen-NAS re-draws the weights, and the other proxies use the network as initialised.
    const gaussian = buildNetwork(network.cell, network.config, seed, backend);
    const draw = zenDraw(gaussian, inputs.count, seed);
    return rankedLastWhenUndefined(zenScore(gaussian, draw, inputs.count, backend));
  },
};
