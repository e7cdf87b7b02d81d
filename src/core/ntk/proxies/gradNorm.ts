import type { ProxyDefinition } from './definition';

/**
 * grad_norm: the sum over layers of the Euclidean norm of each layer's loss gradient,
 * sum_l ||dL/dW_l||_2 (a per-layer norm, not the norm of the whole gradient). Follows NASLib's
 * `naslib/predictors/utils/pruners/measures/grad_norm.py` (`l.weight.grad.norm()` per `nn.Conv2d` / `nn.Linear`,
 * weights only, summed by `find_measures`); proposed as a baseline by Abdelfattah et al., "Zero-Cost Proxies for
 * Lightweight NAS", ICLR 2021.
 */
export const gradNorm: ProxyDefinition = {
  id: 'zc:grad_norm',
  name: 'grad_norm',
  summary: 'sum over conv/linear layers of ||dL/dW||_2 (mean cross-entropy, one batch)',
  paper: 'Abdelfattah et al., Zero-Cost Proxies for Lightweight NAS, ICLR 2021',
  reference: 'NASLib naslib/predictors/utils/pruners/measures/grad_norm.py',
  needsData: true,
  needsLabels: true,
  compute(context) {
    let total = 0;
    for (const { weightGrad } of context.lossGradients().layers) {
      let squares = 0;
      for (let i = 0; i < weightGrad.length; i++) squares += weightGrad[i] * weightGrad[i];
      total += Math.sqrt(squares);
    }
    return total;
  },
};
