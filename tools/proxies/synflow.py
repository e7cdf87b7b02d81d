"""SynFlow as NASLib's naslib/predictors/utils/pruners/measures/synflow.py computes it when registered as
`synflow` (bn=False): BatchNorm bypassed, every state tensor replaced by its absolute value, the network in
float64, one all-ones input of the data's shape, R = sum of the outputs, score = sum of |W * dR/dW| over
conv/linear weights. Returned as the raw sum (NASLib's ZeroCost predictor then takes its log)."""
import torch

from ._naslib import get_layer_metric_array, prunable_copy, sum_arr

ID = 'zc:synflow'


def compute(net, inputs, targets):
    net = prunable_copy(net, bn=False)
    net.double()
    with torch.no_grad():
        for _, tensor in net.state_dict().items():
            tensor.abs_()
    net.zero_grad()
    ones = torch.ones([1] + list(inputs[0, :].shape)).double()
    torch.sum(net.forward(ones)).backward()
    per_layer = get_layer_metric_array(
        net, lambda l: torch.abs(l.weight * l.weight.grad) if l.weight.grad is not None else torch.zeros_like(l.weight))
    return sum_arr(per_layer)
