// The forward-over-reverse Hessian-vector product (src/core/ntk/hvp.ts, engine/tape.ts TangentMode) against
// central finite differences of the gradient in float64, and float32 against float64. Against PyTorch's double
// backward: GraSP's fixtures (test/core/ntk/proxies/reference.test.ts), whose H g NASLib gets from
// autograd.grad(create_graph=True) + backward.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DATASET_SHAPE, parseArchString, type DatasetId } from '../../../src/core/space';
import type { NumericBackend } from '../../../src/core/ntk/engine/backend';
import { float64Backend } from '../../../src/core/ntk/engine/float64Backend';
import { jsBackend } from '../../../src/core/ntk/engine/jsBackend';
import { Tape } from '../../../src/core/ntk/engine/tape';
import type { Param, Tensor } from '../../../src/core/ntk/engine/tensor';
import { lossGradient, lossHessianVectorProduct } from '../../../src/core/ntk/hvp';
import { normalisePixels } from '../../../src/core/ntk/inputs/inputSet';
import { syntheticInputs } from '../../../src/core/ntk/inputs/synthetic';
import { buildNetwork, type Network } from '../../../src/core/ntk/network';
import { Rng } from '../../../src/core/ntk/rng';

const CELLS: readonly [string, DatasetId][] = [
  // none, skip, both pools (through the reduction blocks), 1x1 and 3x3 convolutions.
  ['|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|none~1|avg_pool_3x3~2|', 'cifar10'],
  ['|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|', 'imagenet16-120'],
];

function setUp(
  arch: string,
  dataset: DatasetId,
  backend: NumericBackend,
): { net: Network; input: Tensor; labels: Int32Array } {
  const parsed = parseArchString(arch);
  assert.ok(parsed.ok);
  const { classes, inputSize } = DATASET_SHAPE[dataset];
  const net = buildNetwork(parsed.cell, { channels: 4, cellsPerStage: 1, classes, inputSize }, 1, backend);
  const inputs = syntheticInputs(dataset, 4, 1);
  const data = normalisePixels(inputs.pixels, dataset, backend.alloc(inputs.pixels.length));
  return { net, input: { c: 3, b: 4, h: inputSize, w: inputSize, data }, labels: inputs.labels };
}

function randomDirection(
  net: Network,
  backend: NumericBackend,
  seed: number,
  only?: (p: Param) => boolean,
): Map<Param, Float32Array> {
  const rng = new Rng(seed);
  return new Map(
    net.params
      .filter((p) => !only || only(p))
      .map((p) => {
        const v = backend.alloc(p.size);
        for (let i = 0; i < p.size; i++) v[i] = rng.normal();
        return [p, v];
      }),
  );
}

/** Largest |a - b| over every parameter, relative to the largest |b|. */
function relativeError(net: Network, a: Map<Param, Float32Array>, b: (p: Param, i: number) => number): number {
  let diff = 0;
  let scale = 0;
  for (const p of net.params) {
    const x = a.get(p);
    assert.ok(x, `no H v for ${p.name}`);
    for (let i = 0; i < p.size; i++) {
      diff = Math.max(diff, Math.abs(x[i] - b(p, i)));
      scale = Math.max(scale, Math.abs(b(p, i)));
    }
  }
  return diff / scale;
}

test('H v equals central differences of the loss gradient in float64, for v on every parameter and on the 1-D ones alone', () => {
  for (const [arch, dataset] of CELLS) {
    const be = float64Backend();
    const { net, input, labels } = setUp(arch, dataset, be);
    // ReLU's kinks make the gradient only piecewise smooth: a difference quotient is valid only if no ReLU input
    // crosses 0 within the step. These seeds keep every ReLU input at least 1e-5 from 0; the step is 1e-7.
    const tape = new Tape(be);
    let margin = Infinity;
    tape.reluObserver = (t) => t.data.forEach((x) => (margin = Math.min(margin, Math.abs(x))));
    net.forward(tape, tape.leaf(input));
    assert.ok(margin > 1e-5, `${arch}: a ReLU input ${margin} from its kink; pick another seed`);
    for (const [seed, only] of [
      [1, undefined],
      [2, (p: Param) => p.shape.length === 1],
    ] as const) {
      const v = randomDirection(net, be, seed, only);
      const hv = lossHessianVectorProduct(net, input, labels, v, be);
      const h = 1e-7;
      const shift = (sign: number) =>
        v.forEach((d, p) => {
          for (let i = 0; i < p.size; i++) p.data[i] += sign * h * d[i];
        });
      shift(1);
      const plus = lossGradient(net, input, labels, be);
      shift(-2);
      const minus = lossGradient(net, input, labels, be);
      shift(1);
      const err = relativeError(net, hv, (p, i) => (plus.get(p)![i] - minus.get(p)![i]) / (2 * h));
      assert.ok(err < 1e-6, `${arch} ${only ? '1-D parameters' : 'all'}: relative error ${err.toExponential(2)}`);
    }
  }
});

test('H v in float32 (the JS back end) agrees with float64 on the same weights', () => {
  for (const [arch, dataset] of CELLS) {
    const f32 = jsBackend();
    const f64 = float64Backend();
    const a = setUp(arch, dataset, f32);
    const b = setUp(arch, dataset, f64);
    // The float64 build draws unrounded weights: give it the float32 ones.
    b.net.params.forEach((p, k) => p.data.set(a.net.params[k].data));
    b.input.data.set(a.input.data);
    const va = randomDirection(a.net, f32, 3);
    const vb = new Map(
      b.net.params.map((p, k) => [p, Float64Array.from(va.get(a.net.params[k])!) as unknown as Float32Array]),
    );
    const ha = lossHessianVectorProduct(a.net, a.input, a.labels, va, f32);
    const hb = lossHessianVectorProduct(b.net, b.input, b.labels, vb, f64);
    const byName = new Map(b.net.params.map((p) => [p.name, hb.get(p)!]));
    const err = relativeError(a.net, ha, (p, i) => byName.get(p.name)![i]);
    assert.ok(err < 1e-4, `${arch}: float32 vs float64 relative error ${err.toExponential(2)}`);
  }
});

test('a tangent-mode backward pass refuses anything but 2 per-direction directions', () => {
  const be = jsBackend();
  const { net, input } = setUp(CELLS[0][0], 'cifar10', be);
  const tape = new Tape(be);
  tape.tangentMode = { paramTangent: () => null };
  const logits = net.forward(tape, tape.leaf(input));
  const seed = be.alloc(logits.t.data.length);
  seed.fill(1);
  assert.throws(
    () =>
      tape.backward(logits, seed, {
        directions: 1,
        paramRows: 'per-direction',
        bnStatistics: 'batch',
        onParamGrad: () => {},
      }),
    /2 directions/,
  );
});
