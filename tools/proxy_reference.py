#!/usr/bin/env python3
"""PyTorch reference for Robust NAS's zero-cost proxies (src/core/ntk/proxies/).

Loads a problem exported by tools/proxy-export.ts (our engine's seeded weights, normalised synthetic inputs and
labels, and our value of every proxy) into tools/ntk_reference.py's PyTorch copy of NAS-Bench-201's network, in
float64, and computes every proxy with the module of that id in tools/proxies/ (each follows NASLib's measure of
that name step by step; SynFlow also runs in float64 there, as NASLib's does). Prints the relative error of each of
our values; with --fixture writes PyTorch's values as a test fixture (test/fixtures/proxies/*.json) that
test/core/ntk/proxies/reference.test.ts compares our engine against.

Robust variants (`zc:snip@pgd8`, src/core/ntk/proxies/robust.ts): the attack runs here too, in PyTorch (FGSM/PGD on
the network at initialisation, from the starting point our engine exported, which for PGD is its seeded random
start) and is compared pixel by pixel with the attacked pixels our engine exported (`attacks`: the share of pixels
that differ and the largest difference, in units of the attack's step). Each step moves a pixel by the sign of its
gradient, so a component that is nearly zero can take the other sign in float32 than in float64, and PGD's later
steps then follow slightly different paths: the proxies are therefore computed on our attacked pixels (checking
the proxy on X' to 1e-4), while the attack itself is checked by that agreement. How far float32 alone carries PGD
from float64 is measured here too, by running PyTorch's own attack again in float32, as is and with every weight
moved within its float32 rounding (`float32SpreadPixelsDiffering`, the largest share of differing pixels): on the
all-conv3x3 CIFAR-100 fixture one such run leaves float64's path at step 2-5 and differs in 24-48% of pixels after
10 steps, in PyTorch itself, so our PGD is held to that spread rather than to zero.

Error measure: |ours - torch| / |torch|, except `zc:plain`, a signed sum whose terms cancel (its value can be a
thousandth of its terms), whose error is relative to the sum of the absolute terms, i.e. SNIP's value; SynFlow is
compared as |log10(ours) - log10(torch)|.

Usage: /usr/bin/python3 tools/proxy_reference.py problem.json [--fixture out.json] [--only zc:snip,...]
Needs Debian's python3-torch 1.13 (tools/install-torch.sh).
"""
import copy
import importlib
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ntk_reference import load  # noqa: E402

TOLERANCE = {'relative': 1e-4, 'log10': 1e-6}
# Share of attacked pixels allowed to differ from PyTorch's float64 attack (a sign flip of a gradient component
# within float32's rounding of zero); FGSM measured 0 on every fixture. PGD compounds flips: on the all-conv3x3
# CIFAR-100 fixture PyTorch's own float32 runs leave float64's path and differ in up to 48% of pixels after 10
# steps (docs/proxies.md), so PGD may differ as much as those runs do, times PGD_SLACK (one more rounding order).
ATTACK_TOLERANCE = 1e-3
PGD_SLACK = 1.25


def attack_tolerance(attack, agreement):
    """The share of pixels our attack may differ by (see ATTACK_TOLERANCE)."""
    if attack.startswith('fgsm'):
        return ATTACK_TOLERANCE
    return ATTACK_TOLERANCE + PGD_SLACK * agreement['float32SpreadPixelsDiffering']


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
    base, _, attack = proxy_id.partition('@')
    if base == 'zc:synflow':
        if ref == 0 or ours == 0:
            return abs(ours - ref)
        return abs(math.log10(ours) - math.log10(ref))
    scale = abs(values['zc:snip' + ('@' + attack if attack else '')]) if base == 'zc:plain' else abs(ref)
    return abs(ours - ref) / (scale if scale > 0 else 1)


def float32_variants(net, seeds=4):
    """The network in float32 as it is, then with every weight scaled by a seeded factor within 1 +- 2^-23 (float32's
    rounding of each weight): PyTorch's own attack on these measures how far float32 rounding alone moves PGD."""
    yield copy.deepcopy(net).float()
    for seed in range(seeds):
        model = copy.deepcopy(net)
        generator = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for p in model.parameters():
                p.mul_(1 + 2.0**-23 * (2 * torch.rand(p.shape, generator=generator) - 1))
        yield model.float()


