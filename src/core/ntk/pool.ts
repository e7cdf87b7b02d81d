import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Cell } from '../space';
import type { InputSpec } from './inputs/load';
import type { ProxyOptions, ProxyResult } from './proxies/compute';
import type { NtkOptions, NtkProgress, NtkResult } from './scores';
import type { FromWorker, NtkWorkerData, ToWorker } from './worker/protocol';

/** Scoring options plus where the inputs come from (`{ kind: 'synthetic', ... }` unless the user set a dataset). */
export interface NtkJobOptions extends NtkOptions {
  readonly inputs: InputSpec;
}

/** Zero-cost proxy options plus where the inputs come from (the NTK scorer's input specs). */
export interface ProxyJobOptions extends ProxyOptions {
  readonly inputs: InputSpec;
}

function withoutInputs<T extends { readonly inputs: InputSpec }>(o: T): Omit<T, 'inputs'> {
  const { inputs: _inputs, ...rest } = o;
  return rest;
}

export class NtkCancelledError extends Error {
  constructor() {
    super('NTK computation cancelled');
    this.name = 'AbortError';
  }
}

/** The job's inputs could not be read (a missing, malformed or hostile dataset file): the user's to fix. */
export class NtkInputError extends Error {
  override readonly name = 'NtkInputError';
}

/** A worker died because its computation needed more memory than {@link NtkPoolOptions.maxHeapMb} allows. */
export class NtkOutOfMemoryError extends Error {
  override readonly name = 'NtkOutOfMemoryError';
}

/**
 * The JavaScript heap each NTK worker may use (V8's old generation), in MB. The numeric work lives outside it
 * (WebAssembly memory, typed arrays); the heap holds the job's bookkeeping and, with dataset inputs, the decoded
 * pickle: CIFAR-100's `train` pickled by Python 3 at protocol 2 stores its 153.6 MB of pixels as one string.
 * 1,024 MB leaves room for that and stops a runaway job long before it takes the machine's memory.
 */
export const NTK_WORKER_HEAP_MB = 1024;

export interface NtkPoolOptions {
  /** Worker threads (one architecture each); default: one per core. */
  readonly workers?: number;
  /**
   * Threads each worker's computation uses, the worker included (helper threads split its large kernels;
   * results are identical for any count). Default 1: with one worker per core, sweeps already use every core.
   */
  readonly threadsPerWorker?: number;
  /** The bundled worker script; default `ntk-worker.js` beside the running bundle (dist/). */
  readonly workerFile?: string;
  /** Each worker's JavaScript heap limit in MB (default {@link NTK_WORKER_HEAP_MB}). */
  readonly maxHeapMb?: number;
}

interface Job {
  readonly id: number;
  readonly message: ToWorker;
  /** An NtkResult for `compute` jobs, a ProxyResult for `proxies` jobs. */
  readonly resolve: (r: NtkResult | ProxyResult) => void;
  readonly reject: (e: Error) => void;
  readonly onProgress?: (p: NtkProgress) => void;
  readonly signal?: AbortSignal;
  readonly onAbort: () => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
}

/**
 * Runs NTK computations on worker threads, one architecture per worker, each with its own WebAssembly instance
 * (shared/notes/ntk-engine.md: scaling across cores is then perfect), never on the caller's thread. Cancelling a
 * running job terminates its worker (the computation has no safe points to stop at) and starts a fresh one.
 */
