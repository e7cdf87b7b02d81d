// Exports one NTK problem from our engine as JSON for tools/ntk_reference.py: the cell, network size, every
// parameter (names, shapes, values, in creation order), the normalised inputs in PyTorch's [n][3][H][W] layout,
// labels, and our engine's logits, loss gradients and both kernels, so PyTorch can recompute and compare them.
//   npx tsx tools/ntk-export.ts --arch '<arch string>' --dataset cifar10 --channels 4 --cells 1 --n 4 --seed 1 > problem.json
import { parseArgs } from 'node:util';
import { DATASET_SHAPE, isOpName, parseCellEncoding, type DatasetId } from '../src/core/space';
import { jsBackend } from '../src/core/ntk/engine/jsBackend';
import { Tape, type GradSpec } from '../src/core/ntk/engine/tape';
import { normalisePixels } from '../src/core/ntk/inputs/inputSet';
import { syntheticInputs } from '../src/core/ntk/inputs/synthetic';
import { ntkGram } from '../src/core/ntk/kernel';
import { buildNetwork } from '../src/core/ntk/network';
import { softmaxCrossEntropy } from '../src/core/ntk/ops/softmaxCrossEntropy';

export interface NtkProblem {
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
  ours: {
    logits: number[];
    lossInputGradient: number[];
    lossParamGradient: number[];
    kernels: Record<'exact' | 'fixed-bn', number[]>;
  };
}

/** Builds the problem with the JS back end (the reference arithmetic; WASM matches it bit for bit). */
export function exportProblem(
  cellText: string,
  dataset: DatasetId,
  channels: number,
  cellsPerStage: number,
  n: number,
  seed: number,
): NtkProblem {
  const parsed = parseCellEncoding(cellText);
  if (!parsed.ok || parsed.kind === 'index') throw new Error(`not an architecture string or op code: ${cellText}`);
  const cell = parsed.cell;
  const { classes, inputSize } = DATASET_SHAPE[dataset];
  const backend = jsBackend();
  const net = buildNetwork(cell, { channels, cellsPerStage, classes, inputSize }, seed, backend);
  const inputs = syntheticInputs(dataset, n, seed);
  const norm = normalisePixels(inputs.pixels, dataset);
  const plane = inputSize * inputSize;
  const torchLayout: number[] = [];
  for (let s = 0; s < n; s++)
    for (let c = 0; c < 3; c++) for (let p = 0; p < plane; p++) torchLayout.push(norm[(c * n + s) * plane + p]);
  const tensor = { c: 3, b: n, h: inputSize, w: inputSize, data: norm };

  const tape = new Tape(backend);
  const x = tape.leaf(tensor, true);
  const logits = net.forward(tape, x);
  const { dLogits } = softmaxCrossEntropy(logits.t.data, classes, inputs.labels);
  const paramGrad = new Map<string, Float32Array>();
  const spec: GradSpec = {
    directions: 1,
    paramRows: 'per-direction',
    bnStatistics: 'batch',
    onParamGrad: (p, rows) => paramGrad.set(p.name, rows.slice(0, p.size)),
  };
  // No gradient reaches the input of a cell whose output ignores it (every path passes `none`): PyTorch's is zeros.
  const dx = tape.backward(logits, dLogits, spec, [x]).get(x.id) ?? new Float32Array(norm.length);
  const dxTorch: number[] = [];
  for (let s = 0; s < n; s++)
    for (let c = 0; c < 3; c++) for (let p = 0; p < plane; p++) dxTorch.push(dx[(c * n + s) * plane + p]);
  const logitsTorch: number[] = [];
  for (let s = 0; s < n; s++) for (let k = 0; k < classes; k++) logitsTorch.push(logits.t.data[k * n + s]);

  return {
    arch: cellText,
    cell: [...cell].filter(isOpName),
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
    ours: {
      logits: logitsTorch,
      lossInputGradient: dxTorch,
      lossParamGradient: net.params.flatMap((p) => [...(paramGrad.get(p.name) ?? new Float32Array(p.size))]),
      kernels: {
        exact: [...ntkGram(net, tensor, 1, 'exact', backend)],
        'fixed-bn': [...ntkGram(net, tensor, 1, 'fixed-bn', backend)],
      },
    },
  };
}

if (process.argv[1]?.endsWith('ntk-export.ts')) {
  const { values } = parseArgs({
    options: {
      arch: { type: 'string' },
      dataset: { type: 'string', default: 'cifar10' },
      channels: { type: 'string', default: '4' },
      cells: { type: 'string', default: '1' },
      n: { type: 'string', default: '4' },
      seed: { type: 'string', default: '1' },
    },
  });
  if (!values.arch) throw new Error('--arch is required');
  process.stdout.write(
    JSON.stringify(
      exportProblem(
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
