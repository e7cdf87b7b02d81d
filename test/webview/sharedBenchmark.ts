import { SHARED_DATA_DIR } from '../helpers/sharedData';
import type { BenchmarkApi } from '../../src/core/benchmark/api';
import { loadBenchmark } from '../../src/core/benchmark';

export { SHARED_DATA_DIR };

let loaded: Promise<BenchmarkApi> | undefined;

export function sharedBenchmark(): Promise<BenchmarkApi> {
  loaded ??= loadBenchmark({ dataDir: SHARED_DATA_DIR, download: false });
  return loaded;
}
