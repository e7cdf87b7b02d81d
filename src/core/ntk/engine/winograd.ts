import type { NumericBackend } from './backend';

/**
 * Winograd's minimal filtering F(2x2, 3x3) and F(4x4, 3x3) (Lavin & Gray, "Fast Algorithms for Convolutional
 * Neural Networks", CVPR 2016, sections 4-5) for the exact NTK kernel's backward 3x3 convolutions. With n
 * directions the exact kernel runs n backward passes (918 GFLOP at full size, docs/ntk.md), nearly all of it 3x3
 * convolutions: the input gradient (a "same" convolution of the cotangent) and the weight gradient (a correlation
 * of the input with the cotangent). Both go through transforms of tile x tile output tiles: (tile + 2)^2
 * multiplies per tile and channel pair instead of 9 * tile^2 (16 instead of 36 for 2x2 tiles, 36 instead of 144
 * for 4x4), the products being (tile + 2)^2 small GEMMs.
 *
 * One dimension, y = A^T [(G g) . (B^T d)]. F(2, 3) (points 0, 1, -1, infinity):
 *   B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]   (4 inputs d, tiles 2 apart, padding 1)
 *   G   = [[1, 0, 0], [1/2, 1/2, 1/2], [1/2, -1/2, 1/2], [0, 0, 1]]      (3 filter taps g)
 *   A^T = [[1, 1, 1, 0], [0, 1, -1, -1]]                                 (2 outputs y)
 * F(4, 3) (points 0, 1, -1, 2, -2, infinity; the matrices of the paper's section 5):
 *   B^T = [[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0], [0, -2, -1, 2, 1, 0],
 *          [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]]                     (6 inputs, tiles 4 apart, padding 1)
 *   G   = [[1/4, 0, 0], [-1/6, -1/6, -1/6], [-1/6, 1/6, -1/6], [1/24, 1/12, 1/6], [1/24, -1/12, 1/6], [0, 0, 1]]
 *   A^T = [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]]
 * computes y_i = sum_k d_(i+k) g_k; in two dimensions the transforms apply to columns, then rows.
 * The weight gradient needs o_k = sum_j x_(j+k) c_j (3 outputs o from the inputs x and a cotangent tile c),
 * the same trilinear form with roles exchanged (the transposition principle): o = G^T [(A c) . (B^T x)], so its
 * input transform is the same B^T, the cotangent's is A = (A^T)^T and the output's G^T. Sums over tiles and
 * images happen between the transforms (they are linear), inside the GEMMs.
 *
 * Float32 error grows with the transforms: a few units in the last place for F(2, 3), more for F(4, 3), whose
 * entries reach 5 in B^T and 8 in A^T (test/core/ntk/winograd.test.ts bounds both against float64 sums); the
 * exact kernel is compared with PyTorch's float64 per-sample loop at 1e-4 (test/core/ntk/reference.test.ts).
 * wasm/kernels/winograd.ts performs the same float operations in the same order as the functions here, so the
 * TypeScript and SIMD128 back ends stay bit-identical.
 *
 * Layouts (as in the kernels): a tile set is (tile + 2)^2 planes, plane t = (tile + 2) * i + k holding entry
 * (i, k) of every tile's transform; tiles of an image are numbered row by row, T = (h / tile) * (w / tile).
 */

/** Output tile side: 2 for F(2x2, 3x3) (16 points), 4 for F(4x4, 3x3) (36 points). */
export type WinogradTile = 2 | 4;

/** Transform points per tile (and products per batch): (tile + 2)^2. */
export function winogradPoints(tile: WinogradTile): number {
  return (tile + 2) * (tile + 2);
}

/**
 * The Winograd path's condition and tile: 3x3, stride 1, padding 1, at least 4 input channels, and tiles that
 * the kernels take 4 at a time: F(4x4, 3x3) when h % 8 == 0 and w % 16 == 0 (4 tiles along a row) or w == 8
 * (2 tiles of 2 tile rows), else F(2x2, 3x3) when h % 4 == 0 and w % 8 == 0; 0 for the direct product. The
 * stem's 3 (RGB) channels make the weight gradient's products 3 columns wide: 0.6 GFLOP/s, 0.34 s where the
 * direct product takes about 0.03 s (npm run bench:ntk at the proxy size).
 */
