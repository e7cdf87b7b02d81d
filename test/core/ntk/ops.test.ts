import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsBackend } from '../../../src/core/ntk/engine/jsBackend';
import { Tape, type GradSpec } from '../../../src/core/ntk/engine/tape';
import { makeParam } from '../../../src/core/ntk/engine/tensor';
import { addN } from '../../../src/core/ntk/ops/add';
import { avgPool2x2 } from '../../../src/core/ntk/ops/avgPool2x2';
import { avgPool3x3 } from '../../../src/core/ntk/ops/avgPool3x3';
import { batchNorm, batchStatistics } from '../../../src/core/ntk/ops/batchNorm';
import { conv2d } from '../../../src/core/ntk/ops/conv2d';
import { globalAvgPool } from '../../../src/core/ntk/ops/globalAvgPool';
import { linear } from '../../../src/core/ntk/ops/linear';
import { relu } from '../../../src/core/ntk/ops/relu';
import { softmaxCrossEntropy } from '../../../src/core/ntk/ops/softmaxCrossEntropy';
import { Rng } from '../../../src/core/ntk/rng';
import { checkGradients, randomParam, randomTensor } from './gradcheck';

const rng = new Rng(1);

test('conv2d 3x3 pad 1 matches a direct convolution and its gradients match finite differences', () => {
  const x = randomTensor(rng, 2, 2, 5, 5);
  const w = randomParam(rng, 'w', [3, 2, 3, 3]);
  const tape = new Tape(jsBackend());
  const y = conv2d(tape, tape.leaf(x), w, 1, 1);
  // Direct definition at one interior and one corner position.
  const at = (co: number, b: number, i: number, j: number) => {
    let s = 0;
    for (let ci = 0; ci < 2; ci++)
      for (let ky = 0; ky < 3; ky++)
        for (let kx = 0; kx < 3; kx++) {
          const ii = i + ky - 1;
          const jj = j + kx - 1;
          if (ii < 0 || jj < 0 || ii >= 5 || jj >= 5) continue;
          s += w.data[((co * 2 + ci) * 3 + ky) * 3 + kx] * x.data[((ci * 2 + b) * 5 + ii) * 5 + jj];
        }
    return s;
  };
  for (const [co, b, i, j] of [
    [1, 1, 2, 3],
    [2, 0, 0, 0],
    [0, 1, 4, 4],
  ]) {
    assert.ok(Math.abs(y.t.data[((co * 2 + b) * 5 + i) * 5 + j] - at(co, b, i, j)) < 1e-5);
  }
  checkGradients((t, v) => conv2d(t, v, w, 1, 1), x, [w]);
});

test('conv2d stride 2 and 1x1 gradients match finite differences', () => {
  const x = randomTensor(rng, 3, 2, 6, 6);
  const w3 = randomParam(rng, 'w3', [2, 3, 3, 3]);
  checkGradients((t, v) => conv2d(t, v, w3, 2, 1), x, [w3]);
  const w1 = randomParam(rng, 'w1', [4, 3, 1, 1]);
  checkGradients((t, v) => conv2d(t, v, w1, 1, 0), x, [w1]);
});

test('conv2d rejects a channel mismatch', () => {
  const tape = new Tape(jsBackend());
  assert.throws(
    () => conv2d(tape, tape.leaf(randomTensor(rng, 2, 1, 4, 4)), randomParam(rng, 'w', [2, 3, 3, 3]), 1, 1),
    /3/,
  );
});

test('batchNorm normalises each channel and group; gradients through batch statistics match finite differences', () => {
  const x = randomTensor(rng, 2, 4, 3, 3, 2);
  const gamma = randomParam(rng, 'g', [2]);
  const beta = randomParam(rng, 'b', [2]);
  const tape = new Tape(jsBackend());
  const y = batchNorm(
    tape,
    tape.leaf(x),
    makeParam('one', [2], new Float32Array([1, 1])),
    makeParam('zero', [2], new Float32Array(2)),
    { groups: 2 },
  );
  // Each (channel, group) slice has mean 0 and biased variance ~1 after normalisation.
  for (let c = 0; c < 2; c++)
    for (let g = 0; g < 2; g++) {
      const slice = y.t.data.subarray((c * 4 + g * 2) * 9, (c * 4 + g * 2 + 2) * 9);
      const mean = slice.reduce((a, v) => a + v, 0) / slice.length;
      const variance = slice.reduce((a, v) => a + (v - mean) ** 2, 0) / slice.length;
      assert.ok(Math.abs(mean) < 1e-5 && Math.abs(variance - 1) < 1e-3, `mean ${mean} variance ${variance}`);
    }
  checkGradients((t, v) => batchNorm(t, v, gamma, beta), x, [gamma, beta]);
  checkGradients((t, v) => batchNorm(t, v, gamma, beta, { groups: 2 }), x, [gamma, beta]);
});

test('batchNorm with constant statistics is the gradient of BN with frozen statistics', () => {
  const x = randomTensor(rng, 2, 3, 2, 2, 2);
  const gamma = randomParam(rng, 'g', [2]);
  const beta = randomParam(rng, 'b', [2]);
  const frozen = batchStatistics(x);
  checkGradients((t, v) => batchNorm(t, v, gamma, beta, { frozen }), x, [gamma, beta], { bnStatistics: 'constant' });
});

