import type { NumericBackend } from '../engine/backend';
import { convOutputSize, packedIndex, packedSize, type ConvGeometry } from '../engine/im2col';
import { isTangentPass, type BackwardContext, type Tape, type Var } from '../engine/tape';
import type { Param, Tensor } from '../engine/tensor';
import { winogradFilter, winogradPoints, winogradTile } from '../engine/winograd';

/** Largest column buffer (floats) the input-gradient pass builds at once; directions are processed in chunks. */
const MAX_COLUMN_FLOATS = 1 << 24;

/**
 * 2-D convolution without bias (NAS-Bench-201's convolutions are all bias-free: BN follows each one).
 * Forward: y = W x im2col(x), the columns packed in the GEMM's 8-column panel layout and, when the tape has room
 * (Tape.tryRetain), kept for the backward pass, whose weight gradients read them in that layout (stride-1 convolutions
 * whose columns are not kept run directly, without them: NumericBackend.convSame). Backward: weight
 * gradients per sample or per direction from the columns, input gradient as a convolution of dY with the flipped
 * weights (stride 1) or W^T x dY scattered back by col2im.
 * Tangent mode (engine/tape.ts TangentMode): dy = conv(dx, W) + conv(x, dW); the backward pass adds
 * conv^T(g, dW) to the input's tangent cotangent and g x col(dx)^T to the weight's (the product rule on the
 * bilinear input and weight gradients), from plain im2col columns (clarity over speed: one pass per score).
 */
