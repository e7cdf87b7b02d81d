import { convOutputSize, type ConvGeometry } from '../engine/im2col';
import type { BackwardContext, Tape, Var } from '../engine/tape';
import type { Param, Tensor } from '../engine/tensor';

/** Largest column buffer (floats) the input-gradient pass builds at once; directions are processed in chunks. */
const MAX_COLUMN_FLOATS = 1 << 24;

/**
 * 2-D convolution without bias (NAS-Bench-201's convolutions are all bias-free: BN follows each one).
 * Forward: y = W x im2col(x). Backward: weight gradients per sample or per direction from the same columns,
 * input gradient as W^T x dY scattered back by col2im.
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
  const columns = (): Float32Array => {
    if (pointwise) return x.t.data;
    const col = be.alloc(rows * cols);
    be.im2col(x.t.data, geom, b, 0, b, col);
    return col;
  };
  const y = be.alloc(cout * cols);
  const col = columns();
  be.gemm({ transA: false, transB: false, m: cout, n: cols, k: rows, alpha: 1, a: weight.data, aOffset: 0, lda: rows, b: col, bOffset: 0, ldb: cols, beta: 0, c: y, cOffset: 0, ldc: cols });
  if (!pointwise) be.free(col);
  const out: Tensor = { c: cout, b, h: ho, w: wo, data: y };

  return tape.record(out, [x], (dOut: Float32Array, ctx: BackwardContext) => {
    const D = ctx.directions;
    const colB = columns();
    const P = weight.size;
    if (ctx.spec.paramRows === 'per-sample') {
      const g = be.alloc(b * P);
      const hwo = ho * wo;
      for (let s = 0; s < b; s++) {
        be.gemm({ transA: false, transB: true, m: cout, n: rows, k: hwo, alpha: 1, a: dOut, aOffset: s * hwo, lda: cols, b: colB, bOffset: s * hwo, ldb: cols, beta: 0, c: g, cOffset: s * P, ldc: rows });
      }
      ctx.spec.onParamGrad(weight, g, b);
      be.free(g);
    } else {
      const g = be.alloc(D * P);
      for (let d = 0; d < D; d++) {
        be.gemm({ transA: false, transB: true, m: cout, n: rows, k: cols, alpha: 1, a: dOut, aOffset: d * cols, lda: D * cols, b: colB, bOffset: 0, ldb: cols, beta: 0, c: g, cOffset: d * P, ldc: rows });
      }
      ctx.spec.onParamGrad(weight, g, D);
      be.free(g);
    }
    if (!pointwise) be.free(colB);
    if (!x.needsGrad) return [null];

    const dX = be.alloc(cin * D * b * h * w);
    if (pointwise) {
      be.gemm({ transA: true, transB: false, m: cin, n: D * cols, k: cout, alpha: 1, a: weight.data, aOffset: 0, lda: rows, b: dOut, bOffset: 0, ldb: D * cols, beta: 0, c: dX, cOffset: 0, ldc: D * cols });
      return [dX];
    }
    const chunk = Math.max(1, Math.min(D, Math.floor(MAX_COLUMN_FLOATS / (rows * cols))));
    const dCol = be.alloc(rows * chunk * cols);
    for (let d0 = 0; d0 < D; d0 += chunk) {
      const nd = Math.min(chunk, D - d0);
      be.gemm({ transA: true, transB: false, m: rows, n: nd * cols, k: cout, alpha: 1, a: weight.data, aOffset: 0, lda: rows, b: dOut, bOffset: d0 * cols, ldb: D * cols, beta: 0, c: dCol, cOffset: 0, ldc: nd * cols });
      be.col2imAdd(dCol, geom, nd * b, d0 * b, D * b, dX);
    }
    be.free(dCol);
    return [dX];
  }, true);
}
