import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArchString } from '../../../src/core/space';
import { jsBackend } from '../../../src/core/ntk/engine/jsBackend';
import { Tape, type GradSpec } from '../../../src/core/ntk/engine/tape';
import { ntkGram } from '../../../src/core/ntk/kernel';
import { buildNetwork, type NetworkConfig } from '../../../src/core/ntk/network';
import { Rng } from '../../../src/core/ntk/rng';
import { randomTensor } from './gradcheck';

const arch = '|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|nor_conv_3x3~1|avg_pool_3x3~2|';
const parsed = parseArchString(arch);
if (!parsed.ok) throw new Error('test arch does not parse');
const cell = parsed.cell;
const config: NetworkConfig = { channels: 2, cellsPerStage: 1, classes: 3, inputSize: 8 };

/** J_a = d(sum of logits of sample a)/d(params) by one backward pass with D = 1, as a flat float64 vector. */
function jacobianRow(
  a: number,
  input: ReturnType<typeof randomTensor>,
  groups: number,
  bnStatistics: 'batch' | 'constant',
): Float64Array {
  const backend = jsBackend();
  const net = buildNetwork(cell, config, 3, backend);
  const offsets = new Map<string, number>();
  let total = 0;
  for (const p of net.params) {
    offsets.set(p.name, total);
    total += p.size;
  }
  const j = new Float64Array(total);
  const tape = new Tape(backend);
  const logits = net.forward(tape, tape.leaf(input), groups);
  const seed = new Float32Array(config.classes * input.b);
  for (let k = 0; k < config.classes; k++) seed[k * input.b + a] = 1;
  const spec: GradSpec = {
    directions: 1,
    paramRows: 'per-direction',
    bnStatistics,
    onParamGrad: (p, rows) => {
      const o = offsets.get(p.name)!;
      for (let i = 0; i < p.size; i++) j[o + i] += rows[i];
    },
  };
  tape.backward(logits, seed, spec);
  return j;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

// Small steps: BN over tiny batches is strongly curved, so larger steps measure curvature, not the slope.
const H = 3e-4;
test('network Jacobian row matches finite differences of the summed logits of one sample', () => {
  const input = randomTensor(new Rng(5), 3, 3, 8, 8);
  const j = jacobianRow(1, input, 1, 'batch');
  const net = buildNetwork(cell, config, 3, jsBackend());
  const f = () => {
    const tape = new Tape(jsBackend());
    const y = net.forward(tape, tape.leaf(input)).t.data;
    let s = 0;
    for (let k = 0; k < config.classes; k++) s += y[k * input.b + 1];
    return s;
  };
  let offset = 0;
  const rng = new Rng(9);
  let checked = 0;
  for (const p of net.params) {
    for (let t = 0; t < 2; t++) {
      const i = rng.int(p.size);
      const old = p.data[i];
      p.data[i] = old + H;
      const up = f();
      p.data[i] = old - H;
      const down = f();
      p.data[i] = old;
      const numeric = (up - down) / (2 * H);
      const analytic = j[offset + i];
      assert.ok(
        Math.abs(numeric - analytic) <= 3e-3 + 1e-2 * Math.abs(numeric),
        `${p.name}[${i}]: ${analytic} vs ${numeric}`,
      );
      checked++;
    }
    offset += p.size;
  }
  assert.ok(checked > 20);
});

for (const kind of ['exact', 'fixed-bn'] as const) {
  test(`${kind} NTK equals J J^T of separately computed Jacobian rows, with BN groups kept apart`, () => {
    const input = randomTensor(new Rng(6), 3, 4, 8, 8);
    const groups = 2;
    const net = buildNetwork(cell, config, 3, jsBackend());
    const gram = ntkGram(net, input, groups, kind, jsBackend());
    const rows = [0, 1, 2, 3].map((a) => jacobianRow(a, input, groups, kind === 'exact' ? 'batch' : 'constant'));
    for (let a = 0; a < 4; a++)
      for (let b = 0; b < 4; b++) {
        const expected = dot(rows[a], rows[b]);
        assert.ok(
          Math.abs(gram[a * 4 + b] - expected) <= 1e-4 * Math.abs(gram[0]),
          `K[${a}][${b}] ${gram[a * 4 + b]} vs ${expected}`,
        );
      }
    // Symmetric positive semi-definite diagonal.
    for (let a = 0; a < 4; a++) assert.ok(gram[a * 5] > 0);
  });
}

test('exact and fixed-bn kernels differ (BN couples the samples)', () => {
  const input = randomTensor(new Rng(6), 3, 4, 8, 8);
  const net = buildNetwork(cell, config, 3, jsBackend());
  const exact = ntkGram(net, input, 1, 'exact', jsBackend());
  const fixed = ntkGram(net, input, 1, 'fixed-bn', jsBackend());
  assert.ok(Math.abs(exact[0] - fixed[0]) > 1e-3 * Math.abs(fixed[0]));
});
