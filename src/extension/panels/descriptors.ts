import type { BenchmarkApi } from '../../core/benchmark/api';
import { METRIC_IDS, METRIC_INFO, type MetricId } from '../../core/benchmark/metrics';
import { DATASET_IDS, DATASET_SHAPE, EDGES, OP_NAMES, OP_SHORT_LABEL } from '../../core/space';
import type { DatasetDescriptor, MetricDescriptor, SpaceDescriptor } from '../../shared/webviewMessages';

/**
 * The static facts every webview needs to label what it draws, built from the core so that labels are never
 * typed twice. The metric list is data: a later NTK metric source appends its descriptors here.
 */

export function spaceDescriptor(): SpaceDescriptor {
  return {
    ops: OP_NAMES.map((name) => ({ name, label: OP_SHORT_LABEL[name] })),
    edges: EDGES.map((e) => ({ from: e.from, to: e.to })),
  };
}

export function datasetDescriptors(): DatasetDescriptor[] {
  return DATASET_IDS.map((id) => ({ id, label: DATASET_SHAPE[id].label }));
}

/**
 * Every benchmark metric with the datasets on which the loaded data actually has values: the accuracies, then params
 * and FLOPs, labelled with NAS-Bench-201's units (`Params (MB)`: 10^6 parameters) since charts show them bare.
 */
export function benchmarkMetricDescriptors(bench: BenchmarkApi): MetricDescriptor[] {
  return METRIC_IDS.map((id: MetricId): MetricDescriptor => {
    const info = METRIC_INFO[id];
    const datasets = DATASET_IDS.filter((d) => bench.column(d, id).some((v) => !Number.isNaN(v)));
    if (info.kind === 'cost') {
      return {
        id,
        label: `${info.label} (${info.unit})`,
        description: info.description,
        group: 'cost',
        datasets,
        format: 'number',
        direction: info.direction,
      };
    }
    return { id, label: info.label, description: info.description, group: info.training ?? 'adversarial', datasets };
  }).filter((m) => m.datasets.length > 0);
}
