import { isTangentPass, type BackwardContext, type Tape, type Var } from '../engine/tape';
import type { Param } from '../engine/tensor';

/**
 * Fully connected layer with bias on pooled features [F][B][1][1] -> logits [K][B][1][1]; weight [K][F].
 * Tangent mode (engine/tape.ts TangentMode): dy = W dx + dW x + db; the backward pass adds dW^T g to the input's
 * tangent cotangent and g dx^T to the weight's (the product rule on W^T g and g x^T).
 */
export function linear(tape: Tape, x: Var, weight: Param, bias: Param): Var {
  const [k, f] = weight.shape;
  const { c, b, h, w } = x.t;
  if (c !== f || h !== 1 || w !== 1)
    throw new RangeError(`linear ${weight.name}: expects [${f}][B][1][1], got [${c}][${b}][${h}][${w}]`);
  const be = tape.backend;
  const y = be.alloc(k * b);
  for (let i = 0; i < k; i++) y.fill(bias.data[i], i * b, (i + 1) * b);
  be.gemm({
    transA: false,
    transB: false,
    m: k,
    n: b,
    k: f,
    alpha: 1,
    a: weight.data,
    aOffset: 0,
    lda: f,
    b: x.t.data,
    bOffset: 0,
    ldb: b,
    beta: 1,
    c: y,
    cOffset: 0,
    ldc: b,
  });
  const dx = tape.tangentOf(x);
  const dW = tape.tangentMode?.paramTangent(weight) ?? null;
  const dBias = tape.tangentMode?.paramTangent(bias) ?? null;
  const out = tape.record(
    { c: k, b, h: 1, w: 1, data: y },
    [x],
    (dOut: Float32Array, ctx: BackwardContext) => {
      const D = ctx.directions;
      const xs = x.t.data;
      const tangentPass = isTangentPass(tape, ctx);
      const onParamGrad = ctx.paramGrad;
      if (!onParamGrad) {
        // Input gradient only (an attack).
      } else if (ctx.spec.paramRows === 'per-sample') {
        const gw = be.alloc(b * k * f);
        const gb = be.alloc(b * k);
        for (let s = 0; s < b; s++) {
          for (let i = 0; i < k; i++) {
            const g = dOut[i * b + s];
            gb[s * k + i] = g;
            for (let j = 0; j < f; j++) gw[(s * k + i) * f + j] = g * xs[j * b + s];
          }
        }
        onParamGrad(weight, gw, b, 'rows');
        onParamGrad(bias, gb, b, 'rows');
        be.free(gw);
        be.free(gb);
      } else {
        const gw = be.alloc(D * k * f);
        const gb = be.alloc(D * k);
        for (let d = 0; d < D; d++) {
          be.gemm({
            transA: false,
            transB: true,
            m: k,
            n: f,
            k: b,
            alpha: 1,
            a: dOut,
            aOffset: d * b,
            lda: D * b,
            b: xs,
            bOffset: 0,
            ldb: b,
            beta: 0,
            c: gw,
            cOffset: d * k * f,
            ldc: f,
          });
          for (let i = 0; i < k; i++) {
            let s = 0;
            for (let j = 0; j < b; j++) s += dOut[(i * D + d) * b + j];
            gb[d * k + i] = s;
          }
        }
        // Tangent of g x^T: + g dx^T into row 1 (g = direction 0).
        if (tangentPass && dx)
          be.gemm({
            transA: false,
            transB: true,
            m: k,
            n: f,
            k: b,
            alpha: 1,
            a: dOut,
            aOffset: 0,
            lda: D * b,
            b: dx,
            bOffset: 0,
            ldb: b,
            beta: 1,
            c: gw,
            cOffset: k * f,
            ldc: f,
          });
        onParamGrad(weight, gw, D, 'rows');
        onParamGrad(bias, gb, D, 'rows');
        be.free(gw);
        be.free(gb);
      }
      if (!x.needsGrad) return [null];
      const dX = be.alloc(f * D * b);
      be.gemm({
        transA: true,
        transB: false,
        m: f,
        n: D * b,
        k,
        alpha: 1,
        a: weight.data,
        aOffset: 0,
        lda: f,
        b: dOut,
        bOffset: 0,
        ldb: D * b,
        beta: 0,
        c: dX,
        cOffset: 0,
        ldc: D * b,
      });
      // Tangent of W^T g: + dW^T g into direction 1.
      if (tangentPass && dW)
        be.gemm({
          transA: true,
          transB: false,
          m: f,
          n: b,
          k,
          alpha: 1,
          a: dW,
          aOffset: 0,
          lda: f,
          b: dOut,
          bOffset: 0,
          ldb: D * b,
          beta: 1,
          c: dX,
          cOffset: b,
          ldc: D * b,
        });
      return [dX];
    },
    true,
  );
  if (dx || dW || dBias) {
    const dy = be.alloc(k * b);
    if (dBias) for (let i = 0; i < k; i++) dy.fill(dBias[i], i * b, (i + 1) * b);
    if (dx)
      be.gemm({
        transA: false,
        transB: false,
        m: k,
        n: b,
        k: f,
        alpha: 1,
        a: weight.data,
        aOffset: 0,
        lda: f,
        b: dx,
        bOffset: 0,
        ldb: b,
        beta: 1,
        c: dy,
        cOffset: 0,
        ldc: b,
      });
    if (dW)
      be.gemm({
        transA: false,
        transB: false,
        m: k,
        n: b,
        k: f,
        alpha: 1,
        a: dW,
        aOffset: 0,
        lda: f,
        b: x.t.data,
        bOffset: 0,
        ldb: b,
        beta: 1,
        c: dy,
        cOffset: 0,
        ldc: b,
      });
    tape.setTangent(out, dy);
  }
  tape.layerObserver?.(weight, out);
  return out;
}
