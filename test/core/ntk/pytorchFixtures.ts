// Our engine against PyTorch: test/fixtures/ntk/*.json hold PyTorch 1.13's float64 logits and kernels for the
// same seeded weights and synthetic inputs (written by `npm run ntk:fixtures`, tools/ntk_reference.py).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASET_SHAPE, parseArchString, type DatasetId } from '../../../src/core/space';
import type { NumericBackend } from '../../../src/core/ntk/engine/backend';
import { normalisePixels } from '../../../src/core/ntk/inputs/inputSet';
import { syntheticInputs } from '../../../src/core/ntk/inputs/synthetic';
import { forwardLogits, ntkGram } from '../../../src/core/ntk/kernel';
import { buildNetwork } from '../../../src/core/ntk/network';

interface Fixture {
  arch: string;
  dataset: DatasetId;
  channels: number;
  cellsPerStage: number;
  n: number;
  seed: number;
  weightSum: number;
  inputSum: number;
  logits: number[];
  kernels: Record<'exact' | 'fixed-bn', number[]>;
}

const FIXTURES = ['mixed-cifar10', 'conv3x3-cifar100', 'pool-skip-imagenet16', 'input-independent-cifar10'];

function maxRelativeError(ours: ArrayLike<number>, ref: readonly number[]): number {
  let maxRef = 0;
  let maxDiff = 0;
  ref.forEach((r, i) => {
    maxRef = Math.max(maxRef, Math.abs(r));
    maxDiff = Math.max(maxDiff, Math.abs(ours[i] - r));
  });
  return maxDiff / maxRef;
}

export function checkAgainstPyTorch(backend: () => NumericBackend): void {
  // The exact kernel's backward 3x3 convolutions go through Winograd (engine/winograd.ts) where the shapes allow:
  // counted, so these fixtures keep checking F(4x4, 3x3) against PyTorch (NAS-Bench-201's stages all take it).
  const winogradCalls = { 2: 0, 4: 0 };
  const counting = (inner: NumericBackend): NumericBackend => {
    const be = Object.create(inner) as NumericBackend;
    be.winogradConv = (x) => (winogradCalls[x.tile]++, inner.winogradConv.call(be, x));
    be.winogradWeightGradient = (x) => (winogradCalls[x.tile]++, inner.winogradWeightGradient.call(be, x));
    return be;
  };
  for (const name of FIXTURES) {
    const f = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../fixtures/ntk', `${name}.json`), 'utf8'),
    ) as Fixture;
    const parsed = parseArchString(f.arch);
    assert.ok(parsed.ok);
    const { classes, inputSize } = DATASET_SHAPE[f.dataset];
    const be = counting(backend());
    const net = buildNetwork(
      parsed.cell,
      { channels: f.channels, cellsPerStage: f.cellsPerStage, classes, inputSize },
      f.seed,
      be,
    );
    const inputs = syntheticInputs(f.dataset, f.n, f.seed);
    const data = normalisePixels(inputs.pixels, f.dataset);
    // The fixture was made from these exact weights and inputs; if the seeded generators change, regenerate it.
    const weightSum = net.params.reduce((s, p) => s + p.data.reduce((a, v) => a + Math.abs(v), 0), 0);
    const inputSum = data.reduce((a, v) => a + Math.abs(v), 0);
    assert.ok(
      Math.abs(weightSum / f.weightSum - 1) < 1e-6 && Math.abs(inputSum / f.inputSum - 1) < 1e-6,
      `${name}: weights or inputs changed since the fixture was made; run npm run ntk:fixtures`,
    );
    const tensor = { c: 3, b: f.n, h: inputSize, w: inputSize, data };
    const logits = forwardLogits(net, tensor, 1, be);
    const torchLayout = Array.from(
      { length: f.n * classes },
      (_, i) => logits[(i % classes) * f.n + Math.floor(i / classes)],
    );
    assert.ok(maxRelativeError(torchLayout, f.logits) < 1e-5, `${name} logits`);
    for (const kind of ['exact', 'fixed-bn'] as const) {
      const err = maxRelativeError(ntkGram(net, tensor, 1, kind, be), f.kernels[kind]);
      assert.ok(err < 1e-4, `${name} ${kind}: relative error ${err.toExponential(2)} against PyTorch`);
    }
  }
  assert.ok(winogradCalls[4] > 0, `Winograd calls by tile: ${JSON.stringify(winogradCalls)}`);
}
