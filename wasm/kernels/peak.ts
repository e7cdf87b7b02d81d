// The machine's peak for our kernels' arithmetic, measured rather than taken from a data sheet (bench:ntk prints
// every kernel's GFLOP/s against it): `iterations` rounds of 12 independent multiply-add chains on 4-lane f32
// vectors, all in registers (no loads or stores), in exactly the instruction form the GEMM microkernel uses
// (gemm.ts madd: fused in the relaxed-SIMD builds, multiply then add otherwise). 12 chains cover the latency of
// an FMA (4 cycles) times the 2 vector ports x86 cores issue them on, with registers to spare (V8 keeps 15 of
// the 16 xmm registers for values). 96 flops per round.
import { madd } from './lib/madd';

export function peakMultiplyAdd(iterations: i32, seed: f32): f32 {
  const s = f32x4.splat(seed);
  const b = f32x4.splat(0.999);
  let x0 = s,
    x1 = f32x4.add(s, b),
    x2 = f32x4.sub(s, b),
    x3 = f32x4.mul(s, b);
  let x4 = f32x4.add(x1, b),
    x5 = f32x4.add(x2, b),
    x6 = f32x4.add(x3, b),
    x7 = f32x4.add(x4, b);
  let x8 = f32x4.add(x5, b),
    x9 = f32x4.add(x6, b),
    x10 = f32x4.add(x7, b),
    x11 = f32x4.add(x8, b);
  for (let i = 0; i < iterations; i++) {
    x0 = madd(x0, b, s);
    x1 = madd(x1, b, s);
    x2 = madd(x2, b, s);
    x3 = madd(x3, b, s);
    x4 = madd(x4, b, s);
    x5 = madd(x5, b, s);
    x6 = madd(x6, b, s);
    x7 = madd(x7, b, s);
    x8 = madd(x8, b, s);
    x9 = madd(x9, b, s);
    x10 = madd(x10, b, s);
    x11 = madd(x11, b, s);
  }
  const sum = f32x4.add(
    f32x4.add(f32x4.add(x0, x1), f32x4.add(x2, x3)),
    f32x4.add(f32x4.add(x4, x5), f32x4.add(x6, x7)),
  );
  const all = f32x4.add(sum, f32x4.add(f32x4.add(x8, x9), f32x4.add(x10, x11)));
  return f32x4.extract_lane(all, 0) + f32x4.extract_lane(all, 3);
}
