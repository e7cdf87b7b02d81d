// AssemblyScript source of the NTK engine's elementwise kernels (ReLU, BatchNorm, sums), SIMD128. Each one mirrors
// a function of src/core/ntk/engine/elementwise.ts operation for operation, so both back ends stay bit-identical:
// per-element BatchNorm arithmetic is float64 (as the TypeScript reads float32 values into doubles), and every
// float64 sum runs in two lanes, lane 0 taking even elements and lane 1 odd ones, added at the end (lane0 + lane1).
// Addresses are bytes into the imported memory; f64 arrays are 8-byte aligned.

function f32At(base: usize, i: i32): f32 {
  return load<f32>(base + ((<usize>i) << 2));
}

function f64At(base: usize, i: i32): f64 {
  return load<f64>(base + ((<usize>i) << 3));
}

/** Float64 lanes of elements 0,1 and 2,3 of four float32 values. */
function low2(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}
function high2(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}
/** Four float32 values from two float64 pairs (round to nearest, as a Float32Array store). */
function pack4(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** y = x > 0 ? x : 0 (0 for NaN and -0, as the TypeScript comparison gives). */
export function reluForward(x: usize, y: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const v = v128.load(x + o);
    v128.store(y + o, v128.and(v, f32x4.gt(v, zero)));
  }
  for (; i < n; i++) {
    const v = f32At(x, i);
    store<f32>(y + ((<usize>i) << 2), v > 0 ? v : 0);
  }
}

/**
 * The backward pass of 2x2 average pooling, stride 2: a quarter of each entry of dOut ([planes][h / 2][w / 2]) to
 * the 4 pixels of its window in dX ([planes][h][w]); h even. The float32 product is the TypeScript's float64
 * product (exact: a power of two) rounded once. 4 entries at a time, each duplicated along the row, written to
 * both rows of the window.
 */
export function avgPool2x2Backward(dOut: usize, dX: usize, planes: i32, h: i32, w: i32): void {
  const quarter = f32x4.splat(0.25);
  const wo = w >> 1;
  const rowBytes = (<usize>w) << 2;
  for (let pl = 0; pl < planes; pl++) {
    for (let i = 0; i < h >> 1; i++) {
      const src = dOut + ((<usize>((pl * (h >> 1) + i) * wo)) << 2);
      const top = dX + ((<usize>(pl * h * w + 2 * i * w)) << 2);
      let j = 0;
      for (; j + 4 <= wo; j += 4) {
        const g = f32x4.mul(v128.load(src + ((<usize>j) << 2)), quarter);
        const lo = v128.shuffle<f32>(g, g, 0, 0, 1, 1);
        const hi = v128.shuffle<f32>(g, g, 2, 2, 3, 3);
        const at = top + ((<usize>(2 * j)) << 2);
        v128.store(at, lo);
        v128.store(at, hi, 16);
        v128.store(at + rowBytes, lo);
        v128.store(at + rowBytes, hi, 16);
      }
      for (; j < wo; j++) {
        const g = f32At(src, j) * <f32>0.25;
        const at = top + ((<usize>(2 * j)) << 2);
        store<f32>(at, g);
        store<f32>(at, g, 4);
        store<f32>(at + rowBytes, g);
        store<f32>(at + rowBytes, g, 4);
      }
    }
  }
}

/** In place: g[(ch*D + d)*bhw + i] = x[ch*bhw + i] > 0 ? g[...] : 0. */
export function reluBackward(x: usize, g: usize, c: i32, D: i32, bhw: i32): void {
  const zero = f32x4.splat(0);
  for (let ch = 0; ch < c; ch++) {
    const xs = x + ((<usize>(ch * bhw)) << 2);
    for (let d = 0; d < D; d++) {
      const gs = g + ((<usize>((ch * D + d) * bhw)) << 2);
      let i = 0;
      for (; i + 4 <= bhw; i += 4) {
        const o = (<usize>i) << 2;
        v128.store(gs + o, v128.and(v128.load(gs + o), f32x4.gt(v128.load(xs + o), zero)));
      }
      for (; i < bhw; i++) {
        if (!(f32At(xs, i) > 0)) store<f32>(gs + ((<usize>i) << 2), 0);
      }
    }
  }
}

