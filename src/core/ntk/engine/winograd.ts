import type { NumericBackend } from './backend';

/**
 * Winograd's minimal filtering F(2x2, 3x3) (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks",
 * CVPR 2016, section 4) for the exact NTK kernel's backward 3x3 convolutions. With n directions the exact kernel
 * runs n backward passes (918 GFLOP at full size, docs/ntk.md), nearly all of it 3x3 convolutions: the input
 * gradient (a "same" convolution of the cotangent) and the weight gradient (a correlation of the input with the
 * cotangent). Both go through 16-point transforms of 2x2 output tiles: 16 multiplies per tile and channel pair
 * instead of 36, the products being 16 small GEMMs.
 *
 * One dimension, y = A^T [(G g) . (B^T d)] with
 *   B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]   (4x4 input tile d, stride 2, padding 1)
 *   G   = [[1, 0, 0], [1/2, 1/2, 1/2], [1/2, -1/2, 1/2], [0, 0, 1]]      (3 filter taps g)
 *   A^T = [[1, 1, 1, 0], [0, 1, -1, -1]]                                 (2 outputs y)
 * computes y_i = sum_k d_(i+k) g_k; in two dimensions the transforms apply to columns, then rows.
 * The weight gradient needs o_k = sum_j x_(j+k) c_j (3 outputs o from 4 inputs x and a 2-tap cotangent tile c),
 * the same trilinear form with roles exchanged (the transposition principle): o = G^T [(A c) . (B^T x)], so its
 * input transform is the same B^T, the cotangent's is A = (A^T)^T and the output's G^T. Sums over tiles and
 * images happen between the transforms (they are linear), inside the GEMMs.
 *
 * Float32 error grows with the transforms by a few units in the last place (the 1/2s and the sums of 4); the exact
 * kernel is compared with PyTorch's float64 per-sample loop at 1e-4 (test/core/ntk/reference.test.ts).
 * wasm/kernels/winograd.ts performs the same float operations in the same order as the functions here, so the
 * TypeScript and SIMD128 back ends stay bit-identical.
 *
 * Layouts (as in the kernels): a tile set is 16 planes, plane t = 4 * i + k holding entry (i, k) of every tile's
 * transform; tiles of an image are numbered row by row, T = (h / 2) * (w / 2) per image.
 */

/**
 * The Winograd path's condition: 3x3, stride 1, padding 1, h a multiple of 4 and w of 8 (the kernels transform 4
 * tiles per vector, and an image's tiles fill whole 8-tile panels), and at least 4 input channels. The stem's 3
 * (RGB) make the weight gradient's products 3 columns wide: 0.6 GFLOP/s, 0.34 s where the direct product takes
 * about 0.03 s (npm run bench:ntk at the proxy size).
 */
export function winogradApplies(kernel: number, stride: number, pad: number, h: number, w: number, cin: number) {
  return kernel === 3 && stride === 1 && pad === 1 && h % 4 === 0 && w % 8 === 0 && cin >= 4;
}

/** Tiles of one h x w image. */
export function tilesOf(h: number, w: number): number {
  return (h / 2) * (w / 2);
}

/** A stride-1 "same" 3x3 convolution through F(2x2, 3x3): dst[m][images][h][w] from src[channels][images][h][w]. */
export interface WinogradConvArgs {
  readonly m: number;
  /** U_t = G w G^T: 16 planes of [m][channels] row-major (winogradFilter). */
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
  /** The convolution's input [xChannels][images][h][w]. */
  readonly x: Float32Array;
  readonly xChannels: number;
  /** The cotangent [cotangentChannels][images][h][w]. */
  readonly dOut: Float32Array;
  readonly cotangentChannels: number;
  readonly h: number;
  readonly w: number;
  readonly images: number;
  /** 16 planes of [cotangentChannels][xChannels]. */
  readonly out: Float32Array;
}

/**
 * U_t for the convolution with weights [m][channels][3][3] (`flip`: the weights of [channels][m][3][3] turned by
 * 180 degrees with the channel roles exchanged, which is what the input gradient of a convolution applies).
 * 16 planes of [m][channels], computed in float64 and rounded once.
 */
export function winogradFilter(be: NumericBackend, weights: Float32Array, m: number, channels: number, flip: boolean) {
  const u = be.allocUninitialized(16 * m * channels);
  const g = new Float64Array(9);
  const gw = new Float64Array(12);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < channels; c++) {
      for (let t = 0; t < 9; t++) g[t] = flip ? weights[(c * m + i) * 9 + 8 - t] : weights[(i * channels + c) * 9 + t];
      // G g (4x3), then (G g) G^T (4x4).
      for (let k = 0; k < 3; k++) {
        const [g0, g1, g2] = [g[k], g[3 + k], g[6 + k]];
        gw[k] = g0;
        gw[3 + k] = (g0 + g1 + g2) / 2;
        gw[6 + k] = (g0 - g1 + g2) / 2;
        gw[9 + k] = g2;
      }
      for (let r = 0; r < 4; r++) {
        const [a0, a1, a2] = [gw[3 * r], gw[3 * r + 1], gw[3 * r + 2]];
        const at = (4 * r * m + i) * channels + c;
        const plane = m * channels;
        u[at] = a0;
        u[at + plane] = (a0 + a1 + a2) / 2;
        u[at + 2 * plane] = (a0 - a1 + a2) / 2;
        u[at + 3 * plane] = a2;
      }
    }
  }
  return u;
}

