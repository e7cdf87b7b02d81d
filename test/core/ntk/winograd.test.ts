import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArchString } from '../../../src/core/space';
import { defaultAttack } from '../../../src/core/ntk/attack';
import type { NumericBackend } from '../../../src/core/ntk/engine/backend';
import { jsBackend } from '../../../src/core/ntk/engine/jsBackend';
import { wasmBackend } from '../../../src/core/ntk/engine/wasmBackend';
import {
  winogradFilter,
  winogradPoints,
  winogradTile,
  winogradWeightsReference,
  type WinogradConvArgs,
  type WinogradTile,
} from '../../../src/core/ntk/engine/winograd';
import { syntheticInputs } from '../../../src/core/ntk/inputs/synthetic';
import { Rng } from '../../../src/core/ntk/rng';
import { computeNtkScoresSync } from '../../../src/core/ntk/scores';
import { allKernelsWasmBinaries, kernelsWasmBinaries } from './wasmKernels';

const MB = 2 ** 20;

function random(rng: Rng, length: number): Float32Array {
  const a = new Float32Array(length);
  for (let i = 0; i < length; i++) a[i] = rng.uniform() * 2 - 1;
  return a;
}

/** Into a buffer of the back end (the WebAssembly kernels run only on their own memory). */
function onBackend(be: NumericBackend, a: Float32Array): Float32Array {
  const copy = be.allocUninitialized(a.length);
  copy.set(a);
  return copy;
}

/** Largest |a - b| relative to the largest |b|. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / scale;
}

interface ConvCase {
  tile: WinogradTile;
  m: number;
  channels: number;
  h: number;
  w: number;
  images: number;
}

/** dst[i][img][y][x] = sum over c, ky, kx of w[i][c][ky][kx] * src[c][img][y+ky-1][x+kx-1], in float64. */
function directConv(weights: Float32Array, src: Float32Array, s: ConvCase): Float64Array {
  const { m, channels, h, w, images } = s;
  const out = new Float64Array(m * images * h * w);
  for (let i = 0; i < m; i++)
    for (let img = 0; img < images; img++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          let sum = 0;
          for (let c = 0; c < channels; c++)
            for (let ky = 0; ky < 3; ky++)
              for (let kx = 0; kx < 3; kx++) {
                const yy = y + ky - 1;
                const xx = x + kx - 1;
                if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                sum += weights[((i * channels + c) * 3 + ky) * 3 + kx] * src[((c * images + img) * h + yy) * w + xx];
              }
          out[((i * images + img) * h + y) * w + x] = sum;
        }
  return out;
}

/** The Winograd convolution of `weights` ([m][channels][3][3], not flipped) on back end `be`. */
function winogradConv(be: NumericBackend, weights: Float32Array, src: Float32Array, s: ConvCase): Float32Array {
  const u = winogradFilter(be, weights, s.m, s.channels, false, s.tile);
  const dst = be.allocUninitialized(s.m * s.images * s.h * s.w);
  const args: WinogradConvArgs = { ...s, u, src: onBackend(be, src), dst };
  be.winogradConv(args);
  return Float32Array.from(dst);
}

const convCases: ConvCase[] = [
  { tile: 2, m: 5, channels: 3, h: 4, w: 8, images: 2 },
  { tile: 2, m: 16, channels: 16, h: 8, w: 8, images: 3 },
  { tile: 2, m: 8, channels: 12, h: 16, w: 16, images: 2 },
  { tile: 2, m: 4, channels: 9, h: 32, w: 32, images: 1 },
  { tile: 4, m: 5, channels: 3, h: 8, w: 16, images: 2 },
  { tile: 4, m: 16, channels: 16, h: 16, w: 16, images: 3 },
  { tile: 4, m: 8, channels: 12, h: 8, w: 32, images: 3 },
  { tile: 4, m: 4, channels: 9, h: 32, w: 32, images: 1 },
  { tile: 4, m: 6, channels: 5, h: 8, w: 8, images: 3 },
  { tile: 4, m: 8, channels: 8, h: 16, w: 8, images: 2 },
];

/**
 * Float32 error bounds against float64 sums: F(2, 3)'s transforms add a few units in the last place; F(4, 3)'s
 * entries up to 5 (B^T) and 8 (A^T) more (measured at 16 channels, 16x16: 2.0e-7 and 3.8e-6 relative).
 */
const tolerance = (tile: WinogradTile) => (tile === 2 ? 1e-5 : 1e-4);

