import type { NumericBackend } from '../engine/backend';
import { convOutputSize, packedSize, type ConvGeometry } from '../engine/im2col';
import type { BackwardContext, Tape, Var } from '../engine/tape';
import type { Param, Tensor } from '../engine/tensor';

/** Largest column buffer (floats) the input-gradient pass builds at once; directions are processed in chunks. */
const MAX_COLUMN_FLOATS = 1 << 24;

/**
 * 2-D convolution without bias (NAS-Bench-201's convolutions are all bias-free: BN follows each one).
 * Forward: y = W x im2col(x), the columns packed in the GEMM's panel layout. Backward: weight gradients per sample or per direction from the same columns,
 * input gradient as a convolution of dY with the flipped weights (stride 1) or W^T x dY scattered back by col2im.
 */
export function conv2d(tape: Tape, x: Var, weight: Param, stride: number, pad: number): Var {
  const [cout, cin, k] = weight.shape;
  const { c, b, h, w } = x.t;
  if (c !== cin) throw new RangeError(`conv2d ${weight.name}: input has ${c} channels, weight expects ${cin}`);
  const be = tape.backend;
  const geom: ConvGeometry = { channels: cin, h, w, kernel: k, stride, pad };
  const ho = convOutputSize(h, k, stride, pad);
  const wo = convOutputSize(w, k, stride, pad);
  const cols = b * ho * wo;
  const rows = cin * k * k;
  const pointwise = k === 1 && stride === 1 && pad === 0;
  /** Stride 1 with "same" padding: the input gradient is itself such a convolution (flippedConvolution). */
  const sameSize = stride === 1 && 2 * pad === k - 1;
  const columns = (): Float32Array => {
    if (pointwise) return x.t.data;
    const col = be.allocUninitialized(rows * cols);
    be.im2col(x.t.data, geom, b, 0, b, col);
    return col;
  };
  const y = be.allocUninitialized(cout * cols);
  if (pointwise) {
    be.gemm({ transA: false, transB: false, m: cout, n: cols, k: rows, alpha: 1, a: weight.data, aOffset: 0, lda: rows, b: x.t.data, bOffset: 0, ldb: cols, beta: 0, c: y, cOffset: 0, ldc: cols });
  } else {
    const packed = be.allocUninitialized(packedSize(rows, cols));
    be.im2colPacked(x.t.data, geom, b, 0, b, packed);
    be.gemmPackedB({ transA: false, m: cout, n: cols, k: rows, alpha: 1, a: weight.data, lda: rows, b: packed, beta: 0, c: y, cOffset: 0, ldc: cols });
    be.free(packed);
  }
  const out: Tensor = { c: cout, b, h: ho, w: wo, data: y };
  const shape = { cout, rows, cols, b, hwo: ho * wo };

  return tape.record(out, [x], (dOut: Float32Array, ctx: BackwardContext) => {
    if (ctx.spec.onParamGrad) {
      const colB = columns();
      weightGradient(weight, dOut, colB, shape, ctx);
      if (!pointwise) be.free(colB);
    }
    if (!x.needsGrad) return [null];
    const D = ctx.directions;
    // Written whole by the GEMMs, accumulated into by col2im.
    const dX = pointwise || sameSize ? be.allocUninitialized(cin * D * b * h * w) : be.alloc(cin * D * b * h * w);
    if (pointwise) {
      be.gemm({ transA: true, transB: false, m: cin, n: D * cols, k: cout, alpha: 1, a: weight.data, aOffset: 0, lda: rows, b: dOut, bOffset: 0, ldb: D * cols, beta: 0, c: dX, cOffset: 0, ldc: D * cols });
    } else if (sameSize) {
      flippedConvolution(be, weight, dOut, { channels: cout, h, w, kernel: k, stride: 1, pad }, cin, D * b, dX);
    } else {
      const chunk = Math.max(1, Math.min(D, Math.floor(MAX_COLUMN_FLOATS / (rows * cols))));
      const dCol = be.allocUninitialized(rows * chunk * cols);
      for (let d0 = 0; d0 < D; d0 += chunk) {
        const nd = Math.min(chunk, D - d0);
        be.gemm({ transA: true, transB: false, m: rows, n: nd * cols, k: cout, alpha: 1, a: weight.data, aOffset: 0, lda: rows, b: dOut, bOffset: d0 * cols, ldb: D * cols, beta: 0, c: dCol, cOffset: 0, ldc: nd * cols });
        be.col2imAdd(dCol, geom, nd * b, d0 * b, D * b, dX);
      }
      be.free(dCol);
    }
    return [dX];
  }, true);
}