/** dst += src (float32). */
export function addInto(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

/** Two-lane float64 sum of m float32 values. */
function sum2(p: usize, m: i32): f64 {
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const v = v128.load(p + ((<usize>i) << 2));
    acc = f64x2.add(acc, low2(v));
    acc = f64x2.add(acc, high2(v));
  }
  let s0 = f64x2.extract_lane(acc, 0);
  let s1 = f64x2.extract_lane(acc, 1);
  for (; i < m; i++) {
    if (i & 1) s1 += <f64>f32At(p, i);
    else s0 += <f64>f32At(p, i);
  }
  return s0 + s1;
}

/** Two-lane float64 sum of (x - mu)^2. */
function squaredDeviations2(p: usize, m: i32, mu: f64): f64 {
  let acc = f64x2.splat(0);
  const vm = f64x2.splat(mu);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const v = v128.load(p + ((<usize>i) << 2));
    const lo = f64x2.sub(low2(v), vm);
    const hi = f64x2.sub(high2(v), vm);
    acc = f64x2.add(acc, f64x2.mul(lo, lo));
    acc = f64x2.add(acc, f64x2.mul(hi, hi));
  }
  let s0 = f64x2.extract_lane(acc, 0);
  let s1 = f64x2.extract_lane(acc, 1);
  for (; i < m; i++) {
    const dv = <f64>f32At(p, i) - mu;
    if (i & 1) s1 += dv * dv;
    else s0 += dv * dv;
  }
  return s0 + s1;
}

/** The dot product from the last sumAndDot2 (a global: every thread's instance has its own). */
let lastDot: f64 = 0;

/**
 * sum2(a, m), returned, and the two-lane float64 sum of a[i] * b[i] (the same scheme), left in lastDot, in one
 * pass: each sum runs in the order it had when each was its own loop (bit-identical), but a is read once and the
 * two add chains overlap (alone, each add waits on the one before: BN's backward and parameter gradients spent
 * 1.4 s of a full-size exact score in them).
 */
function sumAndDot2(a: usize, b: usize, m: i32): f64 {
  let accS = f64x2.splat(0);
  let accD = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const o = (<usize>i) << 2;
    const va = v128.load(a + o);
    const vb = v128.load(b + o);
    accS = f64x2.add(accS, low2(va));
    accD = f64x2.add(accD, f64x2.mul(low2(va), low2(vb)));
    accS = f64x2.add(accS, high2(va));
    accD = f64x2.add(accD, f64x2.mul(high2(va), high2(vb)));
  }
  let s0 = f64x2.extract_lane(accS, 0);
  let s1 = f64x2.extract_lane(accS, 1);
  let d0 = f64x2.extract_lane(accD, 0);
  let d1 = f64x2.extract_lane(accD, 1);
  for (; i < m; i++) {
    const x = <f64>f32At(a, i);
    const y = x * <f64>f32At(b, i);
    if (i & 1) {
      s1 += x;
      d1 += y;
    } else {
      s0 += x;
      d0 += y;
    }
  }
  lastDot = d0 + d1;
  return s0 + s1;
}

/** Per channel and group: mean and 1/sqrt(biased variance + eps) of x [c][b][hw], groups of b/groups samples. */
export function bnStatistics(
  x: usize,
  c: i32,
  b: i32,
  groups: i32,
  hw: i32,
  mean: usize,
  invStd: usize,
  eps: f64,
): void {
  const bg = b / groups;
  const m = bg * hw;
  for (let ch = 0; ch < c; ch++) {
    for (let g = 0; g < groups; g++) {
      const p = x + ((<usize>((ch * b + g * bg) * hw)) << 2);
      const mu = sum2(p, m) / <f64>m;
      const v = squaredDeviations2(p, m, mu);
      const k = (<usize>(ch * groups + g)) << 3;
      store<f64>(mean + k, mu);
      store<f64>(invStd + k, 1 / Math.sqrt(v / <f64>m + eps));
    }
  }
}

