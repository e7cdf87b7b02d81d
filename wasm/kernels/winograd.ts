// Winograd's minimal filtering F(2x2, 3x3) and F(4x4, 3x3) (Lavin & Gray, "Fast Algorithms for Convolutional
// Neural Networks", CVPR 2016) for the exact NTK kernel's backward 3x3 convolutions: (tile + 2)^2 multiplies per
// output tile and channel pair instead of 9 * tile^2. The TypeScript reference, with the transform matrices and
// the derivation of the weight gradient's F(3x3, tile) from them, is src/core/ntk/engine/winograd.ts; these
// kernels perform the same float operations in the same order (the transforms' f32x4 mul, add and sub, the panel
// GEMM in p order), so they are bit-identical to it in the SIMD128 builds.
// Layouts: a tile set is n^2 planes (n = tile + 2), plane t = n * i + k holding entry (i, k) of every tile's
// transform. Within a plane, "channel rows" puts element (channel c, tile j) at ((j >> 3) * C + c) * 8 + (j & 7)
// (the GEMM's panel layout for an A with C rows or a B with C inner rows); "tile rows" puts it at
// ((c >> 3) * T + j) * 8 + (c & 7) (a B with T inner rows and C columns). Tiles of an image are numbered row by
// row, T = (h / tile) * (w / tile).
import { gemmPackedB } from './gemm';
import { madd, nmadd } from './lib/madd';

/**
 * Floats between consecutive planes beyond their contents: one cache line. The transforms write (or read) all 16
 * planes of a tile at once, and planes a power of two apart (C * T floats) all map to the same L1 sets; without
 * this, the cotangent's transform at 16 channels took 60% of the weight gradient (now 20-27%).
 */
const PLANE_PAD = 16;

/**
 * Floats of the row scratch the input transform needs: tile + 2 rows of w values with 4 zeros on either side (for
 * 4x4 tiles, per tile row of a group: groupRows), and for 4x4 tiles 6 vectors more (Transform4.rowTransform's
 * `spread`).
 */
function rowFloats(w: i32, tile: i32): i32 {
  return tile == 4 ? 6 * (w + 8) * groupRows(w) + 24 : 4 * (w + 8);
}

/** Transform points per tile: (tile + 2)^2. */
function points(tile: i32): i32 {
  return (tile + 2) * (tile + 2);
}

/** Tiles of one h x w image. */
function tilesOf(h: i32, w: i32, tile: i32): i32 {
  return (h / tile) * (w / tile);
}

/**
 * Stores 4 tiles' values of one plane in the channel-rows (layout 0) or tile-rows (layout 1) order (-O3 inlines
 * it; lib/madd.ts says why there is no `@inline`).
 */
function storeTiles(plane: usize, layout: i32, rowsOrTiles: i32, c: i32, j: i32, v: v128): void {
  if (layout == 0) {
    v128.store(plane + ((<usize>((((j >> 3) * rowsOrTiles + c) << 3) + (j & 7))) << 2), v);
  } else {
    const at = plane + ((<usize>((((c >> 3) * rowsOrTiles + j) << 3) + (c & 7))) << 2);
    store<f32>(at, f32x4.extract_lane(v, 0));
    store<f32>(at, f32x4.extract_lane(v, 1), 32);
    store<f32>(at, f32x4.extract_lane(v, 2), 64);
    store<f32>(at, f32x4.extract_lane(v, 3), 96);
  }
}

/**
 * B^T d B of every overlapping 4x4 tile (stride 2, one zero of padding) of one image's `channels` planes (plane c
 * at image + c * channelStride bytes), B^T = [[1,0,-1,0],[0,1,1,0],[0,-1,1,0],[0,1,0,-1]]. The column transform
 * runs on whole rows into `rows`; the row transform then takes 4 tiles at a time from the even and odd columns.
 * Writes plane t at dst + t * planeFloats floats. Needs w % 8 == 0 and h even.
 */
function inputTiles2(
  image: usize,
  channelStride: usize,
  channels: i32,
  h: i32,
  w: i32,
  rows: usize,
  dst: usize,
  planeFloats: i32,
  layout: i32,
  tileRows: i32,
  jOffset: i32 = 0,
): void {
  const zero = f32x4.splat(0);
  const rowBytes = (<usize>(w + 8)) << 2;
  memory.fill(rows, 0, (<usize>rowFloats(w, 2)) << 2);
  const halfW = w >> 1;
  const planeBytes = (<usize>planeFloats) << 2;
  const stride = layout == 0 ? channels : tileRows;
  // Tile rows outside, channels inside: the channel-rows layout then fills each panel's rows in order (channels
  // outside scattered every store C * 32 bytes from the last, over more lines than L1 holds).
  for (let ty = 0; ty < h >> 1; ty++) {
    for (let c = 0; c < channels; c++) {
      const chan = image + <usize>c * channelStride;
      const y1 = 2 * ty;
      const above = chan + ((<usize>((y1 - 1) * w)) << 2);
      const row1 = chan + ((<usize>(y1 * w)) << 2);
      const row2 = row1 + ((<usize>w) << 2);
      const below = row2 + ((<usize>w) << 2);
      for (let x = 0; x < w; x += 4) {
        const off = (<usize>x) << 2;
        const r0 = ty > 0 ? v128.load(above + off) : zero;
        const r1 = v128.load(row1 + off);
        const r2 = v128.load(row2 + off);
        const r3 = y1 + 2 < h ? v128.load(below + off) : zero;
        const v = rows + 16 + off;
        v128.store(v, f32x4.sub(r0, r2));
        v128.store(v + rowBytes, f32x4.add(r1, r2));
        v128.store(v + 2 * rowBytes, f32x4.sub(r2, r1));
        v128.store(v + 3 * rowBytes, f32x4.sub(r1, r3));
      }
      for (let i = 0; i < 4; i++) {
        const v = rows + 16 + <usize>i * rowBytes;
        const plane = dst + <usize>(4 * i) * planeBytes;
        for (let x0 = 0; x0 < w; x0 += 8) {
          const base = v + ((<usize>x0) << 2);
          const a = v128.load(base);
          const b = v128.load(base, 16);
          const before = v128.load(base - 8);
          const after = v128.load(base, 24);
          const even = v128.shuffle<f32>(a, b, 0, 2, 4, 6);
          const odd = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
          // Column 2tx - 1 of tile tx (odd column of the tile before) and column 2tx + 2 (even column after).
          const oddBefore = v128.shuffle<f32>(before, v128.load(base, 8), 1, 3, 5, 7);
          const evenAfter = v128.shuffle<f32>(v128.load(base, 8), after, 0, 2, 4, 6);
          const j = jOffset + ty * halfW + (x0 >> 1);
          storeTiles(plane, layout, stride, c, j, f32x4.sub(oddBefore, odd));
          storeTiles(plane + planeBytes, layout, stride, c, j, f32x4.add(even, odd));
          storeTiles(plane + 2 * planeBytes, layout, stride, c, j, f32x4.sub(odd, even));
          storeTiles(plane + 3 * planeBytes, layout, stride, c, j, f32x4.sub(even, evenAfter));
        }
      }
    }
  }
}