export function winogradTile(
  kernel: number,
  stride: number,
  pad: number,
  h: number,
  w: number,
  cin: number,
): 0 | WinogradTile {
  if (kernel !== 3 || stride !== 1 || pad !== 1 || h % 4 !== 0 || cin < 4) return 0;
  return h % 8 === 0 && (w % 16 === 0 || w === 8) ? 4 : w % 8 === 0 ? 2 : 0;
}

/** Tiles of one h x w image. */
export function tilesOf(h: number, w: number, tile: WinogradTile): number {
  return (h / tile) * (w / tile);
}

/** A stride-1 "same" 3x3 convolution through Winograd: dst[m][images][h][w] from src[channels][images][h][w]. */
export interface WinogradConvArgs {
  readonly tile: WinogradTile;
  readonly m: number;
  /** U_t = G w G^T: (tile + 2)^2 planes of [m][channels] row-major (winogradFilter). */
  readonly u: Float32Array;
  readonly src: Float32Array;
  readonly channels: number;
  readonly h: number;
  readonly w: number;
  readonly images: number;
  readonly dst: Float32Array;
}

/**
 * The transformed weight gradient: out plane t ([cotangentChannels][xChannels] row-major) =
 * sum over images and tiles of (A c A^T)_t x (B^T x B)_t, with c the cotangent tiles and x the input's.
 */
export interface WinogradWeightGradientArgs {
  readonly tile: WinogradTile;
  /** The convolution's input [xChannels][images][h][w]. */
  readonly x: Float32Array;
  readonly xChannels: number;
  /** The cotangent [cotangentChannels][images][h][w]. */
  readonly dOut: Float32Array;
  readonly cotangentChannels: number;
  readonly h: number;
  readonly w: number;
  readonly images: number;
  /** (tile + 2)^2 planes of [cotangentChannels][xChannels]. */
  readonly out: Float32Array;
}

/** G g of 3 taps (float64): the 4 or 6 values of F(2, 3) or F(4, 3). */
function filterTransform(tile: WinogradTile, g0: number, g1: number, g2: number, out: Float64Array, at: number) {
  if (tile === 2) {
    out[at] = g0;
    out[at + 1] = (g0 + g1 + g2) / 2;
    out[at + 2] = (g0 - g1 + g2) / 2;
    out[at + 3] = g2;
  } else {
    out[at] = g0 / 4;
    out[at + 1] = -(g0 + g1 + g2) / 6;
    out[at + 2] = -(g0 - g1 + g2) / 6;
    out[at + 3] = g0 / 24 + g1 / 12 + g2 / 6;
    out[at + 4] = g0 / 24 - g1 / 12 + g2 / 6;
    out[at + 5] = g2;
  }
}

/**
 * U_t for the convolution with weights [m][channels][3][3] (`flip`: the weights of [channels][m][3][3] turned by
 * 180 degrees with the channel roles exchanged, which is what the input gradient of a convolution applies).
 * (tile + 2)^2 planes of [m][channels], computed in float64 and rounded once.
 */
export interface WinogradFilterArgs {
  readonly tile: WinogradTile;
  readonly weights: Float32Array;
  readonly m: number;
  readonly channels: number;
  readonly flip: boolean;
  /** (tile + 2)^2 * m * channels floats. */
  readonly out: Float32Array;
}

/** {@link WinogradFilterArgs} into a new buffer of the back end (its kernel; reference: winogradFilterReference). */
export function winogradFilter(
  be: NumericBackend,
  weights: Float32Array,
  m: number,
  channels: number,
  flip: boolean,
  tile: WinogradTile,
) {
  const out = be.allocUninitialized(winogradPoints(tile) * m * channels);
  be.winogradFilter({ tile, weights, m, channels, flip, out });
  return out;
}

/**
 * The reference of {@link WinogradFilterArgs}: per (i, c), G g (n x 3), then (G g) G^T (n x n), each entry by
 * filterTransform's expressions; wasm/kernels/winograd.ts winogradFilter evaluates the same ones (bit-identical).
 */