test('F(2x2, 3x3) and F(4x4, 3x3) equal the direct 3x3 "same" convolution (float64) to float32 rounding', () => {
  const rng = new Rng(5);
  for (const s of convCases) {
    const weights = random(rng, s.m * s.channels * 9);
    const src = random(rng, s.channels * s.images * s.h * s.w);
    const err = relativeError(winogradConv(jsBackend(), weights, src, s), directConv(weights, src, s));
    assert.ok(err < tolerance(s.tile), `${JSON.stringify(s)}: relative error ${err}`);
  }
});

test('the flipped filter computes the input gradient: the convolution with the weights turned and transposed', () => {
  const rng = new Rng(6);
  const s: ConvCase = { tile: 4, m: 6, channels: 4, h: 8, w: 16, images: 2 };
  // Weights of the forward convolution [channels][m][3][3]; the input gradient applies them flipped.
  const forward = random(rng, s.channels * s.m * 9);
  const flipped = new Float32Array(forward.length);
  for (let c = 0; c < s.channels; c++)
    for (let i = 0; i < s.m; i++)
      for (let t = 0; t < 9; t++) flipped[(i * s.channels + c) * 9 + t] = forward[(c * s.m + i) * 9 + 8 - t];
  const be = jsBackend();
  for (const tile of [2, 4] as const) {
    const viaFlip = winogradFilter(be, forward, s.m, s.channels, true, tile);
    const viaCopy = winogradFilter(be, flipped, s.m, s.channels, false, tile);
    assert.deepEqual(viaFlip, viaCopy);
  }
});

test('F(3x3, 2x2) and F(3x3, 4x4) weight gradients equal float64 sums of input x cotangent', () => {
  const rng = new Rng(7);
  for (const [tile, xChannels, rows, h, w, images] of [
    [2, 3, 5, 4, 8, 2],
    [2, 16, 24, 8, 16, 3],
    [2, 9, 8, 16, 8, 2],
    [4, 3, 5, 8, 16, 2],
    [4, 16, 24, 16, 16, 3],
    [4, 9, 8, 8, 32, 2],
    [4, 7, 6, 8, 8, 3],
  ] as const) {
    const x = random(rng, xChannels * images * h * w);
    const dOut = random(rng, rows * images * h * w);
    const be = jsBackend();
    const tiles = new Float32Array(winogradPoints(tile) * rows * xChannels);
    be.winogradWeightGradient({ tile, x, xChannels, dOut, cotangentChannels: rows, h, w, images, out: tiles });
    // As one direction of `rows` output channels: entries in (row, ky, kx, c) order.
    const got = new Float32Array(9 * rows * xChannels);
    winogradWeightsReference({ tile, tiles, cout: rows, directions: 1, cin: xChannels, out: got });
    const want = new Float64Array(9 * rows * xChannels);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < xChannels; c++)
        for (let ky = 0; ky < 3; ky++)
          for (let kx = 0; kx < 3; kx++) {
            let sum = 0;
            for (let img = 0; img < images; img++)
              for (let y = 0; y < h; y++)
                for (let xx = 0; xx < w; xx++) {
                  const yy = y + ky - 1;
                  const xi = xx + kx - 1;
                  if (yy < 0 || yy >= h || xi < 0 || xi >= w) continue;
                  sum += x[((c * images + img) * h + yy) * w + xi] * dOut[((r * images + img) * h + y) * w + xx];
                }
            want[((r * 3 + ky) * 3 + kx) * xChannels + c] = sum;
          }
    const err = relativeError(got, want);
    assert.ok(err < tolerance(tile), `F(${tile}) ${xChannels} -> ${rows}, ${h}x${w}: relative error ${err}`);
  }
});

