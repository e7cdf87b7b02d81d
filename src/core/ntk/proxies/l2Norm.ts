import type { ProxyDefinition } from './definition';

/**
 * l2_norm: the sum over conv/linear layers of each weight tensor's Euclidean norm at initialisation; reads no
 * data. Follows NASLib's `naslib/predictors/utils/pruners/measures/l2_norm.py` (`l.weight.norm()`), one of the
 * baselines of NAS-Bench-Suite-Zero (Krishnakumar et al., NeurIPS 2022 Datasets and Benchmarks).
 */
export const l2Norm: ProxyDefinition = {
  id: 'zc:l2_norm',
  name: 'l2_norm',
  summary: 'sum over conv/linear layers of ||W||_2 at initialisation (no data)',
  paper: 'Krishnakumar et al., NAS-Bench-Suite-Zero, NeurIPS 2022 Datasets and Benchmarks',
  reference: 'NASLib naslib/predictors/utils/pruners/measures/l2_norm.py',
  needsData: false,
  needsLabels: false,
  compute(context) {
    let total = 0;
    for (const layer of context.network.layers) {
      const w = layer.weight.data;
      let squares = 0;
      for (let i = 0; i < w.length; i++) squares += w[i] * w[i];
      total += Math.sqrt(squares);
    }
    return total;
  },
};
