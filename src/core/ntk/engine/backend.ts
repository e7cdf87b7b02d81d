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
  /** Releases every buffer at once (end of one score computation). */
  reset(): void;
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
