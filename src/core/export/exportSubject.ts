import type { AdversarialMetricId } from '../benchmark/metrics';
import type { Cell } from '../space/cell';
import type { DatasetId } from '../space/cost';

/** Network size of an export: stem channels C and cells per stage N (NAS-Bench-201's TinyNetwork(C, N, ...)). */
export interface ExportSize {
  readonly channels: number;
  readonly cellsPerStage: number;
}

/**
 * Everything the PyTorch export writes about one cell, gathered by the caller (CLI or editor) from the benchmark.
 * The templates are pure: they format these facts and compute nothing they could get wrong silently.
 */
export interface ExportSubject {
  /** The cell as the user wrote it (any member of its isomorphism class): the exported network is this cell. */
  readonly cell: Cell;
  /** Its NAS-Bench-201 index, when the benchmark's index table is at hand. */
  readonly index?: number;
  /**
   * The member of the isomorphism class NAS-RobBench-201 trained and evaluated (the smallest index), whose results
   * the header shows; equal to `index` when the cell is that member.
   */
  readonly evaluated?: { readonly index: number; readonly archString: string };
  readonly dataset: DatasetId;
  readonly size: ExportSize;
  /**
   * NAS-RobBench-201's accuracies (fractions) of the evaluated member on `dataset`: each value in the published file
   * is the mean over the authors' training runs. Absent metrics are missing from the file (AutoAttack on
   * ImageNet16-120); `undefined` altogether when the benchmark data is not loaded.
   */
  readonly accuracies?: Partial<Record<AdversarialMetricId, number>>;
  /** Who wrote the files, e.g. `Robust NAS 0.1.0`. */
  readonly generator: string;
}

/** The two files of an export, by file name. */
export interface PytorchExport {
  readonly 'model.py': string;
  readonly 'train.py': string;
}

export const EXPORT_FILE_NAMES = ['model.py', 'train.py'] as const satisfies readonly (keyof PytorchExport)[];