/**
 * A g A^T of every 2x2 tile (no overlap) of one image's `channels` planes, A = [[1,0],[1,1],[1,-1],[0,-1]]:
 * the cotangent side of the weight gradient's F(3x3, 2x2). Channel-rows layout with `channels` rows.
 */
function gradTiles2(
  image: usize,
  channelStride: usize,
  channels: i32,
  h: i32,
  w: i32,
  dst: usize,
  planeFloats: i32,
): void {
  const planeBytes = (<usize>planeFloats) << 2;
  const halfW = w >> 1;
  // Tile rows outside, channels inside, for the same reason as in inputTiles.
  for (let ty = 0; ty < h >> 1; ty++) {
    for (let c = 0; c < channels; c++) {
      const chan = image + <usize>c * channelStride;
      const row0 = chan + ((<usize>(2 * ty * w)) << 2);
      const row1 = row0 + ((<usize>w) << 2);
      for (let x0 = 0; x0 < w; x0 += 8) {
        const off = (<usize>x0) << 2;
        const a0 = v128.load(row0 + off);
        const b0 = v128.load(row0 + off, 16);
        const a1 = v128.load(row1 + off);
        const b1 = v128.load(row1 + off, 16);
        const g00 = v128.shuffle<f32>(a0, b0, 0, 2, 4, 6);
        const g01 = v128.shuffle<f32>(a0, b0, 1, 3, 5, 7);
        const g10 = v128.shuffle<f32>(a1, b1, 0, 2, 4, 6);
        const g11 = v128.shuffle<f32>(a1, b1, 1, 3, 5, 7);
        const j = ty * halfW + (x0 >> 1);
        const at = dst + ((<usize>((((j >> 3) * channels + c) << 3) + (j & 7))) << 2);
        // Rows of A g: g0, g0 + g1, g0 - g1, -g1 (per column k); then the same along each row.
        for (let i = 0; i < 4; i++) {
          let u0: v128, u1: v128;
          if (i == 0) {
            u0 = g00;
            u1 = g01;
          } else if (i == 1) {
            u0 = f32x4.add(g00, g10);
            u1 = f32x4.add(g01, g11);
          } else if (i == 2) {
            u0 = f32x4.sub(g00, g10);
            u1 = f32x4.sub(g01, g11);
          } else {
            u0 = f32x4.neg(g10);
            u1 = f32x4.neg(g11);
          }
          const plane = at + <usize>(4 * i) * planeBytes;
          v128.store(plane, u0);
          v128.store(plane + planeBytes, f32x4.add(u0, u1));
          v128.store(plane + 2 * planeBytes, f32x4.sub(u0, u1));
          v128.store(plane + 3 * planeBytes, f32x4.neg(u1));
        }
      }
    }
  }
}

/**
 * A^T m A of every tile, A^T = [[1,1,1,0],[0,1,-1,-1]]: the 2x2 outputs of `rows` channels from m's planes
 * (planeFloats apart; row r of one at r * ldm floats, its tiles in order), into one image (plane r at image +
 * r * channelStride bytes).
 */
function outputTiles2(
  m: usize,
  rows: i32,
  h: i32,
  w: i32,
  image: usize,
  channelStride: usize,
  planeFloats: i32,
  ldm: i32,
): void {
  const planeBytes = (<usize>planeFloats) << 2;
  const halfW = w >> 1;
  for (let r = 0; r < rows; r++) {
    const chan = image + <usize>r * channelStride;
    const src = m + ((<usize>(r * ldm)) << 2);
    for (let ty = 0; ty < h >> 1; ty++) {
      const out0 = chan + ((<usize>(2 * ty * w)) << 2);
      const out1 = out0 + ((<usize>w) << 2);
      for (let x0 = 0; x0 < w; x0 += 8) {
        const at = src + ((<usize>(ty * halfW + (x0 >> 1))) << 2);
        // Column sums first (over i), then along each row, as the reference does.
        const m00 = v128.load(at);
        const m01 = v128.load(at + planeBytes);
        const m02 = v128.load(at + 2 * planeBytes);
        const m03 = v128.load(at + 3 * planeBytes);
        const m10 = v128.load(at + 4 * planeBytes);
        const m11 = v128.load(at + 5 * planeBytes);
        const m12 = v128.load(at + 6 * planeBytes);
        const m13 = v128.load(at + 7 * planeBytes);
        const m20 = v128.load(at + 8 * planeBytes);
        const m21 = v128.load(at + 9 * planeBytes);
        const m22 = v128.load(at + 10 * planeBytes);
        const m23 = v128.load(at + 11 * planeBytes);
        const m30 = v128.load(at + 12 * planeBytes);
        const m31 = v128.load(at + 13 * planeBytes);
        const m32 = v128.load(at + 14 * planeBytes);
        const m33 = v128.load(at + 15 * planeBytes);
        const r00 = f32x4.add(f32x4.add(m00, m10), m20);
        const r01 = f32x4.add(f32x4.add(m01, m11), m21);
        const r02 = f32x4.add(f32x4.add(m02, m12), m22);
        const r03 = f32x4.add(f32x4.add(m03, m13), m23);
        const r10 = f32x4.sub(f32x4.sub(m10, m20), m30);
        const r11 = f32x4.sub(f32x4.sub(m11, m21), m31);
        const r12 = f32x4.sub(f32x4.sub(m12, m22), m32);
        const r13 = f32x4.sub(f32x4.sub(m13, m23), m33);
        const y00 = f32x4.add(f32x4.add(r00, r01), r02);
        const y01 = f32x4.sub(f32x4.sub(r01, r02), r03);
        const y10 = f32x4.add(f32x4.add(r10, r11), r12);
        const y11 = f32x4.sub(f32x4.sub(r11, r12), r13);
        const o = (<usize>x0) << 2;
        v128.store(out0 + o, v128.shuffle<f32>(y00, y01, 0, 4, 1, 5));
        v128.store(out0 + o, v128.shuffle<f32>(y00, y01, 2, 6, 3, 7), 16);
        v128.store(out1 + o, v128.shuffle<f32>(y10, y11, 0, 4, 1, 5));
        v128.store(out1 + o, v128.shuffle<f32>(y10, y11, 2, 6, 3, 7), 16);
      }
    }
  }
}

/**
 * Tile rows one group of 4 tiles spans: 1 when a tile row holds a multiple of 4 tiles (w % 16 == 0), 2 for 8-wide
 * images (2 tiles a row: the group is tiles (ty, 0), (ty, 1), (ty + 1, 0), (ty + 1, 1), consecutive numbers too).
 */
function groupRows(w: i32): i32 {
  return w == 8 ? 2 : 1;
}

/**
 * Bytes from tile l = 0's first pixel to tile l = 2's in a group: 8 tiles' pixels along the row, or 4 image rows
 * down for 8-wide images (tile l = 1 and 3 are always 4 pixels right of 0 and 2).
 */