test('SIMD128 Winograd kernels are bit-identical to the TypeScript reference, on one thread and on two', async () => {
  const rng = new Rng(8);
  const one = wasmBackend(kernelsWasmBinaries(), { memoryBytes: 256 * MB });
  const two = wasmBackend(kernelsWasmBinaries(), { threads: 2, memoryBytes: 256 * MB });
  try {
    await two.threadsReady();
    assert.equal(two.threads, 2);
    // The last case is large enough to be split (work over GEMM_THRESHOLDS.split).
    const large: ConvCase[] = [
      { tile: 2, m: 16, channels: 16, h: 32, w: 32, images: 24 },
      { tile: 4, m: 16, channels: 16, h: 32, w: 32, images: 24 },
      { tile: 4, m: 16, channels: 16, h: 8, w: 8, images: 75 },
    ];
    for (const s of [...convCases, ...large]) {
      const weights = random(rng, s.m * s.channels * 9);
      const src = random(rng, s.channels * s.images * s.h * s.w);
      const want = winogradConv(jsBackend(), weights, src, s);
      assert.deepEqual(winogradConv(one, weights, src, s), want, `one thread ${JSON.stringify(s)}`);
      assert.deepEqual(winogradConv(two, weights, src, s), want, `two threads ${JSON.stringify(s)}`);
    }
    for (const [tile, xChannels, rows, h, w, images] of [
      [2, 3, 5, 4, 8, 2],
      [2, 16, 512, 32, 32, 4],
      [2, 12, 40, 16, 8, 3],
      [4, 3, 5, 8, 16, 2],
      [4, 16, 512, 32, 32, 4],
      [4, 12, 40, 16, 32, 3],
      [4, 12, 40, 8, 8, 37],
    ] as const) {
      const x = random(rng, xChannels * images * h * w);
      const dOut = random(rng, rows * images * h * w);
      const run = (be: NumericBackend) => {
        const out = be.allocUninitialized(winogradPoints(tile) * rows * xChannels);
        be.winogradWeightGradient({
          tile,
          x: onBackend(be, x),
          xChannels,
          dOut: onBackend(be, dOut),
          cotangentChannels: rows,
          h,
          w,
          images,
          out,
        });
        return Float32Array.from(out);
      };
      const want = run(jsBackend());
      assert.deepEqual(run(one), want, `one thread F(${tile}) ${xChannels} -> ${rows}, ${h}x${w}`);
      assert.deepEqual(run(two), want, `two threads F(${tile}) ${xChannels} -> ${rows}`);
    }
    // The weight gradients from the transformed products: float64 steps in the same order as the reference.
    for (const [tile, cout, directions, cin] of [
      [2, 16, 8, 12],
      [4, 16, 8, 12],
      [4, 64, 32, 64],
    ] as const) {
      const tiles = random(rng, winogradPoints(tile) * cout * directions * cin);
      const run = (be: NumericBackend) => {
        const out = be.allocUninitialized(directions * cout * 9 * cin);
        be.winogradWeights({ tile, tiles: onBackend(be, tiles), cout, directions, cin, out });
        return Float32Array.from(out);
      };
      const want = run(jsBackend());
      assert.deepEqual(run(one), want, `one thread, weights F(${tile}) ${cout} x ${directions} x ${cin}`);
      assert.deepEqual(run(two), want, `two threads, weights F(${tile}) ${cout} x ${directions} x ${cin}`);
    }
  } finally {
    await one.dispose();
    await two.dispose();
  }
});

test('the exact kernel takes the Winograd path, with the same scores on 1 and 2 threads (FMA build)', async () => {
  const parsed = parseArchString(
    '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|',
  );
  assert.ok(parsed.ok);
  const options = {
    size: { channels: 8, cellsPerStage: 1 },
    kernel: 'exact' as const,
    variants: ['clean' as const],
    attack: defaultAttack('pgd', 8),
    tradeOff: 0.5,
    seed: 1,
    baselines: false,
  };
  const inputs = syntheticInputs('cifar10', 6, 1);
  assert.deepEqual(
    [
      [32, 32, 8],
      [16, 16, 8],
      [8, 8, 4],
      [4, 8, 8],
      [8, 24, 8],
      [4, 4, 8],
      [32, 32, 3],
    ].map(([h, w, cin]) => winogradTile(3, 1, 1, h, w, cin)),
    [4, 4, 4, 2, 2, 0, 0],
  );
  assert.equal(winogradTile(1, 1, 0, 8, 8, 8), 0);
  // NAS-Bench-201's 32x32, 16x16 and 8x8 stages all take 4x4 tiles (2x2 tiles serve images with h % 8 == 4).
  const calls = { conv2: 0, conv4: 0, weights2: 0, weights4: 0 };
  const spied = (be: NumericBackend): NumericBackend => {
    const wrapper = Object.create(be) as NumericBackend;
    wrapper.winogradConv = (x) => (calls[`conv${x.tile}`]++, be.winogradConv.call(wrapper, x));
    wrapper.winogradWeightGradient = (x) => (calls[`weights${x.tile}`]++, be.winogradWeightGradient.call(wrapper, x));
    return wrapper;
  };
  const one = wasmBackend(allKernelsWasmBinaries(), { memoryBytes: 512 * MB });
  const two = wasmBackend(allKernelsWasmBinaries(), { threads: 2, memoryBytes: 512 * MB });
  try {
    await two.threadsReady();
    const a = computeNtkScoresSync(parsed.cell, { options, inputs, backend: spied(one) });
    assert.ok(calls.conv4 > 0 && calls.weights4 > 0, `Winograd calls ${JSON.stringify(calls)}`);
    const b = computeNtkScoresSync(parsed.cell, { options, inputs, backend: two });
    assert.deepEqual({ ...b, seconds: 0 }, { ...a, seconds: 0 });
  } finally {
    await one.dispose();
    await two.dispose();
  }
});
