import * as vscode from 'vscode';
import type { BenchmarkApi } from '../core/benchmark/api';
import type { LoadProgress } from '../core/benchmark/load';
import { describeDataProblem, type DataProblem } from '../core/benchmark/dataProblem';

/** Loads the benchmark from a data folder ('' = the default search order, which downloads what is missing). */
export type BenchmarkLoader = (
  dataPath: string,
  options?: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void },
) => Promise<BenchmarkApi>;

/** What the status bar and views show about the data. */
export type BenchmarkState =
  | { readonly kind: 'loading'; readonly dataPath: string }
  | { readonly kind: 'ready'; readonly dataPath: string; readonly benchmark: BenchmarkApi }
  /**
   * The data could not be loaded: `problem.kind` tells missing files, a failed download and a damaged copy apart
   * (each calls for other actions); `dataPath` is the folder the user named, or '' for the default search order.
   */
  | { readonly kind: 'unavailable'; readonly dataPath: string; readonly problem: DataProblem };

/**
 * The benchmark as the extension host sees it: loaded once, in the background, shared by every command and view,
 * reloaded when `robustNas.dataPath` changes or the user locates the data. Activation never waits for it; callers
 * that need the data await {@link get}, which rejects with a sentence telling the user what to do.
 */
export class BenchmarkService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<BenchmarkState>();
  readonly onDidChange = this.changed.event;
  private current: BenchmarkState;
  private pending: Promise<BenchmarkApi>;
  private generation = 0;

  constructor(
    readonly loader: BenchmarkLoader,
    private readonly log: vscode.LogOutputChannel,
    dataPath: string,
  ) {
    this.current = { kind: 'loading', dataPath };
    this.pending = this.load(dataPath);
  }

  get state(): BenchmarkState {
    return this.current;
  }

  /** The loaded benchmark, if it is ready now. */
  ready(): BenchmarkApi | undefined {
    return this.current.kind === 'ready' ? this.current.benchmark : undefined;
  }

  /** The benchmark once loaded; rejects with the loader's message (what is wrong and what to do). */
  get(): Promise<BenchmarkApi> {
    return this.pending;
  }

  /** Loads from `dataPath` again (a changed setting, or Locate Data). The latest call wins. */
  reload(dataPath: string): Promise<BenchmarkApi> {
    this.pending = this.load(dataPath);
    return this.pending;
  }

  /** Adopts a benchmark already loaded from `dataPath` (Locate Data validated it), so it is not parsed twice. */
  adopt(dataPath: string, benchmark: BenchmarkApi): void {
    this.generation++;
    this.pending = Promise.resolve(benchmark);
    this.set({ kind: 'ready', dataPath, benchmark });
  }

  private load(dataPath: string): Promise<BenchmarkApi> {
    const generation = ++this.generation;
    this.set({ kind: 'loading', dataPath });
    const started = Date.now();
    this.log.info(`Loading NAS-RobBench-201 from ${dataPath || 'the default locations'}...`);
    // Deferred to the next macrotask so that the (synchronous part of the) parse never runs inside activate().
    const promise = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => this.loader(dataPath));
    promise.then(
      (benchmark) => {
        if (generation !== this.generation) return;
        this.log.info(
          `Benchmark loaded in ${Date.now() - started} ms: ${benchmark.evaluatedIndices.length} evaluated cells from ${benchmark.sources.adversarial}`,
        );
        this.set({ kind: 'ready', dataPath, benchmark });
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        const problem = describeDataProblem(error);
        this.log.error(`${problem.summary}. ${problem.detail}`);
        this.set({ kind: 'unavailable', dataPath, problem });
      },
    );
    return promise;
  }

  private set(state: BenchmarkState): void {
    this.current = state;
    this.changed.fire(state);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
