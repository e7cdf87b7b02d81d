// Shared by the kernels; in lib/ because scripts/build-wasm.mjs compiles every file directly in wasm/kernels/ as
// an entry whose exports become the module's, and this inline helper is no export of the module.

/**
 * x + s*b per lane: one fused multiply-add (`f32x4.relaxed_madd`, one rounding) in the relaxed-SIMD builds,
 * f32 multiply then f32 add (two roundings, gemmJs.ts's order) otherwise. ASC_FEATURE_RELAXED_SIMD is a
 * compile-time constant, so each build holds only one of the two; -O3 inlines the one instruction left (an
 * `@inline` decorator would say so too, but the project's TypeScript linter cannot parse it).
 */
export function madd(s: v128, b: v128, x: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(s, b, x);
  return f32x4.add(x, f32x4.mul(s, b));
}

/**
 * x - s*b per lane: `f32x4.relaxed_nmadd` (one rounding) in the relaxed-SIMD builds, f32 multiply then f32 subtract
 * otherwise. The Winograd transforms use madd and nmadd only where s*b is exact (s a power of two: 2, 4, 8), so
 * there the fused and the separate forms round identically and every build stays bit-identical to the TypeScript
 * reference; they save the multiply.
 */
export function nmadd(s: v128, b: v128, x: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_nmadd(s, b, x);
  return f32x4.sub(x, f32x4.mul(s, b));
}
