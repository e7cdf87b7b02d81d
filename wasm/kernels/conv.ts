// Direct stride-1 "same" convolution: the product gemmPackedB(A, im2colPacked(src)) computes, with each 8-column
// B panel gathered from the image rows into a small scratch buffer that stays in L1 right before the GEMM
// microkernel uses it, so the whole column matrix (k*k times the image data) never goes through memory. Same
// panel values, same microkernel, same order of additions: bit-identical to the two-step form
// (src/core/ntk/engine/convSame.ts).
import { gemmPanel } from './gemm';
import { gatherPanel } from './im2col';

/**
 * C[i][j] = sum over p of A[i][p] * col[p][j] for i < m, col = im2col of `images` images (stride 1, padding p,
 * output size = input size), j = (image, oy, ox); A [m][lda] row-major or, with aPanelRows > 0, in panels
 * (gemm.ts packRowPanels, which the engine does once per call). Needs w % 8 == 0 (whole panels per output row) and `scratch`
 * of channels*k*k*8 floats. Border loads reach up to p floats outside a row (inside memory: buffers start 64 KB
 * in); those lanes are masked to zero, as im2col writes zeros there.
 */
export function convSame(
  m: i32,
  a: usize,
  lda: i32,
  aPanelRows: i32,
  src: usize,
  channels: i32,
  h: i32,
  w: i32,
  k: i32,
  p: i32,
  images: i32,
  imageOffset: i32,
  totalImages: i32,
  c: usize,
  ldc: i32,
  scratch: usize,
): void {
  const hw = h * w;
  const rows = channels * k * k;
  const channelStride = (<usize>(totalImages * hw)) << 2;
  for (let img = 0; img < images; img++) {
    const image = src + ((<usize>((imageOffset + img) * hw)) << 2);
    for (let oy = 0; oy < h; oy++) {
      for (let ox0 = 0; ox0 < w; ox0 += 8) {
        gatherPanel(image, channelStride, channels, h, w, k, p, oy, ox0, scratch);
        const j = (img * h + oy) * w + ox0;
        gemmPanel(m, rows, a, lda, aPanelRows, scratch, c + ((<usize>j) << 2), ldc);
      }
    }
  }
}
