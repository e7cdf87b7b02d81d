import type { NumericBackend } from '../engine/backend';
import type { Param, Tensor } from '../engine/tensor';
import { lossGradient, lossHessianVectorProduct } from '../hvp';
import { normalisePixels } from '../inputs/inputSet';
import type { Network } from '../network';
import type { ProxyDefinition } from './definition';

/**
 * GraSP (Wang et al., "Picking Winning Tickets Before Training by Preserving Gradient Flow", ICLR 2020), as a
 * zero-cost proxy in NASLib (naslib/predictors/utils/pruners/measures/grasp.py, from SamsungLabs/zero-cost-nas):
 * over the weights of every convolution and linear layer (not BN's, not the classifier's bias),
 * g = dL/dw, then Hg (H the Hessian of L w.r.t. those weights, g held constant: NASLib's
 * `z = sum(g.data * grad(L, create_graph=True)); z.backward()`), score = sum over the weights of -w * Hg.
 * L is the mean cross-entropy of the batch, T = 1, BN in training mode (NASLib's `bn=True`). Hg comes from the
 * engine's forward-over-reverse Hessian-vector product (hvp.ts); v = g on the weights and 0 elsewhere, which is
 * exactly the Hessian block NASLib's double backward applies.
 */
export function grasp(network: Network, input: Tensor, labels: ArrayLike<number>, backend: NumericBackend): number {
  const weights = new Set(network.layers.map((l) => l.weight));
  const gradient = lossGradient(network, input, labels, backend);
  const v = new Map<Param, Float32Array>();
  for (const w of weights) {
    const g = gradient.get(w);
    if (g) v.set(w, g);
  }
  const hg = lossHessianVectorProduct(network, input, labels, v, backend);
  let score = 0;
  for (const w of weights) {
    const h = hg.get(w);
    if (!h) continue;
    for (let i = 0; i < w.size; i++) score -= w.data[i] * h[i];
  }
  return score;
}

export const graspProxy: ProxyDefinition = {
  id: 'zc:grasp',
  name: 'GraSP',
  summary: 'sum over conv/linear weights of -W * (H g), g = dL/dW, H the Hessian (mean cross-entropy, one batch)',
  paper: 'Wang et al., Picking Winning Tickets Before Training by Preserving Gradient Flow, ICLR 2020',
  reference: 'NASLib naslib/predictors/utils/pruners/measures/grasp.py',
  needsData: true,
  needsLabels: true,
  compute({ network, inputs, backend }) {
    const { count: n, size, dataset } = inputs;
    const data = normalisePixels(inputs.pixels, dataset, backend.alloc(inputs.pixels.length));
    return grasp(network, { c: 3, b: n, h: size, w: size, data }, inputs.labels, backend);
  },
};
