"""Writes test/fixtures/stats/spearmanr-scipy.json: synthetic columns with many ties (not benchmark data) and what
scipy computes for them (scipy.stats.rankdata, average ties; scipy.stats.spearmanr of all columns at once), the
reference test/core/stats/correlationMatrix.test.ts checks correlationMatrix and averageRanks against.

    python3 tools/spearman_reference.py
"""
import json
import os

import numpy as np
import scipy
from scipy.stats import rankdata, spearmanr

GRIDS = [20, 40, 1000, 7, 3, 100000]  # steps per unit: coarse grids give long runs of ties, as acc.json's 3 decimals


def main():
    rng = np.random.default_rng(14)
    base = rng.random(500)
    cols = []
    for grid in GRIDS:
        # Each column mixes the shared base with its own noise, so the correlations are neither 0 nor 1.
        raw = 0.6 * base + 0.4 * rng.random(500)
        cols.append(np.round(raw * grid) / grid)
    m = np.array(cols).T
    out = {
        'generator': 'tools/spearman_reference.py (numpy default_rng(14))',
        'scipy': scipy.__version__,
        'columns': [c.tolist() for c in cols],
        'rankdata': [rankdata(c).tolist() for c in cols],
        'spearmanr': spearmanr(m).statistic.tolist(),
    }
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'stats', 'spearmanr-scipy.json')
    with open(path, 'w') as f:
        json.dump(out, f)


if __name__ == '__main__':
    main()
