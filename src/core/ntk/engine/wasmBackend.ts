import type { GemmArgs, NumericBackend, PackedGemmArgs } from './backend';
import * as elementwise from './elementwise';
import { gemmPackedBJs } from './gemmJs';
import { col2imAdd, im2col, im2colPacked, packedSize, type ConvGeometry } from './im2col';

/** Bytes reserved below the heap for the kernels' own static data (the AssemblyScript stub runtime uses none). */
const HEAP_BASE = 1 << 16;
const PAGE = 1 << 16;
/** Rows of B^T packed per chunk for transposed-B products (kc in wasm/kernels/gemm.ts). */
const PACK_ROWS = 256;

export interface WasmBackendOptions {
  /**
   * Size of the one WebAssembly.Memory all buffers live in. It is created at full size and never grown, because
   * growing detaches every Float32Array view (shared/notes/ntk-engine.md); the OS only backs pages once touched.
   */
  readonly memoryBytes?: number;
}

interface KernelExports {
  im2col(src: number, channels: number, h: number, w: number, k: number, s: number, p: number, images: number, imageOffset: number, totalImages: number, col: number): void;
  col2imAdd(col: number, channels: number, h: number, w: number, k: number, s: number, p: number, images: number, imageOffset: number, totalImages: number, dst: number): void;
  reluForward(x: number, y: number, n: number): void;
  reluBackward(x: number, g: number, c: number, D: number, bhw: number): void;
  addInto(dst: number, src: number, n: number): void;
  bnStatistics(x: number, c: number, b: number, groups: number, hw: number, mean: number, invStd: number, eps: number): void;
  bnForward(x: number, xhat: number, y: number, c: number, b: number, groups: number, hw: number, mean: number, invStd: number, gamma: number, beta: number): void;
  bnParamGrads(g: number, xhat: number, c: number, D: number, b: number, hw: number, dGamma: number, dBeta: number, perSample: number): void;
  bnBackward(g: number, xhat: number, c: number, D: number, b: number, groups: number, hw: number, gamma: number, invStd: number, constant: number): void;
  im2colPacked(src: number, channels: number, h: number, w: number, k: number, s: number, p: number, images: number, imageOffset: number, totalImages: number, dst: number): void;
  gemmPackedB(transA: number, m: number, n: number, k: number, a: number, lda: number, b: number, beta: number, c: number, ldc: number): void;
  gemm(transA: number, transB: number, m: number, n: number, k: number, a: number, lda: number, aPanelRows: number, b: number, ldb: number, beta: number, c: number, ldc: number, scratch: number, kc: number): void;
}

/**
 * The part of the WebAssembly JS API used here. Typed locally because the core compiles against ES2022 + Node
 * types only (no DOM lib, where TypeScript declares WebAssembly).
 */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (d: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}
const WebAssemblyJs = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** True when this runtime validates WebAssembly SIMD128 (Node 16.4+; older engines fall back to `jsBackend`). */
export function wasmSimdSupported(bytes: Uint8Array): boolean {
  try {
    return WebAssemblyJs.validate(bytes);
  } catch {
    return false;
  }
}

/**
 * The WebAssembly SIMD128 back end: every buffer is a Float32Array view into one imported memory, so the kernels
 * (built from wasm/kernels/gemm.ts) read operands in place. Buffers are bump-allocated, recycled by exact length
 * through `free`, and all released by `reset` at the end of each score computation.
 */
