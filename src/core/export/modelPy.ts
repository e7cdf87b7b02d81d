import { formatArchString } from '../space/cell';
import { DATASET_IDS, DATASET_SHAPE } from '../space/cost';
import { deadEdges } from '../space/deadEdges';
import type { ExportSubject } from './exportSubject';
import { describeDeadEdge, headerLines, pythonComment } from './header';

/** A Python string literal (JSON's escapes are valid Python). */
export const pyString = (s: string) => JSON.stringify(s);

/**
 * `model.py`: NAS-Bench-201's network for the subject's cell in plain PyTorch, built by `build_model()` with the cell,
 * dataset and size as defaults. Module names and nesting follow the official xautodl code (models/cell_infers/
 * tiny_network.py TinyNetwork, cells.py InferCell, models/cell_operations.py ReLUConvBN / POOLING / Identity / Zero /
 * ResNetBasicblock), so `state_dict()` has exactly the official keys and official weights load with strict=True.
 */
export function renderModelPy(subject: ExportSubject): string {
  const arch = formatArchString(subject.cell);
  const dead = deadEdges(subject.cell);
  const deadComment = pythonComment(
    dead.length
      ? [
          `Dead edges of this cell (they cannot change the output for any weights): ${dead.map((d) => describeDeadEdge(subject, d)).join('; ')}.`,
          "They are built anyway, as the official InferCell builds every edge, so the parameter names and count match NAS-Bench-201's and official weights load with strict=True.",
        ]
      : ['This cell has no dead edges: every edge can change the output for some weights.'],
    '',
  );
  const classes = DATASET_IDS.map((d) => `${pyString(d)}: ${DATASET_SHAPE[d].classes}`).join(', ');
  const sizes = DATASET_IDS.map((d) => `${pyString(d)}: ${DATASET_SHAPE[d].inputSize}`).join(', ');
  return String.raw`# model.py - NAS-Bench-201 network of one cell, exported by ${subject.generator} (robust-nas export).
#
${pythonComment(headerLines(subject))}
"""NAS-Bench-201's network (Dong & Yang, ICLR 2020) for one cell, in plain PyTorch.

    from model import build_model
    net = build_model()                  # this cell, this dataset, C=${subject.size.channels}, N=${subject.size.cellsPerStage}
    logits = net(images)                 # images [B, 3, H, W], normalised (train.py shows the benchmark's normalisation)

The modules are named and nested as in NAS-Bench-201's official code (xautodl, github.com/D-X-Y/AutoDL-Projects:
models/cell_infers/tiny_network.py TinyNetwork, models/cell_infers/cells.py InferCell, models/cell_operations.py),
so state_dict() has exactly the official keys and weights saved by the official TinyNetwork (or by NAS-RobBench-201's
code, which uses the same classes) load with load_state_dict(..., strict=True):
    stem.0.weight, stem.1.{weight,bias,running_mean,running_var,num_batches_tracked}
    cells.<i>.layers.<k>.op.1.weight, cells.<i>.layers.<k>.op.2.*      convolution edge k of cell i
    cells.<i>.conv_a.op.*, cells.<i>.conv_b.op.*, cells.<i>.downsample.1.weight   residual reduction block
    lastact.0.*, classifier.{weight,bias}
One difference: forward() returns the logits alone, as NAS-RobBench-201's copy of TinyNetwork does
(libnas/lib/models/cell_infers/tiny_network.py:58-59); the official xautodl one returns (features, logits).
"""
import torch
import torch.nn as nn

ARCH_STRING = ${pyString(arch)}
DATASET = ${pyString(subject.dataset)}
CHANNELS = ${subject.size.channels}
CELLS_PER_STAGE = ${subject.size.cellsPerStage}
NUM_CLASSES = {${classes}}
INPUT_SIZE = {${sizes}}

${deadComment}


class ReLUConvBN(nn.Module):
    """ReLU, convolution without bias, BatchNorm with affine weights (cell_operations.py ReLUConvBN: the parameters
    live in op.1 and op.2; conv bias is 'not affine', i.e. absent, since BN is affine)."""

    def __init__(self, c_in, c_out, kernel_size, stride, padding):
        super().__init__()
        self.op = nn.Sequential(
            nn.ReLU(inplace=False),
            nn.Conv2d(c_in, c_out, kernel_size, stride=stride, padding=padding, bias=False),
            nn.BatchNorm2d(c_out, affine=True, track_running_stats=True),
        )

    def forward(self, x):
        return self.op(x)


class Pooling(nn.Module):
    """avg_pool_3x3 (cell_operations.py POOLING with mode 'avg'): 3x3, stride 1, padding 1, and the padding is NOT
    counted in the average (count_include_pad=False). Inside a cell input and output channels are equal, so the
    official module's 1x1 'preprocess' is None and the edge has no parameters."""

    def __init__(self):
        super().__init__()
        self.preprocess = None
        self.op = nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)

    def forward(self, x):
        return self.op(x)


class Identity(nn.Module):
    """skip_connect inside a cell (cell_operations.py Identity)."""

    def forward(self, x):
        return x


class Zero(nn.Module):
    """none (cell_operations.py Zero): contributes zeros. The official InferCell builds it like any other edge, so the
    edge keeps its position k in 'layers' and every later edge keeps its key."""

    def forward(self, x):
        return x.mul(0.0)


EDGE_OPS = {
    "none": lambda c: Zero(),
    "skip_connect": lambda c: Identity(),
    "nor_conv_1x1": lambda c: ReLUConvBN(c, c, 1, 1, 0),
    "nor_conv_3x3": lambda c: ReLUConvBN(c, c, 3, 1, 1),
    "avg_pool_3x3": lambda c: Pooling(),
}


def parse_arch(arch):
    """'|op~i|+|op~i|op~j|+...' -> [(op, from_node, to_node)] in the order written. That order is the order of
    InferCell's 'layers' (cells.py builds one layer per 'op~i', node by node), so edge k is layers.<k>."""
    edges = []
    for to_node, node_text in enumerate(arch.split("+"), start=1):
        for item in filter(None, node_text.split("|")):
            op, _, source = item.partition("~")
            if op not in EDGE_OPS or not source.isdigit() or int(source) >= to_node:
                raise ValueError(f"not a NAS-Bench-201 edge: {item!r} in {arch!r}")
            edges.append((op, int(source), to_node))
    return edges


class InferCell(nn.Module):
    """One cell (cells.py InferCell): node j is the sum of the edges into it; the cell's output is the last node."""

    def __init__(self, arch, channels):
        super().__init__()
        edges = parse_arch(arch)
        self.links = [(source, target) for _, source, target in edges]
        self.num_nodes = 1 + len(arch.split("+"))
        self.layers = nn.ModuleList(EDGE_OPS[op](channels) for op, _, _ in edges)

    def forward(self, x):
        nodes = [x]
        for node in range(1, self.num_nodes):
            nodes.append(sum(layer(nodes[source]) for layer, (source, target) in zip(self.layers, self.links) if target == node))
        return nodes[-1]


class ResNetBasicblock(nn.Module):
    """The residual reduction block between stages (cell_operations.py ResNetBasicblock, stride 2): ReLU-conv3x3/2-BN,
    ReLU-conv3x3-BN, plus a shortcut of 2x2 average pooling and a 1x1 convolution without BN."""

    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv_a = ReLUConvBN(c_in, c_out, 3, 2, 1)
        self.conv_b = ReLUConvBN(c_out, c_out, 3, 1, 1)
        self.downsample = nn.Sequential(
            nn.AvgPool2d(kernel_size=2, stride=2, padding=0),
            nn.Conv2d(c_in, c_out, kernel_size=1, stride=1, padding=0, bias=False),
        )

    def forward(self, x):
        return self.downsample(x) + self.conv_b(self.conv_a(x))


class TinyNetwork(nn.Module):
    """tiny_network.py TinyNetwork: stem (conv3x3 + BN), N cells at C channels, a reduction block, N cells at 2C,
    a reduction block, N cells at 4C, then BN + ReLU, global average pooling and a linear classifier."""

    def __init__(self, arch, num_classes, channels, cells_per_stage):
        super().__init__()
        C, N = channels, cells_per_stage
        self.stem = nn.Sequential(nn.Conv2d(3, C, kernel_size=3, padding=1, bias=False), nn.BatchNorm2d(C))
        cells = []
        c_prev = C
        for stage, c in enumerate((C, 2 * C, 4 * C)):
            if stage > 0:
                cells.append(ResNetBasicblock(c_prev, c))
            cells.extend(InferCell(arch, c) for _ in range(N))
            c_prev = c
        self.cells = nn.ModuleList(cells)
        self.lastact = nn.Sequential(nn.BatchNorm2d(c_prev), nn.ReLU(inplace=True))
        self.global_pooling = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(c_prev, num_classes)

    def forward(self, x):
        x = self.stem(x)
        for cell in self.cells:
            x = cell(x)
        x = self.global_pooling(self.lastact(x)).flatten(1)
        return self.classifier(x)


def build_model(arch=ARCH_STRING, dataset=DATASET, channels=CHANNELS, cells_per_stage=CELLS_PER_STAGE):
    """The exported network, with PyTorch's default initialisation (as NAS-Bench-201 and NAS-RobBench-201 train it)."""
    if dataset not in NUM_CLASSES:
        raise ValueError(f"unknown dataset {dataset!r}: one of {', '.join(NUM_CLASSES)}")
    return TinyNetwork(arch, NUM_CLASSES[dataset], channels, cells_per_stage)


if __name__ == "__main__":
    net = build_model()
    params = sum(p.numel() for p in net.parameters())
    side = INPUT_SIZE[DATASET]
    with torch.no_grad():
        out = net.eval()(torch.zeros(2, 3, side, side))
    print(f"{ARCH_STRING} on {DATASET}: C={CHANNELS}, N={CELLS_PER_STAGE}, {params:,} parameters, logits {tuple(out.shape)}")
`;
}