function laneTwoBytes(w: i32): usize {
  return w == 8 ? (<usize>(4 * w)) << 2 : 32;
}

/**
 * F(4, 3)'s input transform and the row step that calls it, as `@inline` static methods: AssemblyScript's -O3 left
 * both as calls (each has two callers), and V8 does not inline WebAssembly calls, so every row of 4 tiles passed 8
 * vectors and 7 integers to one call and 6 vectors to the next. Inlined, the 4x4 input gradient's Winograd
 * convolution takes 0.89-1.0x and the input tiles 0.79-0.93x the time (a micro-benchmark of the kernels, the two
 * builds alternating in one process; 16 to 64 channels). A decorator on a plain function does not parse for the
 * TypeScript linter; on a static method it does.
 */
class Transform4 {
  /**
   * Stores B^T d of F(4, 3) (6 values from 6, engine/winograd.ts inputTransform) at out + k * stepBytes: rows of
   * the column pass, channel-rows planes of the row pass (tile rows go through rowTransform's `spread`). The
   * multiplies by 2 and 4 are exact, so each is fused with the add after it (lib/madd.ts: one instruction in the
   * relaxed-SIMD builds, the same values in every build); so are those of the cotangent and output transforms.
   * In the FMA build the Winograd convolution of 1,024 images took 50.4 -> 47.5 ms at 16 channels 32x32 and
   * 43.8 -> 39.8 ms at 32 at 16x16 (one thread, medians of 11 alternating with the separate multiplies).
   */
  @inline static inputTransform(
    d0: v128,
    d1: v128,
    d2: v128,
    d3: v128,
    d4: v128,
    d5: v128,
    out: usize,
    stepBytes: usize,
  ): void {
    const four = f32x4.splat(4);
    const s12 = f32x4.add(d1, d2);
    const s34 = f32x4.add(d3, d4);
    const u12 = f32x4.sub(d1, d2);
    const u43 = f32x4.sub(d4, d3);
    const v42 = f32x4.sub(d4, d2);
    const d31 = f32x4.sub(d3, d1);
    const minusFive = f32x4.splat(-5);
    v128.store(out, f32x4.add(madd(four, d0, f32x4.mul(minusFive, d2)), d4));
    v128.store(out + stepBytes, nmadd(four, s12, s34));
    v128.store(out + 2 * stepBytes, madd(four, u12, u43));
    v128.store(out + 3 * stepBytes, madd(f32x4.splat(2), d31, v42));
    v128.store(out + 4 * stepBytes, nmadd(f32x4.splat(2), d31, v42));
    v128.store(out + 5 * stepBytes, f32x4.add(madd(four, d1, f32x4.mul(minusFive, d3)), d5));
  }

  /**
   * The row transform of 4 tiles and its stores: a_l = the 4 values from column -1 of tile l, b_l = the 4 from
   * its column 3 (columns -1 .. 4 are the 6 the transform needs), gathered by a 4x4 transpose. Channel rows: each
   * plane's 4 values are one vector. Tile rows (the weight gradient's input, once per call): through `spread`,
   * then one float per tile.
   */
  @inline static rowTransform(
    a0: v128,
    a1: v128,
    a2: v128,
    a3: v128,
    b0: v128,
    b1: v128,
    b2: v128,
    b3: v128,
    plane: usize,
    planeBytes: usize,
    layout: i32,
    stride: i32,
    c: i32,
    j: i32,
    spread: usize,
  ): void {
    const lo01 = v128.shuffle<f32>(a0, a1, 0, 4, 1, 5);
    const lo23 = v128.shuffle<f32>(a2, a3, 0, 4, 1, 5);
    const hi01 = v128.shuffle<f32>(a0, a1, 2, 6, 3, 7);
    const hi23 = v128.shuffle<f32>(a2, a3, 2, 6, 3, 7);
    const next01 = v128.shuffle<f32>(b0, b1, 0, 4, 1, 5);
    const next23 = v128.shuffle<f32>(b2, b3, 0, 4, 1, 5);
    const to = layout == 0 ? plane + ((<usize>((((j >> 3) * stride + c) << 3) + (j & 7))) << 2) : spread;
    Transform4.inputTransform(
      v128.shuffle<f32>(lo01, lo23, 0, 1, 4, 5),
      v128.shuffle<f32>(lo01, lo23, 2, 3, 6, 7),
      v128.shuffle<f32>(hi01, hi23, 0, 1, 4, 5),
      v128.shuffle<f32>(hi01, hi23, 2, 3, 6, 7),
      v128.shuffle<f32>(next01, next23, 0, 1, 4, 5),
      v128.shuffle<f32>(next01, next23, 2, 3, 6, 7),
      to,
      layout == 0 ? planeBytes : 16,
    );
    if (layout != 0) {
      for (let k = 0; k < 6; k++) {
        storeTiles(plane + <usize>k * planeBytes, 1, stride, c, j, v128.load(spread + <usize>k * 16));
      }
    }
  }
}

/**
 * The F(4, 3) input tiles of one image: 6x6 tiles 4 apart with one zero of padding, B^T d B. The column transform
 * runs on whole rows into `rows` (6 rows of w + 8 floats, 4 zeros either side, per tile row of a group); the row
 * transform then takes 4 tiles at a time (Transform4.rowTransform). Writes plane t at dst + t * planeFloats
 * floats. Needs h % 8 == 0 and w % 16 == 0 or w == 8.
 */