export function winogradFilterReference(x: WinogradFilterArgs): void {
  const { tile, weights, m, channels, flip, out: u } = x;
  const n = tile + 2;
  const plane = m * channels;
  const g = new Float64Array(9);
  const gw = new Float64Array(3 * n);
  const row = new Float64Array(n);
  const col = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < channels; c++) {
      for (let t = 0; t < 9; t++) g[t] = flip ? weights[(c * m + i) * 9 + 8 - t] : weights[(i * channels + c) * 9 + t];
      // G g (n x 3: row r at gw[3 * r ..]), then (G g) G^T (n x n).
      for (let k = 0; k < 3; k++) {
        filterTransform(tile, g[k], g[3 + k], g[6 + k], col, 0);
        for (let r = 0; r < n; r++) gw[3 * r + k] = col[r];
      }
      for (let r = 0; r < n; r++) {
        filterTransform(tile, gw[3 * r], gw[3 * r + 1], gw[3 * r + 2], row, 0);
        for (let k = 0; k < n; k++) u[(n * r + k) * plane + i * channels + c] = row[k];
      }
    }
  }
}

/**
 * The weight gradients of `directions` cotangents from their transformed products ((tile + 2)^2 planes of
 * [cout * directions][cin], row co * directions + d): G^T M G per (row, ci), in float64, into `out` as gramOnly's
 * `rows` [directions][P] with the P entries of a row in (co, ky, kx, ci) order. Each row's inputs and outputs are
 * then read and written in order (the [P][D] columns the direct product gives wrote each value D * cout floats
 * from the last: 1.1 s of a full-size exact score on the calling thread).
 */
export interface WinogradWeightsArgs {
  readonly tile: WinogradTile;
  readonly tiles: Float32Array;
  readonly cout: number;
  readonly directions: number;
  readonly cin: number;
  /** directions * cout * 9 * cin floats. */
  readonly out: Float32Array;
}

/**
 * The reference of {@link WinogradWeightsArgs}, row by row (co * directions + d order). The loops run along ci,
 * contiguous in every plane; wasm/kernels/winograd.ts winogradWeights performs the same float64 operations (a
 * per-entry helper returning arrays made F(4x4, 3x3)'s 36 planes cost 2.9 s of a full-size score).
 */
export function winogradWeightsReference(x: WinogradWeightsArgs): void {
  const { tile, tiles, directions, cin, out } = x;
  const n = tile + 2;
  const P = x.cout * 9 * cin;
  const plane = x.cout * directions * cin;
  // G^T M along the columns: entry (ky, k) of every ci at r[(n * ky + k) * cin ..].
  const r = new Float64Array(3 * n * cin);
  for (let row = 0; row < x.cout * directions; row++) {
    const co = Math.floor(row / directions);
    const d = row % directions;
    const from = row * cin;
    const to = d * P + co * 9 * cin;
    // Column k of the tile reads planes n * i + k, i = 0 .. n - 1; row ky of the result then reads r's n entries
    // (ky, k). Both steps apply G^T with the same expressions (weightTransform's).
    for (let k = 0; k < n; k++) weightTransform(tile, tiles, from + k * plane, n * plane, r, k * cin, n * cin, cin);
    for (let ky = 0; ky < 3; ky++) weightTransform(tile, r, n * ky * cin, cin, out, to + ky * 3 * cin, cin, cin);
  }
}

/**
 * G^T m (float64) for `count` consecutive vectors: m_i at src[from + i * step + e], the 3 taps written to
 * dst[to + tap * dstStep + e], e = 0 .. count - 1. Each expression is evaluated left to right, as the kernel's.
 */
