// What several proxies compute once and share (src/core/ntk/proxies/definition.ts, compute.ts, scores.ts) gives
// exactly the numbers each proxy computes alone: the loss-gradient pass (grad_norm, snip, fisher, plain, GraSP's g,
// FGSM's step), the input Jacobian (jacob_cov, EPE-NAS), each attack (every robust variant on it), the NTK scorer's
// X' (the robust variants on its attack), and the release of each proxy's buffers before the next.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DATASET_SHAPE, parseArchString, type Cell, type DatasetId } from '../../../../src/core/space';
import { attackPixels, defaultAttack } from '../../../../src/core/ntk/attack';
import type { NumericBackend } from '../../../../src/core/ntk/engine/backend';
import { jsBackend } from '../../../../src/core/ntk/engine/jsBackend';
import { wasmBackend } from '../../../../src/core/ntk/engine/wasmBackend';
import { normalisePixels } from '../../../../src/core/ntk/inputs/inputSet';
import { syntheticInputs } from '../../../../src/core/ntk/inputs/synthetic';
import { buildNetwork } from '../../../../src/core/ntk/network';
import { PROXY_ATTACK_NAMES, proxyAttackConfig } from '../../../../src/core/ntk/proxies/attacks';
import { proxyValues } from '../../../../src/core/ntk/proxies/compute';
import { createProxyContext } from '../../../../src/core/ntk/proxies/definition';
import { grasp } from '../../../../src/core/ntk/proxies/grasp';
import { PROXY_IDS, ROBUST_PROXY_IDS } from '../../../../src/core/ntk/proxies/registry';
import { computeNtkScoresSync } from '../../../../src/core/ntk/scores';
import { kernelsWasmBytes } from '../wasmKernels';

const CELLS = [
  // Mixed, with a `none` edge.
  '|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|none~1|avg_pool_3x3~2|',
  // Some layers get no gradient (their outputs only feed `none` edges).
  '|nor_conv_1x1~0|+|none~0|none~1|+|nor_conv_3x3~0|skip_connect~1|none~2|',
  // The output ignores the input: zero input gradients, FGSM moves nothing.
  '|none~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|avg_pool_3x3~2|',
];
const SIZE = { channels: 2, cellsPerStage: 1 };
const SEED = 5;

function cellOf(arch: string): Cell {
  const parsed = parseArchString(arch);
  assert.ok(parsed.ok);
  return parsed.cell;
}

function networkFor(cell: Cell, dataset: DatasetId, backend: NumericBackend) {
  const { classes, inputSize } = DATASET_SHAPE[dataset];
  return buildNetwork(cell, { ...SIZE, classes, inputSize }, SEED, backend);
}

function checkSharedEqualsAlone(makeBackend: () => NumericBackend, dataset: DatasetId, cells: string[]): void {
  const ids = [...PROXY_IDS, ...ROBUST_PROXY_IDS];
  const inputs = syntheticInputs(dataset, 4, 2);
  for (const arch of cells) {
    const cell = cellOf(arch);
    const backend = makeBackend();
    const shared = proxyValues(networkFor(cell, dataset, backend), inputs, backend, SEED, ids);
    backend.reset();
    for (const id of ids) {
      const alone = proxyValues(networkFor(cell, dataset, backend), inputs, backend, SEED, [id])[id];
      backend.reset();
      assert.ok(Object.is(shared[id], alone), `${arch} ${dataset} ${id}: shared ${shared[id]}, alone ${alone}`);
    }
  }
}

test('every proxy and robust variant computed with all the others equals the proxy computed alone, exactly', () => {
  checkSharedEqualsAlone(jsBackend, 'cifar10', CELLS);
});

test('on the WebAssembly back end too, where each proxy releases its buffers before the next (mark / releaseTo)', () => {
  // A small heap: the release is what lets every proxy run in it one after another.
  checkSharedEqualsAlone(
    () => wasmBackend(kernelsWasmBytes(), { memoryBytes: 64 * 2 ** 20 }),
    'cifar100',
    CELLS.slice(0, 1),
  );
});

test("GraSP on the shared loss-gradient pass equals GraSP with its own first pass (NASLib's grad_w_p), exactly", () => {
  const backend = jsBackend();
  for (const arch of CELLS) {
    const network = networkFor(cellOf(arch), 'cifar10', backend);
    const inputs = syntheticInputs('cifar10', 6, 3);
    const data = normalisePixels(inputs.pixels, 'cifar10', backend.alloc(inputs.pixels.length));
    const own = grasp(network, { c: 3, b: 6, h: 32, w: 32, data }, inputs.labels, backend);
    const shared = proxyValues(network, inputs, backend, SEED, ['zc:grad_norm', 'zc:grasp'])['zc:grasp'];
    assert.ok(Object.is(shared, own), `${arch}: ${shared} vs ${own}`);
  }
});

test("FGSM's step from the clean loss-gradient pass gives the pixels attackPixels computes with its own gradient", () => {
  const backend = jsBackend();
  for (const arch of CELLS) {
    const network = networkFor(cellOf(arch), 'cifar10', backend);
    const inputs = syntheticInputs('cifar10', 6, 4);
    const context = createProxyContext(network, inputs, backend, SEED);
    for (const attack of PROXY_ATTACK_NAMES) {
      const own = attackPixels(network, inputs, inputs.pixels, proxyAttackConfig(attack), SEED, backend);
      assert.deepEqual(context.adversarial(attack).inputs.pixels, own, `${arch} ${attack}`);
    }
  }
});

test("the NTK scorer's X' is reused by the robust variants on its attack, with the values they have alone", () => {
  const backend = jsBackend();
  const inputs = syntheticInputs('cifar10', 6, 1);
  const ids = ['zc:snip', 'zc:snip@pgd8', 'zc:grasp@pgd8', 'zc:jacob_cov@fgsm8', 'zc:fisher@pgd3'];
  for (const arch of CELLS) {
    const cell = cellOf(arch);
    for (const attack of [
      defaultAttack('pgd', 8),
      defaultAttack('fgsm', 8),
      { ...defaultAttack('pgd', 8), steps: 3 },
    ]) {
      const result = computeNtkScoresSync(cell, {
        options: {
          size: SIZE,
          kernel: 'fixed-bn',
          variants: ['robust'],
          attack,
          tradeOff: 0.5,
          seed: SEED,
          baselines: false,
          proxies: ids,
        },
        inputs,
        backend,
      });
      const alone = proxyValues(networkFor(cell, 'cifar10', backend), inputs, backend, SEED, ids);
      backend.reset();
      assert.deepEqual(result.proxies, alone, `${arch} ${attack.kind} ${attack.steps}`);
    }
  }
});
