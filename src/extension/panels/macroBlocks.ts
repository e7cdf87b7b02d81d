import { DATASET_SHAPE, MACRO, type DatasetId } from '../../core/space';
import type { MacroBlock } from '../../shared/webviewMessages';

/**
 * The NAS-Bench-201 macro skeleton as blocks with their output channels and spatial size for one dataset
 * (Dong & Yang 2020, Sec. 2.1): stem conv 3x3 to C channels; three stages of N cells at C, 2C, 4C channels,
 * joined by residual reduction blocks that halve the side; global average pool and a linear classifier.
 * The same constants drive `networkCost`, so the figure and the params/FLOPs agree.
 */
export function macroBlocks(dataset: DatasetId): MacroBlock[] {
  const { inputSize, classes } = DATASET_SHAPE[dataset];
  const blocks: MacroBlock[] = [{ kind: 'input', label: 'Input', channels: 3, side: inputSize }];
  let side = inputSize;
  blocks.push({ kind: 'stem', label: 'Stem conv 3x3', channels: MACRO.channels, side });
  for (let stage = 0; stage < MACRO.stages; stage++) {
    const channels = MACRO.channels << stage;
    if (stage > 0) {
      side = Math.ceil(side / 2);
      blocks.push({ kind: 'reduction', label: 'Residual /2', channels, side });
    }
    blocks.push({ kind: 'cells', label: `Stage ${stage + 1}`, channels, side, count: MACRO.cellsPerStage });
  }
  blocks.push({ kind: 'head', label: 'Pool + linear', channels: classes, side: 1 });
  return blocks;
}