function inputTiles4(
  image: usize,
  channelStride: usize,
  channels: i32,
  h: i32,
  w: i32,
  rows: usize,
  dst: usize,
  planeFloats: i32,
  layout: i32,
  tileRows: i32,
  jOffset: i32 = 0,
): void {
  const zero = f32x4.splat(0);
  const rowBytes = (<usize>(w + 8)) << 2;
  const group = groupRows(w);
  const setBytes = 6 * rowBytes;
  memory.fill(rows, 0, <usize>group * setBytes);
  const tilesW = w >> 2;
  const planeBytes = (<usize>planeFloats) << 2;
  const stride = layout == 0 ? channels : tileRows;
  const rowStride = (<usize>w) << 2;
  const spread = rows + <usize>group * setBytes;
  // Tile rows outside, channels inside, as in inputTiles2.
  for (let ty0 = 0; ty0 < h >> 2; ty0 += group) {
    for (let c = 0; c < channels; c++) {
      for (let s = 0; s < group; s++) {
        const y0 = 4 * (ty0 + s) - 1;
        const first = image + <usize>c * channelStride + ((<usize>(y0 * w)) << 2);
        const set = rows + 16 + <usize>s * setBytes;
        for (let x = 0; x < w; x += 4) {
          const at = first + ((<usize>x) << 2);
          const d0 = y0 >= 0 ? v128.load(at) : zero;
          const d1 = v128.load(at + rowStride);
          const d2 = v128.load(at + 2 * rowStride);
          const d3 = v128.load(at + 3 * rowStride);
          const d4 = v128.load(at + 4 * rowStride);
          const d5 = y0 + 5 < h ? v128.load(at + 5 * rowStride) : zero;
          Transform4.inputTransform(d0, d1, d2, d3, d4, d5, set + ((<usize>x) << 2), rowBytes);
        }
      }
      for (let i = 0; i < 6; i++) {
        const v = rows + 16 + <usize>i * rowBytes;
        const plane = dst + <usize>(6 * i) * planeBytes;
        if (group == 2) {
          // Tiles (ty0, 0), (ty0, 1) from the first set's row i, (ty0 + 1, 0), (ty0 + 1, 1) from the second's.
          const u = v + setBytes;
          const a0 = v128.load(v - 4);
          const b0 = v128.load(v, 12);
          const b1 = v128.load(v, 28);
          const a2 = v128.load(u - 4);
          const b2 = v128.load(u, 12);
          const b3 = v128.load(u, 28);
          const j = jOffset + ty0 * tilesW;
          Transform4.rowTransform(a0, b0, a2, b2, b0, b1, b2, b3, plane, planeBytes, layout, stride, c, j, spread);
          continue;
        }
        for (let x0 = 0; x0 < w; x0 += 16) {
          // Tile l of the 4 reads columns x0 + 4l - 1 .. x0 + 4l + 4: a_l holds the first 4, a_(l+1) starts
          // with the last 2.
          const base = v + ((<usize>x0) << 2);
          const a0 = v128.load(base - 4);
          const a1 = v128.load(base, 12);
          const a2 = v128.load(base, 28);
          const a3 = v128.load(base, 44);
          const a4 = v128.load(base, 60);
          const j = jOffset + ty0 * tilesW + (x0 >> 2);
          Transform4.rowTransform(a0, a1, a2, a3, a1, a2, a3, a4, plane, planeBytes, layout, stride, c, j, spread);
        }
      }
    }
  }
}

/**
 * F(4, 3)'s cotangent side as `@inline` static methods (see Transform4 for why). A c (6 values from 4,
 * engine/winograd.ts cotangentTransform) of the weight gradient's F(3x3, 4x4), first along each tile's rows r
 * (vertical: a vector holds one tile row's 4 columns q), then along its columns q after a 4x4 transpose of 4 tiles'
 * vectors (a vector then holds one column of each of the 4 tiles).
 */
class Cotangent4 {
  /** Stores A c (cotangentTransform) at out + k * stepBytes. */
  @inline static transform(c0: v128, c1: v128, c2: v128, c3: v128, out: usize, stepBytes: usize): void {
    const p02 = f32x4.add(c0, c2);
    const p13 = f32x4.add(c1, c3);
    const q02 = madd(f32x4.splat(4), c2, c0);
    const q13 = madd(f32x4.splat(2), c1, f32x4.mul(f32x4.splat(8), c3));
    v128.store(out, c0);
    v128.store(out + stepBytes, f32x4.add(p02, p13));
    v128.store(out + 2 * stepBytes, f32x4.sub(p02, p13));
    v128.store(out + 3 * stepBytes, f32x4.add(q02, q13));
    v128.store(out + 4 * stepBytes, f32x4.sub(q02, q13));
    v128.store(out + 5 * stepBytes, c3);
  }

  /**
   * Entry i of the column pass for 4 tiles (a_l: tile l's, lanes = columns q), transposed so that each vector
   * holds column q of the 4 tiles, then the row pass into planes 6i .. 6i + 5 (the first at `plane`).
   */
  @inline static rowStep(a0: v128, a1: v128, a2: v128, a3: v128, plane: usize, planeBytes: usize): void {
    const lo01 = v128.shuffle<f32>(a0, a1, 0, 4, 1, 5);
    const lo23 = v128.shuffle<f32>(a2, a3, 0, 4, 1, 5);
    const hi01 = v128.shuffle<f32>(a0, a1, 2, 6, 3, 7);
    const hi23 = v128.shuffle<f32>(a2, a3, 2, 6, 3, 7);
    Cotangent4.transform(
      v128.shuffle<f32>(lo01, lo23, 0, 1, 4, 5),
      v128.shuffle<f32>(lo01, lo23, 2, 3, 6, 7),
      v128.shuffle<f32>(hi01, hi23, 0, 1, 4, 5),
      v128.shuffle<f32>(hi01, hi23, 2, 3, 6, 7),
      plane,
      planeBytes,
    );
  }

  /** p02 = c0 + c2 (entries 1 and 2) or, `weighted`, q02 = c0 + 4 c2 (entries 3 and 4): transform's terms. */
  @inline static even(c0: v128, c2: v128, weighted: bool): v128 {
    return weighted ? madd(f32x4.splat(4), c2, c0) : f32x4.add(c0, c2);
  }

  /** p13 = c1 + c3 or, `weighted`, q13 = 2 c1 + 8 c3. */
  @inline static odd(c1: v128, c3: v128, weighted: bool): v128 {
    return weighted ? madd(f32x4.splat(2), c1, f32x4.mul(f32x4.splat(8), c3)) : f32x4.add(c1, c3);
  }

  /**
   * Entries i and i + 1 of the column pass (i = 1: even + odd and even - odd unweighted; i = 3: weighted) of the 4
   * tiles whose row 0 starts at t0, t0 + 16, t2, t2 + 16 bytes, then their row passes into planes 6i .. 6i + 11.
   */
  @inline static pairStep(
    t0: usize,
    t2: usize,
    rowBytes: usize,
    weighted: bool,
    plane: usize,
    planeBytes: usize,
  ): void {
    const r2 = 2 * rowBytes;
    const r3 = 3 * rowBytes;
    const e0 = Cotangent4.even(v128.load(t0), v128.load(t0 + r2), weighted);
    const o0 = Cotangent4.odd(v128.load(t0 + rowBytes), v128.load(t0 + r3), weighted);
    const e1 = Cotangent4.even(v128.load(t0, 16), v128.load(t0 + r2, 16), weighted);
    const o1 = Cotangent4.odd(v128.load(t0 + rowBytes, 16), v128.load(t0 + r3, 16), weighted);
    const e2 = Cotangent4.even(v128.load(t2), v128.load(t2 + r2), weighted);
    const o2 = Cotangent4.odd(v128.load(t2 + rowBytes), v128.load(t2 + r3), weighted);
    const e3 = Cotangent4.even(v128.load(t2, 16), v128.load(t2 + r2, 16), weighted);
    const o3 = Cotangent4.odd(v128.load(t2 + rowBytes, 16), v128.load(t2 + r3, 16), weighted);
    Cotangent4.rowStep(f32x4.add(e0, o0), f32x4.add(e1, o1), f32x4.add(e2, o2), f32x4.add(e3, o3), plane, planeBytes);
    Cotangent4.rowStep(
      f32x4.sub(e0, o0),
      f32x4.sub(e1, o1),
      f32x4.sub(e2, o2),
      f32x4.sub(e3, o3),
      plane + 6 * planeBytes,
      planeBytes,
    );
  }
}

