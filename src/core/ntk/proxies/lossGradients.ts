import type { NumericBackend } from '../engine/backend';
import { Tape, type GradSpec, type Var } from '../engine/tape';
import type { Param } from '../engine/tensor';
import type { InputSet } from '../inputs/inputSet';
import { normalisePixels } from '../inputs/inputSet';
import type { Network, WeightLayer } from '../network';
import { softmaxCrossEntropy } from '../ops/softmaxCrossEntropy';

/** One layer's share of the loss-gradient pass. */
export interface LayerLossGradient {
  readonly layer: WeightLayer;
  /** dL/dW in the weight's own (PyTorch) layout; zeros where no gradient reaches the layer. */
  readonly weightGrad: Float32Array;
  /**
   * For each sample s and output channel k, the sum over output positions of (layer output x dL/d(output)),
   * [n][K] in float64: Fisher's per-channel term g_nk (Theis et al., 2018, as NASLib's `fisher.py` hooks it).
   */
  readonly outputSaliency: Float64Array;
}

export interface LossGradients {
  /** The mean cross-entropy of the batch. */
  readonly loss: number;
  /**
   * dL/d(normalised input), [3][n][H][W]: attack.ts's lossGradientWrtPixels at the clean pixels (the same forward
   * pass and seed), the first step of FGSM (attackPixels' `gradientAtStart`). Zeros for a cell whose output ignores
   * its input (attack.ts says why PyTorch's are zero too).
   */
  readonly inputGradient: Float32Array;
  readonly layers: readonly LayerLossGradient[];
}

/**
 * What every gradient-based proxy of NASLib (`grad_norm`, `snip`, `plain`, `fisher`: each does `net.zero_grad()`,
 * one forward of the whole batch, `loss_fn(outputs, targets).backward()`) reads: one forward pass of the inputs
 * normalised as the NTK scorer normalises them, BatchNorm with batch statistics (the copied network is in training
 * mode), the mean cross-entropy against the inputs' labels (NASLib passes `F.cross_entropy` / the graph's
 * `CrossEntropyLoss`), and one backward pass that differentiates through BN's statistics, as autograd does.
 */
export function lossGradients(network: Network, inputs: InputSet, backend: NumericBackend): LossGradients {
  const { count: n, size } = inputs;
  const data = backend.alloc(inputs.pixels.length);
  normalisePixels(inputs.pixels, inputs.dataset, data);
  const tape = new Tape(backend);
  const byWeight = new Map<Param, WeightLayer>(network.layers.map((l) => [l.weight, l]));
  const outputs = new Map<number, { layer: WeightLayer; output: Var }>();
  tape.layerObserver = (weight, output) => {
    const layer = byWeight.get(weight);
    if (layer) outputs.set(output.id, { layer, output });
  };
  // The input's gradient too: FGSM's step from the clean pixels is this pass's (requesting it adds the stem's dX
  // and changes no parameter gradient).
  const input = tape.leaf({ c: 3, b: n, h: size, w: size, data }, true);
  const logits = network.forward(tape, input);
  tape.layerObserver = undefined;
  const { loss, dLogits } = softmaxCrossEntropy(logits.t.data, network.config.classes, inputs.labels);
  const seed = backend.alloc(dLogits.length);
  seed.set(dLogits);

  const weightGrads = new Map<Param, Float32Array>();
  const saliency = new Map<WeightLayer, Float64Array>();
  const spec: GradSpec = {
    directions: 1,
    paramRows: 'per-direction',
    bnStatistics: 'batch',
    // Copies: the back end reuses the buffer once the callback returns.
    onParamGrad: (param, rows) => {
      if (byWeight.has(param)) weightGrads.set(param, rows.slice(0, param.size));
    },
    onCotangent: (value, cotangent) => {
      const hit = outputs.get(value.id);
      if (!hit) return;
      const { c: channels, b, h, w, data: act } = hit.output.t;
      const hw = h * w;
      const sums = new Float64Array(b * channels);
      for (let k = 0; k < channels; k++) {
        for (let s = 0; s < b; s++) {
          const o = (k * b + s) * hw;
          let sum = 0;
          for (let p = 0; p < hw; p++) sum += act[o + p] * cotangent[o + p];
          sums[s * channels + k] = sum;
        }
      }
      saliency.set(hit.layer, sums);
    },
  };
  const inputGradient =
    tape.backward(logits, seed, spec, [input]).get(input.id)?.slice() ?? new Float32Array(data.length);
  return {
    loss,
    inputGradient,
    layers: network.layers.map((layer) => ({
      layer,
      // No gradient reaches a layer whose output only feeds `none` edges; PyTorch's is then zero too.
      weightGrad: weightGrads.get(layer.weight) ?? new Float32Array(layer.weight.size),
      outputSaliency: saliency.get(layer) ?? new Float64Array(n * layer.weight.shape[0]),
    })),
  };
}
