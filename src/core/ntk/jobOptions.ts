import type { DatasetId } from '../space';
import { defaultAttack } from './attack';
import { parseInputSpec } from './inputs/load';
import type { KernelKind } from './kernel';
import { NETWORK_SIZES, type NetworkSize, type NetworkSizeName } from './network';
import type { NtkJobOptions } from './pool';
import type { NtkVariant } from './scores';

/**
 * The user-facing NTK configuration (the CLI's flags, the extension's `robustNas.ntk.*` settings) before it is
 * turned into job options. One builder for both, so the CLI, the extension, the cache and the hover card agree on
 * what "the same configuration" is: equal configurations give equal cache keys and equal sweep-file headers.
 */
export interface NtkConfig {
  readonly size: NetworkSizeName;
  /** Channel / cell-count overrides of `size` (the CLI's --channels / --cells); undefined keeps the size's. */
  readonly channels?: number;
  readonly cellsPerStage?: number;
  readonly kernel: KernelKind;
  readonly variants: readonly NtkVariant[];
  readonly attack: 'pgd' | 'fgsm';
  /** L-infinity radius in 1/255 pixel units. */
  readonly eps: number;
  /** PGD steps and step size (1/255 units); undefined = Madry et al.'s 10 steps of 2.5 * eps / steps. */
  readonly steps?: number;
  readonly stepSize?: number;
  readonly randomStart?: boolean;
  readonly tradeOff?: number;
  /** `synthetic`, `synthetic:<dataset>` or `<dataset>:<folder>` (see parseInputSpec). */
  readonly inputs: string;
  readonly n: number;
  readonly seed: number;
  readonly baselines?: boolean;
  /** Dataset shape of synthetic inputs when `inputs` names none. */
  readonly dataset?: DatasetId;
}

/** The defaults of `robust-nas ntk` and of the extension's settings: proxy network, fixed-BN, PGD 8/255, 32 synthetic inputs. */
export const DEFAULT_NTK_CONFIG: NtkConfig = {
  size: 'proxy',
  kernel: 'fixed-bn',
  variants: ['clean', 'robust'],
  attack: 'pgd',
  eps: 8,
  inputs: 'synthetic',
  n: 32,
  seed: 0,
};

/** Job options for a configuration; throws RangeError (with the offending value) when `inputs` cannot be read. */
export function ntkJobOptions(config: NtkConfig): NtkJobOptions {
  let size: NetworkSizeName | NetworkSize = config.size;
  if (config.channels !== undefined || config.cellsPerStage !== undefined) {
    size = {
      channels: config.channels ?? NETWORK_SIZES[config.size].channels,
      cellsPerStage: config.cellsPerStage ?? NETWORK_SIZES[config.size].cellsPerStage,
    };
  }
  const base = defaultAttack(config.attack, config.eps);
  const pgd = config.attack === 'pgd';
  const steps = config.steps ?? base.steps;
  const attack = {
    ...base,
    steps: pgd ? steps : 1,
    stepSize: pgd ? (config.stepSize ?? (2.5 * config.eps) / steps) / 255 : base.stepSize,
    randomStart: pgd && config.randomStart !== false,
  };
  return {
    size,
    kernel: config.kernel,
    variants: [...config.variants],
    attack,
    tradeOff: config.tradeOff ?? 0.5,
    seed: config.seed,
    baselines: config.baselines === true,
    inputs: parseInputSpec(config.inputs, config.n, config.seed, config.dataset),
  };
}

/** One line saying what a configuration computes, e.g. `fixed-bn kernel · proxy C=8 N=1 · 32 synthetic inputs (cifar10) · PGD 8/255 · seed 0`. */
export function describeNtkJob(options: NtkJobOptions): string {
  const size = typeof options.size === 'string' ? { ...NETWORK_SIZES[options.size], name: options.size } : options.size;
  const name = 'name' in size ? `${size.name} ` : '';
  const inputs =
    options.inputs.kind === 'synthetic'
      ? `${options.inputs.count} synthetic inputs (${options.inputs.dataset})`
      : `${options.inputs.count} ${options.inputs.dataset} images from ${options.inputs.dir}`;
  const eps = Number((options.attack.eps * 255).toPrecision(4));
  return `${options.kernel} kernel · ${name}C=${size.channels} N=${size.cellsPerStage} · ${inputs} · ${options.attack.kind.toUpperCase()} ${eps}/255 · seed ${options.seed}`;
}
