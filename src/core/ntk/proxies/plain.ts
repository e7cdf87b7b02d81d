import type { ProxyDefinition } from './definition';

/**
 * plain: sum over conv/linear weights of dL/dW * W, signed (the first-order Taylor change of the loss when the
 * weights are removed, Mozer & Smolensky, 1989). Follows NASLib's
 * `naslib/predictors/utils/pruners/measures/plain.py` (`layer.weight.grad * layer.weight`); a baseline of
 * Abdelfattah et al., "Zero-Cost Proxies for Lightweight NAS", ICLR 2021.
 */
export const plain: ProxyDefinition = {
  id: 'zc:plain',
  name: 'plain',
  summary: 'sum over conv/linear weights of dL/dW * W, signed (mean cross-entropy, one batch)',
  paper: 'Abdelfattah et al., Zero-Cost Proxies for Lightweight NAS, ICLR 2021 (after Mozer & Smolensky, 1989)',
  reference: 'NASLib naslib/predictors/utils/pruners/measures/plain.py',
  needsData: true,
  needsLabels: true,
  compute(context) {
    let total = 0;
    for (const { layer, weightGrad } of context.lossGradients().layers) {
      const w = layer.weight.data;
      for (let i = 0; i < w.length; i++) total += weightGrad[i] * w[i];
    }
    return total;
  },
};