export class NtkPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  readonly size: number;
  readonly threadsPerWorker: number;
  private readonly workerFile: string;
  readonly maxHeapMb: number;

  constructor(options: NtkPoolOptions = {}) {
    this.size = Math.max(1, options.workers ?? availableParallelism());
    this.threadsPerWorker = Math.max(1, Math.floor(options.threadsPerWorker ?? 1));
    this.workerFile = options.workerFile ?? join(__dirname, 'ntk-worker.js');
    this.maxHeapMb = options.maxHeapMb ?? NTK_WORKER_HEAP_MB;
  }

  /** Scores `cell`; rejects with NtkCancelledError when `signal` aborts, and with the worker's message on errors. */
  compute(
    cell: Cell,
    options: NtkJobOptions,
    signal?: AbortSignal,
    onProgress?: (p: NtkProgress) => void,
  ): Promise<NtkResult> {
    return this.submit(
      (id) => ({ type: 'compute', id, cell: [...cell], options: withoutInputs(options), inputs: options.inputs }),
      signal,
      onProgress,
    ) as Promise<NtkResult>;
  }

  /** Computes zero-cost proxies of `cell` (src/core/ntk/proxies); cancelling and errors as for {@link compute}. */
  computeProxies(
    cell: Cell,
    options: ProxyJobOptions,
    signal?: AbortSignal,
    onProgress?: (p: NtkProgress) => void,
  ): Promise<ProxyResult> {
    return this.submit(
      (id) => ({ type: 'proxies', id, cell: [...cell], options: withoutInputs(options), inputs: options.inputs }),
      signal,
      onProgress,
    ) as Promise<ProxyResult>;
  }

  private submit(
    message: (id: number) => ToWorker,
    signal?: AbortSignal,
    onProgress?: (p: NtkProgress) => void,
  ): Promise<NtkResult | ProxyResult> {
    if (this.closed) return Promise.reject(new Error('the NTK worker pool is closed'));
    if (signal?.aborted) return Promise.reject(new NtkCancelledError());
    return new Promise<NtkResult | ProxyResult>((resolve, reject) => {
      const id = this.nextId++;
      const job: Job = {
        id,
        message: message(id),
        resolve,
        reject,
        onProgress,
        signal,
        onAbort: () => this.cancel(job),
      };
      signal?.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** Terminates every worker; pending jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.finish(job, undefined, new Error('the NTK worker pool was closed'));
    await Promise.all(
      this.slots.map(async (s) => {
        if (s.job) this.finish(s.job, undefined, new Error('the NTK worker pool was closed'));
        await s.worker.terminate();
      }),
    );
    this.slots.length = 0;
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      // A busy worker keeps the process alive (a CLI awaiting its result); an idle one does not.
      slot.worker.ref();
      slot.worker.postMessage(job.message);
    }
  }

  private spawn(): Slot {
    const workerData: NtkWorkerData = { threads: this.threadsPerWorker };
    const worker = new Worker(this.workerFile, {
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb },
    });
    const slot: Slot = { worker };
    worker.on('message', (m: FromWorker) => {
      const job = slot.job;
      if (m.type === 'ready' || !job || m.id !== job.id) return;
      if (m.type === 'progress') job.onProgress?.(m.progress);
      else {
        slot.job = undefined;
        slot.worker.unref();
        if (m.type === 'result' || m.type === 'proxy-result') this.finish(job, m.result);
        else this.finish(job, undefined, m.cause === 'input' ? new NtkInputError(m.message) : new Error(m.message));
        this.pump();
      }
    });
    worker.on('error', (e: NodeJS.ErrnoException) => {
      this.lose(
        slot,
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new NtkOutOfMemoryError(
              `the NTK computation ran out of memory (each worker may use ${this.maxHeapMb} MB of JavaScript heap) and was stopped; use fewer or smaller inputs (--n, --inputs) or a smaller network`,
            )
          : new Error(`NTK worker failed: ${e.message}`),
      );
    });
    worker.on('exit', (code) => {
      if (this.slots.includes(slot))
        this.lose(
          slot,
          new Error(`NTK worker exited unexpectedly (code ${code}); the job may need more memory than the worker has`),
        );
    });
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  /** A worker died or was terminated: fail its job, forget it, and let the queue continue on a new one. */
  private lose(slot: Slot, error: Error): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    if (slot.job) this.finish(slot.job, undefined, error);
    slot.job = undefined;
    if (!this.closed) this.pump();
  }

  private cancel(job: Job): void {
    const q = this.queue.indexOf(job);
    if (q >= 0) {
      this.queue.splice(q, 1);
      this.finish(job, undefined, new NtkCancelledError());
      return;
    }
    const slot = this.slots.find((s) => s.job === job);
    if (!slot) return;
    slot.job = undefined;
    this.slots.splice(this.slots.indexOf(slot), 1);
    this.finish(job, undefined, new NtkCancelledError());
    void slot.worker.terminate();
    this.pump();
  }

  private finish(job: Job, result?: NtkResult | ProxyResult, error?: Error): void {
    job.signal?.removeEventListener('abort', job.onAbort);
    if (error) job.reject(error);
    else job.resolve(result!);
  }
}

let shared: NtkPool | undefined;

/**
 * The API the CLI and the extension use: scores one cell on the shared worker pool (created on first use: one
 * worker whose computations use every core; further requests queue behind it, so each still gets all cores).
 * `onProgress` reports stages; aborting `signal` cancels (rejects with NtkCancelledError).
 */
export function computeNtkScores(
  cell: Cell,
  options: NtkJobOptions,
  signal?: AbortSignal,
  onProgress?: (p: NtkProgress) => void,
): Promise<NtkResult> {
  shared ??= new NtkPool({ workers: 1, threadsPerWorker: availableParallelism() });
  return shared.compute(cell, options, signal, onProgress);
}

/** {@link computeNtkScores} for zero-cost proxies: the same shared pool, one job at a time on every core. */
export function computeProxies(
  cell: Cell,
  options: ProxyJobOptions,
  signal?: AbortSignal,
  onProgress?: (p: NtkProgress) => void,
): Promise<ProxyResult> {
  shared ??= new NtkPool({ workers: 1, threadsPerWorker: availableParallelism() });
  return shared.computeProxies(cell, options, signal, onProgress);
}

/** Stops the shared pool's workers (extension deactivation, CLI exit). */
export async function shutdownNtkPool(): Promise<void> {
  const p = shared;
  shared = undefined;
  await p?.close();
}
