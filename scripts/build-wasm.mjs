// Compiles the NTK engine's WebAssembly SIMD128 kernels from our AssemblyScript source (wasm/kernels/*.ts) with
// the AssemblyScript compiler from npm, twice (git-ignored outputs; never committed):
// - wasm/build/kernels.wasm imports an ordinary memory (one thread);
// - wasm/build/kernels-threads.wasm imports a SHARED memory, so helper threads can instantiate the same module on
//   the same memory and split one score's large kernels (src/core/ntk/engine/wasmThreads.ts). A module that
//   imports a shared memory cannot run on an unshared one, hence the two builds: where SharedArrayBuffer is
//   missing the engine still has the first.
// Called by scripts/build.mjs before bundling, so `npm test` and .ci/run on a fresh clone build them. Skips a
// compile when its output is newer than every source file and this script.
import asc from 'assemblyscript/asc';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'wasm/kernels');
export const KERNELS_WASM = join(root, 'wasm/build/kernels.wasm');
export const KERNELS_THREADS_WASM = join(root, 'wasm/build/kernels-threads.wasm');
export const KERNELS_FMA_WASM = join(root, 'wasm/build/kernels-fma.wasm');
export const KERNELS_THREADS_FMA_WASM = join(root, 'wasm/build/kernels-threads-fma.wasm');

/** wasm32's whole address space in 64 KiB pages: the shared memory's declared maximum (the engine picks its size). */
const MAX_PAGES = 65536;

const common = [
  // The TypeScript side owns all buffers (views into one imported memory); the kernels never allocate.
  '--importMemory',
  '--runtime',
  'stub',
  '--noAssert',
  '-O3',
];
const sharedMemory = ['--sharedMemory', '--maximumMemory', String(MAX_PAGES)];
const builds = [
  { out: KERNELS_WASM, flags: ['--enable', 'simd'] },
  { out: KERNELS_THREADS_WASM, flags: ['--enable', 'simd,threads', ...sharedMemory] },
  { out: KERNELS_FMA_WASM, flags: ['--enable', 'simd,relaxed-simd'] },
  { out: KERNELS_THREADS_FMA_WASM, flags: ['--enable', 'simd,relaxed-simd,threads', ...sharedMemory] },
];

export async function buildWasm() {
  // Entries: the files directly in wasm/kernels (their exports are the module's); lib/ holds inline helpers.
  const sources = readdirSync(sourceDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(sourceDir, f));
  const helpers = readdirSync(join(sourceDir, 'lib'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(sourceDir, 'lib', f));
  const newest = Math.max(...[...sources, ...helpers, fileURLToPath(import.meta.url)].map((s) => statSync(s).mtimeMs));
  for (const { out, flags } of builds) {
    if (existsSync(out) && newest < statSync(out).mtimeMs) continue;
    mkdirSync(dirname(out), { recursive: true });
    const { error, stderr } = await asc.main([...sources, '--outFile', out, ...flags, ...common]);
    if (error) {
      console.error(stderr.toString());
      throw new Error(`build-wasm: AssemblyScript compile of ${out} failed: ${error.message}`);
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildWasm();
