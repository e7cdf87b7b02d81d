import type { BackwardContext, Tape, Var } from '../engine/tape';

/** ReLU; its gradient passes dY where the input was positive (PyTorch's convention: 0 at exactly 0), in place. */
export function relu(tape: Tape, x: Var): Var {
  const { c, b, h, w, data: xs } = x.t;
  tape.reluObserver?.(x.t);
  const y = tape.backend.allocUninitialized(xs.length);
  tape.backend.reluForward(xs, y, xs.length);
  return tape.record({ c, b, h, w, data: y }, [x], (dOut: Float32Array, ctx: BackwardContext) => {
    if (!x.needsGrad) return [null];
    tape.backend.reluBackward(xs, dOut, c, ctx.directions, b * h * w);
    return [dOut];
  });
}
