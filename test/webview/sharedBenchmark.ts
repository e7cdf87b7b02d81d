import { join } from 'node:path';
import type { BenchmarkApi } from '../../src/core/benchmark/api';
import { loadBenchmark } from '../../src/core/benchmark';

/** The shared copy of the published files beside the checkout (as in development and CI); never a fixture. */
export const SHARED_DATA_DIR = join(__dirname, '..', '..', '..', 'shared', 'data', 'nas-robbench-201');

let loaded: Promise<BenchmarkApi> | undefined;

export function sharedBenchmark(): Promise<BenchmarkApi> {
  loaded ??= loadBenchmark({ dataDir: SHARED_DATA_DIR, download: false });
  return loaded;
}
