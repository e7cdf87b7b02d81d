import type { Cell, OpName } from '../space';
import type { NumericBackend } from './engine/backend';
import type { Tape, Var } from './engine/tape';
import { makeParam, type Param } from './engine/tensor';
import { addN } from './ops/add';
import { avgPool2x2 } from './ops/avgPool2x2';
import { avgPool3x3 } from './ops/avgPool3x3';
import { batchNorm } from './ops/batchNorm';
import { conv2d } from './ops/conv2d';
import { globalAvgPool } from './ops/globalAvgPool';
import { linear } from './ops/linear';
import { relu } from './ops/relu';
import { Rng } from './rng';
import { lookupTable } from '../lookupTable';

/** Macro skeleton of the network (NAS-Bench-201's TinyNetwork): stem channels C, N cells per stage. */
export interface NetworkSize {
  readonly channels: number;
  readonly cellsPerStage: number;
}

/** `full` is the benchmark's own network (Dong & Yang, ICLR 2020); `proxy` a cheap stand-in for sweeps. */
export const NETWORK_SIZES = lookupTable({
  full: { channels: 16, cellsPerStage: 5 },
  proxy: { channels: 8, cellsPerStage: 1 },
} as const satisfies Record<string, NetworkSize>);
export type NetworkSizeName = keyof typeof NETWORK_SIZES;

export interface NetworkConfig extends NetworkSize {
  readonly classes: number;
  /** Input height = width: 32 for CIFAR, 16 for ImageNet16-120. */
  readonly inputSize: number;
}

/** A convolution or the classifier: the layers zero-cost proxies score (NASLib's `nn.Conv2d` / `nn.Linear`). */
export interface WeightLayer {
  readonly kind: 'conv' | 'linear';
  readonly weight: Param;
  /** The classifier's bias (NAS-Bench-201's convolutions have none). */
  readonly bias?: Param;
}

export interface NetworkBuildOptions {
  /**
   * false: every BatchNorm passes its input through unchanged (its parameters still exist, so parameter order and
   * count are the same), as NASLib's `get_prunable_copy(bn=False)` makes them for SynFlow. Default true.
   */
  readonly batchNorm?: boolean;
}

export interface Network {
  readonly cell: Cell;
  readonly config: NetworkConfig;
  /** All parameters in creation order (the order tools/ntk_reference.py loads them in). */
  readonly params: readonly Param[];
  /** Every convolution and the classifier, in creation order. */
  readonly layers: readonly WeightLayer[];
  /** Logits [classes][B][1][1] for input [3][B][H][W]; BN normalises each of `bnGroups` equal batch slices apart. */
  forward(tape: Tape, input: Var, bnGroups?: number): Var;
  /**
   * The activations global pooling reads ([4C][B][H/4][W/4], after the last BN and ReLU): what NASLib's
   * `forward_before_global_avg_pool` returns (a hook on AdaptiveAvgPool2d's input), for Zen-NAS.
   */
  featuresBeforePool(tape: Tape, input: Var, bnGroups?: number): Var;
}

type Layer = (tape: Tape, x: Var, groups: number) => Var;

/**
 * Builds NAS-Bench-201's network for `cell` with seeded weights drawn like PyTorch's defaults: conv and linear
 * weights uniform in +-1/sqrt(fan_in) (kaiming_uniform with a = sqrt(5)), linear bias the same, BN gamma 1, beta 0.
 */
