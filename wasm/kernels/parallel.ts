// One part of a kernel call that several threads share (src/core/ntk/engine/wasmThreads.ts). The calling thread
// writes a task descriptor (i32 slots; layouts below, written by src/core/ntk/engine/wasmBackend.ts) into the
// shared memory; each thread, the caller and the helpers, runs parts by index. The parts partition the OUTPUT -
// GEMM columns or rows, channels, images or elements - and each part is the same kernel called on a sub-range,
// so every output value is computed by exactly one thread with exactly the operations of an unsplit call (a GEMM
// element still sums its products in p order; a BN channel's statistics are still one two-lane sum): results are
// bit-identical for any thread count.
import { convSame } from './conv';
import { gemm, gemmPackedB } from './gemm';
import { col2imAdd, im2col, im2colPacked } from './im2col';
import {
  addInto,
  avgPool2x2Backward,
  bnBackward,
  bnForward,
  bnParamGrads,
  bnStatistics,
  reluBackward,
  reluForward,
} from './elementwise';
import { winogradConv, winogradFilter, winogradInputTiles, winogradWeightGradient, winogradWeights } from './winograd';

// Task kinds (slot 0; the same numbers as wasmBackend.ts's Task). Slot 1: output units per part.
const GEMM_COLUMNS = 1;
const GEMM_ROWS = 2;
const IM2COL = 3;
const COL2IM_ADD = 4;
const GEMM_PACKED_B_COLUMNS = 5;
const IM2COL_PACKED = 6;
const RELU_FORWARD = 7;
const RELU_BACKWARD = 8;
const ADD_INTO = 9;
const BN_STATISTICS = 10;
const BN_FORWARD = 11;
const BN_BACKWARD = 12;
const CONV_SAME = 13;
const WINOGRAD_CONV = 14;
const WINOGRAD_WEIGHT_GRADIENT = 15;
const BN_PARAM_GRADS = 16;
const WINOGRAD_WEIGHTS = 17;
const WINOGRAD_INPUT_TILES = 18;
const AVG_POOL_2X2_BACKWARD = 19;
const WINOGRAD_FILTER = 20;

function slot(task: usize, i: i32): i32 {
  return load<i32>(task + ((<usize>i) << 2));
}
function slotF(task: usize, i: i32): f32 {
  return load<f32>(task + ((<usize>i) << 2));
}
/** Address in slot i advanced by `floats` float32 values. */
function at(task: usize, i: i32, floats: i32): usize {
  return <usize>slot(task, i) + ((<usize>floats) << 2);
}
/** Address in slot i advanced by `doubles` float64 values. */
function at64(task: usize, i: i32, doubles: i32): usize {
  return <usize>slot(task, i) + ((<usize>doubles) << 3);
}

