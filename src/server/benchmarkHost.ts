import type { BenchmarkApi } from '../core/benchmark/api';
import { describeDataProblem } from '../core/benchmark/dataProblem';
import { METRIC_IDS } from '../core/benchmark/metrics';
import { DATASET_IDS } from '../core/space/cost';
import { MAX_ARCH_INDEX } from '../core/space/encodings';
import type { DataStatusParams } from '../shared/protocol';

/** Loads the benchmark from a folder (empty = the default search order of `loadBenchmark`). */
export type BenchmarkLoader = (
  dataPath: string,
  signal: AbortSignal,
  onProgress: (message: string) => void,
) => Promise<BenchmarkApi>;

/**
 * Owns the loaded benchmark. Loading runs in the background after `initialize`, so the server answers (syntax
 * diagnostics, hovers that say the data is coming) from the first moment; `onChange` fires on every state change,
 * and the server then re-publishes diagnostics and refreshes inlay hints. A new `load` aborts the previous one.
 */
export class BenchmarkHost {
  private bench: BenchmarkApi | undefined;
  private current: DataStatusParams = {
    state: 'loading',
    message: 'Waiting for the settings before loading the benchmark.',
  };
  private abort: AbortController | undefined;
  private loadedPath: string | undefined;
  private settled: Promise<void> = Promise.resolve();

  constructor(
    private readonly loader: BenchmarkLoader,
    private readonly onChange: (status: DataStatusParams) => void,
    private readonly log: (message: string) => void,
  ) {}

  get benchmark(): BenchmarkApi | undefined {
    return this.bench;
  }

  get status(): DataStatusParams {
    return this.current;
  }

  /** Resolves when the most recent load has finished (either way). */
  whenSettled(): Promise<void> {
    return this.settled;
  }

  /** Loads unless the same path is already loaded or loading; `force` reloads anyway. */
  load(dataPath: string, force = false): void {
    if (!force && this.loadedPath === dataPath && this.current.state !== 'error' && this.current.state !== 'missing')
      return;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loadedPath = dataPath;
    const where = dataPath ? `from ${dataPath}` : 'from the default locations';
    this.set({ state: 'loading', message: `Loading NAS-RobBench-201 ${where}…` });
    const started = Date.now();
    this.settled = this.loader(dataPath, abort.signal, (message) => {
      if (!abort.signal.aborted) this.set({ state: 'loading', message });
    }).then(
      (bench) => {
        if (abort.signal.aborted) return;
        this.bench = bench;
        const folder = bench.sources.adversarial.replace(/[\\/][^\\/]*$/, '');
        this.log(
          `Loaded NAS-RobBench-201 (${bench.evaluatedIndices.length} evaluated cells) from ${folder} in ${Date.now() - started} ms.`,
        );
        this.set({
          state: 'ready',
          message: `NAS-RobBench-201 loaded from ${folder}: ${bench.evaluatedIndices.length} evaluated cells.`,
          dataPath: folder,
          evaluated: bench.evaluatedIndices.length,
        });
        warmUp(bench, abort.signal);
      },
      (e: unknown) => {
        if (abort.signal.aborted) return;
        const problem = describeDataProblem(e);
        this.bench = undefined;
        this.log(`Could not load NAS-RobBench-201: ${problem.detail}`);
        // Hovers show this message: one line with the commands that fix it (the log keeps the whole story).
        const message = `${problem.summary}. Run "Robust NAS: Locate Benchmark Data..." or "Robust NAS: Download Benchmark Data".`;
        this.set({
          state: problem.kind === 'missing' || problem.kind === 'download-failed' ? 'missing' : 'error',
          message,
        });
      },
    );
  }

  private set(status: DataStatusParams): void {
    if (
      status.state === 'loading' &&
      this.current.state === 'loading' &&
      Date.now() - this.lastProgress < PROGRESS_INTERVAL_MS
    ) {
      this.current = status; // download progress arrives per chunk; the client hears of it a few times a second
      return;
    }
    this.lastProgress = Date.now();
    this.current = status;
    this.onChange(status);
  }

  private lastProgress = 0;
}

const PROGRESS_INTERVAL_MS = 250;
const WARM_UP_CHUNK = 1000;

/** Every (dataset, metric) column, in the order they are ranked ahead of need. */
const COLUMNS = DATASET_IDS.flatMap((dataset) => METRIC_IDS.map((metric) => ({ dataset, metric })));

/**
 * Builds the benchmark's per-index records ahead of need, a chunk per event-loop turn so requests are served in
 * between: otherwise the first diagnosis of a large document pays for building thousands of them. Then ranks each
 * column, one per turn: the first hover card reads every metric, and ranking all of them on that hover took
 * 78 ms on an idle machine (a second on a loaded one, bench:workbench).
 */
function warmUp(bench: BenchmarkApi, signal: AbortSignal, from = 0): void {
  if (signal.aborted) return;
  if (from > MAX_ARCH_INDEX) {
    const column = COLUMNS[from - MAX_ARCH_INDEX - 1];
    if (!column) return;
    const evaluated = bench.evaluatedIndices[0];
    // The first query of a column ranks it (Benchmark.metric).
    if (evaluated !== undefined) bench.metric(evaluated, column.dataset, column.metric);
    setImmediate(() => warmUp(bench, signal, from + 1));
    return;
  }
  const to = Math.min(MAX_ARCH_INDEX, from + WARM_UP_CHUNK - 1);
  for (let i = from; i <= to; i++) bench.archOfIndex(i);
  setImmediate(() => warmUp(bench, signal, to + 1));
}