/**
 * A g A^T of every 4x4 tile (no overlap) of one image's `channels` planes: the cotangent side of the weight
 * gradient's F(3x3, 4x4), 4 tiles at a time, each column-pass entry from the tiles' rows straight to its row pass
 * (Cotangent4). Entries 0 and 5 are rows 0 and 3 themselves; 1 and 2, 3 and 4 share their terms. It used to
 * transpose the rows first and pass both steps through scratch: 76 stores per 4 tiles and channel against 36 (the
 * weight gradient of 32 directions of 32 images, one thread, medians of 7 alternating with the old build: 35.4 ->
 * 33.8 ms at 16 channels 32x32, 32.2 -> 30.3 at 32 at 16x16, 26.5 -> 26.0 at 64 at 8x8). Channel-rows layout with
 * `channels` rows.
 */
function gradTiles4(
  image: usize,
  channelStride: usize,
  channels: i32,
  h: i32,
  w: i32,
  dst: usize,
  planeFloats: i32,
  jOffset: i32,
): void {
  const planeBytes = (<usize>planeFloats) << 2;
  const tilesW = w >> 2;
  const rowBytes = (<usize>w) << 2;
  const group = groupRows(w);
  const laneTwo = laneTwoBytes(w);
  for (let ty0 = 0; ty0 < h >> 2; ty0 += group) {
    for (let c = 0; c < channels; c++) {
      const row0 = image + <usize>c * channelStride + ((<usize>(4 * ty0 * w)) << 2);
      for (let x0 = 0; x0 < w; x0 += 16) {
        // Tile l's row r at t0 + r * rowBytes (l = 0), t0 + 16, t2, t2 + 16.
        const t0 = row0 + ((<usize>x0) << 2);
        const t2 = t0 + laneTwo;
        const j = jOffset + ty0 * tilesW + (x0 >> 2);
        const at = dst + ((<usize>((((j >> 3) * channels + c) << 3) + (j & 7))) << 2);
        Cotangent4.rowStep(v128.load(t0), v128.load(t0, 16), v128.load(t2), v128.load(t2, 16), at, planeBytes);
        Cotangent4.pairStep(t0, t2, rowBytes, false, at + 6 * planeBytes, planeBytes);
        Cotangent4.pairStep(t0, t2, rowBytes, true, at + 18 * planeBytes, planeBytes);
        const t3 = t0 + 3 * rowBytes;
        const u3 = t2 + 3 * rowBytes;
        Cotangent4.rowStep(
          v128.load(t3),
          v128.load(t3, 16),
          v128.load(u3),
          v128.load(u3, 16),
          at + 30 * planeBytes,
          planeBytes,
        );
      }
    }
  }
}

/** A^T m of F(4, 3) (4 values from 6, engine/winograd.ts outputTransform), stored at out + i * stepBytes. */
function outputTransform4(
  m0: v128,
  m1: v128,
  m2: v128,
  m3: v128,
  m4: v128,
  m5: v128,
  out: usize,
  stepBytes: usize,
): void {
  const a12 = f32x4.add(m1, m2);
  const s12 = f32x4.sub(m1, m2);
  const a34 = f32x4.add(m3, m4);
  const s34 = f32x4.sub(m3, m4);
  v128.store(out, f32x4.add(f32x4.add(m0, a12), a34));
  v128.store(out + stepBytes, madd(f32x4.splat(2), s34, s12));
  v128.store(out + 2 * stepBytes, madd(f32x4.splat(4), a34, a12));
  v128.store(out + 3 * stepBytes, f32x4.add(madd(f32x4.splat(8), s34, s12), m5));
}

/**
 * The row pass of F(4, 3)'s output transform as an `@inline` static method (see Transform4 for why): A^T m of one
 * output row i of 4 tiles (m_k: column k's entry i, lanes = tiles), turned by a 4x4 transpose into each tile's 4
 * pixels of that row, stored at o (l = 0), o + 16, o + laneTwo, o + laneTwo + 16. The same expressions as
 * outputTransform4 in registers: it used to store the 4 results and load them again for the transpose (the
 * Winograd convolution of 1,024 images, one thread, medians of 7 alternating with the old build: 51.6 -> 47.6 ms
 * at 16 channels 32x32, 43.3 -> 40.4 at 32 at 16x16, 29.6 -> 29.4 at 64 at 8x8).
 */
class Output4 {
  @inline static row(m0: v128, m1: v128, m2: v128, m3: v128, m4: v128, m5: v128, o: usize, laneTwo: usize): void {
    const a12 = f32x4.add(m1, m2);
    const s12 = f32x4.sub(m1, m2);
    const a34 = f32x4.add(m3, m4);
    const s34 = f32x4.sub(m3, m4);
    const y0 = f32x4.add(f32x4.add(m0, a12), a34);
    const y1 = madd(f32x4.splat(2), s34, s12);
    const y2 = madd(f32x4.splat(4), a34, a12);
    const y3 = f32x4.add(madd(f32x4.splat(8), s34, s12), m5);
    // y_q holds output column q of the 4 tiles.
    const lo01 = v128.shuffle<f32>(y0, y1, 0, 4, 1, 5);
    const lo23 = v128.shuffle<f32>(y2, y3, 0, 4, 1, 5);
    const hi01 = v128.shuffle<f32>(y0, y1, 2, 6, 3, 7);
    const hi23 = v128.shuffle<f32>(y2, y3, 2, 6, 3, 7);
    v128.store(o, v128.shuffle<f32>(lo01, lo23, 0, 1, 4, 5));
    v128.store(o, v128.shuffle<f32>(lo01, lo23, 2, 3, 6, 7), 16);
    v128.store(o + laneTwo, v128.shuffle<f32>(hi01, hi23, 0, 1, 4, 5));
    v128.store(o + laneTwo, v128.shuffle<f32>(hi01, hi23, 2, 3, 6, 7), 16);
  }
}

/** Floats of scratch outputTiles4 needs: 4 x 6 column results. */
const OUTPUT_SCRATCH_FLOATS = 96;

/**
 * A^T m A of every 4x4 tile, 4 tiles at a time: columns first into `scratch` (OUTPUT_SCRATCH_FLOATS), then each
 * output row, whose 4 results per tile a 4x4 transpose turns into pixels. Arguments as outputTiles2.
 */
