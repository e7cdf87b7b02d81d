import type { BackwardContext, Tape, Var } from '../engine/tape';

/** ReLU; its gradient passes dY where the input was positive (PyTorch's convention: 0 at exactly 0). */
export function relu(tape: Tape, x: Var): Var {
  const { c, b, h, w, data: xs } = x.t;
  tape.reluObserver?.(x.t);
  const n = xs.length;
  const y = tape.backend.alloc(n);
  for (let i = 0; i < n; i++) y[i] = xs[i] > 0 ? xs[i] : 0;
  return tape.record({ c, b, h, w, data: y }, [x], (dOut: Float32Array, ctx: BackwardContext) => {
    if (!x.needsGrad) return [null];
    const D = ctx.directions;
    const bhw = b * h * w;
    const dX = tape.backend.alloc(dOut.length);
    for (let ch = 0; ch < c; ch++) {
      for (let d = 0; d < D; d++) {
        const o = (ch * D + d) * bhw;
        const xo = ch * bhw;
        for (let i = 0; i < bhw; i++) dX[o + i] = xs[xo + i] > 0 ? dOut[o + i] : 0;
      }
    }
    return [dX];
  });
}
