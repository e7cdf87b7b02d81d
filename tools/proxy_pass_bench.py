#!/usr/bin/env python3
"""PyTorch peer of one zero-cost-proxy gradient pass for `npm run bench:proxy-sweep` (bench/proxy-sweep.bench.ts).

The pass every gradient proxy and every attack step is made of (NASLib's measures: one forward of the batch with BN
in training mode, the mean cross-entropy, one backward for the parameters' and the input's gradients), on
tools/ntk_reference.py's copy of NAS-Bench-201's network in float32 on one thread, as a sweep worker runs ours.
Reads a JSON list of cells (each 6 op names in edge order) on stdin; prints one JSON line: the CPU milliseconds of
one pass for each cell (mean of `reps` after two warm-up passes).

Usage: /usr/bin/python3 tools/proxy_pass_bench.py C N n classes reps < cells.json
"""
import json
import resource
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, __file__.rsplit('/', 1)[0])
import ntk_reference as ref  # noqa: E402


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    c, cells_per_stage, n, classes, reps = (int(a) for a in sys.argv[1:6])
    torch.set_num_threads(1)
    torch.manual_seed(0)
    x = torch.rand(n, 3, 32, 32)
    labels = torch.randint(0, classes, (n,))
    result = []
    for ops in json.load(sys.stdin):
        net = ref.TinyNetwork(ops, c, cells_per_stage, classes).float()
        net.train()
        params = list(net.parameters())

        def one_pass():
            pixels = x.clone().requires_grad_(True)
            loss = F.cross_entropy(net(pixels), labels)
            torch.autograd.grad(loss, [pixels] + params)

        for _ in range(2):
            one_pass()
        start = cpu_seconds()
        for _ in range(reps):
            one_pass()
        result.append(1000 * (cpu_seconds() - start) / reps)
    print(json.dumps({'torch': torch.__version__, 'ms': result}))


if __name__ == '__main__':
    main()
