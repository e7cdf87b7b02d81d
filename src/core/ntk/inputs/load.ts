import { DATASET_IDS, type DatasetId } from '../../space';
import { readDatasetInputs } from './datasetFiles';
import type { InputSet } from './inputSet';
import { syntheticInputs } from './synthetic';

/** Where NTK inputs come from: seeded synthetic images (the default) or the user's dataset files. */
export type InputSpec =
  | { readonly kind: 'synthetic'; readonly dataset: DatasetId; readonly count: number; readonly seed: number }
  | {
      readonly kind: 'files';
      readonly dataset: DatasetId;
      readonly dir: string;
      readonly count: number;
      readonly seed: number;
    };

export function loadInputs(spec: InputSpec): InputSet {
  return spec.kind === 'synthetic'
    ? syntheticInputs(spec.dataset, spec.count, spec.seed)
    : readDatasetInputs(spec.dataset, spec.dir, spec.count, spec.seed);
}

/**
 * Parses the CLI / settings form: `synthetic` or `synthetic:<dataset>`, or `<dataset>:<dir>` (e.g.
 * `cifar10:/data/cifar-10-batches-py`). The dataset of a synthetic spec defaults to `defaultDataset`.
 */
export function parseInputSpec(
  text: string,
  count: number,
  seed: number,
  defaultDataset: DatasetId = 'cifar10',
): InputSpec {
  const colon = text.indexOf(':');
  const head = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  if (head === 'synthetic') {
    const dataset = (rest || defaultDataset) as DatasetId;
    if (!DATASET_IDS.includes(dataset))
      throw new RangeError(`unknown dataset "${rest}" in --inputs; use one of ${DATASET_IDS.join(', ')}`);
    return { kind: 'synthetic', dataset, count, seed };
  }
  if (!(DATASET_IDS as readonly string[]).includes(head)) {
    throw new RangeError(
      `--inputs must be "synthetic" or <dataset>:<folder> with dataset one of ${DATASET_IDS.join(', ')}; got "${text}"`,
    );
  }
  if (!rest)
    throw new RangeError(`--inputs ${head}: needs the dataset folder after the colon, e.g. ${head}:/data/${head}`);
  return { kind: 'files', dataset: head as DatasetId, dir: rest, count, seed };
}
