"""plain as NASLib's naslib/predictors/utils/pruners/measures/plain.py computes it (bn=True): dL/dW * W, signed."""
import torch
import torch.nn.functional as F

from ._naslib import get_layer_metric_array, prunable_copy, sum_arr

ID = 'zc:plain'


def compute(net, inputs, targets):
    net = prunable_copy(net, bn=True)
    net.zero_grad()
    loss = F.cross_entropy(net(inputs), targets)
    loss.backward()
    per_layer = get_layer_metric_array(
        net, lambda l: l.weight.grad * l.weight if l.weight.grad is not None else torch.zeros_like(l.weight))
    return sum_arr(per_layer)
