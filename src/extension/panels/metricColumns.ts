import type { BenchmarkApi } from '../../core/benchmark/api';
import { isMetricId } from '../../core/benchmark/metrics';
import type { DatasetId } from '../../core/space';
import type { MetricDescriptor } from '../../shared/webviewMessages';
import { benchmarkMetricDescriptors } from './descriptors';

/**
 * Where the charts get a metric's values: the benchmark's accuracy columns, plus any further source (NTK scores, a
 * later issue) registered as data. Columns are aligned with `BenchmarkApi.evaluatedIndices`; NaN = no value.
 */
export interface MetricSource {
  descriptors(): readonly MetricDescriptor[];
  /** The column, or undefined when this source does not know the metric (or has nothing for that dataset). */
  column(dataset: DatasetId, metric: string): Float64Array | undefined;
}

export function benchmarkMetricSource(bench: BenchmarkApi): MetricSource {
  let cached: MetricDescriptor[] | undefined;
  return {
    descriptors: () => (cached ??= benchmarkMetricDescriptors(bench)),
    column: (dataset, metric) => (isMetricId(metric) ? bench.column(dataset, metric) : undefined),
  };
}

/** All sources as one: descriptors concatenated, the first source that knows a metric answers for it. */
export class MetricCatalog {
  constructor(private readonly sources: readonly MetricSource[]) {}

  descriptors(): MetricDescriptor[] {
    return this.sources.flatMap((s) => s.descriptors());
  }

  descriptor(id: string): MetricDescriptor | undefined {
    return this.descriptors().find((m) => m.id === id);
  }

  has(dataset: DatasetId, id: string): boolean {
    return this.descriptor(id)?.datasets.includes(dataset) ?? false;
  }

  /** The column; throws a sentence naming the metric when no source has it for the dataset. */
  column(dataset: DatasetId, id: string): Float64Array {
    for (const s of this.sources) {
      const c = s.column(dataset, id);
      if (c) return c;
    }
    throw new Error(`No values for metric '${id}' on ${dataset}.`);
  }
}