function outputTiles4(
  m: usize,
  rows: i32,
  h: i32,
  w: i32,
  image: usize,
  channelStride: usize,
  planeFloats: i32,
  ldm: i32,
  scratch: usize,
): void {
  const planeBytes = (<usize>planeFloats) << 2;
  const tilesW = w >> 2;
  const rowBytes = (<usize>w) << 2;
  const group = groupRows(w);
  const laneTwo = laneTwoBytes(w);
  for (let r = 0; r < rows; r++) {
    const chan = image + <usize>r * channelStride;
    const src = m + ((<usize>(r * ldm)) << 2);
    for (let ty0 = 0; ty0 < h >> 2; ty0 += group) {
      const out = chan + ((<usize>(4 * ty0 * w)) << 2);
      for (let x0 = 0; x0 < w; x0 += 16) {
        const at = src + ((<usize>(ty0 * tilesW + (x0 >> 2))) << 2);
        // Column k: output row i at scratch + (i * 6 + k) * 16 bytes.
        for (let k = 0; k < 6; k++) {
          const p = at + <usize>k * planeBytes;
          outputTransform4(
            v128.load(p),
            v128.load(p + 6 * planeBytes),
            v128.load(p + 12 * planeBytes),
            v128.load(p + 18 * planeBytes),
            v128.load(p + 24 * planeBytes),
            v128.load(p + 30 * planeBytes),
            scratch + <usize>k * 16,
            96,
          );
        }
        for (let i = 0; i < 4; i++) {
          const col = scratch + <usize>i * 96;
          Output4.row(
            v128.load(col),
            v128.load(col, 16),
            v128.load(col, 32),
            v128.load(col, 48),
            v128.load(col, 64),
            v128.load(col, 80),
            out + <usize>i * rowBytes + ((<usize>x0) << 2),
            laneTwo,
          );
        }
      }
    }
  }
}

/**
 * Images whose tiles go into one set of GEMMs, for about 128 tiles: 8 at 8x8, 2 at 16x16, 1 at 32x32 (2x2 tiles).
 * One 8x8 image alone gives products whose long side is 16 (C loaded and stored every 16 multiply-adds). At 64
 * channels, 8x8, one thread: the input gradient of 256 images 30.5 -> 21.5 ms, the weight gradient of 32
 * directions of 32 images 150 -> 93 ms (256 tiles a batch was slower than 128 at every size).
 */
function batchImages(tiles: i32): i32 {
  return max(1, 128 / tiles);
}

/** Floats of winogradConv's scratch before its tiles: the input transform's rows, then the output's scratch. */
function convRowFloats(w: i32, tile: i32): i32 {
  return max(rowFloats(w, tile), tile == 4 ? OUTPUT_SCRATCH_FLOATS : 0);
}

/** Floats of scratch one part of winogradConv needs. */
export function winogradConvScratchFloats(tile: i32, m: i32, channels: i32, h: i32, w: i32): i32 {
  const tiles = tilesOf(h, w, tile) * batchImages(tilesOf(h, w, tile));
  return convRowFloats(w, tile) + points(tile) * ((channels + m) * tiles + 2 * PLANE_PAD);
}

/**
 * A stride-1 "same" 3x3 convolution of images imageOffset.. of src ([channels][totalImages][h][w]) into dst
 * ([m][totalImages][h][w], the same images), a batch of images at a time (batchImages): input tiles, for each
 * of the (tile + 2)^2 points the product U_t V_t (gemmPackedB; U_t = plane t of u, m x channels in row panels,
 * uPlaneFloats apart), output tiles. A batch's tiles and products stay in `scratch` (winogradConvScratchFloats).
 * Each output value depends only on its own tile, so how images are batched or split does not change it.
 */
export function winogradConv(
  tile: i32,
  m: i32,
  u: usize,
  uPlaneFloats: i32,
  src: usize,
  channels: i32,
  h: i32,
  w: i32,
  images: i32,
  imageOffset: i32,
  totalImages: i32,
  dst: usize,
  scratch: usize,
): void {
  const hw = h * w;
  const tiles = tilesOf(h, w, tile);
  const n = points(tile);
  const batch = batchImages(tiles);
  const channelStride = (<usize>(totalImages * hw)) << 2;
  const v = scratch + ((<usize>convRowFloats(w, tile)) << 2);
  const vPlane = channels * tiles * batch + PLANE_PAD;
  const outPlane = m * tiles * batch + PLANE_PAD;
  const out = v + ((<usize>(n * vPlane)) << 2);
  const end = imageOffset + images;
  for (let i0 = imageOffset; i0 < end; i0 += batch) {
    const nb = min(batch, end - i0);
    // Channel-rows planes of nb * T columns: image i's tiles are numbers i * T .. of the batch (4x4 tiles of an
    // 8x8 image fill half a panel, the next image the other half).
    for (let i = 0; i < nb; i++) {
      const image = src + ((<usize>((i0 + i) * hw)) << 2);
      if (tile == 4) inputTiles4(image, channelStride, channels, h, w, scratch, v, vPlane, 0, 0, i * tiles);
      else inputTiles2(image, channelStride, channels, h, w, scratch, v, vPlane, 0, 0, i * tiles);
    }
    for (let t = 0; t < n; t++) {
      gemmPackedB(
        0,
        m,
        nb * tiles,
        channels,
        u + ((<usize>(t * uPlaneFloats)) << 2),
        0,
        m,
        v + ((<usize>(t * vPlane)) << 2),
        0,
        out + ((<usize>(t * outPlane)) << 2),
        nb * tiles,
      );
    }
    for (let i = 0; i < nb; i++) {
      const at = out + ((<usize>(i * tiles)) << 2);
      const image = dst + ((<usize>((i0 + i) * hw)) << 2);
      if (tile == 4) outputTiles4(at, m, h, w, image, channelStride, outPlane, nb * tiles, scratch);
      else outputTiles2(at, m, h, w, image, channelStride, outPlane, nb * tiles);
    }
  }
}

/** Floats winogradInputTiles writes: points planes of xPlane (the row scratch is separate, winogradRowFloats). */
export function winogradInputTilesFloats(tile: i32, channels: i32, h: i32, w: i32, images: i32): i32 {
  const tiles = tilesOf(h, w, tile);
  return points(tile) * (images * ((channels + 7) & ~7) * tiles + PLANE_PAD);
}

/** Floats of row scratch one part of winogradInputTiles needs (the input transform's rows). */
export function winogradRowFloats(tile: i32, w: i32): i32 {
  return rowFloats(w, tile);
}

/**
 * Images whose input tiles winogradInputTiles lays out together (one tile-rows block of nb * T rows per plane):
 * parts of a split call start on a multiple of it, so each writes whole blocks.
 */
export function winogradBatchImages(tile: i32, h: i32, w: i32): i32 {
  return batchImages(tilesOf(h, w, tile));
}

/**
 * The input tiles of images lo..lo+count-1 of src ([channels][images][h][w]; lo a multiple of
 * winogradBatchImages) for the weight gradient's B operands: per batch of images (batchImages) and point t, one
 * tile-rows plane of nb * T rows, at dst + t * xPlane + i0 * blockFloats floats (xPlane = images * blockFloats +
 * PLANE_PAD, blockFloats = channels rounded up to 8 times T). Each batch's block depends only on its own images,
 * so parts of images (split across threads, parallel.ts) write disjoint blocks with the values one call writes.
 * `rows`: winogradRowFloats floats of scratch.
 */
