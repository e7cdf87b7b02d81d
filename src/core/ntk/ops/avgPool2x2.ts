import type { BackwardContext, Tape, Var } from '../engine/tape';

/** 2x2 average pooling, stride 2 (the shortcut of NAS-Bench-201's residual reduction block). */
export function avgPool2x2(tape: Tape, x: Var): Var {
  const { c, b, h, w, data: xs } = x.t;
  if (h % 2 || w % 2) throw new RangeError(`avgPool2x2 needs even sizes, got ${h}x${w}`);
  const ho = h / 2;
  const wo = w / 2;
  const planes = c * b;
  const y = tape.backend.allocUninitialized(planes * ho * wo);
  pool2x2(xs, y, planes, h, w);
  const out = tape.record({ c, b, h: ho, w: wo, data: y }, [x], (dOut: Float32Array, ctx: BackwardContext) => {
    if (!x.needsGrad) return [null];
    const dPlanes = c * ctx.directions * b;
    const dX = tape.backend.allocUninitialized(dPlanes * h * w);
    tape.backend.avgPool2x2Backward(dOut, dX, dPlanes, h, w);
    return [dX];
  });
  // Tangent mode: the pooled tangent (linear op; the backward pass above handles any D).
  const dx = tape.tangentOf(x);
  if (dx) {
    const dy = tape.backend.allocUninitialized(y.length);
    pool2x2(dx, dy, planes, h, w);
    tape.setTangent(out, dy);
  }
  return out;
}

function pool2x2(xs: Float32Array, y: Float32Array, planes: number, h: number, w: number): void {
  const ho = h / 2;
  const wo = w / 2;
  for (let pl = 0; pl < planes; pl++) {
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++) {
        const q = pl * h * w + 2 * i * w + 2 * j;
        y[(pl * ho + i) * wo + j] = 0.25 * (xs[q] + xs[q + 1] + xs[q + w] + xs[q + w + 1]);
      }
    }
  }
}
