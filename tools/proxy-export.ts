// Exports one zero-cost-proxy problem from our engine as JSON for tools/proxy_reference.py: the cell, network
// size, every parameter (creation order), the normalised inputs in PyTorch's [n][3][H][W] layout, labels, and our
// engine's value of every registered proxy (src/core/ntk/proxies/registry.ts), so PyTorch can recompute them.
//   npx tsx tools/proxy-export.ts --arch '<arch string>' --dataset cifar10 --channels 8 --cells 1 --n 8 --seed 1 > problem.json
import { parseArgs } from 'node:util';
import { DATASET_SHAPE, isOpName, parseCellEncoding, type DatasetId } from '../src/core/space';
import { jsBackend } from '../src/core/ntk/engine/jsBackend';
import { normalisePixels } from '../src/core/ntk/inputs/inputSet';
import { syntheticInputs } from '../src/core/ntk/inputs/synthetic';
import { buildNetwork } from '../src/core/ntk/network';
import { createProxyContext } from '../src/core/ntk/proxies/definition';
import { attackStart } from '../src/core/ntk/attack';
import { PROXY_ATTACK_NAMES, PROXY_ATTACKS, proxyAttackConfig } from '../src/core/ntk/proxies/attacks';
import { PROXIES, ROBUST_PROXIES } from '../src/core/ntk/proxies/registry';
import { zenDraw } from '../src/core/ntk/proxies/zen';
import { NORMALISATION } from '../src/core/ntk/inputs/inputSet';

export interface ProxyProblem {
  arch: string;
  cell: string[];
  dataset: DatasetId;
  channels: number;
  cellsPerStage: number;
  classes: number;
  inputSize: number;
  n: number;
  seed: number;
  params: { name: string; shape: number[]; values: number[] }[];
  /** Normalised inputs, [n][3][H][W] flattened. */
  inputs: number[];
  labels: number[];
  /** Our engine's value per proxy id, robust variants (`zc:snip@pgd8`) included. */
  ours: Record<string, number>;
  /** The clean pixels ([0, 1], [n][3][H][W]) and the dataset's per-channel mean/std, for the attacks. */
  pixels: number[];
  normalisation: { mean: readonly number[]; std: readonly number[] };
  /**
   * Each robust variant's attack (attacks.ts), its starting point ([n][3][H][W]; PGD's seeded random start) and
   * the attacked pixels our engine computed from it.
   */
  attacks: Record<
    string,
    { kind: 'fgsm' | 'pgd'; eps: number; stepSize: number; steps: number; start: number[]; adversarial: number[] }
  >;
  /** Zen-NAS's Gaussian draw (proxies/zen.ts zenDraw): every parameter in creation order, and both input batches. */
  zen: { params: number[][]; input: number[]; mixup: number[] };
}

/** Builds the problem with the JS back end (the reference arithmetic; WASM matches it bit for bit). */
export function exportProxyProblem(
  cellText: string,
  dataset: DatasetId,
  channels: number,
  cellsPerStage: number,
  n: number,
  seed: number,
): ProxyProblem {
  const parsed = parseCellEncoding(cellText);
  if (!parsed.ok || parsed.kind === 'index') throw new Error(`not an architecture string or op code: ${cellText}`);
  const { classes, inputSize } = DATASET_SHAPE[dataset];
  const backend = jsBackend();
  const net = buildNetwork(parsed.cell, { channels, cellsPerStage, classes, inputSize }, seed, backend);
  const inputs = syntheticInputs(dataset, n, seed);
  const norm = normalisePixels(inputs.pixels, dataset);
  const plane = inputSize * inputSize;
  const toTorch = (a: ArrayLike<number>): number[] => {
    const out: number[] = [];
    for (let s = 0; s < n; s++)
      for (let c = 0; c < 3; c++) for (let p = 0; p < plane; p++) out.push(a[(c * n + s) * plane + p]);
    return out;
  };
  const torchLayout = toTorch(norm);
  const context = createProxyContext(net, inputs, backend, seed);
  const attacks = Object.fromEntries(
    PROXY_ATTACK_NAMES.map((name) => {
      const config = proxyAttackConfig(name);
      const start = toTorch(attackStart(inputs.pixels, config, seed));
      const adversarial = toTorch(context.adversarial(name).inputs.pixels);
      return [
        name,
        {
          kind: PROXY_ATTACKS[name].kind,
          eps: config.eps,
          stepSize: config.stepSize,
          steps: config.steps,
          start,
          adversarial,
        },
      ];
    }),
  );
  const gaussian = buildNetwork(parsed.cell, { channels, cellsPerStage, classes, inputSize }, seed, backend);
  const draw = zenDraw(gaussian, n, seed);
  const zen = {
    params: gaussian.params.map((p) => [...p.data]),
    input: toTorch(draw.input),
    mixup: toTorch(draw.mixup),
  };
  return {
    arch: cellText,
    cell: [...parsed.cell].filter(isOpName),
    dataset,
    channels,
    cellsPerStage,
    classes,
    inputSize,
    n,
    seed,
    params: net.params.map((p) => ({ name: p.name, shape: [...p.shape], values: [...p.data] })),
    inputs: torchLayout,
    labels: [...inputs.labels],
    ours: Object.fromEntries([...PROXIES, ...ROBUST_PROXIES].map((p) => [p.id, p.compute(context)])),
    pixels: toTorch(inputs.pixels),
    normalisation: NORMALISATION[dataset],
    attacks,
    zen,
  };
}

if (process.argv[1]?.endsWith('proxy-export.ts')) {
  const { values } = parseArgs({
    options: {
      arch: { type: 'string' },
      dataset: { type: 'string', default: 'cifar10' },
      channels: { type: 'string', default: '8' },
      cells: { type: 'string', default: '1' },
      n: { type: 'string', default: '8' },
      seed: { type: 'string', default: '1' },
    },
  });
  if (!values.arch) throw new Error('--arch is required');
  process.stdout.write(
    JSON.stringify(
      exportProxyProblem(
        values.arch,
        values.dataset as DatasetId,
        Number(values.channels),
        Number(values.cells),
        Number(values.n),
        Number(values.seed),
      ),
    ),
  );
}
