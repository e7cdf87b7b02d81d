"""GraSP as NASLib's naslib/predictors/utils/pruners/measures/grasp.py computes it (bn=True, T=1, num_iters=1,
split_data=1): g = autograd.grad(loss, conv/linear weights); a second forward, grad(loss, weights,
create_graph=True); z = sum(g.data * grad); z.backward(), so weight.grad = H g; score = sum(-w * H g)."""
import torch
import torch.autograd as autograd
import torch.nn as nn
import torch.nn.functional as F

from ._naslib import get_layer_metric_array, prunable_copy, sum_arr

ID = 'zc:grasp'


def compute(net, inputs, targets):
    net = prunable_copy(net, bn=True)
    weights = [layer.weight for layer in net.modules() if isinstance(layer, (nn.Conv2d, nn.Linear))]
    net.zero_grad()
    loss = F.cross_entropy(net(inputs), targets)
    grad_w = list(autograd.grad(loss, weights, allow_unused=True))
    loss = F.cross_entropy(net(inputs), targets)
    grad_f = autograd.grad(loss, weights, create_graph=True, allow_unused=True)
    z = 0
    for g, f in zip(grad_w, grad_f):
        if g is not None:
            z += (g.data * f).sum()
    z.backward()
    return sum_arr(get_layer_metric_array(
        net, lambda l: -l.weight.data * l.weight.grad if l.weight.grad is not None else torch.zeros_like(l.weight)))