/**
 * Runs part `part` of the task at `task`. Slots from 2:
 * - GEMM (gemm.ts gemm): transA, transB, m, n, k, a, lda, aPanelRows, b, ldb, beta (f32), c, ldc, scratch, kc.
 *   Column parts pack only their own rows of a transposed B, into their own slice of the kc * n scratch; row
 *   parts (never used with a transposed B, which each would pack whole) start at row lo of A, strided or panels.
 * - GEMM with packed B (gemmPackedB): transA, -, m, n, k, a, lda, aPanelRows, b, -, beta (f32), c, ldc; column
 *   parts are whole 8-column panels.
 * - im2col / col2imAdd by channels, im2colPacked by images: channels, h, w, k, s, p, images, imageOffset,
 *   totalImages, image data (im2col's src, col2imAdd's dst), columns. im2colPacked parts need planes of a
 *   multiple of 8 pixels (whole panels per image).
 * - reluForward / addInto by elements: x or dst, y or src, n.
 * - reluBackward by channels: x, g, c, D, bhw.
 * - bnStatistics by channels: x, c, b, groups, hw, mean, invStd, -, eps (f64 in slots 10-11).
 * - bnForward by channels: x, xhat, y, c, b, groups, hw, mean, invStd, gamma, beta.
 * - bnBackward by channels: g, xhat, c, D, b, groups, hw, gamma, invStd, constant, groupSums (0: none), out (0: in
 *   place).
 * - winogradWeights by rows (co * directions + d): tile, cout, directions, cin, out, tiles, scratch, scratch bytes
 *   per part (each part its own float64 slice, part index order).
 * - bnParamGrads by channels: g, xhat, c, D, b, hw, dGamma, dBeta, perSample, groups, groupSums (0: none; each
 *   output its channel's own entries).
 * - convSame by images: m, a, lda, aPanelRows, src, channels, h, w, k, p, images, imageOffset, totalImages, c, ldc,
 *   scratch; each part gathers its panels in its own channels*k*k*8 floats of scratch (part index order).
 * - winogradConv by images: m, u, uPlaneFloats, src, channels, h, w, images, imageOffset, totalImages, dst,
 *   scratch, scratch floats per part (each part its own slice, part index order), tile.
 * - winogradWeightGradient by cotangent channels: channels, dOut, images, h, w, xTiles, xChannels, out,
 *   outPlaneFloats, scratch, scratch floats per part, tile; each part sums its rows over every image in order, as one
 *   call does.
 * - winogradFilter by output channels (rows of U's planes): tile, weights, m, channels, flip, out.
 * - avgPool2x2Backward by planes: dOut, dX, planes, h, w.
 * - winogradInputTiles by images (parts a multiple of winogradBatchImages): tile, src, channels, h, w, images, dst,
 *   scratch, scratch floats per part (each part its own row scratch, part index order).
 */
