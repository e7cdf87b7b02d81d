// Compiles the NTK engine's WebAssembly SIMD128 kernels from our AssemblyScript source (wasm/kernels/*.ts) with
// the AssemblyScript compiler from npm, into wasm/build/kernels.wasm (git-ignored; never committed). Called by
// scripts/build.mjs before bundling, so `npm test` and .ci/run on a fresh clone build it. Skips the compile when
// the output is newer than every source file.
import asc from 'assemblyscript/asc';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'wasm/kernels');
export const KERNELS_WASM = join(root, 'wasm/build/kernels.wasm');

export async function buildWasm() {
  const sources = readdirSync(sourceDir).filter((f) => f.endsWith('.ts')).map((f) => join(sourceDir, f));
  if (existsSync(KERNELS_WASM)) {
    const built = statSync(KERNELS_WASM).mtimeMs;
    if (sources.every((s) => statSync(s).mtimeMs < built) && statSync(fileURLToPath(import.meta.url)).mtimeMs < built) return;
  }
  mkdirSync(dirname(KERNELS_WASM), { recursive: true });
  const { error, stderr } = await asc.main([
    ...sources,
    '--outFile', KERNELS_WASM,
    '--enable', 'simd',
    // The TypeScript side owns all buffers (views into one imported memory); the kernels never allocate.
    '--importMemory', '--runtime', 'stub', '--noAssert',
    '-O3',
  ]);
  if (error) {
    console.error(stderr.toString());
    throw new Error(`build-wasm: AssemblyScript compile failed: ${error.message}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildWasm();
