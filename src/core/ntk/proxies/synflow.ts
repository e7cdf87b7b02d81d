import { float64Backend } from '../engine/float64Backend';
import { Tape, type GradSpec } from '../engine/tape';
import type { Param } from '../engine/tensor';
import { buildNetwork } from '../network';
import type { ProxyDefinition } from './definition';

/**
 * SynFlow: synaptic saliency of a linearised network, sum over conv/linear weights of |W * dR/dW| with
 * R = sum of the logits for an all-ones input (Tanaka et al., "Pruning neural networks without any data by
 * iteratively conserving synaptic flow", NeurIPS 2020). Follows NASLib's
 * `naslib/predictors/utils/pruners/measures/synflow.py` as registered for `synflow` (`bn=False`):
 * - BatchNorm is bypassed (`get_prunable_copy(bn=False)` turns every BN into the identity);
 * - every parameter is replaced by its absolute value (`linearize`), the classifier's bias included;
 * - the input is one image of ones, [1][3][H][W], not normalised;
 * - everything runs in float64 (`net.double()`): values reach 1e40..1e60 at full size, past float32's range.
 * With |weights| and a non-negative input every activation is non-negative, so the ReLUs pass everything.
 * The value is NASLib's sum itself; its `ZeroCost` predictor reports the natural log of it.
 */
export const synflow: ProxyDefinition = {
  id: 'zc:synflow',
  name: 'SynFlow',
  summary:
    'sum over conv/linear weights of |W * dR/dW|, R = sum of logits of an all-ones image, |weights|, no BN, float64',
  paper:
    'Tanaka et al., Pruning neural networks without any data by iteratively conserving synaptic flow, NeurIPS 2020',
  reference: 'NASLib naslib/predictors/utils/pruners/measures/synflow.py',
  needsData: false,
  needsLabels: false,
  compute(context) {
    const { network } = context;
    const backend = float64Backend();
    // The same seeded network in double precision without BN; its weights are then set to |the float32 weights|
    // the other proxies use (the double build draws them unrounded).
    const linear = buildNetwork(network.cell, network.config, context.seed, backend, { batchNorm: false });
    linear.params.forEach((p, i) => {
      const source = network.params[i].data;
      for (let j = 0; j < p.size; j++) p.data[j] = Math.abs(source[j]);
    });
    const { inputSize: size, classes } = network.config;
    const ones = backend.alloc(3 * size * size);
    ones.fill(1);
    const tape = new Tape(backend);
    const output = linear.forward(tape, tape.leaf({ c: 3, b: 1, h: size, w: size, data: ones }));
    const seed = backend.alloc(classes);
    seed.fill(1);
    const weights = new Set<Param>(linear.layers.map((l) => l.weight));
    let total = 0;
    const spec: GradSpec = {
      directions: 1,
      paramRows: 'per-direction',
      bnStatistics: 'batch',
      onParamGrad: (param, grads) => {
        if (!weights.has(param)) return;
        for (let i = 0; i < param.size; i++) total += Math.abs(param.data[i] * grads[i]);
      },
    };
    tape.backward(output, seed, spec);
    return total;
  },
};
