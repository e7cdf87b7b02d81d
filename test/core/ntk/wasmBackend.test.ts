import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArchString } from '../../../src/core/space';
import type { GemmArgs, NumericBackend } from '../../../src/core/ntk/engine/backend';
import { gemmJs } from '../../../src/core/ntk/engine/gemmJs';
import { packedIndex, packedSize } from '../../../src/core/ntk/engine/im2col';
import { jsBackend } from '../../../src/core/ntk/engine/jsBackend';
import { relaxedSimdAvailable, wasmBackend, wasmSimdSupported } from '../../../src/core/ntk/engine/wasmBackend';
import { syntheticInputs } from '../../../src/core/ntk/inputs/synthetic';
import { computeNtkScoresSync, NTK_VARIANTS } from '../../../src/core/ntk/scores';
import { defaultAttack } from '../../../src/core/ntk/attack';
import { Rng } from '../../../src/core/ntk/rng';
import { checkAgainstPyTorch } from './pytorchFixtures';
import { allKernelsWasmBinaries, kernelsWasmBytes } from './wasmKernels';

const bytes = kernelsWasmBytes();

test('this Node validates the SIMD128 kernels', () => {
  assert.ok(wasmSimdSupported(bytes));
  assert.equal(wasmSimdSupported(new Uint8Array([0, 1, 2])), false);
});

test('WebAssembly sgemm is bit-identical to the TypeScript fallback for every transpose, odd sizes, offsets, alpha and beta', () => {
  const rng = new Rng(3);
  const be = wasmBackend(bytes, { memoryBytes: 64 * 2 ** 20 });
  for (let trial = 0; trial < 60; trial++) {
    const transA = trial % 2 === 1;
    const transB = Math.floor(trial / 2) % 2 === 1;
    const m = 1 + rng.int(13);
    const n = 1 + rng.int(37);
    const k = 1 + (trial % 7 === 0 ? 300 + rng.int(300) : rng.int(40));
    const lda = (transA ? m : k) + rng.int(3);
    const ldb = (transB ? k : n) + rng.int(3);
    const ldc = n + rng.int(3);
    const off = [rng.int(5), rng.int(5), rng.int(5)];
    const fill = (len: number, inWasm: boolean) => {
      const a = inWasm ? be.alloc(len) : new Float32Array(len);
      for (let i = 0; i < len; i++) a[i] = rng.uniform() * 2 - 1;
      return a;
    };
    const inWasm = trial % 5 !== 4;
    const a = fill(off[0] + (transA ? k : m) * lda, inWasm);
    const b = fill(off[1] + (transB ? n : k) * ldb, inWasm);
    const c = fill(off[2] + m * ldc, inWasm);
    const args = (cc: Float32Array): GemmArgs => ({
      transA,
      transB,
      m,
      n,
      k,
      alpha: [1, 0.7][trial % 2],
      a,
      aOffset: off[0],
      lda,
      b,
      bOffset: off[1],
      ldb,
      beta: [0, 1, 0.5][trial % 3],
      c: cc,
      cOffset: off[2],
      ldc,
    });
    const expected = Float32Array.from(c);
    gemmJs(args(expected));
    be.gemm(args(c));
    for (let i = 0; i < c.length; i++)
      assert.equal(
        c[i],
        expected[i],
        `trial ${trial} (${transA ? 'T' : 'N'}${transB ? 'T' : 'N'} ${m}x${n}x${k}) element ${i}`,
      );
  }
});

