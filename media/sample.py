"""Robustness study of NAS-Bench-201 cells (sample script for the Robust NAS walkthrough).

Hover any architecture string, index or NASLib tuple below. A few lines contain mistakes on purpose:
look for the squiggles and try the quick fixes.
"""
from nas_201_api import NASBench201API as API
from xautodl.models import get_cell_based_tiny_net

api = API("NAS-Bench-201-v1_1-096897.pth", verbose=False)

# Cells we train adversarially (PGD-7, eps 8/255) as baselines.
BASELINES = {
    "resnet_like": "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|",
    "all_conv3x3": "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|",
    "pool_heavy": "|avg_pool_3x3~0|+|avg_pool_3x3~0|avg_pool_3x3~1|+|skip_connect~0|avg_pool_3x3~1|nor_conv_1x1~2|",
    # Isomorphic to a smaller-index cell: Robust NAS shows which one the benchmark evaluated.
    "dead_branch": "|nor_conv_3x3~0|+|nor_conv_1x1~0|none~1|+|nor_conv_3x3~0|none~1|skip_connect~2|",
}

# Mistakes left in on purpose: a misspelt op, and an edge of node 2 reading from the wrong input.
CANDIDATES = [
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
    "|nor_conv_3x3~0|+|nor_conv_3x5~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|",
    "|nor_conv_1x1~0|+|skip_connect~0|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|nor_conv_1x1~2|",
]

# The same cell as the first candidate, twice in one file: Robust NAS points at the repeat.
best_so_far = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"

# NASLib keeps cells as op_indices in its own op and edge order.
op_indices = (2, 2, 1, 4, 2, 0)


def clean_accuracy(index: int, dataset: str = "cifar10") -> float:
    info = api.get_more_info(index, dataset, hp="200", is_random=False)
    return info["test-accuracy"]


def build(arch: str, num_classes: int = 10):
    config = {"name": "infer.tiny", "C": 16, "N": 5, "arch_str": arch, "num_classes": num_classes}
    return get_cell_based_tiny_net(config)


if __name__ == "__main__":
    # Indices are recognised in the usual API calls.
    arch_info = api.query_by_index(1462)
    net_config = api.get_net_config(8473, "cifar10")
    for name, arch in BASELINES.items():
        index = api.query_index_by_arch(arch)
        print(f"{name:>12}  #{index:5d}  clean {clean_accuracy(index):.2f}")
        model = build(arch)
