import type { Benchmark } from '../core/benchmark/benchmark';
import { loadBenchmark } from '../core/benchmark/load';
import { stringOption } from './args';
import type { CommandContext, OptionValues } from './command';

/** The context a command runs in: parsed options, stdout, and the benchmark loaded lazily (and only once). */
export function makeContext(
  positionals: readonly string[],
  values: OptionValues,
  write: (s: string) => void,
  writeErr: (s: string) => void,
): CommandContext {
  let loading: Promise<Benchmark> | undefined;
  const json = values.json === true;
  return {
    positionals,
    values,
    json,
    out: (line = '') => write(line + '\n'),
    benchmark() {
      loading ??= loadBenchmark({
        dataDir: stringOption(values, 'data'),
        download: values.offline !== true,
        onProgress: (p) => {
          if (p.phase === 'downloading' && p.received === 0) writeErr(`robust-nas: downloading ${p.path} ...\n`);
          if (p.phase === 'downloaded') writeErr(`robust-nas: saved ${p.path}\n`);
        },
      });
      return loading;
    },
  };
}