export function runPart(task: usize, part: i32): void {
  const kind = slot(task, 0);
  const size = slot(task, 1);
  const lo = part * size;
  if (kind == GEMM_COLUMNS || kind == GEMM_ROWS) {
    const transA = slot(task, 2);
    const transB = slot(task, 3);
    const m = slot(task, 4);
    const n = slot(task, 5);
    const lda = slot(task, 8);
    const aPanelRows = slot(task, 9);
    const ldb = slot(task, 11);
    const ldc = slot(task, 14);
    const kc = slot(task, 16);
    let a = at(task, 7, 0);
    let b = at(task, 10, 0);
    let c = at(task, 13, 0);
    let scratch = at(task, 15, 0);
    let rows = m;
    let cols = n;
    if (kind == GEMM_COLUMNS) {
      cols = min(n - lo, size);
      b += (<usize>(transB ? lo * ldb : lo)) << 2;
      c += (<usize>lo) << 2;
      scratch += (<usize>(lo * kc)) << 2;
    } else {
      rows = min(m - lo, size);
      // Panels hold 8 consecutive p of one row together: row lo starts 8 * lo floats into each panel.
      a += (<usize>(aPanelRows > 0 ? lo * 8 : transA ? lo : lo * lda)) << 2;
      c += (<usize>(lo * ldc)) << 2;
    }
    if (rows > 0 && cols > 0)
      gemm(transA, transB, rows, cols, slot(task, 6), a, lda, aPanelRows, b, ldb, slotF(task, 12), c, ldc, scratch, kc);
    return;
  }
  if (kind == GEMM_PACKED_B_COLUMNS) {
    const n = slot(task, 5);
    const k = slot(task, 6);
    const cols = min(n - lo, size);
    if (cols > 0)
      gemmPackedB(
        slot(task, 2),
        slot(task, 4),
        cols,
        k,
        at(task, 7, 0),
        slot(task, 8),
        slot(task, 9),
        at(task, 10, (lo >> 3) * k * 8),
        slotF(task, 12),
        at(task, 13, lo),
        slot(task, 14),
      );
    return;
  }
  if (kind == IM2COL || kind == COL2IM_ADD || kind == IM2COL_PACKED) {
    const channels = slot(task, 2);
    const h = slot(task, 3);
    const w = slot(task, 4);
    const k = slot(task, 5);
    const s = slot(task, 6);
    const p = slot(task, 7);
    const images = slot(task, 8);
    const imageOffset = slot(task, 9);
    const totalImages = slot(task, 10);
    const plane = ((h + 2 * p - k) / s + 1) * ((w + 2 * p - k) / s + 1);
    if (kind == IM2COL_PACKED) {
      const count = min(images - lo, size);
      // Images lo.. start lo * plane columns, i.e. lo * plane / 8 whole panels of channels * k * k rows, in.
      if (count > 0)
        im2colPacked(
          at(task, 11, 0),
          channels,
          h,
          w,
          k,
          s,
          p,
          count,
          imageOffset + lo,
          totalImages,
          at(task, 12, lo * plane * channels * k * k),
        );
      return;
    }
    const count = min(channels - lo, size);
    if (count <= 0) return;
    // Channel lo's planes start lo * totalImages * h * w floats into the image data, its column rows
    // lo * k * k * (images * plane) floats into the columns.
    const image = at(task, 11, lo * totalImages * h * w);
    const col = at(task, 12, lo * k * k * images * plane);
    if (kind == IM2COL) im2col(image, count, h, w, k, s, p, images, imageOffset, totalImages, col);
    else col2imAdd(col, count, h, w, k, s, p, images, imageOffset, totalImages, image);
    return;
  }
  if (kind == RELU_FORWARD || kind == ADD_INTO) {
    const count = min(slot(task, 4) - lo, size);
    if (count <= 0) return;
    if (kind == RELU_FORWARD) reluForward(at(task, 2, lo), at(task, 3, lo), count);
    else addInto(at(task, 2, lo), at(task, 3, lo), count);
    return;
  }
  if (kind == RELU_BACKWARD) {
    const D = slot(task, 5);
    const bhw = slot(task, 6);
    const count = min(slot(task, 4) - lo, size);
    if (count > 0) reluBackward(at(task, 2, lo * bhw), at(task, 3, lo * D * bhw), count, D, bhw);
    return;
  }
  if (kind == BN_STATISTICS) {
    const b = slot(task, 4);
    const groups = slot(task, 5);
    const hw = slot(task, 6);
    const count = min(slot(task, 3) - lo, size);
    if (count > 0)
      bnStatistics(
        at(task, 2, lo * b * hw),
        count,
        b,
        groups,
        hw,
        at64(task, 7, lo * groups),
        at64(task, 8, lo * groups),
        load<f64>(task + 40),
      );
    return;
  }
  if (kind == BN_FORWARD) {
    const b = slot(task, 6);
    const groups = slot(task, 7);
    const hw = slot(task, 8);
    const count = min(slot(task, 5) - lo, size);
    const x0 = lo * b * hw;
    if (count > 0)
      bnForward(
        at(task, 2, x0),
        at(task, 3, x0),
        at(task, 4, x0),
        count,
        b,
        groups,
        hw,
        at64(task, 9, lo * groups),
        at64(task, 10, lo * groups),
        at(task, 11, lo),
        at(task, 12, lo),
      );
    return;
  }
  if (kind == CONV_SAME) {
    const channels = slot(task, 7);
    const h = slot(task, 8);
    const w = slot(task, 9);
    const k = slot(task, 10);
    const count = min(slot(task, 12) - lo, size);
    // Images lo.. write output columns from lo * h * w on; the part's own panel scratch follows the others'.
    if (count > 0)
      convSame(
        slot(task, 2),
        at(task, 3, 0),
        slot(task, 4),
        slot(task, 5),
        at(task, 6, 0),
        channels,
        h,
        w,
        k,
        slot(task, 11),
        count,
        slot(task, 13) + lo,
        slot(task, 14),
        at(task, 15, lo * h * w),
        slot(task, 16),
        at(task, 17, part * channels * k * k * 8),
      );
    return;
  }
  if (kind == WINOGRAD_CONV) {
    const count = min(slot(task, 9) - lo, size);
    if (count > 0)
      winogradConv(
        slot(task, 15),
        slot(task, 2),
        at(task, 3, 0),
        slot(task, 4),
        at(task, 5, 0),
        slot(task, 6),
        slot(task, 7),
        slot(task, 8),
        count,
        slot(task, 10) + lo,
        slot(task, 11),
        at(task, 12, 0),
        at(task, 13, part * slot(task, 14)),
      );
    return;
  }
  if (kind == WINOGRAD_WEIGHT_GRADIENT) {
    const count = min(slot(task, 2) - lo, size);
    if (count > 0)
      winogradWeightGradient(
        slot(task, 13),
        lo,
        count,
        at(task, 3, 0),
        slot(task, 4),
        slot(task, 5),
        slot(task, 6),
        at(task, 7, 0),
        slot(task, 8),
        at(task, 9, 0),
        slot(task, 10),
        at(task, 11, part * slot(task, 12)),
      );
    return;
  }
  if (kind == WINOGRAD_WEIGHTS) {
    const count = min(slot(task, 3) * slot(task, 4) - lo, size);
    if (count > 0) {
      const scratch = <usize>slot(task, 8) + <usize>(part * slot(task, 9));
      winogradWeights(
        slot(task, 2),
        at(task, 7, 0),
        slot(task, 3),
        slot(task, 4),
        slot(task, 5),
        at(task, 6, 0),
        lo,
        count,
        scratch,
      );
    }
    return;
  }
  if (kind == WINOGRAD_FILTER) {
    const count = min(slot(task, 4) - lo, size);
    if (count > 0)
      winogradFilter(
        slot(task, 2),
        at(task, 3, 0),
        slot(task, 4),
        slot(task, 5),
        slot(task, 6),
        at(task, 7, 0),
        lo,
        count,
      );
    return;
  }
  if (kind == AVG_POOL_2X2_BACKWARD) {
    const h = slot(task, 5);
    const w = slot(task, 6);
    const count = min(slot(task, 4) - lo, size);
    if (count > 0) avgPool2x2Backward(at(task, 2, (lo * h * w) >> 2), at(task, 3, lo * h * w), count, h, w);
    return;
  }
  if (kind == WINOGRAD_INPUT_TILES) {
    const count = min(slot(task, 7) - lo, size);
    if (count > 0)
      winogradInputTiles(
        slot(task, 2),
        at(task, 3, 0),
        slot(task, 4),
        slot(task, 5),
        slot(task, 6),
        slot(task, 7),
        at(task, 8, 0),
        lo,
        count,
        at(task, 9, part * slot(task, 10)),
      );
    return;
  }
  if (kind == BN_PARAM_GRADS) {
    const c = slot(task, 4);
    const D = slot(task, 5);
    const b = slot(task, 6);
    const hw = slot(task, 7);
    const count = min(c - lo, size);
    if (count > 0)
      bnParamGrads(
        at(task, 2, lo * D * b * hw),
        at(task, 3, lo * b * hw),
        count,
        D,
        b,
        hw,
        at(task, 8, lo),
        at(task, 9, lo),
        slot(task, 10),
        c,
        slot(task, 11),
        slot(task, 12) != 0 ? at64(task, 12, 2 * lo * D * slot(task, 11)) : 0,
      );
    return;
  }
  if (kind == BN_BACKWARD) {
    const D = slot(task, 5);
    const b = slot(task, 6);
    const groups = slot(task, 7);
    const hw = slot(task, 8);
    const count = min(slot(task, 4) - lo, size);
    if (count > 0)
      bnBackward(
        at(task, 2, lo * D * b * hw),
        at(task, 3, lo * b * hw),
        count,
        D,
        b,
        groups,
        hw,
        at(task, 9, lo),
        at64(task, 10, lo * groups),
        slot(task, 11),
        slot(task, 12) != 0 ? at64(task, 12, 2 * lo * D * groups) : 0,
        slot(task, 13) != 0 ? at(task, 13, lo * D * b * hw) : 0,
      );
  }
}