export function wasmBackend(bytes: Uint8Array, options: WasmBackendOptions = {}): NumericBackend {
  const memoryBytes = options.memoryBytes ?? 2 ** 31;
  const pages = Math.ceil(memoryBytes / PAGE);
  const memory = new WebAssemblyJs.Memory({ initial: pages, maximum: pages });
  const instance = new WebAssemblyJs.Instance(new WebAssemblyJs.Module(bytes), { env: { memory } });
  const kernels = instance.exports as unknown as KernelExports;
  const heapEnd = pages * PAGE;
  let top = HEAP_BASE;
  const freeLists = new Map<number, Float32Array[]>();
  let scratch: Float32Array | undefined;

  const allocUninitialized = (length: number): Float32Array => {
    const recycled = freeLists.get(length)?.pop();
    if (recycled) return recycled;
    const bytesNeeded = Math.max(16, length * 4 + 15) & ~15;
    if (top + bytesNeeded > heapEnd) {
      throw new RangeError(`NTK engine out of WebAssembly memory (${(heapEnd / 2 ** 20).toFixed(0)} MB): use a smaller size, fewer inputs (--n) or the fixed-bn kernel`);
    }
    const view = new Float32Array(memory.buffer, top, length);
    top += bytesNeeded;
    return view;
  };
  const alloc = (length: number): Float32Array => allocUninitialized(length).fill(0);
  const inMemory = (a: Float32Array | Float64Array) => a.buffer === memory.buffer;
  const allInMemory = (...arrays: (Float32Array | Float64Array)[]) => arrays.every(inMemory);
  /** Copies an operand that lives outside the WebAssembly memory (e.g. a caller's array) into it. */
  const staged = (a: Float32Array, offset: number, length: number): { view: Float32Array; offset: number } => {
    if (inMemory(a)) return { view: a, offset };
    const copy = alloc(length);
    copy.set(a.subarray(offset, offset + length));
    return { view: copy, offset: 0 };
  };

  /** f32(alpha * a) for the kernels, which multiply A as given (the product gemmJs forms per element). */
  const scaledCopy = (a: Float32Array, offset: number, length: number, alpha: number): { view: Float32Array; offset: number } => {
    const copy = allocUninitialized(length);
    const al = Math.fround(alpha);
    for (let i = 0; i < length; i++) copy[i] = al * a[offset + i];
    return { view: copy, offset: 0 };
  };

  return {
    name: 'wasm',
    alloc,
    allocUninitialized,
    free(buffer) {
      if (!inMemory(buffer) || buffer === scratch) return;
      const list = freeLists.get(buffer.length);
      if (list) list.push(buffer);
      else freeLists.set(buffer.length, [buffer]);
    },
    reset() {
      top = HEAP_BASE;
      freeLists.clear();
      scratch = undefined;
    },
    allocF64(length) {
      const raw = alloc(2 * length);
      return new Float64Array(memory.buffer, raw.byteOffset, length);
    },
    reluForward(x, y, n) {
      if (allInMemory(x, y)) kernels.reluForward(x.byteOffset, y.byteOffset, n);
      else elementwise.reluForward(x, y, n);
    },
    reluBackward(x, g, c, D, bhw) {
      if (allInMemory(x, g)) kernels.reluBackward(x.byteOffset, g.byteOffset, c, D, bhw);
      else elementwise.reluBackward(x, g, c, D, bhw);
    },
    addInto(dst, src, n) {
      if (allInMemory(dst, src)) kernels.addInto(dst.byteOffset, src.byteOffset, n);
      else elementwise.addInto(dst, src, n);
    },
    bnStatistics(x, c, b, groups, hw, mean, invStd, eps) {
      if (allInMemory(x, mean, invStd)) kernels.bnStatistics(x.byteOffset, c, b, groups, hw, mean.byteOffset, invStd.byteOffset, eps);
      else elementwise.bnStatistics(x, c, b, groups, hw, mean, invStd, eps);
    },
    bnForward(x, xhat, y, c, b, groups, hw, mean, invStd, gamma, beta) {
      if (allInMemory(x, xhat, y, mean, invStd, gamma, beta)) {
        kernels.bnForward(x.byteOffset, xhat.byteOffset, y.byteOffset, c, b, groups, hw, mean.byteOffset, invStd.byteOffset, gamma.byteOffset, beta.byteOffset);
      } else elementwise.bnForward(x, xhat, y, c, b, groups, hw, mean, invStd, gamma, beta);
    },
    bnParamGrads(g, xhat, c, D, b, hw, dGamma, dBeta, perSample) {
      if (allInMemory(g, xhat, dGamma, dBeta)) kernels.bnParamGrads(g.byteOffset, xhat.byteOffset, c, D, b, hw, dGamma.byteOffset, dBeta.byteOffset, perSample ? 1 : 0);
      else elementwise.bnParamGrads(g, xhat, c, D, b, hw, dGamma, dBeta, perSample);
    },
    bnBackward(g, xhat, c, D, b, groups, hw, gamma, invStd, constant) {
      if (allInMemory(g, xhat, gamma, invStd)) kernels.bnBackward(g.byteOffset, xhat.byteOffset, c, D, b, groups, hw, gamma.byteOffset, invStd.byteOffset, constant ? 1 : 0);
      else elementwise.bnBackward(g, xhat, c, D, b, groups, hw, gamma, invStd, constant);
    },
    im2col(src: Float32Array, g: ConvGeometry, images: number, imageOffset: number, totalImages: number, col: Float32Array) {
      if (!inMemory(src) || !inMemory(col)) return im2col(src, g, images, imageOffset, totalImages, col);
      kernels.im2col(src.byteOffset, g.channels, g.h, g.w, g.kernel, g.stride, g.pad, images, imageOffset, totalImages, col.byteOffset);
    },
    im2colPacked(src: Float32Array, g: ConvGeometry, images: number, imageOffset: number, totalImages: number, dst: Float32Array) {
      if (!allInMemory(src, dst)) return im2colPacked(src, g, images, imageOffset, totalImages, dst);
      kernels.im2colPacked(src.byteOffset, g.channels, g.h, g.w, g.kernel, g.stride, g.pad, images, imageOffset, totalImages, dst.byteOffset);
    },
    gemmPackedB(g: PackedGemmArgs) {
      if (g.m === 0 || g.n === 0) return;
      if (!allInMemory(g.a, g.b, g.c) || g.alpha !== 1) return gemmPackedBJs(g);
      kernels.gemmPackedB(g.transA ? 1 : 0, g.m, g.n, g.k, g.a.byteOffset, g.lda, g.b.byteOffset, g.beta, g.c.byteOffset + g.cOffset * 4, g.ldc);
    },
    col2imAdd(col: Float32Array, g: ConvGeometry, images: number, imageOffset: number, totalImages: number, dst: Float32Array) {
      if (!inMemory(col) || !inMemory(dst)) return col2imAdd(col, g, images, imageOffset, totalImages, dst);
      kernels.col2imAdd(col.byteOffset, g.channels, g.h, g.w, g.kernel, g.stride, g.pad, images, imageOffset, totalImages, dst.byteOffset);
    },
    gemm(g: GemmArgs) {
      const { transA, transB, m, n, k } = g;
      if (m === 0 || n === 0) return;
      const aPanelRows = g.aPanelRows ?? 0;
      const aRows = transA ? k : m;
      const bRows = transB ? n : k;
      const aLen = aPanelRows > 0 ? packedSize(aPanelRows, k) : aRows === 0 ? 0 : (aRows - 1) * g.lda + (transA ? m : k);
      const bLen = bRows === 0 ? 0 : (bRows - 1) * g.ldb + (transB ? k : n);
      const cLen = (m - 1) * g.ldc + n;
      const a = g.alpha === 1 ? staged(g.a, g.aOffset, aLen) : scaledCopy(g.a, g.aOffset, aLen, g.alpha);
      const b = staged(g.b, g.bOffset, bLen);
      const c = staged(g.c, g.cOffset, cLen);
      if (transB && (!scratch || scratch.length < PACK_ROWS * n)) scratch = alloc(PACK_ROWS * n);
      kernels.gemm(
        transA ? 1 : 0, transB ? 1 : 0, m, n, k,
        a.view.byteOffset + a.offset * 4, g.lda, aPanelRows,
        b.view.byteOffset + b.offset * 4, g.ldb,
        g.beta,
        c.view.byteOffset + c.offset * 4, g.ldc,
        scratch ? scratch.byteOffset : 0, PACK_ROWS,
      );
      if (c.view !== g.c) g.c.set(c.view.subarray(0, cLen), g.cOffset);
      for (const s of [a, b, c]) if (s.view !== g.a && s.view !== g.b && s.view !== g.c) this.free(s.view);
    },
  };
}