/** xhat = f32((x - mean) * invStd); y = f32(gamma * xhat + beta), per channel and group. */
export function bnForward(
  x: usize,
  xhat: usize,
  y: usize,
  c: i32,
  b: i32,
  groups: i32,
  hw: i32,
  mean: usize,
  invStd: usize,
  gamma: usize,
  beta: usize,
): void {
  const bg = b / groups;
  const m = bg * hw;
  for (let ch = 0; ch < c; ch++) {
    const ga = <f64>f32At(gamma, ch);
    const bt = <f64>f32At(beta, ch);
    const vga = f64x2.splat(ga);
    const vbt = f64x2.splat(bt);
    for (let g = 0; g < groups; g++) {
      const mu = f64At(mean, ch * groups + g);
      const is = f64At(invStd, ch * groups + g);
      const vmu = f64x2.splat(mu);
      const vis = f64x2.splat(is);
      const start = (<usize>((ch * b + g * bg) * hw)) << 2;
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const o = start + ((<usize>i) << 2);
        const v = v128.load(x + o);
        const h = pack4(f64x2.mul(f64x2.sub(low2(v), vmu), vis), f64x2.mul(f64x2.sub(high2(v), vmu), vis));
        v128.store(xhat + o, h);
        v128.store(y + o, pack4(f64x2.add(f64x2.mul(vga, low2(h)), vbt), f64x2.add(f64x2.mul(vga, high2(h)), vbt)));
      }
      for (; i < m; i++) {
        const o = start + ((<usize>i) << 2);
        const h = <f32>((<f64>load<f32>(x + o) - mu) * is);
        store<f32>(xhat + o, h);
        store<f32>(y + o, <f32>(ga * <f64>h + bt));
      }
    }
  }
}

/**
 * Gradients of gamma and beta from g [c][D][b][hw]: row (perSample ? s : d) of dGamma/dBeta [rows][rowStride]
 * gains the two-lane sums over the sample's plane of g * xhat and g (added to the float32 value already there).
 * A part of the channels passes its first channel's g, xhat, dGamma and dBeta and the whole row length.
 * With `groupSums` (not 0), also the sums bnBackward needs, per channel, direction and group of b/groups samples:
 * at groupSums + ((ch * D + d) * groups + group) * 16 bytes, the float64 sum of g and of g * xhat over the group,
 * each exactly as bnBackward's own sumAndDot2 over the group would give it. When hw % 4 == 0 (every
 * NAS-Bench-201 plane) they come from the same pass: each vector adds into the sample's lanes and into the
 * group's, which continue across samples in the order the group's one loop takes (hw even keeps the lanes'
 * parity). So g and xhat are read once for both sums: bnBackward reading them again took 0.6 s per thread of a
 * full-size exact score, its add chains waiting on each other.
 */
export function bnParamGrads(
  g: usize,
  xhat: usize,
  c: i32,
  D: i32,
  b: i32,
  hw: i32,
  dGamma: usize,
  dBeta: usize,
  perSample: i32,
  rowStride: i32,
  groups: i32,
  groupSums: usize,
): void {
  const fused = groupSums != 0 && hw % 4 == 0;
  const bg = b / groups;
  for (let ch = 0; ch < c; ch++) {
    for (let d = 0; d < D; d++) {
      let totalS = f64x2.splat(0);
      let totalD = f64x2.splat(0);
      for (let s = 0; s < b; s++) {
        const gp = g + ((<usize>(((ch * D + d) * b + s) * hw)) << 2);
        const xp = xhat + ((<usize>((ch * b + s) * hw)) << 2);
        const row = perSample ? s : d;
        const k = (<usize>(row * rowStride + ch)) << 2;
        let sum: f64, dot: f64;
        if (fused) {
          let accS = f64x2.splat(0);
          let accD = f64x2.splat(0);
          for (let i = 0; i < hw; i += 4) {
            const o = (<usize>i) << 2;
            const va = v128.load(gp + o);
            const vb = v128.load(xp + o);
            const loS = low2(va);
            const hiS = high2(va);
            const loD = f64x2.mul(loS, low2(vb));
            const hiD = f64x2.mul(hiS, high2(vb));
            accS = f64x2.add(f64x2.add(accS, loS), hiS);
            accD = f64x2.add(f64x2.add(accD, loD), hiD);
            totalS = f64x2.add(f64x2.add(totalS, loS), hiS);
            totalD = f64x2.add(f64x2.add(totalD, loD), hiD);
          }
          sum = f64x2.extract_lane(accS, 0) + f64x2.extract_lane(accS, 1);
          dot = f64x2.extract_lane(accD, 0) + f64x2.extract_lane(accD, 1);
        } else {
          sum = sumAndDot2(gp, xp, hw);
          dot = lastDot;
        }
        store<f32>(dGamma + k, <f32>(<f64>load<f32>(dGamma + k) + dot));
        store<f32>(dBeta + k, <f32>(<f64>load<f32>(dBeta + k) + sum));
        if (groupSums != 0 && (s + 1) % bg == 0) {
          const to = groupSums + ((<usize>((ch * D + d) * groups + s / bg)) << 4);
          if (fused) {
            store<f64>(to, f64x2.extract_lane(totalS, 0) + f64x2.extract_lane(totalS, 1));
            store<f64>(to, f64x2.extract_lane(totalD, 0) + f64x2.extract_lane(totalD, 1), 8);
            totalS = f64x2.splat(0);
            totalD = f64x2.splat(0);
          } else {
            const first = g + ((<usize>(((ch * D + d) * b + s + 1 - bg) * hw)) << 2);
            const firstX = xhat + ((<usize>((ch * b + s + 1 - bg) * hw)) << 2);
            store<f64>(to, sumAndDot2(first, firstX, bg * hw));
            store<f64>(to, lastDot, 8);
          }
        }
      }
    }
  }
}

