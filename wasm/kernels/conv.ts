// Direct stride-1 "same" convolution: the product gemmPackedB(A, im2colPacked(src)) computes, with each 8-column
// B panel gathered from the image rows into a small scratch buffer that stays in L1 right before the GEMM
// microkernel uses it, so the whole column matrix (k*k times the image data) never goes through memory. Same
// panel values, same microkernel, same order of additions: bit-identical to the two-step form
// (src/core/ntk/engine/convSame.ts).
import { gemmAccumulateStrided } from './gemm';

/**
 * C[i][j] = sum over p of A[i][p] * col[p][j] for i < m, col = im2col of `images` images (stride 1, padding p,
 * output size = input size), j = (image, oy, ox). Needs w % 8 == 0 (whole panels per output row) and `scratch`
 * of channels*k*k*8 floats. Border loads reach up to p floats outside a row (inside memory: buffers start 64 KB
 * in); those lanes are masked to zero, as im2col writes zeros there.
 */
export function convSame(m: i32, a: usize, lda: i32, src: usize, channels: i32, h: i32, w: i32, k: i32, p: i32, images: i32, imageOffset: i32, totalImages: i32, c: usize, ldc: i32, scratch: usize): void {
  const hw = h * w;
  const zero = i32x4.splat(0);
  const lanes = i32x4(0, 1, 2, 3);
  const four = i32x4.splat(4);
  const width = i32x4.splat(w);
  const rows = channels * k * k;
  const channelStride = (<usize>(totalImages * hw)) << 2;
  for (let img = 0; img < images; img++) {
    const image = src + ((<usize>((imageOffset + img) * hw)) << 2);
    for (let oy = 0; oy < h; oy++) {
      for (let ox0 = 0; ox0 < w; ox0 += 8) {
        // Gather the panel: row r = (ci, ky, kx) holds the 8 input values output pixels ox0..ox0+7 see.
        let at = scratch;
        for (let ci = 0; ci < channels; ci++) {
          const chan = image + (<usize>ci) * channelStride;
          for (let ky = 0; ky < k; ky++) {
            const iy = oy - p + ky;
            const inside = iy >= 0 && iy < h;
            const row = chan + ((<usize>(iy * w)) << 2);
            for (let kx = 0; kx < k; kx++) {
              if (!inside) {
                v128.store(at, zero);
                v128.store(at, zero, 16);
              } else {
                const ix = ox0 - p + kx;
                const from = row + ((<usize>ix) << 2);
                let lo = v128.load(from);
                let hi = v128.load(from, 16);
                if (ix < 0 || ix + 8 > w) {
                  const idx = i32x4.add(i32x4.splat(ix), lanes);
                  const idx4 = i32x4.add(idx, four);
                  lo = v128.and(lo, v128.and(i32x4.ge_s(idx, zero), i32x4.lt_s(idx, width)));
                  hi = v128.and(hi, v128.and(i32x4.ge_s(idx4, zero), i32x4.lt_s(idx4, width)));
                }
                v128.store(at, lo);
                v128.store(at, hi, 16);
              }
              at += 32;
            }
          }
        }
        const j = (img * h + oy) * w + ox0;
        gemmAccumulateStrided(m, 8, rows, a, lda, 1, scratch, 8, c + ((<usize>j) << 2), ldc);
      }
    }
  }
}
