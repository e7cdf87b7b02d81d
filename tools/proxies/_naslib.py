"""What NASLib's measures share (naslib/predictors/utils/pruners/p_utils.py and predictive.py), for our PyTorch
copy of the network (tools/ntk_reference.py's TinyNetwork, whose BatchNorm modules are FrozenBN)."""
import copy
import types

import torch.nn as nn


def prunable_copy(net, bn):
    """predictive.copynet: a deep copy of the network; bn=False makes every BatchNorm the identity."""
    copied = copy.deepcopy(net)
    if not bn:
        for module in copied.modules():
            if isinstance(module, (nn.BatchNorm2d, nn.BatchNorm1d)) or type(module).__name__ == 'FrozenBN':
                module.forward = types.MethodType(lambda self, x: x, module)
    # NASLib scores the copy in training mode: BatchNorm normalises with the batch's statistics.
    copied.train()
    return copied


def get_layer_metric_array(net, metric):
    """p_utils.get_layer_metric_array: metric(layer) for every nn.Conv2d / nn.Linear, in module order."""
    return [metric(layer) for layer in net.modules() if isinstance(layer, (nn.Conv2d, nn.Linear))]


def sum_arr(arr):
    """predictive.find_measures: the score is the sum over layers of each layer array's sum."""
    total = 0.0
    for a in arr:
        total += float(a.sum())
    return total
