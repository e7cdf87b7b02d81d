#!/usr/bin/env python3
"""PyTorch reference for Robust NAS's NTK engine.

Builds NAS-Bench-201's network (TinyNetwork: stem, cells, ResNet reduction blocks, head) in PyTorch with the
weights and inputs exported from our engine (tools/ntk-export.ts), recomputes in float64 the logits, the gradient
of the mean cross-entropy w.r.t. inputs and parameters, and both NTKs:
  exact     per-sample loop, d(sum of logits of sample i)/d(params) through BN's batch statistics (retain_graph)
  fixed-bn  functorch vmap(grad) per sample with BN's batch statistics measured once and held constant
and compares them with our float32 results. With --fixture it writes PyTorch's numbers as a test fixture
(test/fixtures/ntk/*.json) that test/core/ntk/reference.test.ts compares our engine against.

Usage: /usr/bin/python3 tools/ntk_reference.py problem.json [--fixture out.json]
Needs Debian's python3-torch 1.13 + functorch (tools/install-torch.sh).
"""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from functorch import grad, make_functional_with_buffers, vmap

if __name__ == "__main__":
    torch.set_default_dtype(torch.float64)


class FrozenBN(nn.Module):
    """BatchNorm2d that uses batch statistics, or statistics recorded earlier when `frozen` is set."""

    def __init__(self, c):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(c))
        self.bias = nn.Parameter(torch.zeros(c))
        self.frozen = None
        self.record = False
        self.stats = None

    def forward(self, x):
        if self.frozen is not None:
            mean, var = self.frozen
            return F.batch_norm(x, mean, var, self.weight, self.bias, training=False, eps=1e-5)
        if self.record:
            self.stats = (x.mean(dim=(0, 2, 3)).detach(), x.var(dim=(0, 2, 3), unbiased=False).detach())
        return F.batch_norm(x, None, None, self.weight, self.bias, training=True, eps=1e-5)


class ReLUConvBN(nn.Module):
    def __init__(self, cin, cout, k, stride, created):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, bias=False)
        self.bn = FrozenBN(cout)
        created += [self.conv.weight, self.bn.weight, self.bn.bias]

    def forward(self, x):
        return self.bn(self.conv(F.relu(x)))


class Cell(nn.Module):
    EDGES = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)]

    def __init__(self, ops, c, created):
        super().__init__()
        self.ops = ops
        layers = []
        for op in ops:
            if op == 'nor_conv_3x3':
                layers.append(ReLUConvBN(c, c, 3, 1, created))
            elif op == 'nor_conv_1x1':
                layers.append(ReLUConvBN(c, c, 1, 1, created))
            elif op == 'avg_pool_3x3':
                layers.append(nn.AvgPool2d(3, 1, 1, count_include_pad=False))
            elif op == 'skip_connect':
                layers.append(nn.Identity())
            elif op == 'none':
                layers.append(None)
            else:
                raise ValueError(op)
        self.layers = nn.ModuleList([l if l is not None else nn.Identity() for l in layers])

    def forward(self, x):
        # A `none` edge contributes nodes[i].mul(0.), as NAS-Bench-201's Zero op computes it
        # (xautodl/models/cell_operations.py): the input stays in the autograd graph, so a cell whose output is
        # reached only through `none` edges has a zero input gradient rather than none at all.
        nodes = [x]
        for j in (1, 2, 3):
            total = None
            for k, (i, to) in enumerate(self.EDGES):
                if to == j:
                    term = nodes[i].mul(0.) if self.ops[k] == 'none' else self.layers[k](nodes[i])
                    total = term if total is None else total + term
            nodes.append(total)
        return nodes[3]


class Reduction(nn.Module):
    def __init__(self, cin, cout, created):
        super().__init__()
        self.conv_a = ReLUConvBN(cin, cout, 3, 2, created)
        self.conv_b = ReLUConvBN(cout, cout, 3, 1, created)
        self.pool = nn.AvgPool2d(2, 2, 0)
        self.shortcut = nn.Conv2d(cin, cout, 1, 1, 0, bias=False)
        created.append(self.shortcut.weight)

    def forward(self, x):
        return self.shortcut(self.pool(x)) + self.conv_b(self.conv_a(x))


class TinyNetwork(nn.Module):
    def __init__(self, ops, c, n, classes):
        super().__init__()
        created = []
        self.stem_conv = nn.Conv2d(3, c, 3, 1, 1, bias=False)
        self.stem_bn = FrozenBN(c)
        created += [self.stem_conv.weight, self.stem_bn.weight, self.stem_bn.bias]
        body = []
        prev = c
        for stage, cc in enumerate([c, 2 * c, 4 * c]):
            if stage > 0:
                body.append(Reduction(prev, cc, created))
            for _ in range(n):
                body.append(Cell(ops, cc, created))
            prev = cc
        self.body = nn.ModuleList(body)
        self.last_bn = FrozenBN(prev)
        self.classifier = nn.Linear(prev, classes)
        created += [self.last_bn.weight, self.last_bn.bias, self.classifier.weight, self.classifier.bias]
        self.created = created

    def forward(self, x):
        x = self.stem_bn(self.stem_conv(x))
        for layer in self.body:
            x = layer(x)
        x = F.relu(self.last_bn(x))
        return self.classifier(x.mean(dim=(2, 3)))

    def bns(self):
        return [m for m in self.modules() if isinstance(m, FrozenBN)]


