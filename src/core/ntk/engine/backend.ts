import type { ConvGeometry } from './im2col';

/**
 * The numeric back end the autodiff engine runs on: where Float32Arrays live and who multiplies matrices.
 * Two implementations with identical results: plain TypeScript (`jsBackend`) and WebAssembly SIMD128
 * (`wasmBackend`, whose buffers are views into one WebAssembly.Memory so kernels read them in place).
 */
export interface NumericBackend {
  readonly name: 'js' | 'wasm';
  /** A zero-filled buffer of `length` floats. */
  alloc(length: number): Float32Array;
  /** Hands a buffer back for reuse; the caller must not touch it afterwards. Optional to call. */
  free(buffer: Float32Array): void;
  /**
   * Row-major C = alpha * op(A) * op(B) + beta * C, op(X) = X or X^T, with M x N result, inner size K, leading
   * dimensions lda/ldb/ldc (elements) and element offsets into each array (BLAS sgemm conventions, row-major).
   */
  gemm(g: GemmArgs): void;
  /** {@link im2col} of engine/im2col.ts (same arguments, same results). */
  im2col(src: Float32Array, g: ConvGeometry, images: number, imageOffset: number, totalImages: number, col: Float32Array): void;
  /** {@link col2imAdd} of engine/im2col.ts. */
  col2imAdd(col: Float32Array, g: ConvGeometry, images: number, imageOffset: number, totalImages: number, dst: Float32Array): void;
  /** Releases every buffer at once (end of one score computation). */
  reset(): void;
  /** Ends any helper threads the back end started (wasmBackend with `threads` > 1); the back end is unusable after. */
  dispose(): void;
}

export interface GemmArgs {
  transA: boolean;
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