export function conv2d(tape: Tape, x: Var, weight: Param, stride: number, pad: number): Var {
  const [cout, cin, k] = weight.shape;
  const { c, b, h, w } = x.t;
  if (c !== cin) throw new RangeError(`conv2d ${weight.name}: input has ${c} channels, weight expects ${cin}`);
  const be = tape.backend;
  const geom: ConvGeometry = { channels: cin, h, w, kernel: k, stride, pad };
  const ho = convOutputSize(h, k, stride, pad);
  const wo = convOutputSize(w, k, stride, pad);
  const hwo = ho * wo;
  const cols = b * hwo;
  const rows = cin * k * k;
  const pointwise = k === 1 && stride === 1 && pad === 0;
  /** Stride 1 with "same" padding: the input gradient is itself such a convolution (flippedConvolution). */
  const sameSize = stride === 1 && 2 * pad === k - 1;
  const packedColumns = (): Float32Array => {
    const packed = be.allocUninitialized(packedSize(rows, cols));
    be.im2colPacked(x.t.data, geom, b, 0, b, packed);
    return packed;
  };
  const y = be.allocUninitialized(cout * cols);
  let kept: Float32Array | undefined;
  if (pointwise) {
    be.gemm({
      transA: false,
      transB: false,
      m: cout,
      n: cols,
      k: rows,
      alpha: 1,
      a: weight.data,
      aOffset: 0,
      lda: rows,
      b: x.t.data,
      bOffset: 0,
      ldb: cols,
      beta: 0,
      c: y,
      cOffset: 0,
      ldc: cols,
    });
  } else {
    const keep = tape.tryRetain(packedSize(rows, cols) * 4);
    if (!keep && sameSize) {
      // Nothing to keep: convolve directly, without the column matrix (the backward pass rebuilds it if needed).
      be.convSame({
        m: cout,
        a: weight.data,
        lda: rows,
        src: x.t.data,
        g: geom,
        images: b,
        imageOffset: 0,
        totalImages: b,
        c: y,
        cOffset: 0,
        ldc: cols,
      });
    } else {
      const packed = packedColumns();
      be.gemmPackedB({
        transA: false,
        m: cout,
        n: cols,
        k: rows,
        alpha: 1,
        a: weight.data,
        lda: rows,
        b: packed,
        beta: 0,
        c: y,
        cOffset: 0,
        ldc: cols,
      });
      if (keep) kept = packed;
      else be.free(packed);
    }
  }
  const out: Tensor = { c: cout, b, h: ho, w: wo, data: y };
  const shape = { cout, rows, cols, b, hwo };
  const dx = tape.tangentOf(x);
  const dW = tape.tangentMode?.paramTangent(weight) ?? null;

  const recorded = tape.record(
    out,
    [x],
    (dOut: Float32Array, ctx: BackwardContext) => {
      const tangentPass = isTangentPass(tape, ctx);
      const D = ctx.directions;
      // The exact NTK kernel's n directions (D * B images per backward convolution): Winograd F(4x4, 3x3) or
      // F(2x2, 3x3) there (engine/winograd.ts), where it pays for its transforms; every other pass keeps the
      // direct products.
      const tile =
        !tangentPass && D > 1 && ctx.spec.gramOnly === true && ctx.spec.paramRows === 'per-direction'
          ? winogradTile(k, stride, pad, h, w, cin)
          : 0;
      if (ctx.paramGrad) {
        if (tile) {
          const tiles = be.allocUninitialized(winogradPoints(tile) * cout * D * cin);
          be.winogradWeightGradient({
            tile,
            x: x.t.data,
            xChannels: cin,
            dOut,
            cotangentChannels: cout * D,
            h,
            w,
            images: b,
            out: tiles,
          });
          const g = be.allocUninitialized(D * rows * cout);
          be.winogradWeights({ tile, tiles, cout, directions: D, cin, out: g });
          be.free(tiles);
          ctx.paramGrad(weight, g, D, 'rows');
          be.free(g);
        } else if (tangentPass) {
          tangentWeightGradient(weight, dOut, x.t.data, dx, geom, shape, ctx);
        } else if (pointwise) {
          weightGradient(weight, dOut, { data: x.t.data, panels: false }, shape, ctx);
        } else if (ctx.spec.gramOnly && hwo % 8 === 0) {
          // Panels serve the Gram-only products when each sample's columns start on a panel; otherwise plain columns.
          const packed = kept ?? packedColumns();
          weightGradient(weight, dOut, { data: packed, panels: true }, shape, ctx);
          if (!kept) be.free(packed);
        } else {
          const plain = be.allocUninitialized(rows * cols);
          be.im2col(x.t.data, geom, b, 0, b, plain);
          weightGradient(weight, dOut, { data: plain, panels: false }, shape, ctx);
          be.free(plain);
        }
      }
      if (kept) {
        be.free(kept);
        tape.release(kept.length * 4);
        kept = undefined;
      }
      if (!x.needsGrad) return [null];
      // Written whole by the GEMMs, accumulated into by col2im.
      const dX = pointwise || sameSize ? be.allocUninitialized(cin * D * b * h * w) : be.alloc(cin * D * b * h * w);
      if (pointwise) {
        be.gemm({
          transA: true,
          transB: false,
          m: cin,
          n: D * cols,
          k: cout,
          alpha: 1,
          a: weight.data,
          aOffset: 0,
          lda: rows,
          b: dOut,
          bOffset: 0,
          ldb: D * cols,
          beta: 0,
          c: dX,
          cOffset: 0,
          ldc: D * cols,
        });
      } else if (tile) {
        const u = winogradFilter(be, weight.data, cin, cout, true, tile);
        be.winogradConv({ tile, m: cin, u, src: dOut, channels: cout, h, w, images: D * b, dst: dX });
        be.free(u);
      } else if (sameSize) {
        flippedConvolution(be, weight, dOut, { channels: cout, h, w, kernel: k, stride: 1, pad }, cin, D * b, dX);
      } else {
        const chunk = Math.max(1, Math.min(D, Math.floor(MAX_COLUMN_FLOATS / (rows * cols))));
        const dCol = be.allocUninitialized(rows * chunk * cols);
        for (let d0 = 0; d0 < D; d0 += chunk) {
          const nd = Math.min(chunk, D - d0);
          be.gemm({
            transA: true,
            transB: false,
            m: rows,
            n: nd * cols,
            k: cout,
            alpha: 1,
            a: weight.data,
            aOffset: 0,
            lda: rows,
            b: dOut,
            bOffset: d0 * cols,
            ldb: D * cols,
            beta: 0,
            c: dCol,
            cOffset: 0,
            ldc: nd * cols,
          });
          be.col2imAdd(dCol, geom, nd * b, d0 * b, D * b, dX);
        }
        be.free(dCol);
      }
      if (tangentPass && dW) {
        // + conv^T(g, dW) into direction 1 (images b..2b-1 of dX), g = direction 0 of dOut.
        const dCol = be.allocUninitialized(rows * cols);
        be.gemm({
          transA: true,
          transB: false,
          m: rows,
          n: cols,
          k: cout,
          alpha: 1,
          a: dW,
          aOffset: 0,
          lda: rows,
          b: dOut,
          bOffset: 0,
          ldb: D * cols,
          beta: 0,
          c: dCol,
          cOffset: 0,
          ldc: cols,
        });
        be.col2imAdd(dCol, geom, b, b, D * b, dX);
        be.free(dCol);
      }
      return [dX];
    },
    true,
  );
  if (dx || dW) {
    const dy = be.alloc(cout * cols);
    const col = be.allocUninitialized(rows * cols);
    if (dx) {
      be.im2col(dx, geom, b, 0, b, col);
      be.gemm({
        transA: false,
        transB: false,
        m: cout,
        n: cols,
        k: rows,
        alpha: 1,
        a: weight.data,
        aOffset: 0,
        lda: rows,
        b: col,
        bOffset: 0,
        ldb: cols,
        beta: 1,
        c: dy,
        cOffset: 0,
        ldc: cols,
      });
    }
    if (dW) {
      be.im2col(x.t.data, geom, b, 0, b, col);
      be.gemm({
        transA: false,
        transB: false,
        m: cout,
        n: cols,
        k: rows,
        alpha: 1,
        a: dW,
        aOffset: 0,
        lda: rows,
        b: col,
        bOffset: 0,
        ldb: cols,
        beta: 1,
        c: dy,
        cOffset: 0,
        ldc: cols,
      });
    }
    be.free(col);
    tape.setTangent(recorded, dy);
  }
  tape.layerObserver?.(weight, recorded);
  return recorded;
}

