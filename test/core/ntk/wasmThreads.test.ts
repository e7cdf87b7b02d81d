import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultAttack } from '../../../src/core/ntk/attack';
import type { GemmArgs } from '../../../src/core/ntk/engine/backend';
import { gemmJs } from '../../../src/core/ntk/engine/gemmJs';
import { col2imAdd, im2col, packedSize } from '../../../src/core/ntk/engine/im2col';
import { jsBackend } from '../../../src/core/ntk/engine/jsBackend';
import { wasmBackend } from '../../../src/core/ntk/engine/wasmBackend';
import { WasmThreadTeam } from '../../../src/core/ntk/engine/wasmThreads';
import { syntheticInputs } from '../../../src/core/ntk/inputs/synthetic';
import { Rng } from '../../../src/core/ntk/rng';
import { computeNtkScoresSync, NTK_VARIANTS } from '../../../src/core/ntk/scores';
import { parseArchString } from '../../../src/core/space';
import { allKernelsWasmBinaries, kernelsWasmBinaries } from './wasmKernels';

const binaries = kernelsWasmBinaries();

test('GEMMs split across two threads are bit-identical to the TypeScript sgemm (column and row splits, every transpose)', async () => {
  const rng = new Rng(11);
  const be = wasmBackend(binaries, { threads: 2, memoryBytes: 256 * 2 ** 20 });
  try {
    assert.equal(be.threads, 2);
    await be.threadsReady();
    // [m, n, k]: large enough to split (m*n*k >= 2^20); odd column counts; n < 16 forces a row split.
    const shapes = [
      [16, 1029, 72],
      [13, 300, 700],
      [9, 37, 4000],
      [301, 9, 600],
      [40, 64, 1500],
      [33, 33, 2305],
    ];
    for (let trial = 0; trial < shapes.length * 4; trial++) {
      const [m, n, k] = shapes[trial % shapes.length];
      const transA = trial % 2 === 1;
      const transB = Math.floor(trial / 2) % 2 === 1;
      const lda = (transA ? m : k) + rng.int(3);
      const ldb = (transB ? k : n) + rng.int(3);
      const ldc = n + rng.int(3);
      const off = [rng.int(5), rng.int(5), rng.int(5)];
      const fill = (len: number) => {
        const a = be.alloc(len);
        for (let i = 0; i < len; i++) a[i] = rng.uniform() * 2 - 1;
        return a;
      };
      const a = fill(off[0] + (transA ? k : m) * lda);
      const b = fill(off[1] + (transB ? n : k) * ldb);
      const c = fill(off[2] + m * ldc);
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
    // Which thread runs which part depends on timing (the results do not); on a busy machine a helper can miss
    // a call, but not 16 M multiply-add calls for seconds on end.
    const [m, n, k] = [64, 256, 1024];
    const big = { a: be.alloc(m * k), b: be.alloc(k * n), c: be.alloc(m * n) };
    const deadline = Date.now() + 10_000;
    while (be.helperParts() === 0 && Date.now() < deadline) {
      be.gemm({
        transA: false,
        transB: false,
        m,
        n,
        k,
        alpha: 1,
        a: big.a,
        aOffset: 0,
        lda: k,
        b: big.b,
        bOffset: 0,
        ldb: n,
        beta: 0,
        c: big.c,
        cOffset: 0,
        ldc: n,
      });
    }
    assert.ok(be.helperParts() > 0, 'the helper thread ran none of the parts');
  } finally {
    await be.dispose();
  }
});

test('im2col and col2im split by channel across two threads equal the TypeScript ones', async () => {
  const rng = new Rng(12);
  const be = wasmBackend(binaries, { threads: 2, memoryBytes: 256 * 2 ** 20 });
  try {
    await be.threadsReady();
    for (const [k, s, p] of [
      [3, 1, 1],
      [3, 2, 1],
    ]) {
      const g = { channels: 13, h: 24, w: 24, kernel: k, stride: s, pad: p };
      const ho = Math.floor((24 + 2 * p - k) / s) + 1;
      const total = 6;
      const images = 5;
      const src = be.alloc(13 * total * 576);
      for (let i = 0; i < src.length; i++) src[i] = rng.uniform();
      const colLen = 13 * k * k * images * ho * ho;
      const colW = be.alloc(colLen);
      const colJ = new Float32Array(colLen);
      be.im2col(src, g, images, 1, total, colW);
      im2col(src, g, images, 1, total, colJ);
      assert.deepEqual(colW, colJ);
      const dstW = be.alloc(src.length);
      const dstJ = new Float32Array(src.length);
      for (let i = 0; i < src.length; i++) dstJ[i] = dstW[i] = rng.uniform();
      be.col2imAdd(colW, g, images, 0, total, dstW);
      col2imAdd(colJ, g, images, 0, total, dstJ);
      assert.deepEqual(dstW, dstJ);
    }
  } finally {
    await be.dispose();
  }
});

test('packed im2col, packed-B GEMMs, panel-A row splits and the elementwise kernels split across two threads equal the TypeScript ones', async () => {
  const rng = new Rng(13);
  const be = wasmBackend(binaries, { threads: 2, memoryBytes: 256 * 2 ** 20 });
  const js = jsBackend();
  const same = (a: ArrayLike<number>, e: ArrayLike<number>, what: string) => {
    assert.equal(a.length, e.length, what);
    for (let i = 0; i < e.length; i++) assert.ok(Object.is(a[i], e[i]), `${what}[${i}]: ${a[i]} vs ${e[i]}`);
  };
  // The same random contents in a shared-memory buffer and a plain array; magnitudes 2^-20..2^20 so that any
  // change in the order of a float64 sum would show.
  const pair = (len: number, spread = 20): [Float32Array, Float32Array] => {
    const w = be.alloc(len);
    for (let i = 0; i < len; i++) w[i] = (rng.uniform() * 2 - 1) * 2 ** Math.round((rng.uniform() * 2 - 1) * spread);
    return [w, Float32Array.from(w)];
  };
  try {
    await be.threadsReady();
    // Packed im2col split by images (16x16 planes: whole panels), then the convolution GEMM split by panels.
    const g = { channels: 6, h: 16, w: 16, kernel: 3, stride: 1, pad: 1 };
    const rows = 54;
    const images = 11;
    const cols = images * 256;
    const [src, srcJ] = pair(6 * 13 * 256, 0);
    const packed = be.alloc(packedSize(rows, cols));
    const packedJ = new Float32Array(packedSize(rows, cols));
    be.im2colPacked(src, g, images, 1, 13, packed);
    js.im2colPacked(srcJ, g, images, 1, 13, packedJ);
    same(packed, packedJ, 'im2colPacked');
    const [a, aJ] = pair(40 * rows, 0);
    const c = be.alloc(40 * cols);
    const cJ = new Float32Array(40 * cols);
    be.gemmPackedB({
      transA: false,
      m: 40,
      n: cols,
      k: rows,
      alpha: 1,
      a,
      lda: rows,
      b: packed,
      beta: 0,
      c,
      cOffset: 0,
      ldc: cols,
    });
    js.gemmPackedB({
      transA: false,
      m: 40,
      n: cols,
      k: rows,
      alpha: 1,
      a: aJ,
      lda: rows,
      b: packedJ,
      beta: 0,
      c: cJ,
      cOffset: 0,
      ldc: cols,
    });
    same(c, cJ, 'gemmPackedB');
    // A in panels (the packed columns), split by rows (B has one 8-column block): C [rows][8] = col x B, k = cols.
    const [bm, bmJ] = pair(cols * 8, 0);
    const c2 = be.alloc(rows * 8);
    const c2J = new Float32Array(rows * 8);
    be.gemm({
      transA: false,
      transB: false,
      m: rows,
      n: 8,
      k: cols,
      alpha: 1,
      a: packed,
      aOffset: 0,
      lda: 0,
      aPanelRows: rows,
      b: bm,
      bOffset: 0,
      ldb: 8,
      beta: 0,
      c: c2,
      cOffset: 0,
      ldc: 8,
    });
    js.gemm({
      transA: false,
      transB: false,
      m: rows,
      n: 8,
      k: cols,
      alpha: 1,
      a: packedJ,
      aOffset: 0,
      lda: 0,
      aPanelRows: rows,
      b: bmJ,
      bOffset: 0,
      ldb: 8,
      beta: 0,
      c: c2J,
      cOffset: 0,
      ldc: 8,
    });
    same(c2, c2J, 'panel-A gemm');

    // Elementwise: 12 channels, 8 samples in 2 groups, 32x32 planes, 3 directions.
    const [ch, b, groups, hw, D] = [12, 8, 2, 1024, 3];
    const n = ch * b * hw;
    const [x, xJ] = pair(n);
    const y = be.alloc(n);
    const yJ = new Float32Array(n);
    be.reluForward(x, y, n - 3);
    js.reluForward(xJ, yJ, n - 3);
    same(y, yJ, 'reluForward');
    const mean = be.allocF64(ch * groups);
    const invStd = be.allocF64(ch * groups);
    const meanJ = new Float64Array(ch * groups);
    const invStdJ = new Float64Array(ch * groups);
    be.bnStatistics(x, ch, b, groups, hw, mean, invStd, 1e-5);
    js.bnStatistics(xJ, ch, b, groups, hw, meanJ, invStdJ, 1e-5);
    same(mean, meanJ, 'bn mean');
    same(invStd, invStdJ, 'bn invStd');
    const [gamma, gammaJ] = pair(ch, 2);
    const [beta, betaJ] = pair(ch, 2);
    const xhat = be.alloc(n);
    const xhatJ = new Float32Array(n);
    be.bnForward(x, xhat, y, ch, b, groups, hw, mean, invStd, gamma, beta);
    js.bnForward(xJ, xhatJ, yJ, ch, b, groups, hw, meanJ, invStdJ, gammaJ, betaJ);
    same(xhat, xhatJ, 'bn xhat');
    same(y, yJ, 'bn y');
    for (const constant of [false, true]) {
      const [grad, gradJ] = pair(ch * D * b * hw);
      // Parameter gradients split by channels, each part leaving its channels' sums for bnBackward.
      const [dGamma, dGammaJ] = pair(D * ch);
      const [dBeta, dBetaJ] = pair(D * ch);
      const sums = { groups, sums: be.allocF64(2 * ch * D * groups) };
      const sumsJ = { groups, sums: new Float64Array(2 * ch * D * groups) };
      be.bnParamGrads(grad, xhat, ch, D, b, hw, dGamma, dBeta, false, sums);
      js.bnParamGrads(gradJ, xhatJ, ch, D, b, hw, dGammaJ, dBetaJ, false, sumsJ);
      same(dGamma, dGammaJ, 'bnParamGrads dGamma');
      same(dBeta, dBetaJ, 'bnParamGrads dBeta');
      same(sums.sums, sumsJ.sums, 'bnParamGrads group sums');
      // Into another buffer (a shared cotangent's), each part writing its own channels there.
      const dX = be.alloc(grad.length);
      be.bnBackward(grad, xhat, ch, D, b, groups, hw, gamma, invStd, constant, constant ? undefined : sums.sums, dX);
      js.bnBackward(gradJ, xhatJ, ch, D, b, groups, hw, gammaJ, invStdJ, constant);
      same(dX, gradJ, `bnBackward constant=${constant}`);
      grad.set(dX);
      be.reluBackward(x, grad, ch, D, b * hw);
      js.reluBackward(xJ, gradJ, ch, D, b * hw);
      same(grad, gradJ, 'reluBackward');
      be.addInto(grad, y, n - 1);
      js.addInto(gradJ, yJ, n - 1);
      same(grad, gradJ, 'addInto');
    }
  } finally {
    await be.dispose();
  }
});

test('2x2 average pooling backward and Winograd filter transforms equal the TypeScript ones, one thread and two', async () => {
  const rng = new Rng(21);
  const one = wasmBackend(binaries, { memoryBytes: 256 * 2 ** 20 });
  const two = wasmBackend(binaries, { threads: 2, memoryBytes: 256 * 2 ** 20 });
  const js = jsBackend();
  const same = (a: ArrayLike<number>, e: ArrayLike<number>, what: string) => {
    assert.equal(a.length, e.length, what);
    for (let i = 0; i < e.length; i++) assert.ok(Object.is(a[i], e[i]), `${what}[${i}]: ${a[i]} vs ${e[i]}`);
  };
  const random = (len: number, spread: number) =>
    Float32Array.from(
      { length: len },
      () => (rng.uniform() * 2 - 1) * 2 ** Math.round((rng.uniform() * 2 - 1) * spread),
    );
  try {
    await two.threadsReady();
    // Planes of 32x32 (split: over the threshold), 16x16, and widths whose output rows are not a multiple of 4.
    for (const [planes, h, w] of [
      [96, 32, 32],
      [7, 16, 16],
      [5, 6, 10],
      [3, 4, 2],
    ]) {
      const dOut = random((planes * h * w) / 4, 20);
      // Subnormal quarters, and the tie 2^-150 (rounds to 0) among them.
      dOut[0] = 2 ** -148;
      dOut[1] = -(2 ** -140);
      dOut[2] = 3 * 2 ** -149;
      const want = new Float32Array(planes * h * w);
      js.avgPool2x2Backward(dOut, want, planes, h, w);
      for (const [be, name] of [
        [one, 'one thread'],
        [two, 'two threads'],
      ] as const) {
        const src = be.allocUninitialized(dOut.length);
        src.set(dOut);
        const dX = be.allocUninitialized(want.length);
        be.avgPool2x2Backward(src, dX, planes, h, w);
        same(dX, want, `avgPool2x2Backward ${name} ${planes}x${h}x${w}`);
      }
    }
    // U = G g G^T for both tiles, both orientations; 64 x 64 channels is split.
    for (const tile of [2, 4] as const) {
      for (const [m, channels] of [
        [64, 64],
        [5, 12],
      ]) {
        for (const flip of [false, true]) {
          const weights = random(m * channels * 9, 6);
          const want = new Float32Array((tile + 2) ** 2 * m * channels);
          js.winogradFilter({ tile, weights, m, channels, flip, out: want });
          for (const [be, name] of [
            [one, 'one thread'],
            [two, 'two threads'],
          ] as const) {
            const w = be.allocUninitialized(weights.length);
            w.set(weights);
            const out = be.allocUninitialized(want.length);
            be.winogradFilter({ tile, weights: w, m, channels, flip, out });
            same(out, want, `winogradFilter ${name} F(${tile}) ${m} x ${channels} flip=${flip}`);
          }
        }
      }
    }
  } finally {
    await one.dispose();
    await two.dispose();
  }
});

test('NTK scores on two threads equal those on one thread, bit for bit, for both kernels', async () => {
  const parsed = parseArchString(
    '|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|nor_conv_3x3~2|',
  );
  assert.ok(parsed.ok);
  const inputs = syntheticInputs('cifar10', 4, 2);
  const one = wasmBackend(binaries, { memoryBytes: 512 * 2 ** 20 });
  const two = wasmBackend(binaries, { threads: 2, memoryBytes: 512 * 2 ** 20 });
  try {
    await two.threadsReady();
    for (const kernel of ['fixed-bn', 'exact'] as const) {
      // Channels 8: the stem and cell convolutions are large enough to split (8 x 4096 x 72 multiply-adds).
      const options = {
        size: { channels: 8, cellsPerStage: 1 },
        kernel,
        variants: NTK_VARIANTS,
        attack: { ...defaultAttack('pgd', 8), steps: 1 },
        tradeOff: 0.3,
        seed: 5,
        baselines: true,
      };
      const a = computeNtkScoresSync(parsed.cell, { options, inputs, backend: one });
      const b = computeNtkScoresSync(parsed.cell, { options, inputs, backend: two });
      assert.deepEqual({ ...b, seconds: 0 }, { ...a, seconds: 0 });
    }
  } finally {
    await one.dispose();
    await two.dispose();
  }
});

test('on the fused multiply-add back end too, NTK scores on two threads equal those on one thread, bit for bit', async () => {
  const parsed = parseArchString(
    '|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|nor_conv_3x3~2|',
  );
  assert.ok(parsed.ok);
  const inputs = syntheticInputs('cifar10', 4, 2);
  const one = wasmBackend(allKernelsWasmBinaries(), { memoryBytes: 512 * 2 ** 20 });
  const two = wasmBackend(allKernelsWasmBinaries(), { threads: 2, memoryBytes: 512 * 2 ** 20 });
  try {
    assert.equal(one.name, 'wasm-fma');
    assert.equal(two.name, 'wasm-fma');
    assert.equal(two.threads, 2);
    await two.threadsReady();
    for (const kernel of ['fixed-bn', 'exact'] as const) {
      const options = {
        size: { channels: 8, cellsPerStage: 1 },
        kernel,
        variants: NTK_VARIANTS,
        attack: { ...defaultAttack('pgd', 8), steps: 1 },
        tradeOff: 0.3,
        seed: 5,
        baselines: true,
      };
      const a = computeNtkScoresSync(parsed.cell, { options, inputs, backend: one });
      const b = computeNtkScoresSync(parsed.cell, { options, inputs, backend: two });
      assert.deepEqual({ ...b, seconds: 0 }, { ...a, seconds: 0 });
    }
  } finally {
    await one.dispose();
    await two.dispose();
  }
});

test('asking for threads without the shared-memory build runs on one thread and says why', () => {
  const be = wasmBackend({ plain: binaries.plain }, { threads: 2, memoryBytes: 16 * 2 ** 20 });
  assert.equal(be.threads, 1);
  assert.match(be.threadingNote ?? '', /one thread of 2.*shared-memory kernels/);
  be.dispose();
});

test('helper threads never keep a process alive', () => {
  // A child process that creates a two-thread back end, runs a split GEMM and returns without dispose().
  const script = `
    const { readFileSync } = require('node:fs');
    const { wasmBackend } = require(${JSON.stringify(join(import.meta.dirname, '../../../src/core/ntk/engine/wasmBackend.ts'))});
    const be = wasmBackend({ plain: readFileSync(process.argv[1]), threads: readFileSync(process.argv[2]) }, { threads: 2, memoryBytes: 64 * 2 ** 20 });
    be.threadsReady().then(() => {
      const a = be.alloc(64 * 512), b = be.alloc(512 * 256), c = be.alloc(64 * 256);
      be.gemm({ transA: false, transB: false, m: 64, n: 256, k: 512, alpha: 1, a, aOffset: 0, lda: 512, b, bOffset: 0, ldb: 256, beta: 0, c, cOffset: 0, ldc: 256 });
      console.log('parts by helper', be.helperParts());
    });`;
  const build = join(import.meta.dirname, '../../../wasm/build');
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '-e', script, join(build, 'kernels.wasm'), join(build, 'kernels-threads.wasm')],
    { encoding: 'utf8', timeout: 30_000 },
  );
  assert.equal(r.error, undefined, 'the process did not exit by itself');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /parts by helper \d+/);
});

