// Loads the WebAssembly kernels built by `npm run build` (scripts/build-wasm.mjs) for tests.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WasmKernelBinaries } from '../../../src/core/ntk/engine/wasmBackend';

function built(name: string): Uint8Array {
  const file = join(import.meta.dirname, '../../../wasm/build', name);
  if (!existsSync(file))
    throw new Error(`${file} is missing: run npm run build (it compiles wasm/kernels with AssemblyScript)`);
  return readFileSync(file);
}

/** The unshared-memory build (one thread). */
export function kernelsWasmBytes(): Uint8Array {
  return built('kernels.wasm');
}

/** Both SIMD128 builds, for back ends that may use helper threads (bit-identical to the TypeScript back end). */
export function kernelsWasmBinaries(): WasmKernelBinaries {
  return { plain: built('kernels.wasm'), threads: built('kernels-threads.wasm') };
}

/** Every build, the fused multiply-add ones included: what dist/ntk-worker.js embeds. */
export function allKernelsWasmBinaries(): WasmKernelBinaries {
  return { ...kernelsWasmBinaries(), fma: built('kernels-fma.wasm'), threadsFma: built('kernels-threads-fma.wasm') };
}