/**
 * Tangent mode's weight gradients, rows [2][P]: row d = dOut_d x col(x)^T, and row 1 also gets g x col(dx)^T
 * (g = dOut_0), the tangent of g x col(x)^T as the input moves.
 */
function tangentWeightGradient(
  weight: Param,
  dOut: Float32Array,
  xs: Float32Array,
  dx: Float32Array | null,
  geom: ConvGeometry,
  s: ConvShape,
  ctx: BackwardContext,
): void {
  const be = ctx.backend;
  const P = weight.size;
  const { cout, rows, cols, b } = s;
  const col = be.allocUninitialized(rows * cols);
  be.im2col(xs, geom, b, 0, b, col);
  const g = be.allocUninitialized(2 * P);
  for (let d = 0; d < 2; d++) {
    be.gemm({
      transA: false,
      transB: true,
      m: cout,
      n: rows,
      k: cols,
      alpha: 1,
      a: dOut,
      aOffset: d * cols,
      lda: 2 * cols,
      b: col,
      bOffset: 0,
      ldb: cols,
      beta: 0,
      c: g,
      cOffset: d * P,
      ldc: rows,
    });
  }
  if (dx) {
    be.im2col(dx, geom, b, 0, b, col);
    be.gemm({
      transA: false,
      transB: true,
      m: cout,
      n: rows,
      k: cols,
      alpha: 1,
      a: dOut,
      aOffset: 0,
      lda: 2 * cols,
      b: col,
      bOffset: 0,
      ldb: cols,
      beta: 1,
      c: g,
      cOffset: P,
      ldc: rows,
    });
  }
  be.free(col);
  ctx.paramGrad!(weight, g, 2, 'rows');
  be.free(g);
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

/** The column matrix [Cin*k*k][B*Ho*Wo]: row-major, or in 8-column panels (engine/im2col.ts packedIndex). */
interface Columns {
  readonly data: Float32Array;
  readonly panels: boolean;
}

/**
 * dW = dY x col^T, per sample (fixed-bn) or per direction (summed over the batch). For a Gram-only consumer it
 * computes the transposed product col x dY^T instead: then B^T is packed from dY (Cout rows) rather than from the
 * column matrix (Cin*k*k rows, 9x more data for a 3x3 conv), the columns may stay in panels, and with D
 * directions one GEMM covers all of them.
 */
function weightGradient(weight: Param, dOut: Float32Array, col: Columns, s: ConvShape, ctx: BackwardContext): void {
  const be = ctx.backend;
  const spec = ctx.spec;
  const D = ctx.directions;
  const P = weight.size;
  const { cout, rows, cols, b, hwo } = s;
  // Column block of sample `smp` as the A operand of col x dY^T.
  const colsOf = (smp: number) =>
    col.panels
      ? { a: col.data, aOffset: packedIndex(rows, 0, smp * hwo), lda: 0, aPanelRows: rows }
      : { a: col.data, aOffset: smp * hwo, lda: cols };
  if (spec.paramRows === 'per-sample') {
    const g = be.allocUninitialized(b * P);
    for (let smp = 0; smp < b; smp++) {
      if (spec.gramOnly) {
        // Row smp lists the gradient in [Cin*k*k][Cout] order.
        be.gemm({
          transA: false,
          transB: true,
          m: rows,
          n: cout,
          k: hwo,
          alpha: 1,
          ...colsOf(smp),
          b: dOut,
          bOffset: smp * hwo,
          ldb: cols,
          beta: 0,
          c: g,
          cOffset: smp * P,
          ldc: cout,
        });
      } else {
        be.gemm({
          transA: false,
          transB: true,
          m: cout,
          n: rows,
          k: hwo,
          alpha: 1,
          a: dOut,
          aOffset: smp * hwo,
          lda: cols,
          b: plainColumns(col),
          bOffset: smp * hwo,
          ldb: cols,
          beta: 0,
          c: g,
          cOffset: smp * P,
          ldc: rows,
        });
      }
    }
    ctx.paramGrad!(weight, g, b, 'rows');
    be.free(g);
    return;
  }
  if (spec.gramOnly) {
    // dY for all directions is [Cout*D][cols]: G^T[(ci,ky,kx)][(co,d)], i.e. [P][D] with entries in (row, co) order.
    const g = be.allocUninitialized(P * D);
    be.gemm({
      transA: false,
      transB: true,
      m: rows,
      n: cout * D,
      k: cols,
      alpha: 1,
      ...colsOf(0),
      b: dOut,
      bOffset: 0,
      ldb: cols,
      beta: 0,
      c: g,
      cOffset: 0,
      ldc: cout * D,
    });
    ctx.paramGrad!(weight, g, D, 'columns');
    be.free(g);
    return;
  }
  const g = be.allocUninitialized(D * P);
  for (let d = 0; d < D; d++) {
    be.gemm({
      transA: false,
      transB: true,
      m: cout,
      n: rows,
      k: cols,
      alpha: 1,
      a: dOut,
      aOffset: d * cols,
      lda: D * cols,
      b: plainColumns(col),
      bOffset: 0,
      ldb: cols,
      beta: 0,
      c: g,
      cOffset: d * P,
      ldc: rows,
    });
  }
  ctx.paramGrad!(weight, g, D, 'rows');
  be.free(g);
}

function plainColumns(col: Columns): Float32Array {
  if (col.panels) throw new Error('conv2d: true-layout weight gradients need row-major columns');
  return col.data;
}

/**
 * Input gradient of a stride-1 "same" convolution: dX = conv(dY, W flipped in space with in/out channels
 * swapped), as one im2col + GEMM with a long inner dimension (Cout*k*k) instead of a short-inner-dimension GEMM
 * into a column matrix followed by a col2im scatter (shared/notes/ntk-engine.md measured it faster).
 */
function flippedConvolution(
  be: NumericBackend,
  weight: Param,
  dOut: Float32Array,
  g: ConvGeometry,
  cin: number,
  images: number,
  dX: Float32Array,
): void {
  const [cout, , k] = weight.shape;
  const kk = k * k;
  const rowsT = cout * kk;
  const flipped = be.allocUninitialized(cin * rowsT);
  for (let co = 0; co < cout; co++) {
    for (let ci = 0; ci < cin; ci++) {
      for (let t = 0; t < kk; t++) flipped[ci * rowsT + co * kk + t] = weight.data[(co * cin + ci) * kk + (kk - 1 - t)];
    }
  }
  be.convSame({
    m: cin,
    a: flipped,
    lda: rowsT,
    src: dOut,
    g,
    images,
    imageOffset: 0,
    totalImages: images,
    c: dX,
    cOffset: 0,
    ldc: images * g.h * g.w,
  });
  be.free(flipped);
}
