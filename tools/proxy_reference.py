#!/usr/bin/env python3
"""PyTorch reference for Robust NAS's zero-cost proxies (src/core/ntk/proxies/).

Loads a problem exported by tools/proxy-export.ts (our engine's seeded weights, normalised synthetic inputs and
labels, and our value of every proxy) into tools/ntk_reference.py's PyTorch copy of NAS-Bench-201's network, in
float64, and computes every proxy with the module of that id in tools/proxies/ (each follows NASLib's measure of
that name step by step; SynFlow also runs in float64 there, as NASLib's does). Prints the relative error of each of
our values; with --fixture writes PyTorch's values as a test fixture (test/fixtures/proxies/*.json) that
test/core/ntk/proxies/reference.test.ts compares our engine against.

Error measure: |ours - torch| / |torch|, except `zc:plain`, a signed sum whose terms cancel (its value can be a
thousandth of its terms), whose error is relative to the sum of the absolute terms, i.e. SNIP's value; SynFlow is
compared as |log10(ours) - log10(torch)|.

Usage: /usr/bin/python3 tools/proxy_reference.py problem.json [--fixture out.json] [--only zc:snip,...]
Needs Debian's python3-torch 1.13 (tools/install-torch.sh).
"""
import importlib
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ntk_reference import load  # noqa: E402

TOLERANCE = {'relative': 1e-4, 'log10': 1e-6}


def proxy_modules():
    """Every tools/proxies/<name>.py (not _-prefixed), by its ID."""
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'proxies')
    modules = {}
    for file in sorted(os.listdir(folder)):
        if file.endswith('.py') and not file.startswith('_'):
            module = importlib.import_module('proxies.' + file[:-3])
            modules[module.ID] = module
    return modules


def error(proxy_id, ours, ref, values):
    if proxy_id == 'zc:synflow':
        if ref == 0 or ours == 0:
            return abs(ours - ref)
        return abs(math.log10(ours) - math.log10(ref))
    scale = abs(values['zc:snip']) if proxy_id == 'zc:plain' else abs(ref)
    return abs(ours - ref) / (scale if scale > 0 else 1)


def main():
    args = sys.argv[1:]
    if not args:
        raise SystemExit(__doc__)
    torch.set_default_dtype(torch.float64)
    problem = json.load(open(args[0]))
    only = args[args.index('--only') + 1].split(',') if '--only' in args else None
    net, x = load(problem)
    targets = torch.tensor(problem['labels'])
    modules = proxy_modules()
    values = {}
    for proxy_id, module in modules.items():
        if only is None or proxy_id in only or proxy_id == 'zc:snip':
            values[proxy_id] = float(module.compute(net, x, targets))
    ours = problem['ours']
    missing = [k for k in ours if k not in modules]
    if missing:
        raise SystemExit(f'no PyTorch reference for {", ".join(missing)}: add tools/proxies/<name>.py')
    errors = {k: error(k, ours[k], values[k], values) for k in values if k in ours}
    print(json.dumps({'arch': problem['arch'], 'torch': torch.__version__, 'values': values, 'errors': errors}))
    if '--fixture' in args:
        out = args[args.index('--fixture') + 1]
        fixture = {
            'comment': 'Computed by tools/proxy_reference.py (PyTorch %s, float64, NASLib\'s measures) from our '
                       'engine\'s seeded weights and synthetic inputs; regenerate with `npm run proxy:fixtures`.'
                       % torch.__version__,
            'arch': problem['arch'], 'dataset': problem['dataset'], 'channels': problem['channels'],
            'cellsPerStage': problem['cellsPerStage'], 'n': problem['n'], 'seed': problem['seed'],
            'weightSum': float(sum(sum(abs(v) for v in p['values']) for p in problem['params'])),
            'inputSum': float(sum(abs(v) for v in problem['inputs'])),
            'proxies': values,
        }
        with open(out, 'w') as f:
            json.dump(fixture, f, indent=1)
            f.write('\n')
    bad = [k for k, e in errors.items() if e > (TOLERANCE['log10'] if k == 'zc:synflow' else TOLERANCE['relative'])]
    if bad:
        print('proxy_reference: ' + ', '.join(f'{k} error {errors[k]:.2e}' for k in bad) + ' over tolerance', file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
