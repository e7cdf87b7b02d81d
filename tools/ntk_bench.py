#!/usr/bin/env python3
"""PyTorch peer timings for `npm run bench:ntk` (bench/ntk.bench.ts).

Same network as tools/ntk_reference.py (NAS-Bench-201's, all nor_conv_3x3 cell by default), float32, 2 threads:
  fixed-bn  functorch vmap(grad) of the per-sample summed logits with BN's batch statistics held constant
  exact     per-sample loop of autograd.grad(logits[i].sum(), retain_graph=True) through BN's batch statistics
Prints one JSON line: seconds for each (the faster of two runs after a warm-up, with that run's CPU time: on the
2-core machine one run of the same loop took 13.3 s and the next 26.5 s, its CPU time 21-26 s either way, as its
second thread joined in or not), peak resident memory, and the GFLOP/s of one large float32 matrix product (1024^3,
best of 5) on the same threads: what PyTorch's native sgemm (AVX-512 FMA) reaches on this machine.

Usage: /usr/bin/python3 tools/ntk_bench.py C N n [classes] [threads]
       /usr/bin/python3 tools/ntk_bench.py sweep C N n [threads] < cells.json
The sweep form (bench/ntk-sweep.bench.ts) reads a JSON list of cells (each a list of 6 op names in edge order) and
prints one JSON line with the fixed-bn seconds of each (after one warm-up), for a per-class estimate of a sweep.
"""
import json
import resource
import sys
import time

import torch

sys.path.insert(0, __file__.rsplit('/', 1)[0])
import ntk_reference as ref  # noqa: E402

torch.set_default_dtype(torch.float32)


def sweep():
    c, n_cells, n = (int(a) for a in sys.argv[2:5])
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else 2
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    cells = json.load(sys.stdin)
    x = torch.randn(n, 3, 32, 32)
    ref.fixed_bn_kernel(ref.TinyNetwork(cells[0], c, n_cells, 10).float(), x[:2])  # warm-up
    seconds = []
    for ops in cells:
        net = ref.TinyNetwork(ops, c, n_cells, 10).float()
        t = time.perf_counter()
        ref.fixed_bn_kernel(net, x)
        seconds.append(time.perf_counter() - t)
    print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'seconds': seconds}))


def timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main():
    if sys.argv[1] == 'sweep':
        sweep()
        return
    c, n_cells, n = (int(a) for a in sys.argv[1:4])
    classes = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else 2
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net = ref.TinyNetwork(['nor_conv_3x3'] * 6, c, n_cells, classes).float()
    x = torch.randn(n, 3, 32, 32)
    out = {'torch': torch.__version__, 'threads': torch.get_num_threads()}
    for name, fn in (('fixed-bn', ref.fixed_bn_kernel), ('exact', ref.exact_kernel)):
        fn(net, x[:2])  # warm-up
        for _ in range(2):
            t, cpu = time.perf_counter(), time.process_time()
            k = fn(net, x)
            seconds = time.perf_counter() - t
            if name not in out or seconds < out[name]:
                out[name] = seconds
                # CPU time of all threads: what the work cost, however many other processes shared the cores.
                out[name + '-cpu'] = time.process_time() - cpu
        out[name + '-frobenius'] = float(k.norm())
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    best = min(timed(lambda: torch.mm(a, b)) for _ in range(5))
    out['sgemmGflops'] = 2 * 1024 ** 3 / best / 1e9
    out['peakRssMB'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


if __name__ == '__main__':
    main()