export function buildNetwork(
  cell: Cell,
  config: NetworkConfig,
  seed: number,
  backend: NumericBackend,
  options: NetworkBuildOptions = {},
): Network {
  const rng = new Rng(seed);
  const params: Param[] = [];
  const layers: WeightLayer[] = [];
  const withBatchNorm = options.batchNorm !== false;
  const uniformParam = (name: string, shape: number[], fanIn: number): Param => {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = backend.alloc(size);
    const bound = 1 / Math.sqrt(fanIn);
    for (let i = 0; i < size; i++) data[i] = (2 * rng.uniform() - 1) * bound;
    const p = makeParam(name, shape, data);
    params.push(p);
    return p;
  };
  const constParam = (name: string, size: number, value: number): Param => {
    const data = backend.alloc(size);
    data.fill(value);
    const p = makeParam(name, [size], data);
    params.push(p);
    return p;
  };
  const convParam = (name: string, cout: number, cin: number, k: number) => {
    const weight = uniformParam(name, [cout, cin, k, k], cin * k * k);
    layers.push({ kind: 'conv', weight });
    return weight;
  };
  /** `afterConv`: the input is a convolution's output, read by nothing but this BN (see overwriteInput). */
  const bnLayer = (name: string, c: number, afterConv = false): Layer => {
    const gamma = constParam(`${name}.weight`, c, 1);
    const beta = constParam(`${name}.bias`, c, 0);
    if (!withBatchNorm) return (_tape, x) => x;
    return (tape, x, groups) => batchNorm(tape, x, gamma, beta, { groups, overwriteInput: afterConv });
  };
  /** ReLU -> conv(k, stride, pad (k-1)/2, no bias) -> BN: NAS-Bench-201's ReLUConvBN. */
  const reluConvBn = (name: string, cin: number, cout: number, k: number, stride: number): Layer => {
    const w = convParam(`${name}.op.1.weight`, cout, cin, k);
    const bn = bnLayer(`${name}.op.2`, cout, true);
    return (tape, x, groups) => bn(tape, conv2d(tape, relu(tape, x), w, stride, (k - 1) / 2), groups);
  };
  const edgeLayer = (name: string, op: OpName, c: number): Layer | null => {
    switch (op) {
      case 'none':
        return null;
      case 'skip_connect':
        return (_tape, x) => x;
      case 'avg_pool_3x3':
        return (tape, x) => avgPool3x3(tape, x);
      case 'nor_conv_1x1':
        return reluConvBn(name, c, c, 1, 1);
      case 'nor_conv_3x3':
        return reluConvBn(name, c, c, 3, 1);
    }
  };
  const cellLayer = (name: string, c: number): Layer => {
    const edges = cell.map((op, k) => edgeLayer(`${name}.edges.${k}`, op, c));
    // Edge k of the cell goes from node FROM[k] to node TO[k] (EDGES order 0->1, 0->2, 1->2, 0->3, 1->3, 2->3).
    const FROM = [0, 0, 1, 0, 1, 2];
    const TO = [1, 2, 2, 3, 3, 3];
    return (tape, x, groups) => {
      const nodes: Var[] = [x];
      for (let j = 1; j <= 3; j++) {
        const terms: Var[] = [];
        edges.forEach((layer, k) => {
          if (TO[k] === j && layer) terms.push(layer(tape, nodes[FROM[k]], groups));
        });
        // A node with only `none` inputs is zero (NAS-Bench-201 multiplies by 0): a constant without gradient.
        nodes.push(
          terms.length
            ? terms.length === 1
              ? terms[0]
              : addN(tape, terms)
            : tape.leaf({ ...x.t, data: tape.backend.alloc(x.t.data.length) }),
        );
      }
      return nodes[3];
    };
  };
  /** Residual reduction block: ReLUConvBN(3x3, stride 2) -> ReLUConvBN(3x3) plus avgpool2x2 -> conv1x1 shortcut. */
  const reductionLayer = (name: string, cin: number, cout: number): Layer => {
    const a = reluConvBn(`${name}.conv_a`, cin, cout, 3, 2);
    const b = reluConvBn(`${name}.conv_b`, cout, cout, 3, 1);
    const shortcut = convParam(`${name}.downsample.1.weight`, cout, cin, 1);
    return (tape, x, groups) => {
      const main = b(tape, a(tape, x, groups), groups);
      const side = conv2d(tape, avgPool2x2(tape, x), shortcut, 1, 0);
      return addN(tape, [side, main]);
    };
  };

  const { channels: C, cellsPerStage: N, classes } = config;
  const stemWeight = convParam('stem.0.weight', C, 3, 3);
  const stemBn = bnLayer('stem.1', C, true);
  const body: Layer[] = [];
  let cPrev = C;
  let index = 0;
  [C, 2 * C, 4 * C].forEach((c, stage) => {
    if (stage > 0) body.push(reductionLayer(`cells.${index++}`, cPrev, c));
    for (let i = 0; i < N; i++) body.push(cellLayer(`cells.${index++}`, c));
    cPrev = c;
  });
  const lastBn = bnLayer('lastact.0', cPrev);
  const classifierWeight = uniformParam('classifier.weight', [classes, cPrev], cPrev);
  const classifierBias = uniformParam('classifier.bias', [classes], cPrev);
  layers.push({ kind: 'linear', weight: classifierWeight, bias: classifierBias });

  return {
    cell,
    config,
    params,
    layers,
    forward: (tape, input, bnGroups = 1) =>
      linear(tape, globalAvgPool(tape, featuresBeforePool(tape, input, bnGroups)), classifierWeight, classifierBias),
    featuresBeforePool,
  };

  function featuresBeforePool(tape: Tape, input: Var, bnGroups = 1): Var {
    if (input.t.c !== 3 || input.t.h !== config.inputSize || input.t.w !== config.inputSize) {
      throw new RangeError(
        `network expects [3][B][${config.inputSize}][${config.inputSize}] input, got [${input.t.c}][${input.t.b}][${input.t.h}][${input.t.w}]`,
      );
    }
    let x = stemBn(tape, conv2d(tape, input, stemWeight, 1, 1), bnGroups);
    for (const layer of body) x = layer(tape, x, bnGroups);
    return relu(tape, lastBn(tape, x, bnGroups));
  }
}
