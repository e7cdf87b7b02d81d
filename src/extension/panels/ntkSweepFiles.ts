import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type { BenchmarkApi } from '../../core/benchmark/api';
import { readSweepFile, SweepFileError, type SweepContents } from '../../core/ntk/sweepFile';
import type { NtkSweepInfo } from '../../shared/webviewMessages';
import { ntkMetricSource, sweepFileKey, sweepInfo, type NtkMetricSource } from './ntkMetricSource';

/** workspaceState key: the absolute paths of the sweep files loaded into the charts, in the order added. */
const STATE_KEY = 'robustNas.correlationCharts.ntkSweepFiles';

/** A running sweep appends a line per class (several a second at proxy size): re-read at most this often. */
const RELOAD_DELAY_MS = 400;

interface Entry {
  readonly path: string;
  readonly key: string;
  contents?: SweepContents;
  error?: string;
  watcher?: vscode.Disposable;
  timer?: ReturnType<typeof setTimeout>;
  /** Metric source for the benchmark it was built against (rebuilt when the file or the benchmark changes). */
  source?: { bench: BenchmarkApi; source: NtkMetricSource };
}

/**
 * The NTK sweep result files the user added to the correlation charts: remembered per workspace, read with the
 * core's sweep reader, and re-read whenever the file changes on disk (a sweep in progress appends lines). A file
 * that cannot be read stays listed with its error, so the user sees what is wrong and what to do.
 */
export class NtkSweepFiles implements vscode.Disposable {
  private readonly entries: Entry[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>,
  ) {
    for (const path of state.get<string[]>(STATE_KEY, [])) this.open(path);
  }

  /**
   * Adds (or re-reads) a file; returns its summary (classes joined to `bench`, when given). Throws nothing: read
   * errors are part of the summary.
   */
  async add(uri: vscode.Uri, bench?: BenchmarkApi): Promise<NtkSweepInfo> {
    const path = uri.fsPath;
    let entry = this.entries.find((e) => e.path === path);
    if (entry) this.read(entry);
    else {
      entry = this.open(path);
      await this.save();
    }
    this.changed.fire();
    return this.info(entry, bench);
  }

  async remove(key: string): Promise<boolean> {
    const k = this.entries.findIndex((e) => e.key === key);
    if (k < 0) return false;
    const [entry] = this.entries.splice(k, 1);
    this.close(entry);
    await this.save();
    this.changed.fire();
    return true;
  }

  /** Summaries for the panel's list; `bench` lets it count the classes joined to the benchmark. */
  list(bench?: BenchmarkApi): NtkSweepInfo[] {
    return this.entries.map((e) => this.info(e, bench));
  }

  /** Metric sources of the readable files, joined to `bench`. */
  sources(bench: BenchmarkApi): NtkMetricSource[] {
    return this.entries.flatMap((e) => {
      const s = this.sourceOf(e, bench);
      return s ? [s] : [];
    });
  }

  private sourceOf(e: Entry, bench: BenchmarkApi): NtkMetricSource | undefined {
    if (!e.contents || e.error) return undefined;
    if (e.source?.bench !== bench) e.source = { bench, source: ntkMetricSource(e.contents, e.key, bench) };
    return e.source.source;
  }

  private info(e: Entry, bench?: BenchmarkApi): NtkSweepInfo {
    return sweepInfo(e.path, e.contents, bench ? this.sourceOf(e, bench) : e.source?.source, e.error);
  }

  private open(path: string): Entry {
    const entry: Entry = { path, key: sweepFileKey(path) };
    this.entries.push(entry);
    this.read(entry);
    // A pattern on the file's folder is watched even outside the workspace.
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(dirname(path)), basename(path)),
    );
    const schedule = () => {
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = setTimeout(() => {
        entry.timer = undefined;
        if (!this.entries.includes(entry)) return;
        this.read(entry);
        this.changed.fire();
      }, RELOAD_DELAY_MS);
    };
    entry.watcher = vscode.Disposable.from(
      watcher,
      watcher.onDidChange(schedule),
      watcher.onDidCreate(schedule),
      watcher.onDidDelete(schedule),
    );
    return entry;
  }

  private read(entry: Entry): void {
    entry.source = undefined;
    try {
      entry.contents = readSweepFile(entry.path);
      entry.error = undefined;
    } catch (error) {
      entry.contents = undefined;
      const message = error instanceof SweepFileError ? error.message : String(error);
      entry.error = /ENOENT/.test(message)
        ? `${entry.path} no longer exists; remove it from the charts or write it again.`
        : message;
      this.log.warn(`NTK sweep file: ${entry.error}`);
    }
  }

  private close(entry: Entry): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.watcher?.dispose();
  }

  private save(): Thenable<void> {
    return this.state.update(
      STATE_KEY,
      this.entries.map((e) => e.path),
    );
  }

  dispose(): void {
    for (const e of this.entries) this.close(e);
    this.changed.dispose();
  }
}
