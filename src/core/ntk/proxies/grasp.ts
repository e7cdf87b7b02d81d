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
  const gradient = lossGradient(network, input, labels, backend);
  const v = new Map<Param, Float32Array>();
  for (const { weight } of network.layers) {
    const g = gradient.get(weight);
    if (g) v.set(weight, g);
  }
  return graspFromGradient(network, input, labels, v, backend);
}

/** GraSP's score given its first pass's g = dL/dW (conv/linear weights; absent: no gradient reaches the layer). */
function graspFromGradient(
  network: Network,
  input: Tensor,
  labels: ArrayLike<number>,
  v: ReadonlyMap<Param, Float32Array>,
  backend: NumericBackend,
): number {
  const weights = new Set(network.layers.map((l) => l.weight));
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
  compute(context) {
    const { network, inputs, backend } = context;
    const { count: n, size, dataset } = inputs;
    const data = normalisePixels(inputs.pixels, dataset, backend.alloc(inputs.pixels.length));
    // NASLib's first pass (`grad_w_p = autograd.grad(loss, weights)`: the same copy in training mode, batch, loss and
    // weights as grad_norm's, snip's and plain's `loss.backward()`) is the context's shared loss-gradient pass: the
    // same float32 numbers as hvp.ts's lossGradient (the same forward, the same rounded seed), one pass fewer.
    // A layer no gradient reaches gets v = 0 either way (lossGradients' zeros, or no entry).
    const v = new Map<Param, Float32Array>(
      context.lossGradients().layers.map(({ layer, weightGrad }) => [layer.weight, weightGrad]),
    );
    return graspFromGradient(network, { c: 3, b: n, h: size, w: size, data }, inputs.labels, v, backend);
  },
};
