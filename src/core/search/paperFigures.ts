import type { AccuracyMetricId, MetricId } from '../benchmark/metrics';
import type { DatasetId } from '../space/cost';

/**
 * Random search in NAS-RobBench-201's Table 2 (Wu et al., ICLR 2024): the clean objective on CIFAR-10 with a budget
 * of 100 queries, and the mean clean and PGD@8 accuracy of the returned architectures. The paper gives neither its
 * number of runs nor its regularized-evolution and local-search settings, and the authors' repository
 * (TT2408/nasrobbench201) holds the training script, a data reader and NAS-Bench-201's model library, but nothing that
 * runs RS, RE or LS on the benchmark; docs/search.md has the details.
 */
export const PAPER_TABLE2_RANDOM_SEARCH: {
  readonly dataset: DatasetId;
  readonly objective: AccuracyMetricId;
  readonly budget: number;
  readonly returned: Readonly<Partial<Record<MetricId, number>>>;
} = { dataset: 'cifar10', objective: 'clean', budget: 100, returned: { clean: 0.779, 'pgd@8': 0.47 } };