export function winogradInputTiles(
  tile: i32,
  src: usize,
  channels: i32,
  h: i32,
  w: i32,
  images: i32,
  dst: usize,
  lo: i32,
  count: i32,
  rows: usize,
): void {
  const hw = h * w;
  const tiles = tilesOf(h, w, tile);
  const batch = batchImages(tiles);
  const blockFloats = ((channels + 7) & ~7) * tiles;
  const xPlane = images * blockFloats + PLANE_PAD;
  const channelStride = (<usize>(images * hw)) << 2;
  const end = lo + count;
  for (let i0 = lo; i0 < end; i0 += batch) {
    // A batch never reaches past the images (the last one may be short), whichever part starts it.
    const nb = min(batch, images - i0);
    const block = dst + ((<usize>(i0 * blockFloats)) << 2);
    for (let i = 0; i < nb; i++) {
      const image = src + ((<usize>((i0 + i) * hw)) << 2);
      if (tile == 4) inputTiles4(image, channelStride, channels, h, w, rows, block, xPlane, 1, nb * tiles, i * tiles);
      else inputTiles2(image, channelStride, channels, h, w, rows, block, xPlane, 1, nb * tiles, i * tiles);
    }
  }
}

/**
 * Cotangent channels whose tiles are transformed and multiplied together: a block's planes (at most 2^17 floats,
 * 512 KB) stay in L2 between the transform and the GEMMs. One part of all 512 rows at 32x32 (8 MB) ran 3.2x
 * slower than two parts of 256 rows, each of them in blocks (npm run bench:ntk, one thread against two).
 */
function rowBlock(tile: i32, tiles: i32): i32 {
  return max(4, ((1 << 17) / (points(tile) * tiles * batchImages(tiles))) & ~3);
}

/** Floats of scratch one part of winogradWeightGradient needs for `channels` cotangent channels. */
export function winogradWeightGradientScratchFloats(tile: i32, channels: i32, h: i32, w: i32): i32 {
  const tiles = tilesOf(h, w, tile);
  return points(tile) * (min(channels, rowBlock(tile, tiles)) * tiles * batchImages(tiles) + PLANE_PAD);
}

/**
 * The transformed weight gradient of the cotangent channels lo..lo+channels-1 of dOut ([totalChannels][images][h][w]:
 * channel c at dOut + c * images * h * w floats): out plane t ([totalChannels][xChannels] row-major,
 * outPlaneFloats apart) row c = sum over images (in order) and tiles (in order) of the cotangent's tile transform
 * times the input's (xTiles: winogradInputTiles of the `images` images of xChannels channels). Batches of images
 * (outside, so a batch's input tiles stay in cache) and blocks of rows (inside) only change which products run
 * when: every sum still runs over images and tiles in order.
 */
export function winogradWeightGradient(
  tile: i32,
  lo: i32,
  channels: i32,
  dOut: usize,
  images: i32,
  h: i32,
  w: i32,
  xTiles: usize,
  xChannels: i32,
  out: usize,
  outPlaneFloats: i32,
  scratch: usize,
): void {
  const hw = h * w;
  const tiles = tilesOf(h, w, tile);
  const n = points(tile);
  const batch = batchImages(tiles);
  const block = min(channels, rowBlock(tile, tiles));
  const channelStride = (<usize>(images * hw)) << 2;
  const blockFloats = ((xChannels + 7) & ~7) * tiles;
  const xPlane = images * blockFloats + PLANE_PAD;
  for (let i0 = 0; i0 < images; i0 += batch) {
    const nb = min(batch, images - i0);
    for (let r0 = 0; r0 < channels; r0 += block) {
      const rows = min(block, channels - r0);
      // Whole 8-tile panels: a last batch of an odd number of 8x8 images ends in half a panel.
      const gPlane = rows * ((tiles * nb + 7) & ~7) + PLANE_PAD;
      const first = dOut + <usize>(lo + r0) * channelStride;
      // Panels of 8 tiles along p: image i's tiles are numbers i * T .. of the batch (whole panels for 2x2
      // tiles, rows * T floats into each plane; 4x4 tiles of 8x8 images fill half a panel).
      for (let i = 0; i < nb; i++) {
        const image = first + ((<usize>((i0 + i) * hw)) << 2);
        if (tile == 4) gradTiles4(image, channelStride, rows, h, w, scratch, gPlane, i * tiles);
        else gradTiles2(image, channelStride, rows, h, w, scratch + ((<usize>(i * rows * tiles)) << 2), gPlane);
      }
      for (let t = 0; t < n; t++) {
        gemmPackedB(
          0,
          rows,
          xChannels,
          nb * tiles,
          scratch + ((<usize>(t * gPlane)) << 2),
          0,
          rows,
          xTiles + ((<usize>(t * xPlane + i0 * blockFloats)) << 2),
          i0 > 0 ? 1 : 0,
          out + ((<usize>(t * outPlaneFloats + (lo + r0) * xChannels)) << 2),
          xChannels,
        );
      }
    }
  }
}

/**
 * G^T m in float64 for `count` consecutive vectors (engine/winograd.ts weightTransform, the same expressions in
 * the same order): m_i at src + (from + i * step + e) elements (float32 when srcF32, else float64), the 3 taps to
 * dst + (to + tap * dstStep + e) elements (float32 when dstF32).
 */
function weightTransform(
  tile: i32,
  src: usize,
  srcF32: bool,
  from: i32,
  step: i32,
  dst: usize,
  dstF32: bool,
  to: i32,
  dstStep: i32,
  count: i32,
): void {
  // Two vectors at a time in float64x2 lanes: each lane runs the scalar loop's expressions below, so the values
  // are the same; float64 division has no cheaper bit-identical form, and two lanes halve the divisions issued.
  // One element at a time this took 3% of a full-size exact score's CPU time; winogradWeights of 32 directions,
  // one thread, medians of 7 alternating: 7.45 -> 4.21 ms at 64 channels, 0.44 -> 0.27 ms at 16.
  let e = 0;
  for (; e + 2 <= count; e += 2) {
    const at = from + e;
    const m0 = elements2(src, srcF32, at);
    const m1 = elements2(src, srcF32, at + step);
    const m2 = elements2(src, srcF32, at + 2 * step);
    const m3 = elements2(src, srcF32, at + 3 * step);
    let o0: v128, o1: v128, o2: v128;
    if (tile == 2) {
      const two = f64x2.splat(2);
      const h1 = f64x2.div(m1, two);
      const h2 = f64x2.div(m2, two);
      o0 = f64x2.add(f64x2.add(m0, h1), h2);
      o1 = f64x2.sub(h1, h2);
      o2 = f64x2.add(f64x2.add(h1, h2), m3);
    } else {
      const m4 = elements2(src, srcF32, at + 4 * step);
      const m5 = elements2(src, srcF32, at + 5 * step);
      const six = f64x2.splat(6);
      const s12 = f64x2.add(m1, m2);
      const s34 = f64x2.add(m3, m4);
      o0 = f64x2.add(f64x2.sub(f64x2.div(m0, f64x2.splat(4)), f64x2.div(s12, six)), f64x2.div(s34, f64x2.splat(24)));
      o1 = f64x2.add(f64x2.div(f64x2.sub(m2, m1), six), f64x2.div(f64x2.sub(m3, m4), f64x2.splat(12)));
      o2 = f64x2.add(f64x2.div(f64x2.sub(f64x2.sub(s34, m1), m2), six), m5);
    }
    setElements2(dst, dstF32, to + e, o0);
    setElements2(dst, dstF32, to + dstStep + e, o1);
    setElements2(dst, dstF32, to + 2 * dstStep + e, o2);
  }
  for (; e < count; e++) {
    const at = from + e;
    const m0 = element(src, srcF32, at);
    const m1 = element(src, srcF32, at + step);
    const m2 = element(src, srcF32, at + 2 * step);
    const m3 = element(src, srcF32, at + 3 * step);
    let o0: f64, o1: f64, o2: f64;
    if (tile == 2) {
      o0 = m0 + m1 / 2 + m2 / 2;
      o1 = m1 / 2 - m2 / 2;
      o2 = m1 / 2 + m2 / 2 + m3;
    } else {
      const m4 = element(src, srcF32, at + 4 * step);
      const m5 = element(src, srcF32, at + 5 * step);
      o0 = m0 / 4 - (m1 + m2) / 6 + (m3 + m4) / 24;
      o1 = (m2 - m1) / 6 + (m3 - m4) / 12;
      o2 = (m3 + m4 - m1 - m2) / 6 + m5;
    }
    setElement(dst, dstF32, to + e, o0);
    setElement(dst, dstF32, to + dstStep + e, o1);
    setElement(dst, dstF32, to + 2 * dstStep + e, o2);
  }
}

