import type { Cell } from '../space';
import { DATASET_SHAPE, formatArchString, type DatasetId } from '../space';
import { attackPixels, type AttackConfig } from './attack';
import type { BackendName, NumericBackend } from './engine/backend';
import { Tape, type GradSpec } from './engine/tape';
import type { InputSet } from './inputs/inputSet';
import { normalisePixels } from './inputs/inputSet';
import { ntkGram, type KernelKind } from './kernel';
import { buildNetwork, NETWORK_SIZES, type NetworkSize, type NetworkSizeName } from './network';
import { softmaxCrossEntropy } from './ops/softmaxCrossEntropy';
import { logAbsDeterminant, subMatrix, summarizeKernel, type KernelSummary } from './summaries';
import { symmetricEigenvalues } from './eigen';
import { proxyAttackNameOf, type ProxyAttackName } from './proxies/attacks';
import { proxyValues } from './proxies/compute';

/**
 * The kernels the paper's theory names (Wu et al., ICLR 2024, Sec. 5): X clean inputs, X' = attack(X),
 * X'' = attack(X').
 * - clean Theta(X,X); robust Theta(X',X'); cross Theta(X,X'); twice Theta(X'',X'').
 * - joint-clean: the 2n x 2n kernel of [X; X'] weighted by the trade-off beta between the clean and the
 *   adversarial loss, W^(1/2) Theta([X;X'],[X;X']) W^(1/2), W = diag((1-beta) I, beta I) (governs clean accuracy);
 *   joint-robust: the same for [X'; X''] (governs robust accuracy).
 */
export const NTK_VARIANTS = ['clean', 'robust', 'cross', 'twice', 'joint-clean', 'joint-robust'] as const;
export type NtkVariant = (typeof NTK_VARIANTS)[number];

export function isNtkVariant(s: string): s is NtkVariant {
  return (NTK_VARIANTS as readonly string[]).includes(s);
}

export interface NtkOptions {
  readonly size: NetworkSizeName | NetworkSize;
  readonly kernel: KernelKind;
  readonly variants: readonly NtkVariant[];
  readonly attack: AttackConfig;
  /** beta of the joint kernels, in [0, 1]. */
  readonly tradeOff: number;
  /** Seed of the network weights (and of PGD's random start). */
  readonly seed: number;
  /** Also compute the KNAS and NASWOT baselines. */
  readonly baselines: boolean;
  /** Zero-cost proxy ids (`zc:snip`, `zc:snip@pgd8`) a proxy sweep computes on the same network; absent: none. */
  readonly proxies?: readonly string[];
}

/** Summary of one variant; `cross` is not symmetric, so its spectrum is given by singular values. */
export interface VariantSummary extends KernelSummary {
  readonly spectrum: 'eigenvalues' | 'singular-values';
}

export interface NtkResult {
  readonly arch: string;
  readonly dataset: DatasetId;
  readonly size: NetworkSize & { readonly name?: NetworkSizeName };
  readonly kernel: KernelKind;
  readonly inputs: { readonly source: string; readonly synthetic: boolean; readonly count: number };
  readonly seed: number;
  readonly attack: AttackConfig;
  readonly tradeOff: number;
  readonly variants: Partial<Record<NtkVariant, VariantSummary>>;
  /** KNAS (Xu et al., KDD 2021): mean of the Gram matrix of per-sample loss gradients, = ||mean gradient||^2. */
  readonly knas?: number;
  /** NASWOT (Mellor et al., ICML 2021): log |det| of the ReLU activation-code agreement matrix. */
  readonly naswot?: number;
  /** Zero-cost proxy values by id, when the options asked for some (a proxy sweep). */
  readonly proxies?: Readonly<Record<string, number>>;
  readonly seconds: number;
  /**
   * Which numeric back end ran (set by the worker): `wasm-fma` fuses the GEMMs' multiply-adds (relaxed SIMD),
   * so its numbers differ from `wasm`'s and `js`'s (which are identical) in the last bits.
   */
  readonly backend?: BackendName;
  /** Threads the computation ran on (set by the worker; results do not depend on it). */
  readonly threads?: number;
  /** Why fewer threads ran than were asked for (set by the worker). */
  readonly threadingNote?: string;
}

export interface NtkProgress {
  readonly stage: string;
  readonly done: number;
  readonly total: number;
}

/** Everything {@link computeNtkScores} needs from its caller besides the cell. */
export interface NtkRun {
  readonly options: NtkOptions;
  readonly inputs: InputSet;
  readonly backend: NumericBackend;
  readonly onProgress?: (p: NtkProgress) => void;
  readonly signal?: AbortSignal;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new Error('NTK computation cancelled');
}