/**
 * The weight gradients of `directions` cotangents from the transformed ones (16 planes of [cout * directions][cin],
 * row co * directions + d): G^T M G per (row, ci), as gramOnly's `rows` [directions][P] with the P entries of a
 * row in (co, ky, kx, ci) order. Each row's inputs and outputs are then read and written in order (the [P][D]
 * columns the direct product gives wrote each value D * cout floats from the last: 1.1 s of a full-size exact
 * score on the calling thread).
 */
export function winogradWeightsFromTiles(
  be: NumericBackend,
  tiles: Float32Array,
  cout: number,
  directions: number,
  cin: number,
) {
  const P = cout * 9 * cin;
  const out = be.allocUninitialized(directions * P);
  const plane = cout * directions * cin;
  const r = new Float64Array(12);
  for (let co = 0; co < cout; co++) {
    for (let d = 0; d < directions; d++) {
      const from = (co * directions + d) * cin;
      const to = d * P + co * 9 * cin;
      for (let ci = 0; ci < cin; ci++) {
        const at = from + ci;
        // G^T M (3x4): rows o0 = m0 + m1/2 + m2/2, o1 = m1/2 - m2/2, o2 = m1/2 + m2/2 + m3 over the 4 columns k.
        for (let k = 0; k < 4; k++) {
          const m0 = tiles[at + k * plane];
          const m1 = tiles[at + (4 + k) * plane];
          const m2 = tiles[at + (8 + k) * plane];
          const m3 = tiles[at + (12 + k) * plane];
          r[k] = m0 + m1 / 2 + m2 / 2;
          r[4 + k] = m1 / 2 - m2 / 2;
          r[8 + k] = m1 / 2 + m2 / 2 + m3;
        }
        for (let ky = 0; ky < 3; ky++) {
          const q = 4 * ky;
          const tap = to + ky * 3 * cin + ci;
          out[tap] = r[q] + r[q + 1] / 2 + r[q + 2] / 2;
          out[tap + cin] = r[q + 1] / 2 - r[q + 2] / 2;
          out[tap + 2 * cin] = r[q + 1] / 2 + r[q + 2] / 2 + r[q + 3];
        }
      }
    }
  }
  return out;
}

const f32 = Math.fround;

/** Element (row r, column j) of a channel-rows plane with `rows` rows (the GEMM's 8-column panel layout). */
const channelRows = (rows: number, r: number, j: number) => (((j >> 3) * rows + r) << 3) + (j & 7);
/** Element (channel c, tile j) of a tile-rows plane with `tiles` inner rows. */
const tileRows = (tiles: number, c: number, j: number) => (((c >> 3) * tiles + j) << 3) + (c & 7);

/**
 * B^T d B of every 4x4 tile (stride 2, padding 1) of image `image` of src ([channels][totalImages][h][w]), plane t
 * at dst[dstOffset + t * planeFloats ..], element (c, j) at `index(c, j)`. Columns first, then rows, as the kernel.
 */
function inputTiles(
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
  const at = (c: number, y: number, x: number) =>
    y < 0 || y >= h || x < 0 || x >= w ? 0 : src[(c * totalImages + image) * h * w + y * w + x];
  const v = new Float32Array(16);
  for (let c = 0; c < channels; c++) {
    for (let ty = 0; ty < h / 2; ty++) {
      for (let tx = 0; tx < w / 2; tx++) {
        for (let k = 0; k < 4; k++) {
          const x = 2 * tx - 1 + k;
          const [d0, d1, d2, d3] = [0, 1, 2, 3].map((i) => at(c, 2 * ty - 1 + i, x));
          v[k] = d0 - d2;
          v[4 + k] = d1 + d2;
          v[8 + k] = d2 - d1;
          v[12 + k] = d1 - d3;
        }
        const j = ty * (w / 2) + tx;
        for (let i = 0; i < 4; i++) {
          const [v0, v1, v2, v3] = [v[4 * i], v[4 * i + 1], v[4 * i + 2], v[4 * i + 3]];
          const plane = dstOffset + 4 * i * planeFloats + index(c, j);
          dst[plane] = v0 - v2;
          dst[plane + planeFloats] = v1 + v2;
          dst[plane + 2 * planeFloats] = v2 - v1;
          dst[plane + 3 * planeFloats] = v1 - v3;
        }
      }
    }
  }
}

