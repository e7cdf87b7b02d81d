// Entry point of dist/ntk-worker.js: one NTK computation at a time, on its own thread, with its own WebAssembly
// instance (the kernels are embedded in the bundle by esbuild's binary loader). Falls back to the TypeScript
// back end where WebAssembly SIMD is unavailable; every result says which back end ran.
import { parentPort } from 'node:worker_threads';
import kernelsWasm from '../../../../wasm/build/kernels.wasm';
import { makeCell } from '../../space';
import type { NumericBackend } from '../engine/backend';
import { jsBackend } from '../engine/jsBackend';
import { wasmBackend, wasmSimdSupported } from '../engine/wasmBackend';
import { loadInputs } from '../inputs/load';
import { computeNtkScoresSync } from '../scores';
import type { FromWorker, ToWorker } from './protocol';

if (!parentPort) throw new Error('ntk-worker must run as a worker thread');
const port = parentPort;
const post = (m: FromWorker) => port.postMessage(m);

let backend: NumericBackend;
if (wasmSimdSupported(kernelsWasm)) backend = wasmBackend(kernelsWasm);
else backend = jsBackend();
post({ type: 'ready', backend: backend.name });

port.on('message', (m: ToWorker) => {
  if (m.type !== 'compute') return;
  try {
    const inputs = loadInputs(m.inputs);
    const result = computeNtkScoresSync(makeCell(m.cell), {
      options: m.options,
      inputs,
      backend,
      onProgress: (progress) => post({ type: 'progress', id: m.id, progress }),
    });
    post({ type: 'result', id: m.id, result: { ...result, backend: backend.name } });
  } catch (e) {
    backend.reset();
    post({ type: 'error', id: m.id, message: e instanceof Error ? e.message : String(e) });
  }
});
