/**
 * Elementwise kernels of the engine (ReLU, BatchNorm, sums) in plain TypeScript: the fallback back end's
 * implementation and the reference wasm/kernels/elementwise.ts mirrors operation for operation. Per-element
 * BatchNorm arithmetic is float64 (JavaScript numbers) rounded to float32 once on store; every float64 sum runs in
 * two lanes - lane 0 takes the even elements, lane 1 the odd ones, lane0 + lane1 at the end - the order the SIMD
 * kernel's f64x2 accumulator gives, so both back ends produce the same bits.
 */

import type { BnGroupSums } from './backend';

/** Two-lane float64 sum of a[offset .. offset+m). */
function sum2(a: Float32Array, offset: number, m: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < m; i += 2) {
    s0 += a[offset + i];
    s1 += a[offset + i + 1];
  }
  if (i < m) s0 += a[offset + i];
  return s0 + s1;
}

function squaredDeviations2(a: Float32Array, offset: number, m: number, mu: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const d0 = a[offset + i] - mu;
    const d1 = a[offset + i + 1] - mu;
    s0 += d0 * d0;
    s1 += d1 * d1;
  }
  if (i < m) {
    const d0 = a[offset + i] - mu;
    s0 += d0 * d0;
  }
  return s0 + s1;
}

function dot2(a: Float32Array, ao: number, b: Float32Array, bo: number, m: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < m; i += 2) {
    s0 += a[ao + i] * b[bo + i];
    s1 += a[ao + i + 1] * b[bo + i + 1];
  }
  if (i < m) s0 += a[ao + i] * b[bo + i];
  return s0 + s1;
}

/** y = x > 0 ? x : 0. */
export function reluForward(x: Float32Array, y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0;
}

/** In place: g[(ch*D + d)*bhw + i] = x[ch*bhw + i] > 0 ? g[...] : 0. */
export function reluBackward(x: Float32Array, g: Float32Array, c: number, D: number, bhw: number): void {
  for (let ch = 0; ch < c; ch++) {
    for (let d = 0; d < D; d++) {
      const o = (ch * D + d) * bhw;
      const xo = ch * bhw;
      for (let i = 0; i < bhw; i++) if (!(x[xo + i] > 0)) g[o + i] = 0;
    }
  }
}

/**
 * The backward pass of 2x2 average pooling, stride 2 (ops/avgPool2x2.ts): every pixel of each h x w plane of dX
 * gets a quarter of its window's entry of dOut ([planes][h / 2][w / 2]). A quarter of a float32 is exact in
 * float64 and rounds to float32 once, as the kernel's float32 product does.
 */
export function avgPool2x2Backward(dOut: Float32Array, dX: Float32Array, planes: number, h: number, w: number): void {
  const ho = h / 2;
  const wo = w / 2;
  for (let pl = 0; pl < planes; pl++) {
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++) {
        const g = 0.25 * dOut[(pl * ho + i) * wo + j];
        const q = pl * h * w + 2 * i * w + 2 * j;
        dX[q] = g;
        dX[q + 1] = g;
        dX[q + w] = g;
        dX[q + w + 1] = g;
      }
    }
  }
}

/** dst += src. */
export function addInto(dst: Float32Array, src: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dst[i] += src[i];
}

/** Per channel and group: mean and 1/sqrt(biased variance + eps) of x [c][b][hw], groups of b/groups samples. */
export function bnStatistics(
  x: Float32Array,
  c: number,
  b: number,
  groups: number,
  hw: number,
  mean: Float64Array,
  invStd: Float64Array,
  eps: number,
): void {
  const bg = b / groups;
  const m = bg * hw;
  for (let ch = 0; ch < c; ch++) {
    for (let g = 0; g < groups; g++) {
      const start = (ch * b + g * bg) * hw;
      const mu = sum2(x, start, m) / m;
      const v = squaredDeviations2(x, start, m, mu);
      mean[ch * groups + g] = mu;
      invStd[ch * groups + g] = 1 / Math.sqrt(v / m + eps);
    }
  }
}

