"""Fisher as NASLib's naslib/predictors/utils/pruners/measures/fisher.py computes it (bn=True, mode='channel'):
each conv/linear layer's output passes through an identity module whose backward hook sees the output's
gradient; per output channel, 0.5 * mean over samples of (sum over positions of act * grad)^2, broadcast to the
channel's weights (weight.shape[1:]) and summed."""
import types

import torch
import torch.nn as nn
import torch.nn.functional as F

from ._naslib import get_layer_metric_array, prunable_copy, sum_arr

ID = 'zc:fisher'


def _conv_through_dummy(self, x):
    x = F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)
    self.act = self.dummy(x)
    return self.act


def _linear_through_dummy(self, x):
    x = F.linear(x, self.weight, self.bias)
    self.act = self.dummy(x)
    return self.act


def _hook_for(layer):
    def hook(module, grad_input, grad_output):
        act = layer.act.detach()
        grad = grad_output[0].detach()
        g_nk = torch.sum(act * grad, list(range(2, len(act.shape)))) if len(act.shape) > 2 else act * grad
        del_k = g_nk.pow(2).mean(0).mul(0.5)
        layer.fisher = del_k if layer.fisher is None else layer.fisher + del_k
        del layer.act
    return hook


def compute(net, inputs, targets):
    net = prunable_copy(net, bn=True)
    net.train()
    for layer in net.modules():
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            layer.fisher = None
            layer.act = 0.0
            layer.dummy = nn.Identity()
            layer.forward = types.MethodType(_conv_through_dummy if isinstance(layer, nn.Conv2d) else _linear_through_dummy, layer)
            layer.dummy.register_backward_hook(_hook_for(layer))
    net.zero_grad()
    loss = F.cross_entropy(net(inputs), targets)
    loss.backward()
    per_channel = get_layer_metric_array(
        net, lambda l: torch.abs(l.fisher.detach()) if l.fisher is not None else torch.zeros(l.weight.shape[0]))
    shapes = get_layer_metric_array(net, lambda l: l.weight.shape[1:])
    # p_utils.reshape_elements: every channel's value fills a tensor of the channel's weight shape.
    broadcast = [torch.stack([torch.full(tuple(shape), float(v)) for v in channels]) for channels, shape in zip(per_channel, shapes)]
    return sum_arr(broadcast)
