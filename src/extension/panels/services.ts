import type * as vscode from 'vscode';
import type { BenchmarkApi } from '../../core/benchmark/api';
import { describeDataProblem } from '../../core/benchmark/dataProblem';
import { BenchmarkDataError } from '../../core/benchmark/errors';
import type { RobustNasSettings } from '../../shared/settings';
import type { NtkSweepInfo } from '../../shared/webviewMessages';
import type { MetricSource } from './metricColumns';

/**
 * What the panels need from the extension: a structural subset of the extension's services, so the panels depend
 * on behaviour, not on how the extension wires it.
 */
export interface PanelServices {
  readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error'>;
  readonly benchmark: {
    /** The loaded benchmark; rejects with a sentence saying what to do when the data is missing or unusable. */
    get(): Promise<BenchmarkApi>;
    /** Fires when the data starts loading, loads or fails (a changed data path, Locate Data). */
    readonly onDidChange?: vscode.Event<unknown>;
  };
  /** The pinned architectures (canonical strings), persisted per workspace. */
  readonly comparison: {
    readonly onDidChange: vscode.Event<readonly string[]>;
    list(): readonly string[];
    add(archString: string): Promise<string>;
    remove(archString: string): Promise<boolean>;
    move(archString: string, delta: number): Promise<boolean>;
  };
  settings(): RobustNasSettings;
  /** Sweep files NTK Sweep wrote or resumed (the user chose them): read without asking again. */
  readonly ntkResults?: { readonly sweepFiles: readonly string[]; setChartSweepFiles?(files: readonly string[]): void };
  /** NTK sweep result files loaded into the charts: further metrics beside the benchmark's own (ntkSweepFiles.ts). */
  readonly ntkSweeps?: {
    readonly onDidChange: vscode.Event<void>;
    list(bench?: BenchmarkApi): NtkSweepInfo[];
    sources(bench: BenchmarkApi): readonly MetricSource[];
    add(uri: vscode.Uri, bench?: BenchmarkApi): Promise<NtkSweepInfo>;
    remove(key: string): Promise<boolean>;
  };
}

/** What a view shows for a failure: for missing or damaged data one plain line saying where to fix it. */
export function errorMessage(error: unknown): string {
  const problem = error instanceof BenchmarkDataError ? describeDataProblem(error) : undefined;
  if (problem)
    return `${problem.summary}. Fix it from the Robust NAS item in the status bar (Locate Benchmark Data..., Download); this view updates when the data arrives.`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `restart` when the benchmark becomes available while `showsError()` says the view shows a failure, so a view
 * opened without data recovers by itself once the user locates or downloads it.
 */
export function reloadWhenDataArrives(
  services: PanelServices,
  showsError: () => boolean,
  restart: () => void,
): vscode.Disposable {
  const onChange = services.benchmark.onDidChange;
  if (!onChange) return { dispose: () => undefined };
  return onChange(() => {
    if (!showsError()) return;
    // The event fires on every state change; only a load that succeeds ends the error.
    services.benchmark.get().then(
      () => showsError() && restart(),
      () => undefined,
    );
  });
}