/** xhat = f32((x - mean) * invStd); y = f32(gamma * xhat + beta), per channel and group. */
export function bnForward(
  x: Float32Array,
  xhat: Float32Array,
  y: Float32Array,
  c: number,
  b: number,
  groups: number,
  hw: number,
  mean: Float64Array,
  invStd: Float64Array,
  gamma: Float32Array,
  beta: Float32Array,
): void {
  const bg = b / groups;
  const m = bg * hw;
  for (let ch = 0; ch < c; ch++) {
    const ga = gamma[ch];
    const bt = beta[ch];
    for (let g = 0; g < groups; g++) {
      const mu = mean[ch * groups + g];
      const is = invStd[ch * groups + g];
      const start = (ch * b + g * bg) * hw;
      for (let i = start; i < start + m; i++) {
        xhat[i] = (x[i] - mu) * is;
        y[i] = ga * xhat[i] + bt;
      }
    }
  }
}

/**
 * Row (perSample ? s : d) of dGamma/dBeta [rows][c] gains the sums over the sample's plane of g * xhat and g. With
 * `groupSums`, its `sums` [c][D][groups][2] also receive the sums of g and g * xhat over each group of b / groups
 * samples, for bnBackward.
 */
export function bnParamGrads(
  g: Float32Array,
  xhat: Float32Array,
  c: number,
  D: number,
  b: number,
  hw: number,
  dGamma: Float32Array,
  dBeta: Float32Array,
  perSample: boolean,
  groupSums?: BnGroupSums,
): void {
  for (let ch = 0; ch < c; ch++) {
    for (let d = 0; d < D; d++) {
      for (let s = 0; s < b; s++) {
        const o = ((ch * D + d) * b + s) * hw;
        const xo = (ch * b + s) * hw;
        const row = perSample ? s : d;
        dGamma[row * c + ch] += dot2(g, o, xhat, xo, hw);
        dBeta[row * c + ch] += sum2(g, o, hw);
      }
      if (groupSums) {
        // The sums bnBackward would take (the SIMD kernel gets them from the pass above).
        const { groups, sums } = groupSums;
        const m = (b / groups) * hw;
        for (let grp = 0; grp < groups; grp++) {
          const k = 2 * ((ch * D + d) * groups + grp);
          sums[k] = sum2(g, (ch * D + d) * b * hw + grp * m, m);
          sums[k + 1] = dot2(g, (ch * D + d) * b * hw + grp * m, xhat, ch * b * hw + grp * m, m);
        }
      }
    }
  }
}

/**
 * In place, BN's input gradient on g [c][D][b][hw] with scale = gamma * invStd: constant statistics give
 * scale * g; batch statistics give scale * ((g - mean(g)) - xhat * mean(g * xhat)) per channel, direction, group,
 * the two sums taken from `groupSums` (bnParamGrads') when given. Written to `out` (same layout) when given, g then
 * only read.
 */
export function bnBackward(
  g: Float32Array,
  xhat: Float32Array,
  c: number,
  D: number,
  b: number,
  groups: number,
  hw: number,
  gamma: Float32Array,
  invStd: Float64Array,
  constant: boolean,
  groupSums?: Float64Array,
  out: Float32Array = g,
): void {
  const bg = b / groups;
  const m = bg * hw;
  for (let ch = 0; ch < c; ch++) {
    const ga = gamma[ch];
    for (let d = 0; d < D; d++) {
      for (let grp = 0; grp < groups; grp++) {
        const scale = ga * invStd[ch * groups + grp];
        const o = ((ch * D + d) * b + grp * bg) * hw;
        const xo = (ch * b + grp * bg) * hw;
        if (constant) {
          for (let i = 0; i < m; i++) out[o + i] = scale * g[o + i];
          continue;
        }
        const k = 2 * ((ch * D + d) * groups + grp);
        const a1 = (groupSums ? groupSums[k] : sum2(g, o, m)) / m;
        const a2 = (groupSums ? groupSums[k + 1] : dot2(g, o, xhat, xo, m)) / m;
        for (let i = 0; i < m; i++) out[o + i] = scale * (g[o + i] - a1 - xhat[xo + i] * a2);
      }
    }
  }
}