test('packed im2col and the packed-B GEMM are bit-identical between back ends and equal the plain ones', () => {
  const rng = new Rng(5);
  const wasm = wasmBackend(bytes, { memoryBytes: 64 * 2 ** 20 });
  const js = jsBackend();
  const geometries = [
    { channels: 3, h: 8, w: 8, kernel: 3, stride: 1, pad: 1 },
    { channels: 2, h: 4, w: 4, kernel: 3, stride: 1, pad: 1 },
    { channels: 2, h: 7, w: 7, kernel: 3, stride: 1, pad: 1 },
    { channels: 3, h: 8, w: 8, kernel: 3, stride: 2, pad: 1 },
    { channels: 4, h: 16, w: 16, kernel: 1, stride: 1, pad: 0 },
  ];
  for (const g of geometries) {
    const images = 3;
    const total = 5;
    const offset = 1;
    const src = wasm.alloc(g.channels * total * g.h * g.w);
    for (let i = 0; i < src.length; i++) src[i] = rng.uniform() * 2 - 1;
    const ho = Math.floor((g.h + 2 * g.pad - g.kernel) / g.stride) + 1;
    const rows = g.channels * g.kernel * g.kernel;
    const cols = images * ho * ho;
    const plain = new Float32Array(rows * cols);
    js.im2col(src, g, images, offset, total, plain);
    const packedW = wasm.alloc(packedSize(rows, cols));
    const packedJ = new Float32Array(packedSize(rows, cols));
    wasm.im2colPacked(src, g, images, offset, total, packedW);
    js.im2colPacked(Float32Array.from(src), g, images, offset, total, packedJ);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) {
        assert.equal(packedW[packedIndex(rows, r, j)], plain[r * cols + j], `${JSON.stringify(g)} (${r}, ${j})`);
        assert.equal(packedJ[packedIndex(rows, r, j)], plain[r * cols + j]);
      }
    }
    const m = 5;
    const a = wasm.alloc(m * rows);
    for (let i = 0; i < a.length; i++) a[i] = rng.uniform() * 2 - 1;
    const cW = wasm.alloc(m * cols);
    const cJ = new Float32Array(m * cols);
    const cPlain = new Float32Array(m * cols);
    wasm.gemmPackedB({
      transA: false,
      m,
      n: cols,
      k: rows,
      alpha: 1,
      a,
      lda: rows,
      b: packedW,
      beta: 0,
      c: cW,
      cOffset: 0,
      ldc: cols,
    });
    js.gemmPackedB({
      transA: false,
      m,
      n: cols,
      k: rows,
      alpha: 1,
      a: Float32Array.from(a),
      lda: rows,
      b: packedJ,
      beta: 0,
      c: cJ,
      cOffset: 0,
      ldc: cols,
    });
    gemmJs({
      transA: false,
      transB: false,
      m,
      n: cols,
      k: rows,
      alpha: 1,
      a,
      aOffset: 0,
      lda: rows,
      b: plain,
      bOffset: 0,
      ldb: cols,
      beta: 0,
      c: cPlain,
      cOffset: 0,
      ldc: cols,
    });
    assert.deepEqual(Array.from(cW), Array.from(cPlain));
    assert.deepEqual(Array.from(cJ), Array.from(cPlain));
  }
});

test('the direct same-size convolution is bit-identical to im2col + GEMM (borders, odd row counts, image offsets)', () => {
  const rng = new Rng(9);
  const wasm = wasmBackend(bytes, { memoryBytes: 64 * 2 ** 20 });
  const js = jsBackend();
  for (const [channels, size, k, m] of [
    [3, 8, 3, 5],
    [4, 16, 3, 8],
    [2, 32, 3, 3],
    [5, 8, 1, 7],
  ]) {
    const g = { channels, h: size, w: size, kernel: k, stride: 1, pad: (k - 1) / 2 };
    const total = 4;
    const images = 2;
    const imageOffset = 1;
    const src = wasm.alloc(channels * total * size * size);
    // Magnitudes spread over 2^-20..2^20: any change in the order of the additions shows.
    for (let i = 0; i < src.length; i++) src[i] = (rng.uniform() * 2 - 1) * 2 ** Math.round(40 * rng.uniform() - 20);
    const rows = channels * k * k;
    const a = wasm.alloc(m * rows);
    for (let i = 0; i < a.length; i++) a[i] = rng.uniform() * 2 - 1;
    const n = images * size * size;
    const direct = wasm.alloc(m * n + 3);
    const reference = new Float32Array(m * n + 3);
    const args = { m, a, lda: rows, g, images, imageOffset, totalImages: total, cOffset: 3, ldc: n };
    wasm.convSame({ ...args, src, c: direct });
    js.convSame({ ...args, a: Float32Array.from(a), src: Float32Array.from(src), c: reference });
    for (let i = 3; i < reference.length; i++)
      assert.ok(
        Object.is(direct[i], reference[i]),
        `${JSON.stringify(g)} m=${m} element ${i}: ${direct[i]} vs ${reference[i]}`,
      );
  }
});

