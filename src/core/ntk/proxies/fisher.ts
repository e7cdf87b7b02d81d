import type { ProxyDefinition } from './definition';

/**
 * Fisher: for each conv/linear layer and output channel k, with g_nk = sum over positions of
 * (layer output x dL/d(layer output)) for sample n, the channel's saliency 0.5 * mean_n g_nk^2 (Theis et al.,
 * "Faster gaze prediction with dense networks and Fisher pruning", 2018; Turner et al., BlockSwap, ICLR 2020).
 * Follows NASLib's `naslib/predictors/utils/pruners/measures/fisher.py`, which hooks each layer's output (conv
 * without bias, the classifier with its bias), and then broadcasts every channel's value to all of that channel's
 * weights (`reshape_elements` over `weight.shape[1:]`) before `find_measures` sums them: each channel counts
 * in_channels * k * k times (in_features for the classifier).
 */
export const fisher: ProxyDefinition = {
  id: 'zc:fisher',
  name: 'Fisher',
  summary:
    'sum over conv/linear output channels of 0.5 * mean_n (sum_pos act * dL/dact)^2, times the weights per channel',
  paper:
    'Theis et al., Faster gaze prediction with dense networks and Fisher pruning, 2018; Turner et al., BlockSwap, ICLR 2020',
  reference: 'NASLib naslib/predictors/utils/pruners/measures/fisher.py',
  needsData: true,
  needsLabels: true,
  compute(context) {
    let total = 0;
    for (const { layer, outputSaliency } of context.lossGradients().layers) {
      const channels = layer.weight.shape[0];
      const weightsPerChannel = layer.weight.size / channels;
      const n = outputSaliency.length / channels;
      for (let k = 0; k < channels; k++) {
        let squares = 0;
        for (let s = 0; s < n; s++) squares += outputSaliency[s * channels + k] ** 2;
        total += 0.5 * (squares / n) * weightsPerChannel;
      }
    }
    return total;
  },
};
