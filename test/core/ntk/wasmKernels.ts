// Loads the WebAssembly kernels built by `npm run build` (scripts/build-wasm.mjs) for tests.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function kernelsWasmBytes(): Uint8Array {
  const file = join(import.meta.dirname, '../../../wasm/build/kernels.wasm');
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build (it compiles wasm/kernels with AssemblyScript)`);
  return readFileSync(file);
}
