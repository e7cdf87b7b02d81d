import type { ConvSameArgs } from './convSame';
import type { ConvGeometry } from './im2col';
import type { WinogradConvArgs, WinogradFilterArgs, WinogradWeightGradientArgs, WinogradWeightsArgs } from './winograd';

/**
 * The numeric back end the autodiff engine runs on: where Float32Arrays live and who multiplies matrices.
 * Two implementations with identical results: plain TypeScript (`jsBackend`) and WebAssembly SIMD128
 * (`wasmBackend`, whose buffers are views into one WebAssembly.Memory so kernels read them in place).
 */
/** Which back end computed a result: TypeScript, WebAssembly SIMD128, or WebAssembly with relaxed-SIMD FMA. */
export type BackendName = 'js' | 'wasm' | 'wasm-fma';

export interface NumericBackend {
  /** `wasm-fma`: the WebAssembly kernels with fused multiply-adds (relaxed SIMD), which round differently. */
  readonly name: BackendName;
  /** A zero-filled buffer of `length` floats. */
  alloc(length: number): Float32Array;
  /**
   * A buffer of `length` floats with unspecified contents, for outputs the caller overwrites completely (a GEMM
   * with beta = 0, im2col, elementwise results): skips zeroing, which the profile showed costing 10% of a score.
   */
  allocUninitialized(length: number): Float32Array;
  /** Hands a buffer back for reuse; the caller must not touch it afterwards. Optional to call. */
  free(buffer: Float32Array): void;
  /**
   * Row-major C = alpha * op(A) * op(B) + beta * C, op(X) = X or X^T, with M x N result, inner size K, leading
   * dimensions lda/ldb/ldc (elements) and element offsets into each array (BLAS sgemm conventions, row-major).
   */
  gemm(g: GemmArgs): void;
  /** C = alpha * op(A) * B + beta * C with B [k][n] in 8-column panels (engine/im2col.ts packedIndex). */
  gemmPackedB(g: PackedGemmArgs): void;
  /** A stride-1 "same" convolution, C = A x im2col(src) (engine/convSame.ts; bit-identical to its two-step form). */
  convSame(x: ConvSameArgs): void;
  /** A 3x3 "same" convolution through Winograd (engine/winograd.ts winogradConvReference). */
  winogradConv(x: WinogradConvArgs): void;
  /** The transformed 3x3 weight gradient of engine/winograd.ts (winogradWeightGradientReference). */
  winogradWeightGradient(x: WinogradWeightGradientArgs): void;
  /** The weight gradients from the transformed ones (engine/winograd.ts winogradWeightsReference). */
  winogradWeights(x: WinogradWeightsArgs): void;
  /** The filters' transforms U_t (engine/winograd.ts winogradFilterReference). */
  winogradFilter(x: WinogradFilterArgs): void;
  /** {@link im2colPacked} of engine/im2col.ts. */
  im2colPacked(
    src: Float32Array,
    g: ConvGeometry,
    images: number,
    imageOffset: number,
    totalImages: number,
    dst: Float32Array,
  ): void;
  /** {@link im2col} of engine/im2col.ts (same arguments, same results). */
  im2col(
    src: Float32Array,
    g: ConvGeometry,
    images: number,
    imageOffset: number,
    totalImages: number,
    col: Float32Array,
  ): void;
  /** {@link col2imAdd} of engine/im2col.ts. */
  col2imAdd(
    col: Float32Array,
    g: ConvGeometry,
    images: number,
    imageOffset: number,
    totalImages: number,
    dst: Float32Array,
  ): void;
  /** Releases every buffer at once (end of one score computation). */
  reset(): void;
  /**
   * Where allocation stands now, for {@link releaseTo}: a computation that keeps nothing in the back end's buffers
   * (one zero-cost proxy after another on the same network, whose weights must survive) releases what it used.
   */
  mark(): number;
  /** Releases every buffer allocated since `mark()` returned `at` (earlier ones, e.g. the weights, stay). */
  releaseTo(at: number): void;
  /** A zero-filled float64 buffer (BN statistics), released by `reset`. */
  allocF64(length: number): Float64Array;
  // The elementwise kernels of engine/elementwise.ts (same arguments, same results).
  reluForward(x: Float32Array, y: Float32Array, n: number): void;
  reluBackward(x: Float32Array, g: Float32Array, c: number, D: number, bhw: number): void;
  addInto(dst: Float32Array, src: Float32Array, n: number): void;
  avgPool2x2Backward(dOut: Float32Array, dX: Float32Array, planes: number, h: number, w: number): void;
  bnStatistics(
    x: Float32Array,
    c: number,
    b: number,
    groups: number,
    hw: number,
    mean: Float64Array,
    invStd: Float64Array,
    eps: number,
  ): void;
  bnForward(
    x: Float32Array,
    xhat: Float32Array,
    y: Float32Array,
    c: number,
    b: number,
    groups: number,
    hw: number,
    mean: Float64Array,
    invStd: Float64Array,
    gamma: Float32Array,
    beta: Float32Array,
  ): void;
  /**
   * With `groupSums`, also the two sums bnBackward takes per channel, direction and group (engine/elementwise.ts
   * bnParamGrads), so that it need not read g and xhat for them again.
   */
  bnParamGrads(
    g: Float32Array,
    xhat: Float32Array,
    c: number,
    D: number,
    b: number,
    hw: number,
    dGamma: Float32Array,
    dBeta: Float32Array,
    perSample: boolean,
    groupSums?: BnGroupSums,
  ): void;
  /**
   * `groupSums`: bnParamGrads' for this g, xhat and groups (batch statistics only); without it, computed here.
   * `out`: where the input gradient goes (g itself when absent: in place).
   */
  bnBackward(
    g: Float32Array,
    xhat: Float32Array,
    c: number,
    D: number,
    b: number,
    groups: number,
    hw: number,
    gamma: Float32Array,
    invStd: Float64Array,
    constant: boolean,
    groupSums?: Float64Array,
    out?: Float32Array,
  ): void;
  /** Ends any helper threads the back end started (wasmBackend with `threads` > 1); the back end is unusable after. */
  dispose(): void;
}

/**
 * Where bnParamGrads leaves BatchNorm's per-group sums for bnBackward: `sums` [c][D][groups][2], the float64 sum of
 * g and of g * xhat over each group of b / groups samples.
 */
export interface BnGroupSums {
  readonly groups: number;
  readonly sums: Float64Array;
}

export interface GemmArgs {
  transA: boolean;
  /**
   * When set, A (not transposed) is stored in panels of 8 along k with this many rows (engine/im2col.ts
   * packedIndex; `lda` unused), starting at element `aOffset`, which must be a panel boundary.
   */
  aPanelRows?: number;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  a: Float32Array;
  aOffset: number;
  lda: number;
  b: Float32Array;
  bOffset: number;
  ldb: number;
  beta: number;
  c: Float32Array;
  cOffset: number;
  ldc: number;
}

/** A GEMM whose B is packed in 8-column panels; A starts at element 0 of `a`, the panels at element 0 of `b`. */
export interface PackedGemmArgs {
  transA: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  a: Float32Array;
  lda: number;
  b: Float32Array;
  beta: number;
  c: Float32Array;
  cOffset: number;
  ldc: number;
}
