import type { DatasetId } from '../../space';
import { parseInputSpec } from '../inputs/load';
import { NETWORK_SIZES, type NetworkSize, type NetworkSizeName } from '../network';
import type { ProxyJobOptions } from '../pool';
import { parseProxyIds } from './registry';

/**
 * The user-facing proxy configuration (CLI flags, settings) before it becomes job options; the same fields as the
 * NTK configuration's (jobOptions.ts) where they mean the same thing, so a proxy run and an NTK run with equal
 * settings use the same network weights and the same inputs.
 */
export interface ProxyConfig {
  readonly size: NetworkSizeName;
  readonly channels?: number;
  readonly cellsPerStage?: number;
  /** Registry ids or a comma-separated list (`zc:snip,zc:synflow`, `all`). */
  readonly proxies: string | readonly string[];
  /** `synthetic`, `synthetic:<dataset>` or `<dataset>:<folder>` (parseInputSpec). */
  readonly inputs: string;
  /** Batch size: NASLib's zero-cost runs take one batch of 32 (naslib/runners/zc/zc_config.yaml `batch_size: 32`). */
  readonly n: number;
  readonly seed: number;
  readonly dataset?: DatasetId;
}

export const DEFAULT_PROXY_CONFIG: ProxyConfig = { size: 'proxy', proxies: 'all', inputs: 'synthetic', n: 32, seed: 0 };

/** Job options for a configuration; throws UnknownProxyError / RangeError (with the offending value). */
export function proxyJobOptions(config: ProxyConfig): ProxyJobOptions {
  let size: NetworkSizeName | NetworkSize = config.size;
  if (config.channels !== undefined || config.cellsPerStage !== undefined) {
    size = {
      channels: config.channels ?? NETWORK_SIZES[config.size].channels,
      cellsPerStage: config.cellsPerStage ?? NETWORK_SIZES[config.size].cellsPerStage,
    };
  }
  return {
    size,
    seed: config.seed,
    proxies: parseProxyIds(config.proxies).map((p) => p.id),
    inputs: parseInputSpec(config.inputs, config.n, config.seed, config.dataset),
  };
}
