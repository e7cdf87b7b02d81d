import type { GemmArgs, NumericBackend, PackedGemmArgs } from './backend';
import * as elementwise from './elementwise';
import { convSameTwoStep, type ConvSameArgs } from './convSame';
import { gemmPackedBJs } from './gemmJs';
import { col2imAdd, convOutputSize, im2col, im2colPacked, packedSize, type ConvGeometry } from './im2col';
import { MAX_PARTS, TEAM_BYTES, WasmThreadTeam } from './wasmThreads';
import {
  tilesOf,
  winogradPoints,
  winogradConvReference,
  winogradFilterReference,
  winogradWeightGradientReference,
  winogradWeightsReference,
  type WinogradConvArgs,
  type WinogradFilterArgs,
  type WinogradWeightGradientArgs,
  type WinogradWeightsArgs,
} from './winograd';
import { setFlagsFromString } from 'node:v8';

/** Bytes reserved below the heap for the kernels' own static data (the AssemblyScript stub runtime uses none). */
const HEAP_BASE = 1 << 16;
/** Where the helper threads' control block and task descriptor live (inside the reserved bytes, 8-aligned). */
const TEAM_ADDRESS = 1 << 10;
const PAGE = 1 << 16;
/**
 * The largest 32-bit WebAssembly memory (65,536 pages). Reserved, not committed: pages are backed only once
 * touched, so this costs address space, and it lets full-size kernels of several input sets (2-3x the memory of
 * one) run where 2 GB did not.
 */
const MAX_MEMORY_BYTES = 2 ** 32;
/** Rows of B^T packed per chunk for transposed-B products (kc in wasm/kernels/gemm.ts). */
const PACK_ROWS = 256;
/**
 * When a kernel call is split, by its work (multiply-adds for GEMMs, floats written otherwise). Below `split`
 * it runs on the calling thread alone: posting a task and collecting its parts costs a few microseconds, about
 * 0.1 M multiply-adds at 20 GFLOP/s. From `wake` (about 200 us on one thread here, several times what a wake-up
 * costs) it also wakes helpers that went to sleep; smaller split calls use only helpers still polling.
 */
interface SplitThresholds {
  readonly split: number;
  readonly wake: number;
}
const GEMM_THRESHOLDS: SplitThresholds = { split: 1 << 20, wake: 1 << 21 };
const FLOATS_THRESHOLDS: SplitThresholds = { split: 1 << 16, wake: 1 << 19 };
/**
 * The filter transforms, by floats written: each of U's entries takes a few float64 divisions (about 60 ns an
 * entry here), so 64 x 64 channels' 147,456 entries take 2.4 ms on one thread and 16 x 16 channels' 0.2 ms.
 */
const FILTER_THRESHOLDS: SplitThresholds = { split: 1 << 12, wake: 1 << 13 };
/** Parts per thread of a split call: finer parts balance a helper that starts late against per-part overhead. */
const PARTS_PER_THREAD = 4;

/** Task kinds of wasm/kernels/parallel.ts (slot 0 of the descriptor). */
const enum Task {
  GemmColumns = 1,
  GemmRows = 2,
  Im2col = 3,
  Col2imAdd = 4,
  GemmPackedBColumns = 5,
  Im2colPacked = 6,
  ReluForward = 7,
  ReluBackward = 8,
  AddInto = 9,
  BnStatistics = 10,
  BnForward = 11,
  BnBackward = 12,
  ConvSame = 13,
  WinogradConv = 14,
  WinogradWeightGradient = 15,
  BnParamGrads = 16,
  WinogradWeights = 17,
  WinogradInputTiles = 18,
  AvgPool2x2Backward = 19,
  WinogradFilter = 20,
}

export interface WasmBackendOptions {
  /**
   * Size of the one WebAssembly.Memory all buffers live in. It is created at full size and never grown, because
   * growing detaches every Float32Array view (shared/notes/ntk-engine.md); the OS only backs pages once touched.
   */
  readonly memoryBytes?: number;
  /**
   * Threads one computation uses, this one included (default 1). Above 1 the large GEMMs, im2col / col2im and
   * elementwise kernels are split by output between this thread and helper worker threads on a shared memory;
   * results stay bit-identical. Needs the shared-memory build ({@link WasmKernelBinaries.threads}) and
   * SharedArrayBuffer; without them the back end runs on one thread and says why in `threadingNote`.
   */
  readonly threads?: number;
  /**
   * Use the relaxed-SIMD builds (fused multiply-add GEMMs) when they are supplied and this runtime validates
   * them (default true). False keeps the SIMD128 kernels, bit-identical to the TypeScript back end.
   */
  readonly fma?: boolean;
}

/**
 * The builds of wasm/kernels (scripts/build-wasm.mjs): unshared memory, and shared memory for threads; each also
 * with fused multiply-adds (`f32x4.relaxed_madd`, relaxed SIMD) for the runtimes that validate it.
 */
export interface WasmKernelBinaries {
  readonly plain: Uint8Array;
  readonly threads?: Uint8Array;
  readonly fma?: Uint8Array;
  readonly threadsFma?: Uint8Array;
}

/** The WebAssembly back end, with how many threads it actually runs on and whether it fuses multiply-adds. */
export interface WasmBackend extends NumericBackend {
  readonly name: 'wasm' | 'wasm-fma';
  readonly threads: number;
  /** Set when more threads were asked for than run, with the reason. */
  readonly threadingNote?: string;
  /** Resolves once the helper threads are running (immediately with one thread); rejects if one failed to start. */
  threadsReady(): Promise<void>;
  /** Parts of split kernel calls that helper threads ran so far (0 with one thread). */
  helperParts(): number;
  /** Ends the helper threads; resolves once they have exited (their hold on the shared memory ends with them). */
  dispose(): Promise<void>;
}