/** Elements i and i + 1 as float64 lanes (float32 ones widened, exactly). */
function elements2(p: usize, f32: bool, i: i32): v128 {
  return f32 ? f64x2.promote_low_f32x4(v128.load64_zero(p + ((<usize>i) << 2))) : v128.load(p + ((<usize>i) << 3));
}

/** Stores two float64 lanes at elements i and i + 1 (rounded to float32 when f32, as setElement does). */
function setElements2(p: usize, f32: bool, i: i32, v: v128): void {
  if (f32) v128.store64_lane(p + ((<usize>i) << 2), f32x4.demote_f64x2_zero(v), 0);
  else v128.store(p + ((<usize>i) << 3), v);
}

function element(p: usize, f32: bool, i: i32): f64 {
  return f32 ? <f64>load<f32>(p + ((<usize>i) << 2)) : load<f64>(p + ((<usize>i) << 3));
}

function setElement(p: usize, f32: bool, i: i32, v: f64): void {
  if (f32) store<f32>(p + ((<usize>i) << 2), <f32>v);
  else store<f64>(p + ((<usize>i) << 3), v);
}

/**
 * Entry r of G g for 3 taps (engine/winograd.ts filterTransform, the same float64 expression for each entry), F(2, 3)
 * or F(4, 3).
 */
function filterEntry(tile: i32, g0: f64, g1: f64, g2: f64, r: i32): f64 {
  if (tile == 2) {
    if (r == 0) return g0;
    if (r == 1) return (g0 + g1 + g2) / 2;
    if (r == 2) return (g0 - g1 + g2) / 2;
    return g2;
  }
  if (r == 0) return g0 / 4;
  if (r == 1) return -(g0 + g1 + g2) / 6;
  if (r == 2) return -(g0 - g1 + g2) / 6;
  if (r == 3) return g0 / 24 + g1 / 12 + g2 / 6;
  if (r == 4) return g0 / 24 - g1 / 12 + g2 / 6;
  return g2;
}

/**
 * U_t = G g G^T of output channels lo .. lo + count - 1 (engine/winograd.ts winogradFilterReference,
 * bit-identical: every entry the same float64 expressions, rounded to float32 once): out plane t = n * r + k of
 * [m][channels], from weights [m][channels][3][3], or with `flip` [channels][m][3][3] turned by 180 degrees.
 */
export function winogradFilter(
  tile: i32,
  weights: usize,
  m: i32,
  channels: i32,
  flip: i32,
  out: usize,
  lo: i32,
  count: i32,
): void {
  const n = tile + 2;
  const plane = m * channels;
  for (let i = lo; i < lo + count; i++) {
    for (let c = 0; c < channels; c++) {
      // Tap t of the (flipped) filter: g[t].
      const base = weights + ((<usize>((flip ? c * m + i : i * channels + c) * 9)) << 2);
      const g0 = <f64>load<f32>(base + (flip ? 32 : 0));
      const g1 = <f64>load<f32>(base + (flip ? 28 : 4));
      const g2 = <f64>load<f32>(base + (flip ? 24 : 8));
      const g3 = <f64>load<f32>(base + (flip ? 20 : 12));
      const g4 = <f64>load<f32>(base + 16);
      const g5 = <f64>load<f32>(base + (flip ? 12 : 20));
      const g6 = <f64>load<f32>(base + (flip ? 8 : 24));
      const g7 = <f64>load<f32>(base + (flip ? 4 : 28));
      const g8 = <f64>load<f32>(base + (flip ? 0 : 32));
      for (let r = 0; r < n; r++) {
        // Row r of G g: entry r of the transform of each column k (taps k, 3 + k, 6 + k); then that row's.
        const a = filterEntry(tile, g0, g3, g6, r);
        const b = filterEntry(tile, g1, g4, g7, r);
        const d = filterEntry(tile, g2, g5, g8, r);
        for (let k = 0; k < n; k++) {
          store<f32>(
            out + ((<usize>((n * r + k) * plane + i * channels + c)) << 2),
            <f32>filterEntry(tile, a, b, d, k),
          );
        }
      }
    }
  }
}

/** Bytes of float64 scratch one part of winogradWeights needs. */
export function winogradWeightsScratchBytes(tile: i32, cin: i32): i32 {
  return 3 * (tile + 2) * cin * 8;
}

/**
 * The weight gradients from the transformed products (engine/winograd.ts winogradWeightsReference, bit-identical):
 * rows lo .. lo + count - 1 (row co * directions + d) of tiles ((tile + 2)^2 planes of [cout * directions][cin])
 * into out [directions][cout * 9 * cin], through `scratch` (winogradWeightsScratchBytes).
 */
export function winogradWeights(
  tile: i32,
  tiles: usize,
  cout: i32,
  directions: i32,
  cin: i32,
  out: usize,
  lo: i32,
  count: i32,
  scratch: usize,
): void {
  const n = tile + 2;
  const P = cout * 9 * cin;
  const plane = cout * directions * cin;
  for (let row = lo; row < lo + count; row++) {
    const co = row / directions;
    const d = row % directions;
    const from = row * cin;
    const to = d * P + co * 9 * cin;
    for (let k = 0; k < n; k++) {
      weightTransform(tile, tiles, true, from + k * plane, n * plane, scratch, false, k * cin, n * cin, cin);
    }
    for (let ky = 0; ky < 3; ky++) {
      weightTransform(tile, scratch, false, n * ky * cin, cin, out, true, to + ky * 3 * cin, cin, cin);
    }
  }
}