test('WebAssembly elementwise kernels (ReLU, BatchNorm, sums) are bit-identical to the TypeScript ones, odd sizes included', () => {
  const rng = new Rng(11);
  const wasm = wasmBackend(bytes, { memoryBytes: 64 * 2 ** 20 });
  const js = jsBackend();
  for (let trial = 0; trial < 24; trial++) {
    const c = 1 + rng.int(4);
    const groups = 1 + rng.int(3);
    const b = groups * (1 + rng.int(3));
    const hw = [1, 3, 7, 9, 16, 25, 64, 121][trial % 8];
    const D = 1 + rng.int(3);
    const n = c * b * hw;
    // The same random contents in a WebAssembly buffer and in a plain array; magnitudes spread over 2^-20..2^20
    // so that float64 sums are inexact and any change in their order shows.
    const pair = (len: number, scale = 1): [Float32Array, Float32Array] => {
      const w = wasm.alloc(len);
      for (let i = 0; i < len; i++) w[i] = (rng.uniform() * 2 - 0.8) * scale * 2 ** Math.round(40 * rng.uniform() - 20);
      return [w, Float32Array.from(w)];
    };
    const same = (a: ArrayLike<number>, e: ArrayLike<number>, what: string) => {
      assert.equal(a.length, e.length);
      for (let i = 0; i < e.length; i++)
        assert.ok(Object.is(a[i], e[i]), `trial ${trial} ${what}[${i}]: ${a[i]} vs ${e[i]}`);
    };
    const [xw, xj] = pair(n, 3);
    const stats = (be: NumericBackend, x: Float32Array) => {
      const mean = be.allocF64(c * groups);
      const invStd = be.allocF64(c * groups);
      be.bnStatistics(x, c, b, groups, hw, mean, invStd, 1e-5);
      return { mean, invStd };
    };
    const sw = stats(wasm, xw);
    const sj = stats(js, xj);
    same(sw.mean, sj.mean, 'mean');
    same(sw.invStd, sj.invStd, 'invStd');
    const [gamma, gammaJ] = pair(c);
    const [beta, betaJ] = pair(c);
    const outW = [wasm.alloc(n), wasm.alloc(n)];
    const outJ = [new Float32Array(n), new Float32Array(n)];
    wasm.bnForward(xw, outW[0], outW[1], c, b, groups, hw, sw.mean, sw.invStd, gamma, beta);
    js.bnForward(xj, outJ[0], outJ[1], c, b, groups, hw, sj.mean, sj.invStd, gammaJ, betaJ);
    same(outW[0], outJ[0], 'xhat');
    same(outW[1], outJ[1], 'bn y');
    const perSample = trial % 2 === 0;
    const rows = perSample ? b : D;
    const [gw, gj] = pair(c * D * b * hw);
    const [dgw, dgj] = pair(rows * c);
    const [dbw, dbj] = pair(rows * c);
    // Half the trials also take bnBackward's per-group sums from bnParamGrads (the SIMD kernel's fused pass when
    // hw % 4 == 0, its second pass otherwise); the TypeScript bnBackward always sums for itself here.
    const withSums = trial % 4 < 2;
    const sumsW = withSums ? { groups, sums: wasm.allocF64(2 * c * D * groups) } : undefined;
    const sumsJ = withSums ? { groups, sums: new Float64Array(2 * c * D * groups) } : undefined;
    wasm.bnParamGrads(gw, outW[0], c, D, b, hw, dgw, dbw, perSample, sumsW);
    js.bnParamGrads(gj, outJ[0], c, D, b, hw, dgj, dbj, perSample, sumsJ);
    same(dgw, dgj, 'dGamma');
    same(dbw, dbj, 'dBeta');
    if (sumsW && sumsJ) same(sumsW.sums, sumsJ.sums, 'BN group sums');
    const constant = trial % 3 === 0;
    // Every third trial writes the input gradient to a buffer of its own, leaving g as it was.
    const dxw = trial % 3 === 1 ? wasm.alloc(gw.length) : gw;
    const gBefore = Float32Array.from(gw);
    const sums = constant ? undefined : sumsW?.sums;
    wasm.bnBackward(gw, outW[0], c, D, b, groups, hw, gamma, sw.invStd, constant, sums, dxw);
    js.bnBackward(gj, outJ[0], c, D, b, groups, hw, gammaJ, sj.invStd, constant);
    same(dxw, gj, 'bn dX');
    if (dxw !== gw) {
      same(gw, gBefore, 'g after bnBackward into another buffer');
      gw.set(dxw);
    }
    wasm.reluForward(xw, outW[1], n);
    js.reluForward(xj, outJ[1], n);
    same(outW[1], outJ[1], 'relu y');
    wasm.reluBackward(xw, gw, c, D, b * hw);
    js.reluBackward(xj, gj, c, D, b * hw);
    same(gw, gj, 'relu dX');
    wasm.addInto(gw, outW[0], n);
    js.addInto(gj, outJ[0], n);
    same(gw, gj, 'sum');
  }
});

