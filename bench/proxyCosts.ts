// The per-proxy cost table of `npm run bench:proxy-sweep` (issue 12): what each zero-cost proxy, each attack of
// the robust variants, and each NTK score costs per class at a network size, on one thread of this process (the
// WebAssembly back end a sweep worker uses), and what the sweep's selections cost as `proxy-sweep` computes them
// (every score of a selection on one network, sharing what it can). CPU time of the process (one thread runs), so
// the figures hold whatever else runs on the machine, up to the contention for caches and memory bandwidth.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cell } from '../src/core/space';
import type { AttackConfig } from '../src/core/ntk/attack';
import type { NumericBackend } from '../src/core/ntk/engine/backend';
import { wasmBackend } from '../src/core/ntk/engine/wasmBackend';
import type { InputSet } from '../src/core/ntk/inputs/inputSet';
import { buildNetwork, NETWORK_SIZES, type NetworkSizeName } from '../src/core/ntk/network';
import { PROXY_ATTACK_NAMES } from '../src/core/ntk/proxies/attacks';
import { createProxyContext } from '../src/core/ntk/proxies/definition';
import { PROXIES, ROBUST_PROXIES } from '../src/core/ntk/proxies/registry';
import { computeNtkScoresSync, type NtkOptions } from '../src/core/ntk/scores';
import { DATASET_SHAPE } from '../src/core/space';

/** The single-threaded WebAssembly back end of a sweep worker (dist/ntk-worker.js embeds the same builds). */
export function workerBackend(root: string): NumericBackend {
  const build = (name: string) => readFileSync(join(root, 'wasm/build', name));
  return wasmBackend(
    {
      plain: build('kernels.wasm'),
      threads: build('kernels-threads.wasm'),
      fma: build('kernels-fma.wasm'),
      threadsFma: build('kernels-threads-fma.wasm'),
    },
    { threads: 1 },
  );
}

/** CPU milliseconds (all threads of the process) that `f` takes. */
function cpuMs(f: () => void): number {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export interface CostRow {
  readonly what: string;
  /** Mean CPU milliseconds per class. */
  readonly ms: number;
}

export interface SelectionCost {
  readonly name: string;
  readonly scores: number;
  readonly ms: number;
}

/**
 * Per class, averaged over `cells`: each clean proxy alone on a fresh network, each attack alone, each robust
 * variant alone on its precomputed attacked inputs, the NTK kernels (with their attack) and the baselines; then each
 * selection as one sweep job computes it.
 */
export function measureProxyCosts(
  cells: readonly Cell[],
  sizeName: NetworkSizeName,
  inputs: InputSet,
  ntk: Omit<NtkOptions, 'variants' | 'baselines' | 'proxies' | 'size'>,
  selections: readonly { name: string; variants: NtkOptions['variants']; baselines: boolean; zc: string[] }[],
  backend: NumericBackend,
  perProxy = true,
): { rows: CostRow[]; selections: SelectionCost[] } {
  const size = NETWORK_SIZES[sizeName];
  const { classes, inputSize } = DATASET_SHAPE[inputs.dataset];
  const totals = new Map<string, number>();
  const add = (what: string, ms: number) => totals.set(what, (totals.get(what) ?? 0) + ms);
  const selectionTotals = new Map<string, number>();
  for (const cell of cells) {
    const network = () =>
      buildNetwork(
        cell,
        { channels: size.channels, cellsPerStage: size.cellsPerStage, classes, inputSize },
        ntk.seed,
        backend,
      );
    if (perProxy) measureAlone(cell, network, inputs, ntk, sizeName, backend, add);
    for (const s of selections) {
      const ms = cpuMs(() =>
        computeNtkScoresSync(cell, {
          options: {
            ...ntk,
            size: sizeName,
            variants: s.variants,
            baselines: s.baselines,
            ...(s.zc.length ? { proxies: s.zc } : {}),
          },
          inputs,
          backend,
        }),
      );
      selectionTotals.set(s.name, (selectionTotals.get(s.name) ?? 0) + ms);
    }
  }
  return {
    rows: [...totals].map(([what, ms]) => ({ what, ms: ms / cells.length })),
    selections: selections.map((s) => ({
      name: s.name,
      scores: s.variants.length * 5 + (s.baselines ? 2 : 0) + s.zc.length,
      ms: selectionTotals.get(s.name)! / cells.length,
    })),
  };
}

/** Each score alone: every clean proxy, attack and robust variant on its own context, the NTK parts. */
function measureAlone(
  cell: Cell,
  network: () => ReturnType<typeof buildNetwork>,
  inputs: InputSet,
  ntk: Omit<NtkOptions, 'variants' | 'baselines' | 'proxies' | 'size'>,
  sizeName: NetworkSizeName,
  backend: NumericBackend,
  add: (what: string, ms: number) => void,
): void {
  for (const proxy of PROXIES) {
    const context = createProxyContext(network(), inputs, backend, ntk.seed);
    add(
      proxy.id,
      cpuMs(() => proxy.compute(context)),
    );
    backend.reset();
  }
  for (const attack of PROXY_ATTACK_NAMES) {
    const context = createProxyContext(network(), inputs, backend, ntk.seed);
    add(
      `attack ${attack}`,
      cpuMs(() => context.adversarial(attack)),
    );
    for (const variant of ROBUST_PROXIES.filter((p) => p.id.endsWith(`@${attack}`))) {
      // A fresh context on the same attacked pixels: the variant alone, without the attack.
      const attacked = context.adversarial(attack);
      const alone = createProxyContext(attacked.network, attacked.inputs, backend, ntk.seed);
      add(
        variant.id,
        cpuMs(() => variant.compute({ ...alone, adversarial: () => alone })),
      );
    }
    backend.reset();
  }
  const ntkRun = (options: Pick<NtkOptions, 'variants' | 'baselines' | 'proxies'>) =>
    computeNtkScoresSync(cell, { options: { ...ntk, size: sizeName, ...options }, inputs, backend });
  add(
    `ntk:clean + ntk:robust (${describeAttack(ntk.attack)})`,
    cpuMs(() => ntkRun({ variants: ['clean', 'robust'], baselines: false })),
  );
  add(
    'ntk:knas + ntk:naswot',
    cpuMs(() => ntkRun({ variants: [], baselines: true })),
  );
}

export function describeAttack(a: AttackConfig): string {
  return `${a.kind.toUpperCase()} ${Math.round(a.eps * 255)}/255`;
}