def load(problem):
    net = TinyNetwork(problem['cell'], problem['channels'], problem['cellsPerStage'], problem['classes'])
    if len(net.created) != len(problem['params']):
        raise SystemExit(f"parameter count differs: torch {len(net.created)}, ours {len(problem['params'])}")
    with torch.no_grad():
        for p, q in zip(net.created, problem['params']):
            if list(p.shape) != q['shape']:
                raise SystemExit(f"{q['name']}: torch shape {list(p.shape)}, ours {q['shape']}")
            p.copy_(torch.tensor(q['values']).reshape(p.shape))
    s = problem['inputSize']
    x = torch.tensor(problem['inputs']).reshape(problem['n'], 3, s, s)
    return net, x


def exact_kernel(net, x):
    params = list(net.parameters())
    logits = net(x)
    rows = []
    for i in range(x.shape[0]):
        g = torch.autograd.grad(logits[i].sum(), params, retain_graph=True, allow_unused=True)
        rows.append(torch.cat([(gi if gi is not None else torch.zeros_like(p)).reshape(-1) for gi, p in zip(g, params)]))
    j = torch.stack(rows)
    return j @ j.T


def fixed_bn_kernel(net, x):
    for bn in net.bns():
        bn.record = True
    with torch.no_grad():
        net(x)
    for bn in net.bns():
        bn.record = False
        bn.frozen = bn.stats
    fmodel, params, buffers = make_functional_with_buffers(net)

    def summed_logits(p, sample):
        return fmodel(p, buffers, sample.unsqueeze(0)).sum()

    per_sample = vmap(grad(summed_logits), in_dims=(None, 0))(params, x)
    j = torch.cat([g.reshape(x.shape[0], -1) for g in per_sample], dim=1)
    for bn in net.bns():
        bn.frozen = None
    return j @ j.T


def loss_gradients(net, x, labels):
    x = x.clone().requires_grad_(True)
    params = list(net.parameters())
    logits = net(x)
    loss = F.cross_entropy(logits, torch.tensor(labels))
    g = torch.autograd.grad(loss, [x] + params, allow_unused=True)
    dparams = torch.cat([(gi if gi is not None else torch.zeros_like(p)).reshape(-1) for gi, p in zip(g[1:], params)])
    return logits.detach(), g[0].reshape(-1), dparams


def created_order_gradient(net, dparams):
    """Re-orders a gradient flattened in net.parameters() order into our engine's creation order."""
    offsets, o = {}, 0
    for p in net.parameters():
        offsets[id(p)] = (o, p.numel())
        o += p.numel()
    return torch.cat([dparams[offsets[id(p)][0]:offsets[id(p)][0] + offsets[id(p)][1]] for p in net.created])


def rel(ours, ref):
    """Largest difference relative to the largest reference value; absolute when the reference is all zeros
    (the input gradient of a cell whose output ignores its input)."""
    ours = torch.tensor(ours)
    ref = ref.reshape(-1)
    scale = ref.abs().max()
    return float((ours - ref).abs().max() / (scale if scale > 0 else 1))


def main():
    args = sys.argv[1:]
    if not args:
        raise SystemExit(__doc__)
    problem = json.load(open(args[0]))
    net, x = load(problem)
    logits, dx, dparams = loss_gradients(net, x, problem['labels'])
    dparams = created_order_gradient(net, dparams)
    exact = exact_kernel(net, x)
    fixed = fixed_bn_kernel(net, x)
    ours = problem['ours']
    report = {
        'arch': problem['arch'],
        'torch': torch.__version__,
        'logits': rel(ours['logits'], logits),
        'lossInputGradient': rel(ours['lossInputGradient'], dx),
        'lossParamGradient': rel(ours['lossParamGradient'], dparams),
        'exact': rel(ours['kernels']['exact'], exact),
        'fixed-bn': rel(ours['kernels']['fixed-bn'], fixed),
    }
    print(json.dumps(report))
    if '--fixture' in args:
        out = args[args.index('--fixture') + 1]
        fixture = {
            'comment': 'Computed by tools/ntk_reference.py (PyTorch %s, float64) from our engine\'s exported weights '
                       'and synthetic inputs; regenerate with `npm run ntk:fixtures`.' % torch.__version__,
            'arch': problem['arch'], 'dataset': problem['dataset'], 'channels': problem['channels'],
            'cellsPerStage': problem['cellsPerStage'], 'n': problem['n'], 'seed': problem['seed'],
            'weightSum': float(sum(sum(abs(v) for v in p['values']) for p in problem['params'])),
            'inputSum': float(sum(abs(v) for v in problem['inputs'])),
            'logits': logits.reshape(-1).tolist(),
            'lossInputGradientMaxAbs': float(dx.abs().max()),
            'kernels': {'exact': exact.reshape(-1).tolist(), 'fixed-bn': fixed.reshape(-1).tolist()},
        }
        with open(out, 'w') as f:
            json.dump(fixture, f, indent=1)
    worst = max(v for k, v in report.items() if k not in ('arch', 'torch'))
    if worst > 1e-4:
        print(f'ntk_reference: relative error {worst:.2e} exceeds 1e-4', file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
