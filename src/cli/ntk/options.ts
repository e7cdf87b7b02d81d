import { defaultAttack } from '../../core/ntk/attack';
import { DEFAULT_NTK_CONFIG, ntkJobOptions, type NtkConfig } from '../../core/ntk/jobOptions';
import { KERNEL_KINDS, type KernelKind } from '../../core/ntk/kernel';
import { NETWORK_SIZES, type NetworkSizeName } from '../../core/ntk/network';
import type { NtkJobOptions } from '../../core/ntk/pool';
import { isNtkVariant, NTK_VARIANTS, type NtkVariant } from '../../core/ntk/scores';
import { intOption, parseDataset, stringOption } from '../args';
import type { OptionValues } from '../command';
import { CliError } from '../errors';
import { hasOwnKey } from '../../core/lookupTable';

/** The options `ntk` and `ntk-sweep` share. */
export const NTK_OPTIONS = {
  size: { type: 'string' },
  channels: { type: 'string' },
  cells: { type: 'string' },
  variants: { type: 'string' },
  kernel: { type: 'string' },
  attack: { type: 'string' },
  eps: { type: 'string' },
  steps: { type: 'string' },
  'step-size': { type: 'string' },
  'no-random-start': { type: 'boolean' },
  'trade-off': { type: 'string' },
  inputs: { type: 'string' },
  dataset: { type: 'string' },
  n: { type: 'string' },
  seed: { type: 'string' },
  baselines: { type: 'boolean' },
} as const;

export const NTK_OPTIONS_HELP: readonly (readonly [string, string])[] = [
  ['--size proxy|full', `network size: full = C16 N5 (the benchmark's), proxy = C8 N1 (default: proxy)`],
  ['--channels C --cells N', 'any other size (overrides --size)'],
  ['--variants LIST', `comma-separated: ${NTK_VARIANTS.join(', ')} (default: clean,robust)`],
  ['--kernel K', 'fixed-bn (BN statistics held constant, fast; default) or exact (through BN statistics)'],
  ['--attack fgsm|pgd', 'attack for the robust variants (default: pgd)'],
  ['--eps E', 'L-infinity radius in 1/255 pixel units (default: 8)'],
  ['--steps S --step-size A', 'PGD steps (default 10) and step in 1/255 (default 2.5*eps/steps)'],
  ['--no-random-start', 'PGD starts at the clean input'],
  ['--trade-off B', 'weight beta of the joint kernels, 0..1 (default 0.5)'],
  [
    '--inputs SPEC',
    'synthetic (default; seeded images and labels) or DATASET:FOLDER, e.g. cifar10:~/data/cifar-10-batches-py',
  ],
  ['--dataset D', 'dataset shape and classes for synthetic inputs (default cifar10)'],
  ['--n N', 'number of inputs (default 32)'],
  ['--seed S', 'seed of weights, synthetic inputs and PGD start (default 0)'],
  ['--baselines', 'also compute the KNAS and NASWOT scores'],
];

function numberOption(values: OptionValues, name: string, fallback: number, min: number, max: number): number {
  const v = stringOption(values, name);
  if (v === undefined) return fallback;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x < min || x > max)
    throw new CliError(`--${name} must be a number from ${min} to ${max}, got '${v}'.`);
  return x;
}

export function ntkOptionsFrom(
  values: OptionValues,
  defaults: { n?: number; variants?: readonly NtkVariant[] } = {},
): NtkJobOptions {
  const sizeText = stringOption(values, 'size') ?? DEFAULT_NTK_CONFIG.size;
  if (!hasOwnKey(NETWORK_SIZES, sizeText))
    throw new CliError(`--size must be ${Object.keys(NETWORK_SIZES).join(' or ')}, got '${sizeText}'.`);
  const size = sizeText as NetworkSizeName;
  const custom = values.channels !== undefined || values.cells !== undefined;
  const variantsText = stringOption(values, 'variants');
  const variants =
    variantsText === undefined
      ? [...(defaults.variants ?? DEFAULT_NTK_CONFIG.variants)]
      : variantsText
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  for (const v of variants)
    if (!isNtkVariant(v)) throw new CliError(`Unknown NTK variant '${v}'. Valid: ${NTK_VARIANTS.join(', ')}.`);
  if (variants.length === 0) throw new CliError('--variants needs at least one variant.');
  const kernel = stringOption(values, 'kernel') ?? DEFAULT_NTK_CONFIG.kernel;
  if (!(KERNEL_KINDS as readonly string[]).includes(kernel))
    throw new CliError(`--kernel must be ${KERNEL_KINDS.join(' or ')}, got '${kernel}'.`);
  const attackKind = stringOption(values, 'attack') ?? DEFAULT_NTK_CONFIG.attack;
  if (attackKind !== 'pgd' && attackKind !== 'fgsm')
    throw new CliError(`--attack must be pgd or fgsm, got '${attackKind}'.`);
  const eps = numberOption(values, 'eps', DEFAULT_NTK_CONFIG.eps, 0, 255);
  const steps = intOption(values, 'steps', defaultAttack(attackKind, eps).steps, 1, 1000);
  const dataset = values.dataset === undefined ? undefined : parseDataset(String(values.dataset));
  const config: NtkConfig = {
    size,
    channels: custom ? intOption(values, 'channels', NETWORK_SIZES[size].channels, 1, 256) : undefined,
    cellsPerStage: custom ? intOption(values, 'cells', NETWORK_SIZES[size].cellsPerStage, 1, 32) : undefined,
    kernel: kernel as KernelKind,
    variants: variants as NtkVariant[],
    attack: attackKind,
    eps,
    steps,
    stepSize: attackKind === 'pgd' ? numberOption(values, 'step-size', (2.5 * eps) / steps, 0, 255) : undefined,
    randomStart: values['no-random-start'] !== true,
    tradeOff: numberOption(values, 'trade-off', 0.5, 0, 1),
    inputs: stringOption(values, 'inputs') ?? DEFAULT_NTK_CONFIG.inputs,
    n: intOption(values, 'n', defaults.n ?? DEFAULT_NTK_CONFIG.n, 1, 1024),
    seed: intOption(values, 'seed', DEFAULT_NTK_CONFIG.seed, 0, 2 ** 32 - 1),
    baselines: values.baselines === true,
    dataset,
  };
  let options: NtkJobOptions;
  try {
    options = ntkJobOptions(config);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  if (dataset && options.inputs.dataset !== dataset)
    throw new CliError(`--dataset ${dataset} disagrees with --inputs ${options.inputs.dataset}:...`);
  return options;
}