test('the WebAssembly back end gives the same NTK scores as the TypeScript back end, bit for bit', () => {
  const parsed = parseArchString(
    '|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|nor_conv_3x3~2|',
  );
  assert.ok(parsed.ok);
  const inputs = syntheticInputs('cifar10', 3, 2);
  for (const kernel of ['fixed-bn', 'exact'] as const) {
    const options = {
      size: { channels: 3, cellsPerStage: 1 },
      kernel,
      variants: NTK_VARIANTS,
      attack: { ...defaultAttack('pgd', 8), steps: 2 },
      tradeOff: 0.3,
      seed: 5,
      baselines: true,
    };
    const js = computeNtkScoresSync(parsed.cell, { options, inputs, backend: jsBackend() });
    const wasm = computeNtkScoresSync(parsed.cell, {
      options,
      inputs,
      backend: wasmBackend(bytes, { memoryBytes: 256 * 2 ** 20 }),
    });
    assert.deepEqual({ ...wasm, seconds: 0 }, { ...js, seconds: 0 });
  }
});

test('logits and both kernels match PyTorch within 1e-4 on the WebAssembly back end', () => {
  checkAgainstPyTorch(() => wasmBackend(bytes, { memoryBytes: 256 * 2 ** 20 }));
});

test('Node 20 and later take the relaxed-SIMD (FMA) builds; the back end names them, and fma: false keeps SIMD128', () => {
  // engines.node >= 20.19: Node 20 after enabling its flag, Node 22 by default.
  assert.equal(relaxedSimdAvailable(), true);
  assert.equal(wasmBackend(allKernelsWasmBinaries(), { memoryBytes: 2 ** 20 }).name, 'wasm-fma');
  assert.equal(wasmBackend(allKernelsWasmBinaries(), { memoryBytes: 2 ** 20, fma: false }).name, 'wasm');
  assert.equal(wasmBackend(bytes, { memoryBytes: 2 ** 20 }).name, 'wasm');
});

