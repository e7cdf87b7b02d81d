import type { GemmArgs, PackedGemmArgs } from './backend';
import { packedIndex } from './im2col';

const f32 = Math.fround;

/**
 * Plain TypeScript sgemm (row-major): the fallback where WebAssembly SIMD is unavailable, and the reference the
 * WebAssembly kernel must match bit for bit. Every C element starts from beta*C and adds alpha*A[i][p]*B[p][j]
 * for p = 0..k-1 in order, each product and sum rounded to float32 (Math.fround; rounding a double result of one
 * float32 operation gives the float32 result), which is exactly what the SIMD kernel does lane by lane.
 */
export function gemmJs(g: GemmArgs): void {
  const { transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc } = g;
  const al = f32(alpha);
  const be = f32(beta);
  const panelRows = g.aPanelRows ?? 0;
  if (panelRows > 0 && transA) throw new RangeError('gemm: A in panels cannot be transposed');
  const aAt = (i: number, p: number): number =>
    panelRows > 0
      ? a[aOffset + packedIndex(panelRows, i, p)]
      : transA
        ? a[aOffset + p * lda + i]
        : a[aOffset + i * lda + p];
  for (let i = 0; i < m; i++) {
    const ci = cOffset + i * ldc;
    if (be === 0) c.fill(0, ci, ci + n);
    else if (be !== 1) for (let j = 0; j < n; j++) c[ci + j] = f32(be * c[ci + j]);
  }
  if (!transB) {
    for (let i = 0; i < m; i++) {
      const ci = cOffset + i * ldc;
      for (let p = 0; p < k; p++) {
        const av = f32(al * aAt(i, p));
        const bp = bOffset + p * ldb;
        for (let j = 0; j < n; j++) c[ci + j] += f32(av * b[bp + j]);
      }
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const ci = cOffset + i * ldc;
    for (let j = 0; j < n; j++) {
      const bj = bOffset + j * ldb;
      let s = c[ci + j];
      for (let p = 0; p < k; p++) {
        const av = f32(al * aAt(i, p));
        s = f32(s + f32(av * b[bj + p]));
      }
      c[ci + j] = s;
    }
  }
}

/** {@link gemmJs} with B in the 8-column panel layout of engine/im2col.ts's packedIndex; same order of operations. */
export function gemmPackedBJs(g: PackedGemmArgs): void {
  const { transA, m, n, k, alpha, a, lda, b, beta, c, cOffset, ldc } = g;
  const al = f32(alpha);
  const be = f32(beta);
  for (let i = 0; i < m; i++) {
    const ci = cOffset + i * ldc;
    if (be === 0) c.fill(0, ci, ci + n);
    else if (be !== 1) for (let j = 0; j < n; j++) c[ci + j] = f32(be * c[ci + j]);
    for (let p = 0; p < k; p++) {
      const av = f32(al * (transA ? a[p * lda + i] : a[i * lda + p]));
      for (let j = 0; j < n; j++) c[ci + j] += f32(av * b[packedIndex(k, p, j)]);
    }
  }
}