interface ConvShape {
  readonly cout: number;
  /** Cin * k * k. */
  readonly rows: number;
  /** B * Ho * Wo. */
  readonly cols: number;
  readonly b: number;
  readonly hwo: number;
}

/**
 * dW = dY x col^T, per sample (fixed-bn) or per direction (summed over the batch). For a Gram-only consumer it
 * computes the transposed product col x dY^T instead: then B^T is packed from dY (Cout rows) rather than from the
 * column matrix (Cin*k*k rows, 9x more data for a 3x3 conv), and with D directions one GEMM covers all of them.
 */
function weightGradient(weight: Param, dOut: Float32Array, col: Float32Array, s: ConvShape, ctx: BackwardContext): void {
  const be = ctx.backend;
  const spec = ctx.spec;
  const D = ctx.directions;
  const P = weight.size;
  const { cout, rows, cols, b, hwo } = s;
  if (spec.paramRows === 'per-sample') {
    const g = be.allocUninitialized(b * P);
    for (let smp = 0; smp < b; smp++) {
      if (spec.gramOnly) {
        // Row smp lists the gradient in [Cin*k*k][Cout] order.
        be.gemm({ transA: false, transB: true, m: rows, n: cout, k: hwo, alpha: 1, a: col, aOffset: smp * hwo, lda: cols, b: dOut, bOffset: smp * hwo, ldb: cols, beta: 0, c: g, cOffset: smp * P, ldc: cout });
      } else {
        be.gemm({ transA: false, transB: true, m: cout, n: rows, k: hwo, alpha: 1, a: dOut, aOffset: smp * hwo, lda: cols, b: col, bOffset: smp * hwo, ldb: cols, beta: 0, c: g, cOffset: smp * P, ldc: rows });
      }
    }
    spec.onParamGrad!(weight, g, b, 'rows');
    be.free(g);
    return;
  }
  if (spec.gramOnly) {
    // dY for all directions is [Cout*D][cols]: G^T[(ci,ky,kx)][(co,d)], i.e. [P][D] with entries in (row, co) order.
    const g = be.allocUninitialized(P * D);
    be.gemm({ transA: false, transB: true, m: rows, n: cout * D, k: cols, alpha: 1, a: col, aOffset: 0, lda: cols, b: dOut, bOffset: 0, ldb: cols, beta: 0, c: g, cOffset: 0, ldc: cout * D });
    spec.onParamGrad!(weight, g, D, 'columns');
    be.free(g);
    return;
  }
  const g = be.allocUninitialized(D * P);
  for (let d = 0; d < D; d++) {
    be.gemm({ transA: false, transB: true, m: cout, n: rows, k: cols, alpha: 1, a: dOut, aOffset: d * cols, lda: D * cols, b: col, bOffset: 0, ldb: cols, beta: 0, c: g, cOffset: d * P, ldc: rows });
  }
  spec.onParamGrad!(weight, g, D, 'rows');
  be.free(g);
}

/**
 * Input gradient of a stride-1 "same" convolution: dX = conv(dY, W flipped in space with in/out channels
 * swapped), as one im2col + GEMM with a long inner dimension (Cout*k*k) instead of a short-inner-dimension GEMM
 * into a column matrix followed by a col2im scatter (shared/notes/ntk-engine.md measured it faster).
 */
function flippedConvolution(be: NumericBackend, weight: Param, dOut: Float32Array, g: ConvGeometry, cin: number, images: number, dX: Float32Array): void {
  const [cout, , k] = weight.shape;
  const kk = k * k;
  const rowsT = cout * kk;
  const flipped = be.allocUninitialized(cin * rowsT);
  for (let co = 0; co < cout; co++) {
    for (let ci = 0; ci < cin; ci++) {
      for (let t = 0; t < kk; t++) flipped[ci * rowsT + co * kk + t] = weight.data[(co * cin + ci) * kk + (kk - 1 - t)];
    }
  }
  const plane = g.h * g.w;
  const total = images * plane;
  const chunk = Math.max(1, Math.min(images, Math.floor(MAX_COLUMN_FLOATS / (rowsT * plane))));
  const col = be.allocUninitialized(packedSize(rowsT, chunk * plane));
  for (let i0 = 0; i0 < images; i0 += chunk) {
    const ni = Math.min(chunk, images - i0);
    be.im2colPacked(dOut, g, ni, i0, images, col);
    be.gemmPackedB({ transA: false, m: cin, n: ni * plane, k: rowsT, alpha: 1, a: flipped, lda: rowsT, b: col, beta: 0, c: dX, cOffset: i0 * plane, ldc: total });
  }
  be.free(col);
  be.free(flipped);
}
