import type { BackwardContext, Tape, Var } from '../engine/tape';

/** Global average pooling [C][B][H][W] -> [C][B][1][1] (NAS-Bench-201's `AdaptiveAvgPool2d(1)`). */
export function globalAvgPool(tape: Tape, x: Var): Var {
  const { c, b, h, w, data: xs } = x.t;
  const hw = h * w;
  const y = tape.backend.alloc(c * b);
  poolPlanes(xs, y, c * b, hw);
  const out = tape.record({ c, b, h: 1, w: 1, data: y }, [x], (dOut: Float32Array, ctx: BackwardContext) => {
    if (!x.needsGrad) return [null];
    const planes = c * ctx.directions * b;
    const dX = tape.backend.alloc(planes * hw);
    for (let pl = 0; pl < planes; pl++) dX.fill(dOut[pl] / hw, pl * hw, (pl + 1) * hw);
    return [dX];
  });
  // Tangent mode: the pooled tangent (linear op; the backward pass above handles any D).
  const dx = tape.tangentOf(x);
  if (dx) {
    const dy = tape.backend.alloc(c * b);
    poolPlanes(dx, dy, c * b, hw);
    tape.setTangent(out, dy);
  }
  return out;
}

function poolPlanes(xs: Float32Array, y: Float32Array, planes: number, hw: number): void {
  for (let pl = 0; pl < planes; pl++) {
    let s = 0;
    for (let p = 0; p < hw; p++) s += xs[pl * hw + p];
    y[pl] = s / hw;
  }
}
