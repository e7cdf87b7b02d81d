import type { BenchmarkApi } from '../benchmark/api';
import { ADVERSARIAL_METRIC_IDS, type AdversarialMetricId } from '../benchmark/metrics';
import type { Cell } from '../space/cell';
import { MACRO, type DatasetId } from '../space/cost';
import type { ExportSize, ExportSubject } from './exportSubject';

/**
 * The export subject of `cell` with what the benchmark knows of it: its index, the evaluated member of its class and
 * that member's published accuracies on `dataset`. Without the benchmark (`bench` undefined) the files say so.
 */
export function exportSubjectOf(
  cell: Cell,
  dataset: DatasetId,
  generator: string,
  bench?: BenchmarkApi,
  size: ExportSize = MACRO,
): ExportSubject {
  const resolved = bench?.resolve(cell);
  if (!bench || !resolved?.ok)
    return { cell, dataset, size: { channels: size.channels, cellsPerStage: size.cellsPerStage }, generator };
  const arch = resolved.arch;
  const evaluated = bench.archOfIndex(arch.representativeIndex);
  const accuracies: Partial<Record<AdversarialMetricId, number>> = {};
  for (const m of ADVERSARIAL_METRIC_IDS) {
    const v = bench.metric(evaluated.index, dataset, m);
    if (v) accuracies[m] = v.value;
  }
  return {
    cell,
    index: arch.index,
    evaluated: { index: evaluated.index, archString: evaluated.archString },
    dataset,
    size: { channels: size.channels, cellsPerStage: size.cellsPerStage },
    accuracies,
    generator,
  };
}
