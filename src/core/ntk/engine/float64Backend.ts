import type { GemmArgs, NumericBackend, PackedGemmArgs } from './backend';
import { convSameTwoStep } from './convSame';
import * as elementwise from './elementwise';
import {
  winogradConvReference,
  winogradFilterReference,
  winogradWeightGradientReference,
  winogradWeightsReference,
} from './winograd';
import { col2imAdd, im2col, im2colPacked, packedIndex } from './im2col';

/**
 * A double-precision back end for computations whose values leave float32's range: SynFlow (Tanaka et al., 2020)
 * multiplies |weights| along every path of the network and reaches 1e40..1e60 at NAS-Bench-201's full size, past
 * float32's 3.4e38; NASLib's `synflow.py` runs it after `net.double()`.
 *
 * The ops are written against `Float32Array`; this back end hands them `Float64Array`s instead. Both have the
 * same indexing, `set`, `fill`, `subarray` and `slice`, and the TypeScript kernels (engine/elementwise.ts,
 * engine/im2col.ts) only read and write elements, so every op then runs in float64. The GEMMs below are
 * {@link gemmJs}'s loops without its float32 rounding. Plain TypeScript: slower than the WebAssembly back end,
 * and meant for batch-size-1 passes.
 */
export function float64Backend(): NumericBackend {
  const asF32 = (a: Float64Array) => a as unknown as Float32Array;
  const backend: NumericBackend = {
    name: 'js',
    alloc: (length) => asF32(new Float64Array(length)),
    allocUninitialized: (length) => asF32(new Float64Array(length)),
    free: () => {},
    gemm: gemm64,
    gemmPackedB: gemmPackedB64,
    convSame: (x) => convSameTwoStep(backend, x),
    winogradConv: (x) => winogradConvReference(backend, x),
    winogradWeightGradient: (x) => winogradWeightGradientReference(backend, x),
    winogradWeights: (x) => winogradWeightsReference(x),
    winogradFilter: (x) => winogradFilterReference(x),
    im2colPacked,
    im2col,
    col2imAdd,
    reset: () => {},
    // Plain arrays, collected by the garbage collector.
    mark: () => 0,
    releaseTo: () => {},
    allocF64: (length) => new Float64Array(length),
    ...elementwise,
    dispose: () => {},
  };
  return backend;
}

/** Row-major C = alpha * op(A) * op(B) + beta * C in float64 (the arguments of NumericBackend.gemm). */
function gemm64(g: GemmArgs): void {
  const { transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc } = g;
  const panelRows = g.aPanelRows ?? 0;
  if (panelRows > 0 && transA) throw new RangeError('gemm: A in panels cannot be transposed');
  // Element (i, p) of op(A) is a[aOffset + i * rowStride + p * colStride] (or in panels).
  const rowStride = transA ? 1 : lda;
  const colStride = transA ? lda : 1;
  const aAt = (i: number, p: number): number =>
    panelRows > 0 ? a[aOffset + packedIndex(panelRows, i, p)] : a[aOffset + i * rowStride + p * colStride];
  for (let i = 0; i < m; i++) {
    const ci = cOffset + i * ldc;
    if (beta === 0) c.fill(0, ci, ci + n);
    else if (beta !== 1) for (let j = 0; j < n; j++) c[ci + j] = beta * c[ci + j];
    if (!transB) {
      for (let p = 0; p < k; p++) {
        const av = alpha * aAt(i, p);
        if (av === 0) continue;
        const bp = bOffset + p * ldb;
        for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
      }
    } else if (panelRows > 0) {
      for (let j = 0; j < n; j++) {
        const bj = bOffset + j * ldb;
        let s = 0;
        for (let p = 0; p < k; p++) s += aAt(i, p) * b[bj + p];
        c[ci + j] += alpha * s;
      }
    } else {
      const ai = aOffset + i * rowStride;
      for (let j = 0; j < n; j++) {
        const bj = bOffset + j * ldb;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p * colStride] * b[bj + p];
        c[ci + j] += alpha * s;
      }
    }
  }
}

/** {@link gemm64} with B in the 8-column panel layout of engine/im2col.ts's packedIndex (walked panel by panel). */
function gemmPackedB64(g: PackedGemmArgs): void {
  const { transA, m, n, k, alpha, a, lda, b, beta, c, cOffset, ldc } = g;
  const panels = Math.ceil(n / 8);
  for (let i = 0; i < m; i++) {
    const ci = cOffset + i * ldc;
    if (beta === 0) c.fill(0, ci, ci + n);
    else if (beta !== 1) for (let j = 0; j < n; j++) c[ci + j] = beta * c[ci + j];
    for (let p = 0; p < k; p++) {
      const av = alpha * (transA ? a[p * lda + i] : a[i * lda + p]);
      if (av === 0) continue;
      for (let panel = 0; panel < panels; panel++) {
        // packedIndex(k, p, j) for the panel's columns j = 8 * panel .. 8 * panel + 7.
        const from = (panel * k + p) * 8;
        const j0 = panel * 8;
        const width = Math.min(8, n - j0);
        for (let t = 0; t < width; t++) c[ci + j0 + t] += av * b[from + t];
      }
    }
  }
}
