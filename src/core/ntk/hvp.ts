import type { NumericBackend } from './engine/backend';
import { Tape, type GradSpec } from './engine/tape';
import type { Param, Tensor } from './engine/tensor';
import type { Network } from './network';
import { softmaxCrossEntropy64, softmaxCrossEntropyGradientTangent } from './ops/softmaxCrossEntropy';

/**
 * Gradient of the mean cross-entropy of `labels` w.r.t. every parameter, BN in training mode (batch statistics
 * differentiated through, as PyTorch autograd in train mode). `input` is the normalised batch [3][n][H][W].
 */
export function lossGradient(
  network: Network,
  input: Tensor,
  labels: ArrayLike<number>,
  backend: NumericBackend,
): Map<Param, Float32Array> {
  const tape = new Tape(backend);
  const logits = network.forward(tape, tape.leaf(copyTensor(input, backend)));
  const { dLogits } = softmaxCrossEntropy64(logits.t.data, network.config.classes, labels);
  const seed = backend.alloc(dLogits.length);
  seed.set(dLogits);
  const grads = new Map<Param, Float32Array>();
  const spec: GradSpec = {
    directions: 1,
    paramRows: 'per-direction',
    bnStatistics: 'batch',
    onParamGrad: (p, rows) => grads.set(p, rows.slice(0, p.size)),
  };
  tape.backward(logits, seed, spec);
  return grads;
}

/**
 * H v for the mean cross-entropy loss (BN in training mode), H its Hessian w.r.t. all parameters, v given per
 * parameter (absent: zero). Forward-over-reverse (engine/tape.ts TangentMode): one forward pass carrying the
 * tangents of every activation as the parameters move along v, then one backward pass carrying the cotangent and
 * its tangent; the tangent of the parameter gradient is H v. Cost: about twice a forward + backward pass.
 * Returns H v for every parameter (also those with v = 0).
 */
export function lossHessianVectorProduct(
  network: Network,
  input: Tensor,
  labels: ArrayLike<number>,
  v: ReadonlyMap<Param, Float32Array>,
  backend: NumericBackend,
): Map<Param, Float32Array> {
  const tape = new Tape(backend);
  tape.tangentMode = { paramTangent: (p) => v.get(p) ?? null };
  const logits = network.forward(tape, tape.leaf(copyTensor(input, backend)));
  const classes = network.config.classes;
  const n = input.b;
  const { dLogits } = softmaxCrossEntropy64(logits.t.data, classes, labels);
  const dz = tape.tangentOf(logits);
  const dGrad = dz ? softmaxCrossEntropyGradientTangent(logits.t.data, dz, classes, n) : null;
  // Cotangent [K][D=2][n]: direction 0 the gradient of the loss w.r.t. the logits, direction 1 its tangent.
  const seed = backend.alloc(2 * classes * n);
  for (let k = 0; k < classes; k++) {
    for (let s = 0; s < n; s++) {
      seed[2 * k * n + s] = dLogits[k * n + s];
      seed[(2 * k + 1) * n + s] = dGrad ? dGrad[k * n + s] : 0;
    }
  }
  const hv = new Map<Param, Float32Array>();
  const spec: GradSpec = {
    directions: 2,
    paramRows: 'per-direction',
    bnStatistics: 'batch',
    onParamGrad: (p, rows) => hv.set(p, rows.slice(p.size, 2 * p.size)),
  };
  tape.backward(logits, seed, spec);
  return hv;
}

function copyTensor(t: Tensor, backend: NumericBackend): Tensor {
  const data = backend.alloc(t.data.length);
  data.set(t.data);
  return { ...t, data };
}
