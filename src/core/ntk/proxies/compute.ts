import type { Cell } from '../../space';
import { DATASET_SHAPE, formatArchString, type DatasetId } from '../../space';
import type { BackendName, NumericBackend } from '../engine/backend';
import type { InputSet } from '../inputs/inputSet';
import { buildNetwork, NETWORK_SIZES, type Network, type NetworkSize, type NetworkSizeName } from '../network';
import type { ProxyAttackName } from './attacks';
import { createProxyContext } from './definition';
import { parseProxyIds, type ProxyId } from './registry';

export interface ProxyOptions {
  /** Network size, as for the NTK scorer (`proxy` C=8 N=1, `full` C=16 N=5, or explicit). */
  readonly size: NetworkSizeName | NetworkSize;
  /** Seed of the network weights (the inputs carry their own). */
  readonly seed: number;
  /** Registry ids (`zc:snip`, ...), see registry.ts. */
  readonly proxies: readonly string[];
}

export interface ProxyResult {
  readonly arch: string;
  readonly dataset: DatasetId;
  readonly size: NetworkSize & { readonly name?: NetworkSizeName };
  /** Where the batch came from; `synthetic: true` for seeded synthetic images with random labels. */
  readonly inputs: { readonly source: string; readonly synthetic: boolean; readonly count: number };
  readonly seed: number;
  /** One value per requested proxy id, in the order requested. */
  readonly values: Readonly<Record<string, number>>;
  readonly seconds: number;
  /** Which numeric back end ran (set by the worker; `wasm-fma`: fused multiply-adds, see NtkResult.backend). */
  readonly backend?: BackendName;
}

export interface ProxyProgress {
  readonly stage: string;
  readonly done: number;
  readonly total: number;
}

export interface ProxyRun {
  readonly options: ProxyOptions;
  readonly inputs: InputSet;
  readonly backend: NumericBackend;
  readonly onProgress?: (p: ProxyProgress) => void;
  readonly signal?: AbortSignal;
}

/**
 * Computes the requested zero-cost proxies of one cell, synchronously, on the calling thread: the NTK scorer's
 * network (same construction and seeding, so the same weights as `robust-nas ntk` with that seed) on the given
 * inputs. Unknown ids throw UnknownProxyError before anything is computed.
 */
export function computeProxiesSync(cell: Cell, run: ProxyRun): ProxyResult {
  const started = performance.now();
  const { options, inputs, backend, onProgress, signal } = run;
  const definitions = parseProxyIds(options.proxies);
  const dataset = inputs.dataset;
  const { classes, inputSize } = DATASET_SHAPE[dataset];
  if (inputs.size !== inputSize)
    throw new RangeError(`${dataset} inputs are ${inputSize}x${inputSize}, got ${inputs.size}x${inputs.size}`);
  const size = typeof options.size === 'string' ? { ...NETWORK_SIZES[options.size], name: options.size } : options.size;
  const network = buildNetwork(
    cell,
    { channels: size.channels, cellsPerStage: size.cellsPerStage, classes, inputSize },
    options.seed,
    backend,
  );
  let values: Record<string, number>;
  try {
    values = proxyValues(
      network,
      inputs,
      backend,
      options.seed,
      definitions.map((d) => d.id),
      { signal, before: (id, done) => onProgress?.({ stage: id, done, total: definitions.length }) },
    );
  } finally {
    backend.reset();
  }
  onProgress?.({ stage: 'done', done: definitions.length, total: definitions.length });
  return {
    arch: formatArchString(cell),
    dataset,
    size,
    inputs: { source: inputs.source, synthetic: inputs.synthetic, count: inputs.count },
    seed: options.seed,
    values,
    seconds: (performance.now() - started) / 1000,
  };
}

export interface ProxyValuesOptions {
  readonly signal?: AbortSignal;
  /** Called before each proxy is computed (progress). */
  readonly before?: (id: ProxyId, done: number) => void;
  /** Attacked pixels already computed with exactly that attack and seed (createProxyContext's knownAttacks). */
  readonly knownAttacks?: ReadonlyMap<ProxyAttackName, Float32Array>;
}

/**
 * The values of the proxies `ids` for one network and batch, in the order given (what {@link computeProxiesSync}
 * and the NTK scorer's proxy sweep compute). Whatever several proxies read is computed once (ProxyContext): the
 * loss-gradient pass (grad_norm, snip, fisher, plain, GraSP's g, FGSM's step), the input Jacobian (jacob_cov,
 * EPE-NAS), each attack (every variant on it). Throws UnknownProxyError.
 */
export function proxyValues(
  network: Network,
  inputs: InputSet,
  backend: NumericBackend,
  seed: number,
  ids: readonly string[],
  { signal, before, knownAttacks }: ProxyValuesOptions = {},
): Record<string, number> {
  const definitions = parseProxyIds(ids);
  const context = createProxyContext(network, inputs, backend, seed, knownAttacks);
  const values: Record<string, number> = {};
  definitions.forEach((def, done) => {
    if (signal?.aborted) throw new Error('proxy computation cancelled');
    before?.(def.id, done);
    // What a proxy shares with the next ones (loss gradients, Jacobian rows, attacked pixels) is kept in plain
    // arrays, so each proxy's tapes can be released before the next: at full size every proxy of `all` together
    // would not fit the WebAssembly heap.
    const mark = backend.mark();
    try {
      values[def.id] = def.compute(context);
    } finally {
      backend.releaseTo(mark);
    }
  });
  return values;
}
