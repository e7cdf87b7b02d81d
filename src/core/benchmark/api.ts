import type { Cell } from '../space/cell';
import type { DatasetId, NetworkCost } from '../space/cost';
import type { ArchParseError } from '../space/parse';
import type { CellEncodingKind } from '../space/encodings';
import type { OpName } from '../space/ops';
import type { MetricId } from './metrics';

/**
 * The contract of the loaded benchmark that the language server, the extension, the webviews' hosts and the CLI
 * program against. `Benchmark` (benchmark.ts) implements it over the published files.
 */

/** One NAS-Bench-201 cell and where it stands in the benchmark. */
export interface ArchRecord {
  /** NAS-Bench-201 index 0..15624 (position in ops.json). */
  readonly index: number;
  /** Six-digit op code. */
  readonly code: string;
  readonly cell: Cell;
  readonly archString: string;
  /** NASLib `op_indices`. */
  readonly naslib: readonly number[];
  /** Index of the evaluated member of this cell's isomorphism class (smallest index of the class). */
  readonly representativeIndex: number;
  readonly isRepresentative: boolean;
}

export interface MetricValue {
  /**
   * Accuracy as a fraction in [0, 1]; a cost in NAS-Bench-201's units (params in "MB" = 10^6, FLOPs in M), the
   * cell's own even when it differs from its class representative's.
   */
  readonly value: number;
  /**
   * 1 = best among the 6,466 evaluated classes that have this metric (highest accuracy, lowest cost; the metric's
   * `direction`); ties share the best rank. A cell whose own cost is not its representative's gets the rank it would
   * have among them.
   */
  readonly rank: number;
  /** How many cells have this metric (6,466, fewer where the published file lacks it). */
  readonly of: number;
  /** Percentage of the other cells with a strictly worse value (100 = better than all others). */
  readonly percentile: number;
}

/** Results of one cell: for each dataset, every metric the data has for it. */
export interface CellResults {
  readonly arch: ArchRecord;
  readonly cost: Readonly<Record<DatasetId, NetworkCost>>;
  readonly metrics: Readonly<Record<DatasetId, Partial<Record<MetricId, MetricValue>>>>;
}

export type ResolveResult =
  | { readonly ok: true; readonly kind: CellEncodingKind; readonly arch: ArchRecord }
  | { readonly ok: false; readonly kind: CellEncodingKind; readonly errors: readonly ArchParseError[] };

/** A constraint on the cell for top-k and search: an op on an edge, or an op anywhere. */
export type CellConstraint =
  | { readonly kind: 'edge-is'; readonly edge: number; readonly op: OpName }
  | { readonly kind: 'edge-is-not'; readonly edge: number; readonly op: OpName }
  | { readonly kind: 'has-op'; readonly op: OpName }
  | { readonly kind: 'no-op'; readonly op: OpName };

export interface RankedArch {
  readonly arch: ArchRecord;
  readonly value: number;
  readonly rank: number;
}

export interface ParetoPoint {
  readonly arch: ArchRecord;
  readonly x: number;
  readonly y: number;
}

export interface BenchmarkApi {
  /** The 6,466 evaluated (representative) indices, ascending. Columns below are aligned with it. */
  readonly evaluatedIndices: Int32Array;
  /** Where each file was loaded from, for status and error messages. */
  readonly sources: Readonly<Record<'adversarial' | 'standard' | 'ops', string>>;

  /** Any encoding (string, code, index, NASLib tuple) or a cell -> its record. Never throws on bad text. */
  resolve(input: string | number | Cell): ResolveResult;
  archOfIndex(index: number): ArchRecord;
  indexOfCell(cell: Cell): number;
  /** Index of the representative of `index`'s isomorphism class (the evaluated cell whose results it has). */
  representativeOf(index: number): number;

  /** Value, rank and percentile of one metric; undefined when the data has no such value for that cell. */
  metric(index: number, dataset: DatasetId, metric: MetricId): MetricValue | undefined;
  /** Every dataset and metric of the cell's representative. */
  results(index: number): CellResults;

  /** Metric values aligned with `evaluatedIndices`; NaN where the data has none. */
  column(dataset: DatasetId, metric: MetricId): Float64Array;

  /**
   * Best k evaluated cells by a metric in its direction (highest accuracy or lowest cost first; ties by index),
   * restricted to cells meeting every constraint.
   */
  topK(dataset: DatasetId, metric: MetricId, k: number, constraints?: readonly CellConstraint[]): RankedArch[];
  /**
   * Non-dominated evaluated cells, each metric in its direction (accuracy maximised, cost minimised: `pgd@8` against
   * `params` is the accuracy-vs-size front), sorted by x ascending.
   */
  pareto(dataset: DatasetId, x: MetricId, y: MetricId, constraints?: readonly CellConstraint[]): ParetoPoint[];
}
