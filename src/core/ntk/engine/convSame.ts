import type { NumericBackend } from './backend';
import { packedSize, type ConvGeometry } from './im2col';

/**
 * Columns built per step by the two-step form: small enough (2 MB) that the GEMM reads them back from cache right
 * after im2col wrote them (through main memory in 64 MB steps measured 20% slower for the exact kernel).
 */
const CACHED_COLUMN_FLOATS = 1 << 19;

/** A stride-1 "same" convolution as a GEMM over im2col columns: C = A x col(src). */
export interface ConvSameArgs {
  /** Output rows (channels) and A = [m][channels*k*k] with leading dimension lda. */
  readonly m: number;
  readonly a: Float32Array;
  readonly lda: number;
  /** Input [channels][totalImages][h][w]; images imageOffset .. imageOffset+images-1 are convolved. */
  readonly src: Float32Array;
  readonly g: ConvGeometry;
  readonly images: number;
  readonly imageOffset: number;
  readonly totalImages: number;
  /** Output row i at c[cOffset + i*ldc ..], columns (image, oy, ox). */
  readonly c: Float32Array;
  readonly cOffset: number;
  readonly ldc: number;
}

/**
 * The reference form of `convSame`: im2col into the GEMM's panel layout in cache-sized steps, then the packed-B
 * GEMM. wasm/kernels/conv.ts computes the same products in the same order without the column matrix.
 */
export function convSameTwoStep(be: NumericBackend, x: ConvSameArgs): void {
  const { g, images } = x;
  const rows = g.channels * g.kernel * g.kernel;
  const plane = g.h * g.w;
  const chunk = Math.max(1, Math.min(images, Math.floor(CACHED_COLUMN_FLOATS / (rows * plane))));
  const col = be.allocUninitialized(packedSize(rows, chunk * plane));
  for (let i0 = 0; i0 < images; i0 += chunk) {
    const ni = Math.min(chunk, images - i0);
    be.im2colPacked(x.src, g, ni, x.imageOffset + i0, x.totalImages, col);
    be.gemmPackedB({
      transA: false,
      m: x.m,
      n: ni * plane,
      k: rows,
      alpha: 1,
      a: x.a,
      lda: x.lda,
      b: col,
      beta: 0,
      c: x.c,
      cOffset: x.cOffset + i0 * plane,
      ldc: x.ldc,
    });
  }
  be.free(col);
}
