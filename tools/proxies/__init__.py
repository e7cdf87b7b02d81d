"""One PyTorch reference per zero-cost proxy (see tools/proxy_reference.py). Each module defines ID ('zc:<name>')
and compute(net, inputs, targets) -> float, following NASLib's measure of that name step by step."""