test('relu, add, global pool and linear gradients match finite differences', () => {
  const x = randomTensor(rng, 3, 2, 4, 4);
  checkGradients((t, v) => relu(t, v), x, []);
  checkGradients((t, v) => addN(t, [relu(t, v), v, v]), x, []);
  checkGradients((t, v) => globalAvgPool(t, v), x, []);
  const w = randomParam(rng, 'w', [5, 3]);
  const b = randomParam(rng, 'b', [5]);
  checkGradients((t, v) => linear(t, globalAvgPool(t, v), w, b), x, [w, b]);
});

test('avgPool3x3 excludes padding from the count (border divides by 4 or 6) and its gradient matches', () => {
  const x = { c: 1, b: 1, h: 3, w: 3, data: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]) };
  const tape = new Tape(jsBackend());
  const y = avgPool3x3(tape, tape.leaf(x)).t.data;
  assert.equal(y[0], (1 + 2 + 4 + 5) / 4);
  assert.equal(y[1], (1 + 2 + 3 + 4 + 5 + 6) / 6);
  assert.equal(y[4], 45 / 9);
  checkGradients((t, v) => avgPool3x3(t, v), randomTensor(rng, 2, 2, 5, 4), []);
});

test('avgPool2x2 averages 2x2 blocks and rejects odd sizes', () => {
  const x = { c: 1, b: 1, h: 2, w: 2, data: new Float32Array([1, 2, 3, 6]) };
  const tape = new Tape(jsBackend());
  assert.equal(avgPool2x2(tape, tape.leaf(x)).t.data[0], 3);
  checkGradients((t, v) => avgPool2x2(t, v), randomTensor(rng, 2, 2, 4, 6), []);
  assert.throws(() => avgPool2x2(tape, tape.leaf(randomTensor(rng, 1, 1, 3, 3))), /even/);
});

test('softmaxCrossEntropy gradient matches finite differences and labels are validated', () => {
  const logits = randomTensor(rng, 4, 3, 1, 1, 3).data;
  const labels = [0, 3, 1];
  const { dLogits } = softmaxCrossEntropy(logits, 4, labels);
  for (let i = 0; i < logits.length; i++) {
    const l = Float64Array.from(logits);
    const f = (v: number) => {
      const z = new Float32Array(l);
      z[i] = v;
      return softmaxCrossEntropy(z, 4, labels).loss;
    };
    const numeric = (f(l[i] + 1e-2) - f(l[i] - 1e-2)) / 2e-2;
    assert.ok(Math.abs(numeric - dLogits[i]) < 1e-3, `logit ${i}: ${dLogits[i]} vs ${numeric}`);
  }
  assert.throws(() => softmaxCrossEntropy(logits, 4, [0, 4, 1]), /outside 0..3/);
});

test('D directions at once equal D separate backward passes (exact-mode batching)', () => {
  const x = randomTensor(rng, 2, 3, 4, 4);
  const w = randomParam(rng, 'w', [2, 2, 3, 3]);
  const gamma = randomParam(rng, 'g', [2]);
  const beta = randomParam(rng, 'b', [2]);
  const build = (t: Tape) => {
    const xv = t.leaf(x, true);
    return { xv, y: batchNorm(t, conv2d(t, relu(t, xv), w, 1, 1), gamma, beta) };
  };
  const D = 3;
  const n = 2 * 3 * 16;
  const seeds = Array.from({ length: D }, () => randomTensor(rng, 1, 1, 1, n).data);
  const batched = new Tape(jsBackend());
  const { xv, y } = build(batched);
  const seed = new Float32Array(D * n);
  // [C][D][B][H][W]: direction d's copy of channel c sits at (c*D + d)*B*H*W.
  for (let d = 0; d < D; d++)
    for (let c = 0; c < 2; c++) seed.set(seeds[d].subarray(c * 48, (c + 1) * 48), (c * D + d) * 48);
  const rows = new Map<string, Float32Array>();
  const spec = (dirs: number): GradSpec => ({
    directions: dirs,
    paramRows: 'per-direction',
    bnStatistics: 'batch',
    onParamGrad: (p, r) => rows.set(p.name, r.slice()),
  });
  const dx = batched.backward(y, seed, spec(D), [xv]).get(xv.id)!;
  const batchedRows = new Map(rows);
  for (let d = 0; d < D; d++) {
    const single = new Tape(jsBackend());
    const s = build(single);
    const dxd = single.backward(s.y, seeds[d].slice(), spec(1), [s.xv]).get(s.xv.id)!;
    for (let c = 0; c < 2; c++)
      for (let i = 0; i < 48; i++) assert.ok(Math.abs(dx[(c * D + d) * 48 + i] - dxd[c * 48 + i]) < 1e-5);
    for (const [name, r] of rows) {
      const size = r.length;
      const br = batchedRows.get(name)!;
      for (let i = 0; i < size; i++) assert.ok(Math.abs(br[d * size + i] - r[i]) < 1e-4, `${name} direction ${d}`);
    }
  }
});
