import * as vscode from 'vscode';
import { defaultNtkCacheDir } from '../core/ntk/cacheDir';
import { NtkResultIndex } from '../core/ntk/resultLookup';
import type { NtkStoreParams } from '../shared/protocol';

const SWEEP_FILES_KEY = 'robustNas.ntk.sweepFiles';
/** Enough for the sweeps of a few configurations; older files stay on disk and can be opened again. */
const MAX_SWEEP_FILES = 20;

/**
 * Where the extension's NTK results are: the cache shared with the CLI, and the sweep files NTK Sweep wrote or
 * resumed (remembered across sessions, newest first). `onDidChange` fires when results land or the list changes;
 * the extension forwards it to the language server, whose hover card reads the same places.
 */
export class NtkResultStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<NtkStoreParams>();
  readonly onDidChange = this.emitter.event;
  readonly cacheDir = defaultNtkCacheDir();
  readonly index: NtkResultIndex;

  constructor(private readonly state: vscode.Memento) {
    this.index = new NtkResultIndex(this.cacheDir, this.sweepFiles);
  }

  get sweepFiles(): string[] {
    const raw = this.state.get<unknown>(SWEEP_FILES_KEY);
    return Array.isArray(raw) ? raw.filter((f): f is string => typeof f === 'string') : [];
  }

  /** The sweep files loaded into the Correlation Charts (set by the charts when their list changes). */
  private chartSweepFiles: readonly string[] = [];

  params(): NtkStoreParams {
    return { cacheDir: this.cacheDir, sweepFiles: this.sweepFiles, chartSweepFiles: this.chartSweepFiles };
  }

  /** The charts' sweep files changed: the hover card ranks the class's scores in them. */
  setChartSweepFiles(files: readonly string[]): void {
    if (files.length === this.chartSweepFiles.length && files.every((f, i) => f === this.chartSweepFiles[i])) return;
    this.chartSweepFiles = [...files];
    this.changed();
  }

  /** Puts `file` first in the known sweep files (a sweep started or resumed on it). */
  async rememberSweepFile(file: string): Promise<void> {
    const files = [file, ...this.sweepFiles.filter((f) => f !== file)].slice(0, MAX_SWEEP_FILES);
    await this.state.update(SWEEP_FILES_KEY, files);
    this.changed();
  }

  /** New results were written (cache entry or sweep rows). */
  changed(): void {
    const params = this.params();
    this.index.configure(params.cacheDir, params.sweepFiles, params.chartSweepFiles);
    this.emitter.fire(params);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
