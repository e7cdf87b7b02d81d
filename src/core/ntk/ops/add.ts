import type { BackwardContext, Tape, Var } from '../engine/tape';

/** Elementwise sum of same-shaped tensors (a cell node summing its incoming edges; a residual connection). */
export function addN(tape: Tape, xs: readonly Var[]): Var {
  if (xs.length === 0) throw new RangeError('addN needs at least one input');
  const { c, b, h, w } = xs[0].t;
  for (const x of xs) {
    if (x.t.c !== c || x.t.b !== b || x.t.h !== h || x.t.w !== w) {
      throw new RangeError(`addN: shape [${x.t.c},${x.t.b},${x.t.h},${x.t.w}] differs from [${c},${b},${h},${w}]`);
    }
  }
  const be = tape.backend;
  const y = be.allocUninitialized(xs[0].t.data.length);
  y.set(xs[0].t.data);
  for (const x of xs.slice(1)) be.addInto(y, x.t.data, y.length);
  // Every input receives dY itself, shared read-only (Tape.isSharedCotangent) instead of a copy for each further one.
  const out = tape.record({ c, b, h, w, data: y }, xs, (dOut: Float32Array, _ctx: BackwardContext) =>
    xs.map((x) => (x.needsGrad ? dOut : null)),
  );
  // Tangent mode: the sum of the inputs' tangents (linear op; its backward hands on dY, whatever D is).
  const tangents = xs.map((x) => tape.tangentOf(x)).filter((t): t is Float32Array => t !== null);
  if (tangents.length) {
    const dy = be.allocUninitialized(y.length);
    dy.set(tangents[0]);
    for (const t of tangents.slice(1)) be.addInto(dy, t, dy.length);
    tape.setTangent(out, dy);
  }
  return out;
}