/** A^T m A of every tile: m plane t row-major [rows][T] at t * rows * T, into image `image` of dst. */
function outputTiles(
  m: Float32Array,
  rows: number,
  h: number,
  w: number,
  dst: Float32Array,
  image: number,
  totalImages: number,
): void {
  const tiles = tilesOf(h, w);
  const plane = rows * tiles;
  const col = new Float32Array(8);
  for (let r = 0; r < rows; r++) {
    const out = (r * totalImages + image) * h * w;
    for (let j = 0; j < tiles; j++) {
      const at = r * tiles + j;
      for (let k = 0; k < 4; k++) {
        const [m0, m1, m2, m3] = [0, 1, 2, 3].map((i) => m[at + (4 * i + k) * plane]);
        // Each sum rounded to float32 step by step, as the kernel's f32x4 adds are.
        col[k] = f32(m0 + m1) + m2;
        col[4 + k] = f32(m1 - m2) - m3;
      }
      const y = 2 * Math.floor(j / (w / 2));
      const x = 2 * (j % (w / 2));
      for (let i = 0; i < 2; i++) {
        const [a0, a1, a2, a3] = [col[4 * i], col[4 * i + 1], col[4 * i + 2], col[4 * i + 3]];
        dst[out + (y + i) * w + x] = f32(a0 + a1) + a2;
        dst[out + (y + i) * w + x + 1] = f32(a1 - a2) - a3;
      }
    }
  }
}

/**
 * The reference convolution: per image, input tiles, 16 products U_t V_t (be.gemmPackedB), output tiles. Its
 * tiles are float32, as the kernels' are: the float64 back end (SynFlow, Hessian tests) never takes this path,
 * which only the exact kernel's multi-direction passes do.
 */
export function winogradConvReference(be: NumericBackend, x: WinogradConvArgs): void {
  const { m, channels, h, w, images } = x;
  const tiles = tilesOf(h, w);
  const vPlane = channels * tiles;
  const v = be.allocUninitialized(16 * vPlane);
  const out = be.allocUninitialized(16 * m * tiles);
  for (let img = 0; img < images; img++) {
    inputTiles(x.src, channels, h, w, img, images, v, 0, vPlane, (c, j) => channelRows(channels, c, j));
    for (let t = 0; t < 16; t++) {
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
    outputTiles(out, m, h, w, x.dst, img, images);
  }
  be.free(out);
  be.free(v);
}

/** The input's tiles for the weight gradient: per image, 16 tile-rows planes (plane t of image i at t*images + i). */
export function winogradWeightTiles(x: Float32Array, channels: number, h: number, w: number, images: number) {
  const tiles = tilesOf(h, w);
  const block = Math.ceil(channels / 8) * 8 * tiles;
  const dst = new Float32Array(16 * images * block);
  for (let img = 0; img < images; img++) {
    inputTiles(x, channels, h, w, img, images, dst, img * block, images * block, (c, j) => tileRows(tiles, c, j));
  }
  return dst;
}

/**
 * The reference weight gradient: per image in order, the cotangent's tiles A c A^T (row-major here; the kernel
 * keeps them in panels, the same values), then out_t (+)= C_t X_t for the 16 points.
 */
export function winogradWeightGradientReference(be: NumericBackend, x: WinogradWeightGradientArgs): void {
  const { xChannels, cotangentChannels: rows, h, w, images } = x;
  const tiles = tilesOf(h, w);
  const block = Math.ceil(xChannels / 8) * 8 * tiles;
  const xTiles = winogradWeightTiles(x.x, xChannels, h, w, images);
  const plane = rows * tiles;
  const c = new Float32Array(16 * plane);
  const u = new Float32Array(8);
  for (let img = 0; img < images; img++) {
    for (let r = 0; r < rows; r++) {
      const base = (r * images + img) * h * w;
      for (let j = 0; j < tiles; j++) {
        const y = 2 * Math.floor(j / (w / 2));
        const xx = 2 * (j % (w / 2));
        const g00 = x.dOut[base + y * w + xx];
        const g01 = x.dOut[base + y * w + xx + 1];
        const g10 = x.dOut[base + (y + 1) * w + xx];
        const g11 = x.dOut[base + (y + 1) * w + xx + 1];
        // Rows of A c: c0, c0 + c1, c0 - c1, -c1 (per column), then the same along each row.
        u.set([g00, g01, g00 + g10, g01 + g11, g00 - g10, g01 - g11, -g10, -g11]);
        for (let i = 0; i < 4; i++) {
          const [u0, u1] = [u[2 * i], u[2 * i + 1]];
          const at = 4 * i * plane + r * tiles + j;
          c[at] = u0;
          c[at + plane] = u0 + u1;
          c[at + 2 * plane] = u0 - u1;
          c[at + 3 * plane] = -u1;
        }
      }
    }
    for (let t = 0; t < 16; t++) {
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