test('fused multiply-add GEMMs equal the TypeScript sgemm to float32 rounding (every transpose, panels, packed B)', () => {
  const rng = new Rng(7);
  const be = wasmBackend(allKernelsWasmBinaries(), { memoryBytes: 64 * 2 ** 20 });
  assert.equal(be.name, 'wasm-fma');
  const js = jsBackend();
  let fused = 0;
  for (const [m, n, k] of [
    [5, 19, 300],
    [16, 64, 2000],
    [13, 8, 77],
    [4, 1029, 72],
  ]) {
    for (const [transA, transB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ]) {
      const a = be.alloc(m * k).map(() => 2 * rng.uniform() - 1);
      const b = be.alloc(k * n).map(() => 2 * rng.uniform() - 1);
      const args = (c: Float32Array): GemmArgs => ({
        transA,
        transB,
        m,
        n,
        k,
        alpha: 1,
        a,
        aOffset: 0,
        lda: transA ? m : k,
        b,
        bOffset: 0,
        ldb: transB ? k : n,
        beta: 0,
        c,
        cOffset: 0,
        ldc: n,
      });
      const cw = be.alloc(m * n);
      const cj = js.alloc(m * n);
      be.gemm(args(cw));
      gemmJs(args(cj));
      // Each sum of k products of numbers in [-1, 1]: both round every step, so they differ by a few ulps of
      // the running sum's magnitude per step at most (k * 2^-24 * sqrt(k) would be generous).
      for (let i = 0; i < m * n; i++) {
        assert.ok(
          Math.abs(cw[i] - cj[i]) <= k * 2 ** -23,
          `${m}x${n}x${k} ${transA}/${transB} [${i}]: ${cw[i]} vs ${cj[i]}`,
        );
        if (cw[i] !== cj[i]) fused++;
      }
    }
  }
  // One rounding instead of two per step: some sums must come out different, or the FMA build is not running.
  assert.ok(fused > 0, 'the fused GEMM gave the same bits as the unfused one everywhere');
});

test('logits and both kernels match PyTorch within 1e-4 on the fused multiply-add back end', () => {
  checkAgainstPyTorch(() => {
    const be = wasmBackend(allKernelsWasmBinaries(), { memoryBytes: 256 * 2 ** 20 });
    assert.equal(be.name, 'wasm-fma');
    return be;
  });
});

test('running out of WebAssembly memory is a clear error', () => {
  const be = wasmBackend(bytes, { memoryBytes: 2 ** 20 });
  assert.throws(() => be.alloc(1 << 20), /out of WebAssembly memory.*smaller size/);
});

test('WebAssembly im2col and col2im equal the TypeScript ones for 3x3 stride 1 and 2, and 1x1', async () => {
  const { im2col, col2imAdd } = await import('../../../src/core/ntk/engine/im2col');
  const rng = new Rng(8);
  const be = wasmBackend(bytes, { memoryBytes: 64 * 2 ** 20 });
  for (const [k, s, p] of [
    [3, 1, 1],
    [3, 2, 1],
    [1, 1, 0],
  ]) {
    const g = { channels: 2, h: 6, w: 5, kernel: k, stride: s, pad: p };
    const ho = Math.floor((6 + 2 * p - k) / s) + 1;
    const wo = Math.floor((5 + 2 * p - k) / s) + 1;
    const src = be.alloc(2 * 4 * 30);
    for (let i = 0; i < src.length; i++) src[i] = rng.uniform();
    const colLen = 2 * k * k * 2 * ho * wo;
    const colW = be.alloc(colLen);
    const colJ = new Float32Array(colLen);
    be.im2col(src, g, 2, 1, 4, colW);
    im2col(src, g, 2, 1, 4, colJ);
    assert.deepEqual([...colW], [...colJ]);
    const dstW = be.alloc(src.length);
    const dstJ = new Float32Array(src.length);
    be.col2imAdd(colW, g, 2, 2, 4, dstW);
    col2imAdd(colJ, g, 2, 2, 4, dstJ);
    assert.deepEqual([...dstW], [...dstJ]);
  }
});
