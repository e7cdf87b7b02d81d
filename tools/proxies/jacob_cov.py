"""jacob_cov as NASLib's naslib/predictors/utils/pruners/measures/jacov.py computes it (bn=True): x.grad after
net(x).backward(ones), rows per sample, numpy.corrcoef, numpy.linalg.eig, -sum(log(v + k) + 1/(v + k)), k = 1e-5;
NaN when that fails (NASLib's `except`), which NASLib's ZeroCost predictor then reports as -1e8."""
import math

import numpy as np
import torch

from ._naslib import prunable_copy

ID = 'zc:jacob_cov'


def batch_jacobian(net, x):
    """jacov.py / epe_nas.py get_batch_jacobian."""
    net.zero_grad()
    x = x.clone().requires_grad_(True)
    y = net(x)
    y.backward(torch.ones_like(y))
    return x.grad.detach(), y.shape[-1]


def zero_cost_value(score):
    """naslib/predictors/zerocost.py ZeroCost.query: NaN or infinite scores become -1e8."""
    return -1e8 if math.isnan(score) or math.isinf(score) else score


def compute(net, inputs, targets):
    net = prunable_copy(net, bn=True)
    try:
        jacobs, _ = batch_jacobian(net, inputs)
        jacobs = jacobs.reshape(jacobs.size(0), -1).cpu().numpy()
        corrs = np.corrcoef(jacobs)
        v, _ = np.linalg.eig(corrs)
        k = 1e-5
        score = float(-np.sum(np.log(v + k) + 1.0 / (v + k)))
    except Exception:  # noqa: BLE001 - NASLib catches everything here and returns NaN
        score = float('nan')
    return zero_cost_value(score)
