import type { OpName } from '../../space';
import type { BackendName } from '../engine/backend';
import type { InputSpec } from '../inputs/load';
import type { ProxyOptions, ProxyResult } from '../proxies/compute';
import type { NtkOptions, NtkProgress, NtkResult } from '../scores';

/** What {@link NtkPool} passes to a new dist/ntk-worker.js as `workerData`. */
export interface NtkWorkerData {
  /** Threads each computation uses (the worker thread plus helpers; wasmBackend's `threads`). */
  readonly threads: number;
}

/** Messages between {@link NtkPool} and dist/ntk-worker.js (one job at a time per worker). */
export type ToWorker =
  | {
      readonly type: 'compute';
      readonly id: number;
      readonly cell: readonly OpName[];
      readonly options: NtkOptions;
      readonly inputs: InputSpec;
    }
  /** Zero-cost proxies (src/core/ntk/proxies) of one cell. */
  | {
      readonly type: 'proxies';
      readonly id: number;
      readonly cell: readonly OpName[];
      readonly options: ProxyOptions;
      readonly inputs: InputSpec;
    };

export type FromWorker =
  | { readonly type: 'ready'; readonly backend: BackendName; readonly threads: number; readonly threadingNote?: string }
  | { readonly type: 'progress'; readonly id: number; readonly progress: NtkProgress }
  | { readonly type: 'result'; readonly id: number; readonly result: NtkResult }
  | { readonly type: 'proxy-result'; readonly id: number; readonly result: ProxyResult }
  /** `input`: the inputs could not be read (a missing, malformed or hostile dataset file), the user's to fix. */
  | { readonly type: 'error'; readonly id: number; readonly message: string; readonly cause?: 'input' };