interface KernelExports {
  im2col(
    src: number,
    channels: number,
    h: number,
    w: number,
    k: number,
    s: number,
    p: number,
    images: number,
    imageOffset: number,
    totalImages: number,
    col: number,
  ): void;
  col2imAdd(
    col: number,
    channels: number,
    h: number,
    w: number,
    k: number,
    s: number,
    p: number,
    images: number,
    imageOffset: number,
    totalImages: number,
    dst: number,
  ): void;
  reluForward(x: number, y: number, n: number): void;
  reluBackward(x: number, g: number, c: number, D: number, bhw: number): void;
  addInto(dst: number, src: number, n: number): void;
  avgPool2x2Backward(dOut: number, dX: number, planes: number, h: number, w: number): void;
  bnStatistics(
    x: number,
    c: number,
    b: number,
    groups: number,
    hw: number,
    mean: number,
    invStd: number,
    eps: number,
  ): void;
  bnForward(
    x: number,
    xhat: number,
    y: number,
    c: number,
    b: number,
    groups: number,
    hw: number,
    mean: number,
    invStd: number,
    gamma: number,
    beta: number,
  ): void;
  bnParamGrads(
    g: number,
    xhat: number,
    c: number,
    D: number,
    b: number,
    hw: number,
    dGamma: number,
    dBeta: number,
    perSample: number,
    rowStride: number,
    groups: number,
    groupSums: number,
  ): void;
  bnBackward(
    g: number,
    xhat: number,
    c: number,
    D: number,
    b: number,
    groups: number,
    hw: number,
    gamma: number,
    invStd: number,
    constant: number,
    groupSums: number,
    out: number,
  ): void;
  convSame(
    m: number,
    a: number,
    lda: number,
    aPanelRows: number,
    src: number,
    channels: number,
    h: number,
    w: number,
    k: number,
    p: number,
    images: number,
    imageOffset: number,
    totalImages: number,
    c: number,
    ldc: number,
    scratch: number,
  ): void;
  im2colPacked(
    src: number,
    channels: number,
    h: number,
    w: number,
    k: number,
    s: number,
    p: number,
    images: number,
    imageOffset: number,
    totalImages: number,
    dst: number,
  ): void;
  gemmPackedB(
    transA: number,
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    aPanelRows: number,
    b: number,
    beta: number,
    c: number,
    ldc: number,
  ): void;
  packRowPanels(a: number, lda: number, m: number, k: number, dst: number): void;
  gemm(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    aPanelRows: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
    scratch: number,
    kc: number,
  ): void;
  winogradConv(
    tile: number,
    m: number,
    u: number,
    uPlaneFloats: number,
    src: number,
    channels: number,
    h: number,
    w: number,
    images: number,
    imageOffset: number,
    totalImages: number,
    dst: number,
    scratch: number,
  ): void;
  winogradInputTiles(
    tile: number,
    src: number,
    channels: number,
    h: number,
    w: number,
    images: number,
    dst: number,
    lo: number,
    count: number,
    rows: number,
  ): void;
  winogradInputTilesFloats(tile: number, channels: number, h: number, w: number, images: number): number;
  winogradRowFloats(tile: number, w: number): number;
  winogradBatchImages(tile: number, h: number, w: number): number;
  winogradWeightGradient(
    tile: number,
    lo: number,
    channels: number,
    dOut: number,
    images: number,
    h: number,
    w: number,
    xTiles: number,
    xChannels: number,
    out: number,
    outPlaneFloats: number,
    scratch: number,
  ): void;
  winogradConvScratchFloats(tile: number, m: number, channels: number, h: number, w: number): number;
  winogradWeights(
    tile: number,
    tiles: number,
    cout: number,
    directions: number,
    cin: number,
    out: number,
    lo: number,
    count: number,
    scratch: number,
  ): void;
  winogradWeightsScratchBytes(tile: number, cin: number): number;
  winogradFilter(
    tile: number,
    weights: number,
    m: number,
    channels: number,
    flip: number,
    out: number,
    lo: number,
    count: number,
  ): void;
  winogradWeightGradientScratchFloats(tile: number, channels: number, h: number, w: number): number;
  runPart(task: number, part: number): void;
}

/**
 * The part of the WebAssembly JS API used here. Typed locally because the core compiles against ES2022 + Node
 * types only (no DOM lib, where TypeScript declares WebAssembly).
 */
interface WebAssemblyMemory {
  readonly buffer: ArrayBuffer;
}
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (d: { initial: number; maximum: number; shared?: boolean }) => WebAssemblyMemory;
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
 * The smallest module that uses relaxed SIMD: one function returning f32x4.relaxed_madd of three v128.const
 * zeros (opcode 0xfd 0x105). Validating it says whether this runtime accepts the relaxed-SIMD builds.
 */
const RELAXED_MADD_PROBE = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00,
  0x01,
  0x05,
  0x01,
  0x60,
  0x00,
  0x01,
  0x7b, // type section: () -> v128
  0x03,
  0x02,
  0x01,
  0x00, // function section: one function of type 0
  0x0a,
  0x3d,
  0x01,
  0x3b,
  0x00, // code section: one body of 59 bytes, no locals
  ...[0, 1, 2].flatMap(() => [0xfd, 0x0c, ...new Array<number>(16).fill(0)]), // v128.const 0, three times
  0xfd,
  0x85,
  0x02, // f32x4.relaxed_madd
  0x0b, // end
]);

