import type { BackwardContext, Tape, Var } from '../engine/tape';

/**
 * 3x3 average pooling, stride 1, padding 1, dividing by the number of in-image pixels
 * (PyTorch `AvgPool2d(3, 1, 1, count_include_pad=False)`, NAS-Bench-201's `avg_pool_3x3`). Border outputs divide
 * by 4 or 6, not 9: the prototype study found TensorFlow.js's gradient getting exactly this wrong.
 */
export function avgPool3x3(tape: Tape, x: Var): Var {
  const { c, b, h, w, data: xs } = x.t;
  const inv = inverseCounts(h, w);
  const y = tape.backend.allocUninitialized(xs.length);
  boxSum3x3(xs, y, c * b, h, w, inv, null);
  const out = tape.record({ c, b, h, w, data: y }, [x], (dOut: Float32Array, ctx: BackwardContext) => {
    if (!x.needsGrad) return [null];
    // Adjoint: each output spreads dY/count over its window; the window relation is symmetric, so this is a
    // box sum of dY/count.
    const dX = tape.backend.allocUninitialized(dOut.length);
    boxSum3x3(dOut, dX, c * ctx.directions * b, h, w, null, inv);
    return [dX];
  });
  // Tangent mode: the pooled tangent (linear op; the backward pass above handles any D).
  const dx = tape.tangentOf(x);
  if (dx) {
    const dy = tape.backend.allocUninitialized(xs.length);
    boxSum3x3(dx, dy, c * b, h, w, inv, null);
    tape.setTangent(out, dy);
  }
  return out;
}

/** 1 / (number of in-image pixels of the 3x3 window centred at each position). */
function inverseCounts(h: number, w: number): Float32Array {
  const inv = new Float32Array(h * w);
  for (let i = 0; i < h; i++) {
    const rows = (i > 0 ? 1 : 0) + 1 + (i < h - 1 ? 1 : 0);
    for (let j = 0; j < w; j++) {
      const cols = (j > 0 ? 1 : 0) + 1 + (j < w - 1 ? 1 : 0);
      inv[i * w + j] = 1 / (rows * cols);
    }
  }
  return inv;
}

/**
 * dst = sum of the 3x3 zero-padded window of (src * preScale), times postScale, per image plane. Each plane is
 * first copied into a zero-bordered float64 plane (a float32 times a float32 is exact in float64), so the window
 * sum needs no bounds checks: the nine terms are added in row-major window order to a float64 sum starting at +0,
 * and a border zero added to such a sum leaves it unchanged, so every output has the bits of the bounds-checked
 * loop it replaces (that loop took a quarter of a proxy-size gradient pass on a cell with two 3x3 pools).
 */
function boxSum3x3(
  src: Float32Array,
  dst: Float32Array,
  planes: number,
  h: number,
  w: number,
  postScale: Float32Array | null,
  preScale: Float32Array | null,
): void {
  const hw = h * w;
  const pw = w + 2;
  const padded = new Float64Array((h + 2) * pw);
  for (let pl = 0; pl < planes; pl++) {
    const o = pl * hw;
    for (let i = 0; i < h; i++) {
      const from = o + i * w;
      const to = (i + 1) * pw + 1;
      if (preScale) for (let j = 0; j < w; j++) padded[to + j] = src[from + j] * preScale[i * w + j];
      else for (let j = 0; j < w; j++) padded[to + j] = src[from + j];
    }
    for (let i = 0; i < h; i++) {
      const up = i * pw;
      const mid = up + pw;
      const down = mid + pw;
      const out = o + i * w;
      for (let j = 0; j < w; j++) {
        let s = 0;
        s += padded[up + j];
        s += padded[up + j + 1];
        s += padded[up + j + 2];
        s += padded[mid + j];
        s += padded[mid + j + 1];
        s += padded[mid + j + 2];
        s += padded[down + j];
        s += padded[down + j + 1];
        s += padded[down + j + 2];
        dst[out + j] = postScale ? s * postScale[i * w + j] : s;
      }
    }
  }
}
