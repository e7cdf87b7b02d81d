// Entry point of dist/ntk-worker.js: one NTK computation at a time, on its own thread, with its own WebAssembly
// instance (the kernel builds are embedded in the bundle by esbuild's binary loader). With `threads` > 1 in its
// workerData the back end starts helper threads that share the large kernels of each computation (they end with
// this worker). Falls back to the TypeScript back end where WebAssembly SIMD is unavailable, and to one thread
// where shared memory is; every result says which back end and how many threads ran.
import { parentPort, workerData } from 'node:worker_threads';
import kernelsWasm from '../../../../wasm/build/kernels.wasm';
import kernelsThreadsWasm from '../../../../wasm/build/kernels-threads.wasm';
import kernelsFmaWasm from '../../../../wasm/build/kernels-fma.wasm';
import kernelsThreadsFmaWasm from '../../../../wasm/build/kernels-threads-fma.wasm';
import { makeCell } from '../../space';
import type { NumericBackend } from '../engine/backend';
import { jsBackend } from '../engine/jsBackend';
import { wasmBackend, wasmSimdSupported } from '../engine/wasmBackend';
import { loadInputs } from '../inputs/load';
import { computeProxiesSync } from '../proxies/compute';
import { computeNtkScoresSync } from '../scores';
import type { FromWorker, NtkWorkerData, ToWorker } from './protocol';

if (!parentPort) throw new Error('ntk-worker must run as a worker thread');
const port = parentPort;
const post = (m: FromWorker) => port.postMessage(m);
const threads = Math.max(1, Math.floor((workerData as NtkWorkerData | undefined)?.threads ?? 1));

let backend: NumericBackend;
let ran: { threads: number; threadingNote?: string };
if (wasmSimdSupported(kernelsWasm)) {
  // The fused multiply-add builds where this runtime takes relaxed SIMD (wasmBackend checks; results say which).
  const wasm = wasmBackend(
    { plain: kernelsWasm, threads: kernelsThreadsWasm, fma: kernelsFmaWasm, threadsFma: kernelsThreadsFmaWasm },
    { threads },
  );
  backend = wasm;
  ran = { threads: wasm.threads, threadingNote: wasm.threadingNote };
} else {
  backend = jsBackend();
  ran = {
    threads: 1,
    threadingNote:
      threads > 1
        ? `ran on one thread of ${threads} asked for: this runtime does not validate WebAssembly SIMD128, so the TypeScript back end ran`
        : undefined,
  };
}
post({ type: 'ready', backend: backend.name, ...ran });

port.on('message', (m: ToWorker) => {
  if (m.type !== 'compute' && m.type !== 'proxies') return;
  let inputs;
  try {
    inputs = loadInputs(m.inputs);
  } catch (e) {
    post({ type: 'error', id: m.id, message: e instanceof Error ? e.message : String(e), cause: 'input' });
    return;
  }
  const onProgress = (progress: { stage: string; done: number; total: number }) =>
    post({ type: 'progress', id: m.id, progress });
  try {
    if (m.type === 'proxies') {
      const result = computeProxiesSync(makeCell(m.cell), { options: m.options, inputs, backend, onProgress });
      post({ type: 'proxy-result', id: m.id, result: { ...result, backend: backend.name } });
      return;
    }
    const result = computeNtkScoresSync(makeCell(m.cell), { options: m.options, inputs, backend, onProgress });
    post({ type: 'result', id: m.id, result: { ...result, backend: backend.name, ...ran } });
  } catch (e) {
    backend.reset();
    post({ type: 'error', id: m.id, message: e instanceof Error ? e.message : String(e) });
  }
});
