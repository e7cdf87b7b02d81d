import type { NumericBackend } from './engine/backend';
import { Tape, type GradSpec, type ParamGradLayout } from './engine/tape';
import type { Tensor } from './engine/tensor';
import type { Network } from './network';

/**
 * Which NTK: `exact` differentiates through BN's batch statistics (what a PyTorch per-sample loop with
 * `retain_graph` computes; n vector-Jacobian products), `fixed-bn` holds them constant (all per-sample gradients
 * from one batched backward pass). They are different kernels (shared/notes/ntk-engine.md).
 */
export const KERNEL_KINDS = ['fixed-bn', 'exact'] as const;
export type KernelKind = (typeof KERNEL_KINDS)[number];

/**
 * Memory the forward pass may keep for the backward one (convolution columns, rebuilt when over budget): all of
 * them at proxy size; at full size, n = 32, the later stages' within the issue's 1.5 GB.
 */
const RETAINED_COLUMNS_BYTES = 256 * 2 ** 20;

/**
 * Theta = J J^T for the samples of `input` ([3][G*n][H][W], G groups of n samples, each group normalised by its
 * own BN statistics as if it were a separate batch), with J_i = d(sum of logits of sample i)/d(all parameters).
 * K is accumulated layer by layer (K += J_l J_l^T) as each parameter's gradient rows appear; the full J never
 * exists. Returns the (G*n) x (G*n) matrix in float64, row-major.
 */
export function ntkGram(network: Network, input: Tensor, groups: number, kind: KernelKind, backend: NumericBackend): Float64Array {
  const b = input.b;
  const classes = network.config.classes;
  const tape = new Tape(backend, RETAINED_COLUMNS_BYTES);
  const logits = network.forward(tape, tape.leaf(input), groups);
  const gram = new Float64Array(b * b);
  const block = backend.alloc(b * b);
  const accumulate = (grads: Float32Array, rowCount: number, size: number, layout: ParamGradLayout): void => {
    if (layout === 'rows') {
      backend.gemm({ transA: false, transB: true, m: rowCount, n: rowCount, k: size, alpha: 1, a: grads, aOffset: 0, lda: size, b: grads, bOffset: 0, ldb: size, beta: 0, c: block, cOffset: 0, ldc: rowCount });
    } else {
      backend.gemm({ transA: true, transB: false, m: rowCount, n: rowCount, k: size, alpha: 1, a: grads, aOffset: 0, lda: rowCount, b: grads, bOffset: 0, ldb: rowCount, beta: 0, c: block, cOffset: 0, ldc: rowCount });
    }
    for (let i = 0; i < rowCount * rowCount; i++) gram[i] += block[i];
  };
  if (kind === 'fixed-bn') {
    const spec: GradSpec = {
      directions: 1,
      paramRows: 'per-sample',
      bnStatistics: 'constant',
      gramOnly: true,
      onParamGrad: (p, grads, rowCount, layout) => accumulate(grads, rowCount, p.size, layout),
    };
    const seed = backend.alloc(classes * b);
    seed.fill(1);
    tape.backward(logits, seed, spec);
  } else {
    const spec: GradSpec = {
      directions: b,
      paramRows: 'per-direction',
      bnStatistics: 'batch',
      gramOnly: true,
      onParamGrad: (p, grads, rowCount, layout) => accumulate(grads, rowCount, p.size, layout),
    };
    // Direction d is the cotangent "sum of the logits of sample d": one-hot over samples, ones over classes.
    const seed = backend.alloc(classes * b * b);
    for (let k = 0; k < classes; k++) for (let d = 0; d < b; d++) seed[(k * b + d) * b + d] = 1;
    tape.backward(logits, seed, spec);
  }
  return gram;
}

/** Logits [classes][B] of the network on `input` (BN with batch statistics over each of `groups` slices). */
export function forwardLogits(network: Network, input: Tensor, groups: number, backend: NumericBackend): Float32Array {
  const tape = new Tape(backend);
  return network.forward(tape, tape.leaf(input), groups).t.data.slice();
}
