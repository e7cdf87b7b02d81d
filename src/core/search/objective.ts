import type { BenchmarkApi } from '../benchmark/api';
import type { AccuracyMetricId } from '../benchmark/metrics';
import { cellToCodeNumber, CELL_COUNT, type Cell } from '../space/cell';
import type { DatasetId } from '../space/cost';

/**
 * What a search maximises: one accuracy of one dataset, or a weighted sum of several. Accuracies only: a cost is
 * minimised and in other units, so it cannot join a sum of accuracies (constrain it with `pareto` instead).
 */
export type ObjectiveSpec =
  | { readonly dataset: DatasetId; readonly metric: AccuracyMetricId }
  | { readonly dataset: DatasetId; readonly weights: Readonly<Partial<Record<AccuracyMetricId, number>>> };

/**
 * The benchmark seen as a look-up table: every cell maps to its isomorphism class (the representative index) and
 * the objective's value for that class. Built once per objective so that each step of a search is O(1).
 */
export interface SearchOracle {
  /** Representative index of the cell's isomorphism class. */
  classOf(cell: Cell): number;
  /**
   * Representative indices of the evaluated isomorphism classes (NAS-RobBench-201's 6,466, the authors'
   * `non_isomorph_ids`), ascending: what class-uniform proposals draw from.
   */
  readonly classes: ArrayLike<number>;
  /** The cell of a class's representative. */
  cellOfClass(classIndex: number): Cell;
  /** Objective value of a class; NaN when the data has no value. */
  value(classIndex: number): number;
  /** Number of classes with a value: a budget above it cannot be spent. */
  readonly evaluableClasses: number;
  /** Best value over all classes, and the class that has it (ties: smallest index). */
  readonly optimum: { readonly classIndex: number; readonly value: number };
  readonly label: string;
}

export function describeObjective(spec: ObjectiveSpec): string {
  if ('metric' in spec) return `${spec.metric} on ${spec.dataset}`;
  const parts = Object.entries(spec.weights).map(([m, w]) => `${w}*${m}`);
  return `${parts.join(' + ')} on ${spec.dataset}`;
}

export function benchmarkOracle(bench: BenchmarkApi, spec: ObjectiveSpec): SearchOracle {
  const weights: [AccuracyMetricId, number][] =
    'metric' in spec ? [[spec.metric, 1]] : (Object.entries(spec.weights) as [AccuracyMetricId, number][]);
  if (weights.length === 0) throw new Error('The objective needs at least one metric with a weight.');
  const columns = weights.map(([m, w]) => [bench.column(spec.dataset, m), w] as const);
  const valueByIndex = new Map<number, number>();
  let optimum = { classIndex: -1, value: -Infinity };
  let evaluable = 0;
  bench.evaluatedIndices.forEach((index, row) => {
    let v = 0;
    for (const [col, w] of columns) v += w * col[row];
    valueByIndex.set(index, v);
    if (!Number.isNaN(v)) {
      evaluable++;
      if (v > optimum.value) optimum = { classIndex: index, value: v };
    }
  });
  // Code number -> representative index, so classOf costs one array read.
  const classByCode = new Int32Array(CELL_COUNT);
  for (let index = 0; index < CELL_COUNT; index++) {
    const arch = bench.archOfIndex(index);
    classByCode[cellToCodeNumber(arch.cell)] = arch.representativeIndex;
  }
  return {
    classOf: (cell) => classByCode[cellToCodeNumber(cell)],
    classes: bench.evaluatedIndices,
    cellOfClass: (classIndex) => bench.archOfIndex(classIndex).cell,
    value: (classIndex) => valueByIndex.get(classIndex) ?? NaN,
    evaluableClasses: evaluable,
    optimum,
    label: describeObjective(spec),
  };
}
