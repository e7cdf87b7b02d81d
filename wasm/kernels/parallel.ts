// One part of a kernel call that several threads share (src/core/ntk/engine/wasmThreads.ts). The calling thread
// writes a task descriptor (i32 slots, layout below) into the shared memory; each thread, the caller and the
// helpers, runs parts by index. The parts partition the OUTPUT - GEMM columns or rows, im2col / col2im channels -
// so every output element is computed by exactly one thread with exactly the operations an unsplit call performs
// (each GEMM element still sums its products in p order): results are bit-identical for any thread count.
import { gemm, gemmPackedB } from './gemm';
import { col2imAdd, im2col } from './im2col';

// Task kinds (slot 0). Slot 1: how many output columns / rows / channels one part covers.
const GEMM_COLUMNS = 1;
const GEMM_ROWS = 2;
const IM2COL = 3;
const COL2IM_ADD = 4;
const GEMM_PACKED_B_COLUMNS = 5;

function slot(task: usize, i: i32): i32 {
  return load<i32>(task + ((<usize>i) << 2));
}
function slotF(task: usize, i: i32): f32 {
  return load<f32>(task + ((<usize>i) << 2));
}

/**
 * Runs part `part` of the task at `task`.
 * GEMM slots: 2 transA, 3 transB, 4 m, 5 n, 6 k, 7 aPanelRows (A in panels of 8 along k when > 0), 8 a, 9 lda, 10 b, 11 ldb, 12 beta (f32), 13 c,
 * 14 ldc, 15 scratch, 16 kc. Column parts pack only their own rows of a transposed B, each into its own slice
 * of the kc * n scratch; row parts are only used for untransposed B (they would each pack all of it).
 * im2col / col2imAdd slots: 2 channels, 3 h, 4 w, 5 k, 6 s, 7 p, 8 images, 9 imageOffset, 10 totalImages,
 * 11 image data (src of im2col, dst of col2imAdd), 12 col.
 */
export function runPart(task: usize, part: i32): void {
  const kind = slot(task, 0);
  const lo = part * slot(task, 1);
  if (kind == GEMM_PACKED_B_COLUMNS) {
    // Slots as GEMM (7, 11, 15, 16 unused); B in panels of 8 columns, parts a multiple of 8 columns wide.
    const n = slot(task, 5);
    const k = slot(task, 6);
    const cols = min(n - lo, slot(task, 1));
    const b = <usize>slot(task, 10) + (<usize>(lo >> 3)) * ((<usize>(k * 8)) << 2);
    const c = <usize>slot(task, 13) + ((<usize>lo) << 2);
    if (cols > 0) gemmPackedB(slot(task, 2), slot(task, 4), cols, k, <usize>slot(task, 8), slot(task, 9), b, slotF(task, 12), c, slot(task, 14));
    return;
  }
  if (kind == GEMM_COLUMNS || kind == GEMM_ROWS) {
    const transA = slot(task, 2);
    const transB = slot(task, 3);
    const m = slot(task, 4);
    const n = slot(task, 5);
    const lda = slot(task, 9);
    const ldb = slot(task, 11);
    const ldc = slot(task, 14);
    const kc = slot(task, 16);
    let a = <usize>slot(task, 8);
    let b = <usize>slot(task, 10);
    let c = <usize>slot(task, 13);
    let scratch = <usize>slot(task, 15);
    let rows = m;
    let cols = n;
    if (kind == GEMM_COLUMNS) {
      cols = min(n - lo, slot(task, 1));
      b += (<usize>(transB ? lo * ldb : lo)) << 2;
      c += (<usize>lo) << 2;
      scratch += (<usize>(lo * kc)) << 2;
    } else {
      rows = min(m - lo, slot(task, 1));
      // Row lo of A: lo floats on (A^T), lo rows down, or lo rows into each panel of 8 floats.
      a += (<usize>(slot(task, 7) > 0 ? lo * 8 : transA ? lo : lo * lda)) << 2;
      c += (<usize>(lo * ldc)) << 2;
    }
    if (rows > 0 && cols > 0) gemm(transA, transB, rows, cols, slot(task, 6), a, lda, slot(task, 7), b, ldb, slotF(task, 12), c, ldc, scratch, kc);
    return;
  }
  const channels = min(slot(task, 2) - lo, slot(task, 1));
  if (channels <= 0) return;
  const h = slot(task, 3);
  const w = slot(task, 4);
  const k = slot(task, 5);
  const s = slot(task, 6);
  const p = slot(task, 7);
  const images = slot(task, 8);
  const imageOffset = slot(task, 9);
  const totalImages = slot(task, 10);
  const ho = (h + 2 * p - k) / s + 1;
  const wo = (w + 2 * p - k) / s + 1;
  // Channel lo's planes start lo * totalImages * h * w floats into the image data, its column rows
  // lo * k * k * (images * ho * wo) floats into col.
  const image = <usize>slot(task, 11) + ((<usize>(lo * totalImages * h * w)) << 2);
  const col = <usize>slot(task, 12) + ((<usize>(lo * k * k * images * ho * wo)) << 2);
  if (kind == IM2COL) im2col(image, channels, h, w, k, s, p, images, imageOffset, totalImages, col);
  else if (kind == COL2IM_ADD) col2imAdd(col, channels, h, w, k, s, p, images, imageOffset, totalImages, image);
}