function weightTransform(
  tile: WinogradTile,
  src: ArrayLike<number>,
  from: number,
  step: number,
  dst: Float32Array | Float64Array,
  to: number,
  dstStep: number,
  count: number,
) {
  for (let e = 0; e < count; e++) {
    const at = from + e;
    const m0 = src[at];
    const m1 = src[at + step];
    const m2 = src[at + 2 * step];
    const m3 = src[at + 3 * step];
    if (tile === 2) {
      dst[to + e] = m0 + m1 / 2 + m2 / 2;
      dst[to + dstStep + e] = m1 / 2 - m2 / 2;
      dst[to + 2 * dstStep + e] = m1 / 2 + m2 / 2 + m3;
    } else {
      const m4 = src[at + 4 * step];
      const m5 = src[at + 5 * step];
      dst[to + e] = m0 / 4 - (m1 + m2) / 6 + (m3 + m4) / 24;
      dst[to + dstStep + e] = (m2 - m1) / 6 + (m3 - m4) / 12;
      dst[to + 2 * dstStep + e] = (m3 + m4 - m1 - m2) / 6 + m5;
    }
  }
}

const f32 = Math.fround;

/**
 * The float32 one-dimensional transforms, each a fixed sequence of rounded operations that the kernels repeat
 * lane-wise (f32x4 mul, add, sub: WebAssembly never fuses them). Multiplications by 2, 4 and 8 are exact.
 */

/** B^T d of F(2, 3) or F(4, 3): d holds tile + 2 values at d[at + step * i], written to out[0 ..]. */
function inputTransform(tile: WinogradTile, d: ArrayLike<number>, at: number, step: number, out: Float32Array) {
  if (tile === 2) {
    const [d0, d1, d2, d3] = [d[at], d[at + step], d[at + 2 * step], d[at + 3 * step]];
    out[0] = d0 - d2;
    out[1] = d1 + d2;
    out[2] = d2 - d1;
    out[3] = d1 - d3;
    return;
  }
  const [d0, d1, d2, d3, d4, d5] = [0, 1, 2, 3, 4, 5].map((i) => d[at + i * step]);
  const s12 = f32(d1 + d2);
  const s34 = f32(d3 + d4);
  const u12 = f32(d1 - d2);
  const u43 = f32(d4 - d3);
  const v42 = f32(d4 - d2);
  const w31 = f32(d3 - d1);
  out[0] = f32(f32(4 * d0) - f32(5 * d2)) + d4;
  out[1] = s34 - 4 * s12;
  out[2] = u43 + 4 * u12;
  out[3] = v42 + 2 * w31;
  out[4] = v42 - 2 * w31;
  out[5] = f32(f32(4 * d1) - f32(5 * d3)) + d5;
}

/** A^T m: tile values from the tile + 2 at m[at + step * i], written to out[0 ..]. */
function outputTransform(tile: WinogradTile, m: ArrayLike<number>, at: number, step: number, out: Float32Array) {
  if (tile === 2) {
    const [m0, m1, m2, m3] = [m[at], m[at + step], m[at + 2 * step], m[at + 3 * step]];
    out[0] = f32(m0 + m1) + m2;
    out[1] = f32(m1 - m2) - m3;
    return;
  }
  const [m0, m1, m2, m3, m4, m5] = [0, 1, 2, 3, 4, 5].map((i) => m[at + i * step]);
  const a12 = f32(m1 + m2);
  const s12 = f32(m1 - m2);
  const a34 = f32(m3 + m4);
  const s34 = f32(m3 - m4);
  out[0] = f32(m0 + a12) + a34;
  out[1] = s12 + 2 * s34;
  out[2] = a12 + 4 * a34;
  out[3] = f32(s12 + 8 * s34) + m5;
}

/** A c of a cotangent tile: tile + 2 values from the tile at c[at + step * i], written to out[0 ..]. */
function cotangentTransform(tile: WinogradTile, c: ArrayLike<number>, at: number, step: number, out: Float32Array) {
  if (tile === 2) {
    const [c0, c1] = [c[at], c[at + step]];
    out[0] = c0;
    out[1] = c0 + c1;
    out[2] = c0 - c1;
    out[3] = -c1;
    return;
  }
  const [c0, c1, c2, c3] = [c[at], c[at + step], c[at + 2 * step], c[at + 3 * step]];
  const p02 = f32(c0 + c2);
  const p13 = f32(c1 + c3);
  const q02 = f32(c0 + 4 * c2);
  const q13 = f32(2 * c1 + 8 * c3);
  out[0] = c0;
  out[1] = p02 + p13;
  out[2] = p02 - p13;
  out[3] = q02 + q13;
  out[4] = q02 - q13;
  out[5] = c3;
}

