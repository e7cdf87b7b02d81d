"""SNIP as NASLib's naslib/predictors/utils/pruners/measures/snip.py computes it (bn=True, mode='param'): every
conv/linear weight is multiplied by a mask of ones, and the score is |dL/d mask| summed."""
import types

import torch
import torch.nn as nn
import torch.nn.functional as F

from ._naslib import get_layer_metric_array, prunable_copy, sum_arr

ID = 'zc:snip'


def _masked_conv(self, x):
    return F.conv2d(x, self.weight * self.weight_mask, self.bias, self.stride, self.padding, self.dilation, self.groups)


def _masked_linear(self, x):
    return F.linear(x, self.weight * self.weight_mask, self.bias)


def compute(net, inputs, targets):
    net = prunable_copy(net, bn=True)
    for layer in net.modules():
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            layer.weight_mask = nn.Parameter(torch.ones_like(layer.weight))
            layer.weight.requires_grad = False
        if isinstance(layer, nn.Conv2d):
            layer.forward = types.MethodType(_masked_conv, layer)
        if isinstance(layer, nn.Linear):
            layer.forward = types.MethodType(_masked_linear, layer)
    net.zero_grad()
    loss = F.cross_entropy(net(inputs), targets)
    loss.backward()
    per_layer = get_layer_metric_array(
        net, lambda l: torch.abs(l.weight_mask.grad) if l.weight_mask.grad is not None else torch.zeros_like(l.weight))
    return sum_arr(per_layer)
