"""Zen-score as NASLib's naslib/predictors/utils/pruners/measures/zen.py computes it (from idstcv/ZenNAS; bn=True,
repeat=1, mixup_gamma=0.01), on the Gaussian weights and inputs our engine drew (exported with the problem, so both
sides use the same draw): with BatchNorm as PyTorch's BatchNorm2d in training mode (running_var starting at 1,
momentum 0.1, updated with the unbiased batch variance), f = the input of global pooling, score =
log(mean_n sum |f(x) - f(x + 0.01 eps)|) + sum over BN layers of log(sqrt(mean(running_var))); -inf becomes -1e8
as NASLib's ZeroCost predictor reports it."""
import types

import torch
import torch.nn.functional as F

from ._naslib import prunable_copy
from .jacob_cov import zero_cost_value

ID = 'zc:zen'
# tools/proxy_reference.py passes the whole problem: Zen-NAS needs the exported Gaussian draw.
NEEDS_PROBLEM = True


def _tracking_bn_forward(self, x):
    # nn.BatchNorm2d.forward in training mode with track_running_stats (what NASLib's zen.py reads).
    return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, True, 0.1, 1e-5)


def features_before_pool(net, x):
    """NASLib's forward_before_global_avg_pool: the input of global average pooling (after the last BN + ReLU)."""
    x = net.stem_bn(net.stem_conv(x))
    for layer in net.body:
        x = layer(x)
    return F.relu(net.last_bn(x))


def compute(net, inputs, targets, problem):
    net = prunable_copy(net, bn=True)
    draw = problem['zen']
    bns = net.bns()
    with torch.no_grad():
        # network_weight_gaussian_init, with our engine's draw (same creation order as the exported params).
        for p, values in zip(net.created, draw['params']):
            p.copy_(torch.tensor(values).reshape(p.shape))
        for bn in bns:
            bn.running_mean = torch.zeros_like(bn.weight)
            bn.running_var = torch.ones_like(bn.weight)
            bn.forward = types.MethodType(_tracking_bn_forward, bn)
        shape = inputs.shape
        x = torch.tensor(draw['input']).reshape(shape)
        mixup = torch.tensor(draw['mixup']).reshape(shape)
        output = features_before_pool(net, x)
        mixup_output = features_before_pool(net, mixup)
        nas_score = torch.mean(torch.sum(torch.abs(output - mixup_output), dim=[1, 2, 3]))
        log_bn_scaling_factor = 0.0
        for bn in bns:
            log_bn_scaling_factor += torch.log(torch.sqrt(torch.mean(bn.running_var)))
        score = float(torch.log(nas_score) + log_bn_scaling_factor)
    return zero_cost_value(score)