/** Element (row r, column j) of a channel-rows plane with `rows` rows (the GEMM's 8-column panel layout). */
const channelRows = (rows: number, r: number, j: number) => (((j >> 3) * rows + r) << 3) + (j & 7);
/** Element (channel c, tile j) of a tile-rows plane with `tiles` inner rows. */
const tileRows = (tiles: number, c: number, j: number) => (((c >> 3) * tiles + j) << 3) + (c & 7);

/**
 * B^T d B of every (tile + 2)-square input tile (tiles `tile` apart, padding 1) of image `image` of src
 * ([channels][totalImages][h][w]), plane t at dst[dstOffset + t * planeFloats ..], element (c, j) at
 * `index(c, j)`. Columns first, then rows, as the kernel.
 */
function inputTiles(
  tile: WinogradTile,
  src: Float32Array,
  channels: number,
  h: number,
  w: number,
  image: number,
  totalImages: number,
  dst: Float32Array,
  dstOffset: number,
  planeFloats: number,
  index: (c: number, j: number) => number,
): void {
  const n = tile + 2;
  const at = (c: number, y: number, x: number) =>
    y < 0 || y >= h || x < 0 || x >= w ? 0 : src[(c * totalImages + image) * h * w + y * w + x];
  const d = new Float32Array(n);
  const column = new Float32Array(n);
  // v[n * i + k]: entry i of the transformed column k.
  const v = new Float32Array(n * n);
  const row = new Float32Array(n);
  for (let c = 0; c < channels; c++) {
    for (let ty = 0; ty < h / tile; ty++) {
      for (let tx = 0; tx < w / tile; tx++) {
        for (let k = 0; k < n; k++) {
          for (let i = 0; i < n; i++) d[i] = at(c, tile * ty - 1 + i, tile * tx - 1 + k);
          inputTransform(tile, d, 0, 1, column);
          for (let i = 0; i < n; i++) v[n * i + k] = column[i];
        }
        const j = ty * (w / tile) + tx;
        for (let i = 0; i < n; i++) {
          inputTransform(tile, v, n * i, 1, row);
          for (let k = 0; k < n; k++) dst[dstOffset + (n * i + k) * planeFloats + index(c, j)] = row[k];
        }
      }
    }
  }
}

/** A^T m A of every tile: m plane t row-major [rows][T] at t * rows * T, into image `image` of dst. */
function outputTiles(
  tile: WinogradTile,
  m: Float32Array,
  rows: number,
  h: number,
  w: number,
  dst: Float32Array,
  image: number,
  totalImages: number,
): void {
  const n = tile + 2;
  const tiles = tilesOf(h, w, tile);
  const plane = rows * tiles;
  // col[n * i + k]: output row i of column k (column sums first, as the kernel).
  const col = new Float32Array(tile * n);
  const column = new Float32Array(tile);
  const out = new Float32Array(tile);
  for (let r = 0; r < rows; r++) {
    const base = (r * totalImages + image) * h * w;
    for (let j = 0; j < tiles; j++) {
      const at = r * tiles + j;
      for (let k = 0; k < n; k++) {
        outputTransform(tile, m, at + k * plane, n * plane, column);
        for (let i = 0; i < tile; i++) col[n * i + k] = column[i];
      }
      const y = tile * Math.floor(j / (w / tile));
      const x = tile * (j % (w / tile));
      for (let i = 0; i < tile; i++) {
        outputTransform(tile, col, n * i, 1, out);
        for (let q = 0; q < tile; q++) dst[base + (y + i) * w + x + q] = out[q];
      }
    }
  }
}

/**
 * The reference convolution: per image, input tiles, the (tile + 2)^2 products U_t V_t (be.gemmPackedB), output
 * tiles. Its tiles are float32, as the kernels' are: the float64 back end (SynFlow, Hessian tests) never takes
 * this path, which only the exact kernel's multi-direction passes do.
 */
