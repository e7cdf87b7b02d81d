"""EPE-NAS as NASLib's naslib/predictors/utils/pruners/measures/epe_nas.py computes it (bn=True): the batch input
Jacobian (as jacob_cov), rows grouped by label in label order of first appearance, per class
sum(log(|corrcoef| + 1e-5)) (divided by its row count when there are more than 100 classes, where a class whose
corrcoef is a 0-d array raises and is skipped), summed as |s_c| (<= 100 classes) or as pairwise |s_c - s_c'|
divided by the number of classes. NaN becomes -1e8 as NASLib's ZeroCost predictor reports it."""
import numpy as np

from ._naslib import prunable_copy
from .jacob_cov import batch_jacobian, zero_cost_value

ID = 'zc:epe_nas'


def eval_score_perclass(jacob, labels, n_classes):
    k = 1e-5
    per_class = {}
    for i, label in enumerate(labels):
        if label in per_class:
            per_class[label] = np.vstack((per_class[label], jacob[i]))
        else:
            per_class[label] = jacob[i]
    ind_corr_matrix_score = {}
    for c in per_class.keys():
        try:
            corrs = np.array(np.corrcoef(per_class[c]))
            s = np.sum(np.log(abs(corrs) + k))
            if n_classes > 100:
                s /= len(corrs)
        except Exception:  # noqa: BLE001 - NASLib's "defensive programming": the class is skipped
            continue
        ind_corr_matrix_score[c] = s
    score = 0
    keys = ind_corr_matrix_score.keys()
    if n_classes <= 100:
        for c in keys:
            score += np.absolute(ind_corr_matrix_score[c])
    else:
        for c in keys:
            for cj in keys:
                score += np.absolute(ind_corr_matrix_score[c] - ind_corr_matrix_score[cj])
        if len(keys) > 0:
            score /= len(keys)
    return float(score)


def compute(net, inputs, targets):
    net = prunable_copy(net, bn=True)
    try:
        jacobs, n_classes = batch_jacobian(net, inputs)
        jacobs = jacobs.reshape(jacobs.size(0), -1).cpu().numpy()
        score = eval_score_perclass(jacobs, list(targets.cpu().numpy()), n_classes)
    except Exception:  # noqa: BLE001 - as NASLib's compute_epe_score
        score = float('nan')
    return zero_cost_value(score)