/**
 * Whether this runtime accepts WebAssembly relaxed SIMD. VS Code's Electron and Node 22 enable it by default;
 * Node 20 has it behind --experimental-wasm-relaxed-simd, which this sets (process-wide, for modules compiled
 * from now on) when the probe fails without it. Relaxed SIMD is part of the WebAssembly 3.0 standard; the flag
 * only gates it in Node 20's V8.
 */
export function relaxedSimdAvailable(): boolean {
  if (wasmSimdSupported(RELAXED_MADD_PROBE)) return true;
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return wasmSimdSupported(RELAXED_MADD_PROBE);
}

/** The builds to run: the FMA ones when asked for, supplied and validated here, else the SIMD128 ones. */
function chooseBuilds(
  binaries: WasmKernelBinaries,
  fma: boolean,
): { plain: Uint8Array; threads?: Uint8Array; fma: boolean } {
  if (fma && binaries.fma && relaxedSimdAvailable() && wasmSimdSupported(binaries.fma)) {
    // Threads and FMA together need the shared-memory FMA build; without it threads keep the SIMD128 builds
    // (one back end per computation: never FMA on one thread and not on another).
    if (!binaries.threads || binaries.threadsFma)
      return { plain: binaries.fma, threads: binaries.threadsFma, fma: true };
  }
  return { plain: binaries.plain, threads: binaries.threads, fma: false };
}

/** Why the shared-memory build cannot run here, or undefined when it can. */
function threadsUnavailable(threadsBuild: Uint8Array | undefined): string | undefined {
  if (!threadsBuild) return 'the shared-memory kernels (wasm/build/kernels-threads.wasm) were not supplied';
  if (typeof SharedArrayBuffer === 'undefined') return 'this runtime has no SharedArrayBuffer';
  if (!wasmSimdSupported(threadsBuild)) return 'this runtime does not validate WebAssembly threads (shared memory)';
  return undefined;
}

/**
 * The WebAssembly SIMD128 back end: every buffer is a Float32Array view into one imported memory, so the kernels
 * (built from wasm/kernels/*.ts) read operands in place. Buffers are bump-allocated, recycled by exact length
 * through `free`, and all released by `reset` at the end of each score computation. With `threads` > 1 the
 * memory is shared with helper threads (wasmThreads.ts) that take parts of the large kernel calls; call
 * `dispose` to end them. Given the relaxed-SIMD builds and a runtime that validates them, it runs those
 * (`name` 'wasm-fma', unless `fma: false`): every thread count still gives bit-identical results, but they
 * differ from the SIMD128 and TypeScript back ends' in the last bits.
 */