/** Computes the requested NTK variants (and baselines) for one cell, synchronously, on the calling thread. */
export function computeNtkScoresSync(cell: Cell, run: NtkRun): NtkResult {
  const started = performance.now();
  const { options, inputs, backend, onProgress, signal } = run;
  const dataset = inputs.dataset;
  const sizeSpec =
    typeof options.size === 'string' ? { ...NETWORK_SIZES[options.size], name: options.size } : options.size;
  const { classes, inputSize } = DATASET_SHAPE[dataset];
  if (inputs.size !== inputSize)
    throw new RangeError(`${dataset} inputs are ${inputSize}x${inputSize}, got ${inputs.size}x${inputs.size}`);
  if (!(options.tradeOff >= 0 && options.tradeOff <= 1))
    throw new RangeError(`trade-off weight must be in [0, 1], got ${options.tradeOff}`);
  const network = buildNetwork(
    cell,
    { channels: sizeSpec.channels, cellsPerStage: sizeSpec.cellsPerStage, classes, inputSize },
    options.seed,
    backend,
  );
  const wanted = new Set(options.variants);
  const needsAdv = [...wanted].some((v) => v !== 'clean');
  const needsTwice = wanted.has('twice') || wanted.has('joint-robust');
  const needsClean = wanted.has('clean') || wanted.has('cross') || wanted.has('joint-clean');
  // A proxy sweep may ask for the baselines (or zero-cost proxies) alone: then no kernel is computed.
  const needsKernel = wanted.size > 0;
  const stagesTotal =
    (needsAdv ? 1 : 0) +
    (needsTwice ? 1 : 0) +
    (needsKernel ? 1 : 0) +
    (options.baselines ? 1 : 0) +
    (options.proxies?.length ? 1 : 0);
  let stagesDone = 0;
  const report = (stage: string) => onProgress?.({ stage, done: stagesDone++, total: stagesTotal });

  // Input groups, each normalised by its own BN statistics as if it were its own batch.
  const groups: { name: 'X' | "X'" | "X''"; pixels: Float32Array }[] = [];
  if (needsClean) groups.push({ name: 'X', pixels: inputs.pixels });
  let adv: Float32Array | undefined;
  if (needsAdv) {
    report(`attack (${options.attack.kind})`);
    throwIfAborted(signal);
    adv = attackPixels(network, inputs, inputs.pixels, options.attack, options.seed, backend);
    if (wanted.has('robust') || wanted.has('cross') || wanted.has('joint-clean') || wanted.has('joint-robust'))
      groups.push({ name: "X'", pixels: adv });
  }
  if (needsTwice && adv) {
    report(`second attack (${options.attack.kind})`);
    throwIfAborted(signal);
    groups.push({ name: "X''", pixels: attackPixels(network, inputs, adv, options.attack, options.seed + 1, backend) });
  }
  const variants: Partial<Record<NtkVariant, VariantSummary>> = {};
  if (needsKernel) {
    throwIfAborted(signal);
    report(`${options.kernel} kernel`);
    const n = inputs.count;
    const g = groups.length;
    const stacked = backend.alloc(3 * g * n * inputSize * inputSize);
    const plane = inputSize * inputSize;
    groups.forEach((grp, k) => {
      const norm = normalisePixels(grp.pixels, dataset);
      for (let c = 0; c < 3; c++)
        stacked.set(norm.subarray(c * n * plane, (c + 1) * n * plane), (c * g * n + k * n) * plane);
    });
    const big = ntkGram(
      network,
      { c: 3, b: g * n, h: inputSize, w: inputSize, data: stacked },
      g,
      options.kernel,
      backend,
    );
    const gn = g * n;
    const idx = (name: 'X' | "X'" | "X''") => {
      const k = groups.findIndex((x) => x.name === name);
      return Array.from({ length: n }, (_, i) => k * n + i);
    };
    const sym = (m: Float64Array, size: number): VariantSummary => ({
      ...summarizeKernel(m, size),
      spectrum: 'eigenvalues',
    });
    const joint = (a: 'X' | "X'", b: "X'" | "X''"): VariantSummary => {
      const rows = [...idx(a), ...idx(b)];
      const m = subMatrix(big, gn, rows);
      const w = rows.map((_, i) => Math.sqrt(i < n ? 1 - options.tradeOff : options.tradeOff));
      for (let i = 0; i < 2 * n; i++) for (let j = 0; j < 2 * n; j++) m[i * 2 * n + j] *= w[i] * w[j];
      return sym(m, 2 * n);
    };
    for (const v of options.variants) {
      if (v === 'clean') variants.clean = sym(subMatrix(big, gn, idx('X')), n);
      else if (v === 'robust') variants.robust = sym(subMatrix(big, gn, idx("X'")), n);
      else if (v === 'twice') variants.twice = sym(subMatrix(big, gn, idx("X''")), n);
      else if (v === 'cross') variants.cross = crossSummary(subMatrix(big, gn, idx('X'), idx("X'")), n);
      else if (v === 'joint-clean') variants['joint-clean'] = joint('X', "X'");
      else if (v === 'joint-robust') variants['joint-robust'] = joint("X'", "X''");
    }
  }

  let knas: number | undefined;
  let naswot: number | undefined;
  if (options.baselines) {
    throwIfAborted(signal);
    report('KNAS and NASWOT baselines');
    ({ knas, naswot } = baselines(network, inputs, options.kernel, backend));
  }
  let proxies: Record<string, number> | undefined;
  if (options.proxies?.length) {
    throwIfAborted(signal);
    report('zero-cost proxies');
    // The same network and inputs as the kernels (src/core/ntk/proxies; docs/proxies.md). The robust variants on the
    // kernels' attack (same attack, same seed: attackPixels is deterministic) read the kernels' X' instead of
    // attacking again: one PGD per class fewer in the default sweep.
    const knownAttacks = new Map<ProxyAttackName, Float32Array>();
    const attackName = proxyAttackNameOf(options.attack);
    if (adv && attackName) knownAttacks.set(attackName, adv);
    proxies = proxyValues(network, inputs, backend, options.seed, options.proxies, { signal, knownAttacks });
  }
  backend.reset();
  onProgress?.({ stage: 'done', done: stagesTotal, total: stagesTotal });
  return {
    arch: formatArchString(cell),
    dataset,
    size: sizeSpec,
    kernel: options.kernel,
    inputs: { source: inputs.source, synthetic: inputs.synthetic, count: inputs.count },
    seed: options.seed,
    attack: options.attack,
    tradeOff: options.tradeOff,
    variants,
    knas,
    naswot,
    ...(proxies ? { proxies } : {}),
    seconds: (performance.now() - started) / 1000,
  };
}

