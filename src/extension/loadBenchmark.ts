import type * as vscode from 'vscode';
import { indexCacheLogLine, loadBenchmark } from '../core/benchmark/load';
import type { BenchmarkLoader } from './benchmarkService';

/**
 * The core loader as the extension uses it: `robustNas.dataPath` when set (then only that folder), otherwise the
 * core's search order starting from the extension's own folder (the user cache, the development copy beside a
 * checkout, then a verified download). Progress and what the index cache did go to the log.
 */
export function extensionBenchmarkLoader(log: vscode.LogOutputChannel, extensionPath: string): BenchmarkLoader {
  return (dataPath, options) =>
    loadBenchmark({
      dataDir: dataPath || undefined,
      searchFrom: [extensionPath],
      signal: options?.signal,
      onProgress: (p) => {
        if (p.phase === 'downloading' && p.received === 0) log.info(`Downloading ${p.path}...`);
        else if (p.phase !== 'downloading') log.debug(`${p.role}: ${p.phase} ${p.path}`);
        options?.onProgress?.(p);
      },
      onIndexCache: (e) => {
        const { level, text } = indexCacheLogLine(e);
        log[level](text);
      },
    });
}