export function wasmBackend(kernels: Uint8Array | WasmKernelBinaries, options: WasmBackendOptions = {}): WasmBackend {
  const binaries = chooseBuilds(kernels instanceof Uint8Array ? { plain: kernels } : kernels, options.fma ?? true);
  const memoryBytes = options.memoryBytes ?? MAX_MEMORY_BYTES;
  const pages = Math.ceil(memoryBytes / PAGE);
  const wanted = Math.max(1, Math.floor(options.threads ?? 1));

  let threadingNote: string | undefined;
  let memory: WebAssemblyMemory | undefined;
  let kernelsExports: KernelExports | undefined;
  let team: WasmThreadTeam | undefined;
  if (wanted > 1) {
    const why = threadsUnavailable(binaries.threads);
    if (why) threadingNote = `ran on one thread of ${wanted} asked for: ${why}`;
    else {
      try {
        memory = new WebAssemblyJs.Memory({ initial: pages, maximum: pages, shared: true });
        const module = new WebAssemblyJs.Module(binaries.threads!);
        const exports = new WebAssemblyJs.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
        team = new WasmThreadTeam({ module, memory, address: TEAM_ADDRESS, runPart: exports.runPart, threads: wanted });
        kernelsExports = exports;
      } catch (e) {
        threadingNote = `ran on one thread of ${wanted} asked for: helper threads could not start (${e instanceof Error ? e.message : String(e)})`;
        memory = undefined;
      }
    }
  }
  if (!memory || !kernelsExports) {
    memory = new WebAssemblyJs.Memory({ initial: pages, maximum: pages });
    kernelsExports = new WebAssemblyJs.Instance(new WebAssemblyJs.Module(binaries.plain), { env: { memory } })
      .exports as unknown as KernelExports;
  }
  const mem = memory;
  const kernel = kernelsExports;
  const heapEnd = pages * PAGE;
  let top = HEAP_BASE;
  const freeLists = new Map<number, Float32Array[]>();
  let scratch: Float32Array | undefined;
  if (TEAM_ADDRESS + TEAM_BYTES > HEAP_BASE) throw new Error('wasmBackend: the thread control block overlaps the heap');

  const allocUninitialized = (length: number): Float32Array => {
    const recycled = freeLists.get(length)?.pop();
    if (recycled) return recycled;
    const bytesNeeded = Math.max(16, length * 4 + 15) & ~15;
    if (top + bytesNeeded > heapEnd) {
      throw new RangeError(
        `NTK engine out of WebAssembly memory (${(heapEnd / 2 ** 20).toFixed(0)} MB): use a smaller size, fewer inputs (--n) or the fixed-bn kernel`,
      );
    }
    const view = new Float32Array(mem.buffer, top, length);
    top += bytesNeeded;
    return view;
  };
  const alloc = (length: number): Float32Array => allocUninitialized(length).fill(0);
  const inMemory = (a: Float32Array | Float64Array) => a.buffer === mem.buffer;
  const allInMemory = (...arrays: (Float32Array | Float64Array)[]) => arrays.every(inMemory);
  /** Copies an operand that lives outside the WebAssembly memory (e.g. a caller's array) into it. */
  const staged = (a: Float32Array, offset: number, length: number): { view: Float32Array; offset: number } => {
    if (inMemory(a)) return { view: a, offset };
    const copy = alloc(length);
    copy.set(a.subarray(offset, offset + length));
    return { view: copy, offset: 0 };
  };

  /** f32(alpha * a) for the kernels, which multiply A as given (the product gemmJs forms per element). */
  const scaledCopy = (
    a: Float32Array,
    offset: number,
    length: number,
    alpha: number,
  ): { view: Float32Array; offset: number } => {
    const copy = allocUninitialized(length);
    const al = Math.fround(alpha);
    for (let i = 0; i < length; i++) copy[i] = al * a[offset + i];
    return { view: copy, offset: 0 };
  };

  /**
   * A row-major [m][k] operand (weights: at most 64 x 576 floats here) rewritten in panels of 8 along k, which
   * the GEMM's panel microkernel reads with one pointer (wasm/kernels/gemm.ts panelRowBlocks). Same values.
   */
  const rowPanels = (a: Float32Array, lda: number, m: number, k: number): Float32Array => {
    const panels = allocUninitialized(packedSize(m, k));
    kernel.packRowPanels(a.byteOffset, lda, m, k, panels.byteOffset);
    return panels;
  };
  /** Units of output per part when `units` are split in multiples of `align` (0: not worth splitting). */
  const partSize = (units: number, align: number): number => {
    if (!team || units < 2 * align) return 0;
    const parts = Math.min(team.threads * PARTS_PER_THREAD, Math.floor(units / align), MAX_PARTS);
    return Math.ceil(units / parts / align) * align;
  };
  /**
   * Splits a kernel call over the team: `units` of output (columns, rows, channels, images or elements) in parts
   * of a multiple of `align`, the descriptor's slots 2.. set by `fill`. False when there is no team or the call
   * is too small (`work` under `thresholds.split`); the caller then runs it alone.
   */
  const split = (
    kind: Task,
    units: number,
    align: number,
    work: number,
    thresholds: SplitThresholds,
    fill: (t: Int32Array, f: Float32Array) => void,
  ): boolean => {
    if (!team || work < thresholds.split) return false;
    const size = partSize(units, align);
    if (!size) return false;
    team.task[0] = kind;
    team.task[1] = size;
    fill(team.task, team.taskF);
    team.run(Math.ceil(units / size), work >= thresholds.wake);
    return true;
  };
  const splitConvColumns = (
    kind: Task.Im2col | Task.Col2imAdd,
    g: ConvGeometry,
    images: number,
    imageOffset: number,
    totalImages: number,
    image: Float32Array,
    col: Float32Array,
  ): boolean =>
    split(kind, g.channels, 1, col.length, FLOATS_THRESHOLDS, (t) => {
      t[2] = g.channels;
      t[3] = g.h;
      t[4] = g.w;
      t[5] = g.kernel;
      t[6] = g.stride;
      t[7] = g.pad;
      t[8] = images;
      t[9] = imageOffset;
      t[10] = totalImages;
      t[11] = image.byteOffset;
      t[12] = col.byteOffset;
    });

  return {
    name: binaries.fma ? 'wasm-fma' : 'wasm',
    threads: team ? team.threads : 1,
    threadingNote,
    threadsReady: () => team?.ready() ?? Promise.resolve(),
    helperParts: () => team?.helperParts() ?? 0,
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
    mark: () => top,
    releaseTo(at) {
      if (at < HEAP_BASE || at > top) throw new RangeError(`releaseTo(${at}): not a mark of this heap (top ${top})`);
      top = at;
      // Freed buffers above the mark are gone with it; those below stay reusable.
      for (const [length, list] of freeLists) {
        const kept = list.filter((b) => b.byteOffset < at);
        if (kept.length) freeLists.set(length, kept);
        else freeLists.delete(length);
      }
      if (scratch && scratch.byteOffset >= at) scratch = undefined;
    },
    dispose() {
      const ending = team?.dispose() ?? Promise.resolve();
      team = undefined;
      return ending;
    },
    allocF64(length) {
      const raw = alloc(2 * length);
      return new Float64Array(mem.buffer, raw.byteOffset, length);
    },
    reluForward(x, y, n) {
      if (!allInMemory(x, y)) return elementwise.reluForward(x, y, n);
      if (
        split(Task.ReluForward, n, 4, n, FLOATS_THRESHOLDS, (t) => {
          t[2] = x.byteOffset;
          t[3] = y.byteOffset;
          t[4] = n;
        })
      )
        return;
      kernel.reluForward(x.byteOffset, y.byteOffset, n);
    },
    reluBackward(x, g, c, D, bhw) {
      if (!allInMemory(x, g)) return elementwise.reluBackward(x, g, c, D, bhw);
      if (
        split(Task.ReluBackward, c, 1, c * D * bhw, FLOATS_THRESHOLDS, (t) => {
          t[2] = x.byteOffset;
          t[3] = g.byteOffset;
          t[4] = c;
          t[5] = D;
          t[6] = bhw;
        })
      )
        return;
      kernel.reluBackward(x.byteOffset, g.byteOffset, c, D, bhw);
    },
    addInto(dst, src, n) {
      if (!allInMemory(dst, src)) return elementwise.addInto(dst, src, n);
      if (
        split(Task.AddInto, n, 4, n, FLOATS_THRESHOLDS, (t) => {
          t[2] = dst.byteOffset;
          t[3] = src.byteOffset;
          t[4] = n;
        })
      )
        return;
      kernel.addInto(dst.byteOffset, src.byteOffset, n);
    },
    avgPool2x2Backward(dOut, dX, planes, h, w) {
      // Split by planes (0.15-0.24 s of a full-size exact score in TypeScript on the calling thread alone).
      if (!allInMemory(dOut, dX) || h % 2 !== 0 || w % 2 !== 0)
        return elementwise.avgPool2x2Backward(dOut, dX, planes, h, w);
      if (
        split(Task.AvgPool2x2Backward, planes, 1, planes * h * w, FLOATS_THRESHOLDS, (t) => {
          t[2] = dOut.byteOffset;
          t[3] = dX.byteOffset;
          t[4] = planes;
          t[5] = h;
          t[6] = w;
        })
      )
        return;
      kernel.avgPool2x2Backward(dOut.byteOffset, dX.byteOffset, planes, h, w);
    },
    bnStatistics(x, c, b, groups, hw, mean, invStd, eps) {
      if (!allInMemory(x, mean, invStd)) return elementwise.bnStatistics(x, c, b, groups, hw, mean, invStd, eps);
      if (
        split(Task.BnStatistics, c, 1, c * b * hw, FLOATS_THRESHOLDS, (t) => {
          t[2] = x.byteOffset;
          t[3] = c;
          t[4] = b;
          t[5] = groups;
          t[6] = hw;
          t[7] = mean.byteOffset;
          t[8] = invStd.byteOffset;
          new Float64Array(t.buffer, t.byteOffset + 40, 1)[0] = eps;
        })
      )
        return;
      kernel.bnStatistics(x.byteOffset, c, b, groups, hw, mean.byteOffset, invStd.byteOffset, eps);
    },
    bnForward(x, xhat, y, c, b, groups, hw, mean, invStd, gamma, beta) {
      if (!allInMemory(x, xhat, y, mean, invStd, gamma, beta))
        return elementwise.bnForward(x, xhat, y, c, b, groups, hw, mean, invStd, gamma, beta);
      if (
        split(Task.BnForward, c, 1, c * b * hw, FLOATS_THRESHOLDS, (t) => {
          t[2] = x.byteOffset;
          t[3] = xhat.byteOffset;
          t[4] = y.byteOffset;
          t[5] = c;
          t[6] = b;
          t[7] = groups;
          t[8] = hw;
          t[9] = mean.byteOffset;
          t[10] = invStd.byteOffset;
          t[11] = gamma.byteOffset;
          t[12] = beta.byteOffset;
        })
      )
        return;
      kernel.bnForward(
        x.byteOffset,
        xhat.byteOffset,
        y.byteOffset,
        c,
        b,
        groups,
        hw,
        mean.byteOffset,
        invStd.byteOffset,
        gamma.byteOffset,
        beta.byteOffset,
      );
    },
    bnParamGrads(g, xhat, c, D, b, hw, dGamma, dBeta, perSample, groupSums) {
      if (!allInMemory(g, xhat, dGamma, dBeta) || (groupSums && !inMemory(groupSums.sums)))
        return elementwise.bnParamGrads(g, xhat, c, D, b, hw, dGamma, dBeta, perSample, groupSums);
      const groups = groupSums?.groups ?? 1;
      const sums = groupSums ? groupSums.sums.byteOffset : 0;
      // Split by channels (each writes only its own entries of the [rows][c] outputs): 1.7 s of a full-size exact
      // score ran on the calling thread alone.
      if (
        !split(Task.BnParamGrads, c, 1, 2 * c * D * b * hw, FLOATS_THRESHOLDS, (t) => {
          t[2] = g.byteOffset;
          t[3] = xhat.byteOffset;
          t[4] = c;
          t[5] = D;
          t[6] = b;
          t[7] = hw;
          t[8] = dGamma.byteOffset;
          t[9] = dBeta.byteOffset;
          t[10] = perSample ? 1 : 0;
          t[11] = groups;
          t[12] = sums;
        })
      ) {
        const flag = perSample ? 1 : 0;
        const [gAt, xAt, gammaAt, betaAt] = [g.byteOffset, xhat.byteOffset, dGamma.byteOffset, dBeta.byteOffset];
        kernel.bnParamGrads(gAt, xAt, c, D, b, hw, gammaAt, betaAt, flag, c, groups, sums);
      }
    },
    bnBackward(g, xhat, c, D, b, groups, hw, gamma, invStd, constant, groupSums, out) {
      if (!allInMemory(g, xhat, gamma, invStd, ...(groupSums ? [groupSums] : []), ...(out ? [out] : [])))
        return elementwise.bnBackward(g, xhat, c, D, b, groups, hw, gamma, invStd, constant, groupSums, out);
      const sums = groupSums ? groupSums.byteOffset : 0;
      const outAt = out ? out.byteOffset : 0;
      if (
        split(Task.BnBackward, c, 1, c * D * b * hw, FLOATS_THRESHOLDS, (t) => {
          t[2] = g.byteOffset;
          t[3] = xhat.byteOffset;
          t[4] = c;
          t[5] = D;
          t[6] = b;
          t[7] = groups;
          t[8] = hw;
          t[9] = gamma.byteOffset;
          t[10] = invStd.byteOffset;
          t[11] = constant ? 1 : 0;
          t[12] = sums;
          t[13] = outAt;
        })
      )
        return;
      kernel.bnBackward(
        g.byteOffset,
        xhat.byteOffset,
        c,
        D,
        b,
        groups,
        hw,
        gamma.byteOffset,
        invStd.byteOffset,
        constant ? 1 : 0,
        sums,
        outAt,
      );
    },
    im2col(
      src: Float32Array,
      g: ConvGeometry,
      images: number,
      imageOffset: number,
      totalImages: number,
      col: Float32Array,
    ) {
      if (!inMemory(src) || !inMemory(col)) return im2col(src, g, images, imageOffset, totalImages, col);
      if (splitConvColumns(Task.Im2col, g, images, imageOffset, totalImages, src, col)) return;
      kernel.im2col(
        src.byteOffset,
        g.channels,
        g.h,
        g.w,
        g.kernel,
        g.stride,
        g.pad,
        images,
        imageOffset,
        totalImages,
        col.byteOffset,
      );
    },
    convSame(x: ConvSameArgs) {
      // The direct kernel; rows narrower than a panel need the two-step form. With helper threads it is split by
      // images, each part gathering its panels into its own slice of scratch (on the loaded 2-core machine the
      // two-step form, through 2 MB column chunks, ran the convolutions at 41-51% of peak per CPU-second).
      const { g } = x;
      if (g.w % 8 !== 0 || g.stride !== 1 || 2 * g.pad !== g.kernel - 1 || !allInMemory(x.a, x.src, x.c))
        return convSameTwoStep(this, x);
      const rows = g.channels * g.kernel * g.kernel;
      const a = rowPanels(x.a, x.lda, x.m, rows);
      const cAddress = x.c.byteOffset + x.cOffset * 4;
      const parts = team ? Math.min(team.threads * PARTS_PER_THREAD, MAX_PARTS) : 1;
      const panels = allocUninitialized(parts * rows * 8);
      if (
        !split(Task.ConvSame, x.images, 1, x.m * rows * x.images * g.h * g.w, GEMM_THRESHOLDS, (t) => {
          t[2] = x.m;
          t[3] = a.byteOffset;
          t[4] = x.lda;
          t[5] = x.m;
          t[6] = x.src.byteOffset;
          t[7] = g.channels;
          t[8] = g.h;
          t[9] = g.w;
          t[10] = g.kernel;
          t[11] = g.pad;
          t[12] = x.images;
          t[13] = x.imageOffset;
          t[14] = x.totalImages;
          t[15] = cAddress;
          t[16] = x.ldc;
          t[17] = panels.byteOffset;
        })
      ) {
        kernel.convSame(
          x.m,
          a.byteOffset,
          x.lda,
          x.m,
          x.src.byteOffset,
          g.channels,
          g.h,
          g.w,
          g.kernel,
          g.pad,
          x.images,
          x.imageOffset,
          x.totalImages,
          cAddress,
          x.ldc,
          panels.byteOffset,
        );
      }
      this.free(panels);
      this.free(a);
    },
    winogradConv(x: WinogradConvArgs) {
      // Split by images; each part keeps a batch of images' tiles and products in its own slice of scratch (about
      // 0.6 MB at 16 channels), so they stay in L2 between the transforms and the GEMMs.
      if (!allInMemory(x.u, x.src, x.dst)) return winogradConvReference(this, x);
      const { tile, m, channels, h, w, images } = x;
      const points = winogradPoints(tile);
      const tiles = tilesOf(h, w, tile);
      const uPlane = packedSize(m, channels);
      const u = allocUninitialized(points * uPlane);
      for (let t = 0; t < points; t++) {
        kernel.packRowPanels(
          x.u.byteOffset + t * m * channels * 4,
          channels,
          m,
          channels,
          u.byteOffset + t * uPlane * 4,
        );
      }
      const perPart = kernel.winogradConvScratchFloats(tile, m, channels, h, w);
      const parts = team ? Math.min(team.threads * PARTS_PER_THREAD, MAX_PARTS) : 1;
      const scratchParts = allocUninitialized(parts * perPart);
      if (
        !split(Task.WinogradConv, images, 1, points * m * channels * tiles * images, GEMM_THRESHOLDS, (t) => {
          t[2] = m;
          t[3] = u.byteOffset;
          t[4] = uPlane;
          t[5] = x.src.byteOffset;
          t[6] = channels;
          t[7] = h;
          t[8] = w;
          t[9] = images;
          t[10] = 0;
          t[11] = images;
          t[12] = x.dst.byteOffset;
          t[13] = scratchParts.byteOffset;
          t[14] = perPart;
          t[15] = tile;
        })
      ) {
        kernel.winogradConv(
          tile,
          m,
          u.byteOffset,
          uPlane,
          x.src.byteOffset,
          channels,
          h,
          w,
          images,
          0,
          images,
          x.dst.byteOffset,
          scratchParts.byteOffset,
        );
      }
      this.free(scratchParts);
      this.free(u);
    },
    winogradWeightGradient(x: WinogradWeightGradientArgs) {
      // The input's tiles once (one thread: 1/D of the cotangent's), then parts by cotangent channels, each
      // summing its rows over all images in order, so any split gives the same sums.
      if (!allInMemory(x.x, x.dOut, x.out)) return winogradWeightGradientReference(this, x);
      const { tile, xChannels, cotangentChannels: rows, h, w, images } = x;
      const points = winogradPoints(tile);
      const tiles = tilesOf(h, w, tile);
      // Zeroed when the last 8-channel panel is narrower: the GEMM loads whole panels.
      const xFloats = kernel.winogradInputTilesFloats(tile, xChannels, h, w, images);
      const xTiles = xChannels % 8 === 0 ? allocUninitialized(xFloats) : alloc(xFloats);
      // Split by batches of images (each part writes its own blocks of every plane): on the calling thread alone
      // this took 0.3-0.5 s of a full-size exact score while the helpers waited.
      const batch = kernel.winogradBatchImages(tile, h, w);
      const rowFloats = kernel.winogradRowFloats(tile, w);
      const tileParts = team ? Math.min(team.threads * PARTS_PER_THREAD, MAX_PARTS) : 1;
      const rowScratch = allocUninitialized(tileParts * rowFloats);
      if (
        !split(Task.WinogradInputTiles, images, batch, xFloats, FLOATS_THRESHOLDS, (t) => {
          t[2] = tile;
          t[3] = x.x.byteOffset;
          t[4] = xChannels;
          t[5] = h;
          t[6] = w;
          t[7] = images;
          t[8] = xTiles.byteOffset;
          t[9] = rowScratch.byteOffset;
          t[10] = rowFloats;
        })
      )
        kernel.winogradInputTiles(
          tile,
          x.x.byteOffset,
          xChannels,
          h,
          w,
          images,
          xTiles.byteOffset,
          0,
          images,
          rowScratch.byteOffset,
        );
      this.free(rowScratch);
      const size = partSize(rows, 4);
      const perPart = kernel.winogradWeightGradientScratchFloats(tile, size || rows, h, w);
      const scratchParts = allocUninitialized((size ? Math.ceil(rows / size) : 1) * perPart);
      if (
        !split(
          Task.WinogradWeightGradient,
          rows,
          4,
          points * rows * xChannels * tiles * images,
          GEMM_THRESHOLDS,
          (t) => {
            t[2] = rows;
            t[3] = x.dOut.byteOffset;
            t[4] = images;
            t[5] = h;
            t[6] = w;
            t[7] = xTiles.byteOffset;
            t[8] = xChannels;
            t[9] = x.out.byteOffset;
            t[10] = rows * xChannels;
            t[11] = scratchParts.byteOffset;
            t[12] = perPart;
            t[13] = tile;
          },
        )
      ) {
        kernel.winogradWeightGradient(
          tile,
          0,
          rows,
          x.dOut.byteOffset,
          images,
          h,
          w,
          xTiles.byteOffset,
          xChannels,
          x.out.byteOffset,
          rows * xChannels,
          scratchParts.byteOffset,
        );
      }
      this.free(scratchParts);
      this.free(xTiles);
    },
    winogradFilter(x: WinogradFilterArgs) {
      // Split by output channels (each writes only its own entries of every plane): 0.1 s of a full-size exact
      // score in TypeScript on the calling thread alone, about as much in WebAssembly (float64 divisions bound it).
      if (!allInMemory(x.weights, x.out)) return winogradFilterReference(x);
      const { tile, m, channels } = x;
      const flip = x.flip ? 1 : 0;
      if (
        !split(Task.WinogradFilter, m, 1, winogradPoints(tile) * m * channels, FILTER_THRESHOLDS, (t) => {
          t[2] = tile;
          t[3] = x.weights.byteOffset;
          t[4] = m;
          t[5] = channels;
          t[6] = flip;
          t[7] = x.out.byteOffset;
        })
      )
        kernel.winogradFilter(tile, x.weights.byteOffset, m, channels, flip, x.out.byteOffset, 0, m);
    },
    winogradWeights(x: WinogradWeightsArgs) {
      // Split by rows (each writes only its own entries): on the calling thread alone this took 1.1 s of a
      // full-size exact score.
      if (!allInMemory(x.tiles, x.out)) return winogradWeightsReference(x);
      const { tile, cout, directions, cin } = x;
      const rows = cout * directions;
      const perPart = kernel.winogradWeightsScratchBytes(tile, cin);
      const parts = team ? Math.min(team.threads * PARTS_PER_THREAD, MAX_PARTS) : 1;
      const scratch = allocUninitialized(Math.ceil((parts * perPart) / 4));
      const work = 2 * winogradPoints(tile) * rows * cin;
      if (
        !split(Task.WinogradWeights, rows, 1, work, FLOATS_THRESHOLDS, (t) => {
          t[2] = tile;
          t[3] = cout;
          t[4] = directions;
          t[5] = cin;
          t[6] = x.out.byteOffset;
          t[7] = x.tiles.byteOffset;
          t[8] = scratch.byteOffset;
          t[9] = perPart;
        })
      ) {
        kernel.winogradWeights(
          tile,
          x.tiles.byteOffset,
          cout,
          directions,
          cin,
          x.out.byteOffset,
          0,
          rows,
          scratch.byteOffset,
        );
      }
      this.free(scratch);
    },
    im2colPacked(
      src: Float32Array,
      g: ConvGeometry,
      images: number,
      imageOffset: number,
      totalImages: number,
      dst: Float32Array,
    ) {
      if (!allInMemory(src, dst)) return im2colPacked(src, g, images, imageOffset, totalImages, dst);
      // Split by images, which keeps every part on whole 8-column panels when an image's plane is a multiple of 8.
      const plane = convOutputSize(g.h, g.kernel, g.stride, g.pad) * convOutputSize(g.w, g.kernel, g.stride, g.pad);
      const floats = g.channels * g.kernel * g.kernel * images * plane;
      if (
        plane % 8 === 0 &&
        split(Task.Im2colPacked, images, 1, floats, FLOATS_THRESHOLDS, (t) => {
          t[2] = g.channels;
          t[3] = g.h;
          t[4] = g.w;
          t[5] = g.kernel;
          t[6] = g.stride;
          t[7] = g.pad;
          t[8] = images;
          t[9] = imageOffset;
          t[10] = totalImages;
          t[11] = src.byteOffset;
          t[12] = dst.byteOffset;
        })
      )
        return;
      kernel.im2colPacked(
        src.byteOffset,
        g.channels,
        g.h,
        g.w,
        g.kernel,
        g.stride,
        g.pad,
        images,
        imageOffset,
        totalImages,
        dst.byteOffset,
      );
    },
    gemmPackedB(g: PackedGemmArgs) {
      if (g.m === 0 || g.n === 0) return;
      if (!allInMemory(g.a, g.b, g.c) || g.alpha !== 1) return gemmPackedBJs(g);
      const cAddress = g.c.byteOffset + g.cOffset * 4;
      const a = g.transA ? undefined : rowPanels(g.a, g.lda, g.m, g.k);
      const aAddress = a ? a.byteOffset : g.a.byteOffset;
      const aPanelRows = a ? g.m : 0;
      if (
        !split(Task.GemmPackedBColumns, g.n, 8, g.m * g.n * g.k, GEMM_THRESHOLDS, (t, f) => {
          t[2] = g.transA ? 1 : 0;
          t[4] = g.m;
          t[5] = g.n;
          t[6] = g.k;
          t[7] = aAddress;
          t[8] = g.lda;
          t[9] = aPanelRows;
          t[10] = g.b.byteOffset;
          f[12] = g.beta;
          t[13] = cAddress;
          t[14] = g.ldc;
        })
      )
        kernel.gemmPackedB(
          g.transA ? 1 : 0,
          g.m,
          g.n,
          g.k,
          aAddress,
          g.lda,
          aPanelRows,
          g.b.byteOffset,
          g.beta,
          cAddress,
          g.ldc,
        );
      if (a) this.free(a);
    },
    col2imAdd(
      col: Float32Array,
      g: ConvGeometry,
      images: number,
      imageOffset: number,
      totalImages: number,
      dst: Float32Array,
    ) {
      if (!inMemory(col) || !inMemory(dst)) return col2imAdd(col, g, images, imageOffset, totalImages, dst);
      if (splitConvColumns(Task.Col2imAdd, g, images, imageOffset, totalImages, dst, col)) return;
      kernel.col2imAdd(
        col.byteOffset,
        g.channels,
        g.h,
        g.w,
        g.kernel,
        g.stride,
        g.pad,
        images,
        imageOffset,
        totalImages,
        dst.byteOffset,
      );
    },
    gemm(g: GemmArgs) {
      const { transA, transB, m, n, k } = g;
      if (m === 0 || n === 0) return;
      const aPanelRows = g.aPanelRows ?? 0;
      const aRows = transA ? k : m;
      const bRows = transB ? n : k;
      const aLen =
        aPanelRows > 0 ? packedSize(aPanelRows, k) : aRows === 0 ? 0 : (aRows - 1) * g.lda + (transA ? m : k);
      const bLen = bRows === 0 ? 0 : (bRows - 1) * g.ldb + (transB ? k : n);
      const cLen = (m - 1) * g.ldc + n;
      const a = g.alpha === 1 ? staged(g.a, g.aOffset, aLen) : scaledCopy(g.a, g.aOffset, aLen, g.alpha);
      const b = staged(g.b, g.bOffset, bLen);
      const c = staged(g.c, g.cOffset, cLen);
      // B^T is packed in 8-column panels: a narrower last panel still takes 8 columns of scratch.
      const packFloats = PACK_ROWS * Math.ceil(n / 8) * 8;
      if (transB && (!scratch || scratch.length < packFloats)) scratch = alloc(packFloats);
      const aAddress = a.view.byteOffset + a.offset * 4;
      const bAddress = b.view.byteOffset + b.offset * 4;
      const cAddress = c.view.byteOffset + c.offset * 4;
      const scratchAddress = scratch ? scratch.byteOffset : 0;
      const fill = (t: Int32Array, f: Float32Array) => {
        t[2] = transA ? 1 : 0;
        t[3] = transB ? 1 : 0;
        t[4] = m;
        t[5] = n;
        t[6] = k;
        t[7] = aAddress;
        t[8] = g.lda;
        t[9] = aPanelRows;
        t[10] = bAddress;
        t[11] = g.ldb;
        f[12] = g.beta;
        t[13] = cAddress;
        t[14] = g.ldc;
        t[15] = scratchAddress;
        t[16] = PACK_ROWS;
      };
      // Split by output columns (8-wide register blocks; a transposed B is then packed in disjoint slices of
      // scratch), else by rows (4-high blocks) when B is not transposed (row parts would each pack all of it).
      const work = m * n * k;
      if (
        !split(Task.GemmColumns, n, 8, work, GEMM_THRESHOLDS, fill) &&
        (transB || !split(Task.GemmRows, m, 4, work, GEMM_THRESHOLDS, fill))
      ) {
        kernel.gemm(
          transA ? 1 : 0,
          transB ? 1 : 0,
          m,
          n,
          k,
          aAddress,
          g.lda,
          aPanelRows,
          bAddress,
          g.ldb,
          g.beta,
          cAddress,
          g.ldc,
          scratchAddress,
          PACK_ROWS,
        );
      }
      if (c.view !== g.c) g.c.set(c.view.subarray(0, cLen), g.cOffset);
      for (const s of [a, b, c]) if (s.view !== g.a && s.view !== g.b && s.view !== g.c) this.free(s.view);
    },
  };
}