test('a part that throws on the calling thread fails that call only: the team waits for the helpers, then keeps working', async () => {
  const WA = (
    globalThis as unknown as {
      WebAssembly: {
        Memory: new (d: object) => { buffer: ArrayBuffer };
        Module: new (b: Uint8Array) => object;
        Instance: new (m: object, i: object) => { exports: Record<string, (...a: number[]) => void> };
      };
    }
  ).WebAssembly;
  const memory = new WA.Memory({ initial: 256, maximum: 256, shared: true });
  const module = new WA.Module(binaries.threads!);
  const exports = new WA.Instance(module, { env: { memory } }).exports;
  let failNext = true;
  const runPart = (task: number, part: number) => {
    if (failNext) {
      failNext = false;
      throw new Error('injected failure');
    }
    exports.runPart(task, part);
  };
  const team = new WasmThreadTeam({ module, memory, address: 1024, runPart, threads: 2 });
  try {
    await team.ready();
    // im2col of 3x3 stride-1 convolutions over 200 channels of 6 images of 16x16 (kind 3), one channel per part:
    // enough parts that the calling thread surely runs some.
    const g = { channels: 200, h: 16, w: 16, kernel: 3, stride: 1, pad: 1 };
    const f32 = new Float32Array(memory.buffer);
    const src = 1 << 16;
    const col = src + 4 * 200 * 6 * 256;
    const rng = new Rng(5);
    for (let i = 0; i < 200 * 6 * 256; i++) f32[src / 4 + i] = rng.uniform();
    const post = () => {
      team.task.set([3, 1, g.channels, g.h, g.w, g.kernel, g.stride, g.pad, 6, 0, 6, src, col]);
      team.run(200);
    };
    // The failure is injected into the calling thread's next part. On a busy machine the helper can take every
    // part of a call, so post until the calling thread has run one (and thrown).
    let thrown: unknown;
    for (let attempt = 0; attempt < 200 && failNext; attempt++) {
      try {
        post();
      } catch (e) {
        thrown = e;
      }
    }
    assert.match(String(thrown), /injected failure/);
    f32.fill(0, col / 4, col / 4 + 200 * 9 * 6 * 256);
    post();
    const expected = new Float32Array(200 * 9 * 6 * 256);
    im2col(f32.subarray(src / 4), g, 6, 0, 6, expected);
    assert.deepEqual(f32.subarray(col / 4, col / 4 + expected.length), expected);
  } finally {
    await team.dispose();
  }
});
