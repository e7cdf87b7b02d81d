import type { BackwardContext, Tape, Var } from '../engine/tape';

/**
 * ReLU; its gradient passes dY where the input was positive (PyTorch's convention: 0 at exactly 0), in place.
 * Tangent mode: the output's tangent is the input's where the input is positive; the backward pass is linear in dY
 * with a mask that does not move (ReLU's second derivative is 0 almost everywhere), so D = 2 covers it.
 */
export function relu(tape: Tape, x: Var): Var {
  const { c, b, h, w, data: xs } = x.t;
  tape.reluObserver?.(x.t);
  const y = tape.backend.allocUninitialized(xs.length);
  tape.backend.reluForward(xs, y, xs.length);
  const out = tape.record({ c, b, h, w, data: y }, [x], (dOut: Float32Array, ctx: BackwardContext) => {
    if (!x.needsGrad) return [null];
    // In place, unless other values still hold dOut (Tape.isSharedCotangent).
    let g = dOut;
    if (tape.isSharedCotangent(dOut)) {
      g = tape.backend.allocUninitialized(dOut.length);
      g.set(dOut);
    }
    tape.backend.reluBackward(xs, g, c, ctx.directions, b * h * w);
    return [g];
  });
  const dx = tape.tangentOf(x);
  if (dx) {
    const dy = tape.backend.allocUninitialized(xs.length);
    for (let i = 0; i < xs.length; i++) dy[i] = xs[i] > 0 ? dx[i] : 0;
    tape.setTangent(out, dy);
  }
  return out;
}
