"""l2_norm as NASLib's naslib/predictors/utils/pruners/measures/l2_norm.py computes it (copy_net=False): the norm
of every conv/linear weight tensor, summed; no data."""
from ._naslib import get_layer_metric_array, sum_arr

ID = 'zc:l2_norm'


def compute(net, inputs, targets):
    return sum_arr(get_layer_metric_array(net, lambda l: l.weight.norm()))
