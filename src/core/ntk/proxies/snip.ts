import type { ProxyDefinition } from './definition';

/**
 * SNIP: connection sensitivity, sum over conv/linear weights of |dL/dW * W|. NASLib's
 * `naslib/predictors/utils/pruners/measures/snip.py` multiplies each weight by a mask of ones and takes
 * |dL/d mask|, which is |dL/dW * W| (biases are not masked); Lee et al., "SNIP: Single-shot Network Pruning based
 * on Connection Sensitivity", ICLR 2019.
 */
export const snip: ProxyDefinition = {
  id: 'zc:snip',
  name: 'SNIP',
  summary: 'sum over conv/linear weights of |dL/dW * W| (mean cross-entropy, one batch)',
  paper: 'Lee et al., SNIP: Single-shot Network Pruning based on Connection Sensitivity, ICLR 2019',
  reference: 'NASLib naslib/predictors/utils/pruners/measures/snip.py',
  needsData: true,
  needsLabels: true,
  compute(context) {
    let total = 0;
    for (const { layer, weightGrad } of context.lossGradients().layers) {
      const w = layer.weight.data;
      for (let i = 0; i < w.length; i++) total += Math.abs(weightGrad[i] * w[i]);
    }
    return total;
  },
};