/** Frobenius norm and trace of Theta(X,X'), and its singular values (square roots of eig(M^T M)). */
function crossSummary(m: Float64Array, n: number): VariantSummary {
  let frob = 0;
  let trace = 0;
  for (let i = 0; i < n * n; i++) frob += m[i] * m[i];
  for (let i = 0; i < n; i++) trace += m[i * n + i];
  const mtm = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += m[k * n + i] * m[k * n + j];
      mtm[i * n + j] = s;
    }
  const sv = symmetricEigenvalues(mtm, n).map((v) => Math.sqrt(Math.max(0, v)));
  const min = sv[0];
  const max = sv[n - 1];
  return {
    frobenius: Math.sqrt(frob),
    trace,
    minEigenvalue: min,
    maxEigenvalue: max,
    conditionNumber: min > 0 ? max / min : Infinity,
    spectrum: 'singular-values',
  };
}

/**
 * KNAS: mean over all pairs of <g_a, g_b> with g_a the gradient of sample a's cross-entropy = ||mean gradient||^2,
 * from one backward pass (BN statistics treated as the kernel kind says). NASWOT: for every ReLU, the binary
 * codes c of its units; K_H[a][b] counts units where samples a and b agree; score = log |det K_H|.
 */
function baselines(
  network: Network,
  inputs: InputSet,
  kind: KernelKind,
  backend: NumericBackend,
): { knas: number; naswot: number } {
  const { count: n, size } = inputs;
  const data = backend.alloc(inputs.pixels.length);
  normalisePixels(inputs.pixels, inputs.dataset, data);
  const tape = new Tape(backend);
  const agree = new Float64Array(n * n);
  tape.reluObserver = (t) => {
    const plane = t.h * t.w;
    for (let c = 0; c < t.c; c++) {
      for (let p = 0; p < plane; p++) {
        for (let a = 0; a < n; a++) {
          const ca = t.data[(c * n + a) * plane + p] > 0;
          for (let b = a; b < n; b++) {
            if (ca === t.data[(c * n + b) * plane + p] > 0) agree[a * n + b] += 1;
          }
        }
      }
    }
  };
  const logits = network.forward(tape, tape.leaf({ c: 3, b: n, h: size, w: size, data }));
  tape.reluObserver = undefined;
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) agree[a * n + b] = agree[b * n + a];
  const { dLogits } = softmaxCrossEntropy(logits.t.data, network.config.classes, inputs.labels);
  const seed = backend.alloc(dLogits.length);
  seed.set(dLogits);
  let squared = 0;
  const spec: GradSpec = {
    directions: 1,
    paramRows: 'per-direction',
    bnStatistics: kind === 'exact' ? 'batch' : 'constant',
    onParamGrad: (_p, rows) => {
      for (let i = 0; i < rows.length; i++) squared += rows[i] * rows[i];
    },
  };
  tape.backward(logits, seed, spec);
  return { knas: squared, naswot: logAbsDeterminant(agree, n) };
}

type Network = ReturnType<typeof buildNetwork>;