def attacked_inputs(net, problem, attack):
    """X' = attack(X) as src/core/ntk/attack.ts attackPixels computes it: on the network at initialisation (BN with
    batch statistics), steps of `stepSize` along the sign of d(mean cross-entropy)/d(pixels) from the exported
    start, each projected to the eps-ball around the clean pixels and to [0, 1]; returned normalised."""
    spec = problem['attacks'][attack]
    s = problem['inputSize']
    shape = (problem['n'], 3, s, s)
    mean = torch.tensor(problem['normalisation']['mean']).reshape(1, 3, 1, 1)
    std = torch.tensor(problem['normalisation']['std']).reshape(1, 3, 1, 1)
    clean = torch.tensor(problem['pixels']).reshape(shape)
    labels = torch.tensor(problem['labels'])
    lo = torch.clamp(clean - spec['eps'], min=0)
    hi = torch.clamp(clean + spec['eps'], max=1)
    steps = 1 if spec['kind'] == 'fgsm' else spec['steps']
    step = spec['eps'] if spec['kind'] == 'fgsm' else spec['stepSize']

    def attack(model, dtype):
        x = torch.tensor(spec['start'], dtype=dtype).reshape(shape)
        low, high, m, sd = (t.to(dtype) for t in (lo, hi, mean, std))
        model.train()
        for _ in range(steps):
            pixels = x.clone().requires_grad_(True)
            loss = F.cross_entropy(model((pixels - m) / sd), labels)
            (g,) = torch.autograd.grad(loss, pixels)
            x = torch.min(high, torch.max(low, x + step * g.sign()))
        return x.double()

    def differing(a, b):
        return float(((a - b).abs() > 1e-6).double().mean())

    x = attack(net, torch.float64)
    spread = max(differing(attack(model, torch.float32), x) for model in float32_variants(net))
    ours = torch.tensor(spec['adversarial']).reshape(shape)
    agreement = {'pixelsDiffering': differing(ours, x),
                 'maxDifferenceInSteps': float((ours - x).abs().max() / step),
                 'float32SpreadPixelsDiffering': spread}
    return ((ours - mean) / std).detach(), agreement


def run(module, net, x, targets, problem):
    if getattr(module, 'NEEDS_PROBLEM', False):
        return float(module.compute(net, x, targets, problem))
    return float(module.compute(net, x, targets))


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
            values[proxy_id] = run(module, net, x, targets, problem)
    ours = problem['ours']
    adversarial = {}
    for proxy_id in ours:
        base, _, attack = proxy_id.partition('@')
        if not attack or base not in modules:
            continue
        if only is not None and proxy_id not in only and base != 'zc:snip':
            continue
        if attack not in adversarial:
            adversarial[attack] = attacked_inputs(net, problem, attack)
        values[proxy_id] = run(modules[base], net, adversarial[attack][0], targets, problem)
    missing = [k for k in ours if k.partition('@')[0] not in modules]
    if missing:
        raise SystemExit(f'no PyTorch reference for {", ".join(missing)}: add tools/proxies/<name>.py')
    errors = {k: error(k, ours[k], values[k], values) for k in values if k in ours}
    attacks = {k: v[1] for k, v in adversarial.items()}
    print(json.dumps({'arch': problem['arch'], 'torch': torch.__version__, 'values': values, 'errors': errors,
                      'attacks': attacks}))
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
            'attacks': attacks,
        }
        with open(out, 'w') as f:
            json.dump(fixture, f, indent=1)
            f.write('\n')
    bad = [k for k, e in errors.items() if e > (TOLERANCE['log10'] if k == 'zc:synflow' else TOLERANCE['relative'])]
    bad_attacks = [k for k, a in attacks.items() if a['pixelsDiffering'] > attack_tolerance(k, a)]
    if bad or bad_attacks:
        print('proxy_reference: ' + ', '.join([f'{k} error {errors[k]:.2e}' for k in bad] + [
            f'attack {k}: {attacks[k]["pixelsDiffering"]:.2e} of pixels differ (PyTorch float32 spread: '
            f'{attacks[k]["float32SpreadPixelsDiffering"]:.2e})' for k in bad_attacks]) + ' over tolerance',
            file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
