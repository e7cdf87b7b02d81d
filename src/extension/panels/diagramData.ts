import type { ArchRecord, BenchmarkApi } from '../../core/benchmark/api';
import { METRIC_INFO, isMetricId } from '../../core/benchmark/metrics';
import { DATASET_IDS, OP_CODE_DIGIT, OP_NAMES, deadEdges, networkCost, type DatasetId } from '../../core/space';
import type { CellGraph, DiagramData, DiagramState, OpFrequency } from '../../shared/webviewMessages';
import { benchmarkMetricDescriptors, datasetDescriptors, spaceDescriptor } from './descriptors';
import { macroBlocks } from './macroBlocks';

/** Largest top-k the op-frequency grid accepts; the paper's figure uses the top 10. */
export const MAX_TOP_K = 500;

function cellGraph(arch: ArchRecord): CellGraph {
  return {
    archString: arch.archString,
    ops: [...arch.cell],
    dead: deadEdges(arch.cell).map((d) => ({ edge: d.edge, reason: d.reason })),
    index: arch.index,
  };
}

/** counts[edge][op digit] among the best k evaluated cells by one metric (Wu et al. 2024, "selected operators" figure). */
export function opFrequency(bench: BenchmarkApi, dataset: DatasetId, metric: string, k: number): OpFrequency {
  if (!isMetricId(metric)) throw new Error(`Unknown metric '${metric}' for the op-frequency grid.`);
  const top = bench.topK(dataset, metric, k);
  const counts = Array.from({ length: 6 }, () => new Array<number>(OP_NAMES.length).fill(0));
  for (const r of top) r.arch.cell.forEach((op, edge) => counts[edge][OP_CODE_DIGIT[op]]++);
  return { dataset, metric, metricLabel: METRIC_INFO[metric].label, k: top.length, counts };
}

/** Clamps what a restored or user-edited state may hold to values the benchmark can answer. */
export function normaliseDiagramState(state: DiagramState): DiagramState {
  const dataset = (DATASET_IDS as readonly string[]).includes(state.dataset) ? state.dataset : 'cifar10';
  const metric = isMetricId(state.metric) ? state.metric : 'pgd@8';
  const k = Number.isFinite(state.topK) ? Math.min(MAX_TOP_K, Math.max(1, Math.round(state.topK))) : 10;
  return { archString: state.archString, dataset, metric, topK: k, showNoneEdges: state.showNoneEdges !== false };
}

/**
 * Everything the cell diagram panel draws for one cell. Throws an Error with the parser's message when the text
 * is not an architecture, so the panel can show it.
 */
export function buildDiagramData(bench: BenchmarkApi, requested: DiagramState): DiagramData {
  const state = normaliseDiagramState(requested);
  const resolved = bench.resolve(state.archString);
  if (!resolved.ok) {
    throw new Error(`Cannot draw '${state.archString}': ${resolved.errors.map((e) => e.message).join(' ')}`);
  }
  const arch = resolved.arch;
  const dataset = state.dataset as DatasetId;
  const cost = networkCost(arch.cell, dataset);
  let representative: DiagramData['representative'];
  if (!arch.isRepresentative) {
    const rep = bench.archOfIndex(arch.representativeIndex);
    const changedEdges = arch.cell.flatMap((op, edge) => (op !== rep.cell[edge] ? [edge] : []));
    representative = { ...cellGraph(rep), changedEdges };
  }
  const metricId = state.metric as keyof typeof METRIC_INFO;
  const own = bench.metric(arch.representativeIndex, dataset, metricId);
  return {
    type: 'diagram',
    state: { ...state, archString: arch.archString },
    space: spaceDescriptor(),
    datasets: datasetDescriptors(),
    metrics: benchmarkMetricDescriptors(bench).filter((m) => m.datasets.includes(dataset)),
    cell: cellGraph(arch),
    representative,
    macro: { dataset, blocks: macroBlocks(dataset), params: cost.params, flops: cost.flops },
    frequency: opFrequency(bench, dataset, metricId, state.topK),
    metricValue: own ? { value: own.value, rank: own.rank, of: own.of } : undefined,
  };
}
