import { statSync } from 'node:fs';
import type { Cell } from '../space';
import { NtkResultCache, ntkCacheKey } from './cache';
import type { NtkJobOptions } from './pool';
import type { NtkResult } from './scores';
import { readSweepFile, readSweepRowsFrom, type SweepRow } from './sweepFile';
import { ntkResultProblem } from './resultShape';
import { optionsOfHeader } from './sweepScope';

/** Where a stored result was found. */
export type NtkResultSource =
  | { readonly kind: 'cache'; readonly dir: string }
  | { readonly kind: 'sweep'; readonly file: string; readonly classes: number };

export interface FoundNtkResult {
  readonly result: NtkResult;
  readonly source: NtkResultSource;
}

interface LoadedSweep {
  readonly mtimeMs: number;
  readonly size: number;
  /** Undefined when the file is not a readable sweep file. */
  readonly sweep:
    | {
        /** JSON of the header's job options, compared with the configuration asked for. */
        readonly optionsJson: string;
        readonly rows: Map<number, SweepRow>;
        /** End of the complete lines read so far (appended rows are read from here). */
        readonly completeBytes: number;
      }
    | undefined;
}

/** JSON with object keys sorted at every level, so two equal configurations compare equal whatever built them. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  });
}

/**
 * Reads already computed NTK results, never computing any (the language server's hover uses it): first the
 * on-disk cache (keyed by isomorphism class and configuration, as `Compute NTK Scores` and `robust-nas ntk` write
 * it), then sweep files whose header has the same job options. Sweep files are parsed once and again only when
 * their size or modification time changes (a running sweep appends to them); unreadable files count as empty.
 */
export class NtkResultIndex {
  private cache: NtkResultCache;
  private sweepFiles: readonly string[];
  /** Sweep files the user loaded into the Correlation Charts: any configuration (proxy sweeps too). */
  private chartSweepFiles: readonly string[] = [];
  private readonly loaded = new Map<string, LoadedSweep>();

  constructor(cacheDir: string, sweepFiles: readonly string[] = []) {
    this.cache = new NtkResultCache(cacheDir);
    this.sweepFiles = [...sweepFiles];
  }

  get cacheDir(): string {
    return this.cache.dir;
  }

  /** New locations (the extension tells the server when they change). */
  configure(cacheDir: string, sweepFiles: readonly string[], chartSweepFiles: readonly string[] = []): void {
    if (cacheDir !== this.cache.dir) this.cache = new NtkResultCache(cacheDir);
    this.sweepFiles = [...sweepFiles];
    this.chartSweepFiles = [...chartSweepFiles];
    for (const f of [...this.loaded.keys()])
      if (!this.sweepFiles.includes(f) && !this.chartSweepFiles.includes(f)) this.loaded.delete(f);
  }

  /**
   * Every known sweep file, whatever its configuration (the charts' files first), whose rows score the class
   * `representativeIndex`: the row and all rows of the file, from which the hover ranks the class's scores. Rows of
   * the wrong shape are left out.
   */
  sweepsWithClass(representativeIndex: number): { file: string; row: SweepRow; rows: ReadonlyMap<number, SweepRow> }[] {
    const out: { file: string; row: SweepRow; rows: ReadonlyMap<number, SweepRow> }[] = [];
    for (const file of new Set([...this.chartSweepFiles, ...this.sweepFiles])) {
      const sweep = this.sweep(file);
      const row = sweep?.rows.get(representativeIndex);
      if (sweep && row && ntkResultProblem(row.result) === undefined) out.push({ file, row, rows: sweep.rows });
    }
    return out;
  }

  /**
   * The result for `cell`'s class under `options`; `representativeIndex` (the class's evaluated index, known when
   * the benchmark is loaded) is needed to look in sweep files, whose rows are keyed by it.
   */
  find(
    cell: Cell,
    representativeIndex: number | undefined,
    options: NtkJobOptions,
    onSkipped?: (why: string) => void,
  ): FoundNtkResult | undefined {
    const expected = { cell, options };
    const hit = this.cache.get(ntkCacheKey(cell, options), expected);
    if (hit) return { result: hit, source: { kind: 'cache', dir: this.cache.dir } };
    if (representativeIndex === undefined) return undefined;
    const wanted = canonicalJson(sortedVariants(options));
    for (const file of this.sweepFiles) {
      const sweep = this.sweep(file);
      if (!sweep || sweep.optionsJson !== wanted) continue;
      const row = sweep.rows.get(representativeIndex);
      if (!row) continue;
      // A row of the wrong shape or class (a damaged or planted sweep file) is skipped, never shown; `onSkipped`
      // hears why (the language server logs it).
      const problem = ntkResultProblem(row.result, expected);
      if (problem === undefined)
        return { result: row.result, source: { kind: 'sweep', file, classes: sweep.rows.size } };
      onSkipped?.(`the row of class #${representativeIndex} in the sweep file ${file} ${problem}`);
    }
    return undefined;
  }

  /** Every result row of the sweep files computed with `options`, by benchmark index (first file wins). */
  sweepRows(options: NtkJobOptions): Map<number, SweepRow> {
    const wanted = canonicalJson(sortedVariants(options));
    const out = new Map<number, SweepRow>();
    for (const file of this.sweepFiles) {
      const sweep = this.sweep(file);
      if (!sweep || sweep.optionsJson !== wanted) continue;
      for (const [i, r] of sweep.rows) if (!out.has(i) && ntkResultProblem(r.result) === undefined) out.set(i, r);
    }
    return out;
  }

  private sweep(file: string): LoadedSweep['sweep'] {
    let stat;
    try {
      stat = statSync(file);
    } catch {
      this.loaded.delete(file);
      return undefined;
    }
    const known = this.loaded.get(file);
    // A file that failed to parse is retried only once it changes.
    if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known.sweep;
    // Sweep files only grow while a sweep appends: read just the new lines (a full parse of all 6,466 classes
    // takes a quarter of a second, too long for every hover during a sweep).
    if (known?.sweep && stat.size > known.size) {
      try {
        const tail = readSweepRowsFrom(file, known.sweep.completeBytes);
        for (const row of tail.rows) known.sweep.rows.set(row.index, row);
        const sweep = { ...known.sweep, completeBytes: tail.completeBytes };
        this.loaded.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, sweep });
        return sweep;
      } catch {
        // Not a plain append (rewritten, damaged): read the whole file below.
      }
    }
    let sweep: LoadedSweep['sweep'];
    try {
      const contents = readSweepFile(file);
      sweep = {
        optionsJson: canonicalJson(sortedVariants(optionsOfHeader(contents.header))),
        rows: contents.rows,
        completeBytes: contents.completeBytes,
      };
    } catch {
      sweep = undefined;
    }
    this.loaded.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, sweep });
    return sweep;
  }
}

/** Variant order does not change any number: compare configurations with the variants sorted. */
function sortedVariants(options: unknown): unknown {
  if (!options || typeof options !== 'object') return options;
  const o = options as { variants?: unknown };
  return Array.isArray(o.variants) ? { ...o, variants: [...(o.variants as string[])].sort() } : o;
}