/**
 * In place, the input gradient of BN on g [c][D][b][hw] with scale = gamma * invStd: constant statistics give
 * scale * g; batch statistics give scale * ((g - mean(g)) - xhat * mean(g * xhat)) per channel, direction and group,
 * the two sums read from groupSums (bnParamGrads') when it is not 0. Written to `out` (same layout) when it is not
 * 0: a cotangent that other values still hold is only read (Tape.isSharedCotangent).
 */
export function bnBackward(
  g: usize,
  xhat: usize,
  c: i32,
  D: i32,
  b: i32,
  groups: i32,
  hw: i32,
  gamma: usize,
  invStd: usize,
  constant: i32,
  groupSums: usize,
  out: usize,
): void {
  const dst = out != 0 ? out : g;
  const bg = b / groups;
  const m = bg * hw;
  for (let ch = 0; ch < c; ch++) {
    const ga = <f64>f32At(gamma, ch);
    for (let d = 0; d < D; d++) {
      for (let grp = 0; grp < groups; grp++) {
        const scale = ga * f64At(invStd, ch * groups + grp);
        const vs = f64x2.splat(scale);
        const offset = (<usize>(((ch * D + d) * b + grp * bg) * hw)) << 2;
        const gp = g + offset;
        const op = dst + offset;
        const xp = xhat + ((<usize>((ch * b + grp * bg) * hw)) << 2);
        let i = 0;
        if (constant) {
          for (; i + 4 <= m; i += 4) {
            const o = (<usize>i) << 2;
            const v = v128.load(gp + o);
            v128.store(op + o, pack4(f64x2.mul(vs, low2(v)), f64x2.mul(vs, high2(v))));
          }
          for (; i < m; i++) {
            const o = (<usize>i) << 2;
            store<f32>(op + o, <f32>(scale * <f64>load<f32>(gp + o)));
          }
          continue;
        }
        let sum: f64, dot: f64;
        if (groupSums != 0) {
          const from = groupSums + ((<usize>((ch * D + d) * groups + grp)) << 4);
          sum = load<f64>(from);
          dot = load<f64>(from, 8);
        } else {
          sum = sumAndDot2(gp, xp, m);
          dot = lastDot;
        }
        const a1 = sum / <f64>m;
        const a2 = dot / <f64>m;
        const va1 = f64x2.splat(a1);
        const va2 = f64x2.splat(a2);
        for (; i + 4 <= m; i += 4) {
          const o = (<usize>i) << 2;
          const v = v128.load(gp + o);
          const h = v128.load(xp + o);
          const lo = f64x2.mul(vs, f64x2.sub(f64x2.sub(low2(v), va1), f64x2.mul(low2(h), va2)));
          const hi = f64x2.mul(vs, f64x2.sub(f64x2.sub(high2(v), va1), f64x2.mul(high2(h), va2)));
          v128.store(op + o, pack4(lo, hi));
        }
        for (; i < m; i++) {
          const o = (<usize>i) << 2;
          store<f32>(op + o, <f32>(scale * (<f64>load<f32>(gp + o) - a1 - <f64>load<f32>(xp + o) * a2)));
        }
      }
    }
  }
}