export function winogradConvReference(be: NumericBackend, x: WinogradConvArgs): void {
  const { tile, m, channels, h, w, images } = x;
  const points = winogradPoints(tile);
  const tiles = tilesOf(h, w, tile);
  // Channel-rows planes hold whole 8-tile panels (4x4 tiles of an 8x8 image fill half of one).
  const vPlane = channels * Math.ceil(tiles / 8) * 8;
  const v = be.allocUninitialized(points * vPlane);
  const out = be.allocUninitialized(points * m * tiles);
  for (let img = 0; img < images; img++) {
    inputTiles(tile, x.src, channels, h, w, img, images, v, 0, vPlane, (c, j) => channelRows(channels, c, j));
    for (let t = 0; t < points; t++) {
      be.gemmPackedB({
        transA: false,
        m,
        n: tiles,
        k: channels,
        alpha: 1,
        a: x.u.subarray(t * m * channels, (t + 1) * m * channels),
        lda: channels,
        b: v.subarray(t * vPlane, (t + 1) * vPlane),
        beta: 0,
        c: out,
        cOffset: t * m * tiles,
        ldc: tiles,
      });
    }
    outputTiles(tile, out, m, h, w, x.dst, img, images);
  }
  be.free(out);
  be.free(v);
}

/** The input's tiles for the weight gradient: per image, tile-rows planes (plane t of image i at t*images + i). */
export function winogradWeightTiles(
  tile: WinogradTile,
  x: Float32Array,
  channels: number,
  h: number,
  w: number,
  images: number,
) {
  const tiles = tilesOf(h, w, tile);
  const block = Math.ceil(channels / 8) * 8 * tiles;
  const dst = new Float32Array(winogradPoints(tile) * images * block);
  for (let img = 0; img < images; img++) {
    const index = (c: number, j: number) => tileRows(tiles, c, j);
    inputTiles(tile, x, channels, h, w, img, images, dst, img * block, images * block, index);
  }
  return dst;
}

/**
 * The reference weight gradient: per image in order, the cotangent's tiles A c A^T (row-major here; the kernel
 * keeps them in panels, the same values; along columns first, then rows), then out_t (+)= C_t X_t for the
 * (tile + 2)^2 points.
 */
export function winogradWeightGradientReference(be: NumericBackend, x: WinogradWeightGradientArgs): void {
  const { tile, xChannels, cotangentChannels: rows, h, w, images } = x;
  const n = tile + 2;
  const points = n * n;
  const tiles = tilesOf(h, w, tile);
  const block = Math.ceil(xChannels / 8) * 8 * tiles;
  const xTiles = winogradWeightTiles(tile, x.x, xChannels, h, w, images);
  const plane = rows * tiles;
  const c = new Float32Array(points * plane);
  // u[n * i + q]: entry i of the transformed column q.
  const u = new Float32Array(n * tile);
  const column = new Float32Array(n);
  const row = new Float32Array(n);
  for (let img = 0; img < images; img++) {
    for (let r = 0; r < rows; r++) {
      const base = (r * images + img) * h * w;
      for (let j = 0; j < tiles; j++) {
        const y = tile * Math.floor(j / (w / tile));
        const xx = tile * (j % (w / tile));
        for (let q = 0; q < tile; q++) {
          cotangentTransform(tile, x.dOut, base + y * w + xx + q, w, column);
          for (let i = 0; i < n; i++) u[tile * i + q] = column[i];
        }
        for (let i = 0; i < n; i++) {
          cotangentTransform(tile, u, tile * i, 1, row);
          for (let k = 0; k < n; k++) c[(n * i + k) * plane + r * tiles + j] = row[k];
        }
      }
    }
    for (let t = 0; t < points; t++) {
      be.gemmPackedB({
        transA: false,
        m: rows,
        n: xChannels,
        k: tiles,
        alpha: 1,
        a: c.subarray(t * plane, (t + 1) * plane),
        lda: tiles,
        b: xTiles.subarray((t * images + img) * block, (t * images + img + 1) * block),
        beta: img > 0 ? 1 : 0,
        c: x.out,
        cOffset: t * rows * xChannels,
        ldc: xChannels,
      });
    }
  }
}
