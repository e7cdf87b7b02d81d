import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  costInNasBench201Units,
  formatNasBench201Cost,
  networkCost,
  parseArchString,
  type Cell,
} from '../../../src/core/space';

function cell(s: string): Cell {
  const r = parseArchString(s);
  assert.ok(r.ok, s);
  return r.cell;
}

const ALL_CONV3 = cell(
  '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|',
);
const ALL_SKIP = cell(
  '|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|',
);

test('all-conv3x3 network on CIFAR-10: 1,531,546 parameters (as PyTorch counts the same network)', () => {
  assert.equal(networkCost(ALL_CONV3, 'cifar10').params, 1_531_546);
});

test('all-conv3x3 FLOPs: conv and linear multiply-accumulates plus the classifier bias additions, worked out by hand', () => {
  // stem 32*32*16*27; 30 conv3x3 per stage at 2,359,296 MACs each (the spatial halving and channel doubling cancel);
  // reduction blocks: conv3x3/2, conv3x3, shortcut conv1x1; classifier 64*10 MACs + 10 bias additions.
  const stem = 32 * 32 * 16 * 27;
  const stages = 3 * 30 * 2_359_296;
  const reductions = 2 * (1_179_648 + 2_359_296 + 131_072);
  assert.equal(networkCost(ALL_CONV3, 'cifar10').flops, stem + stages + reductions + 640 + 10);
});

// NAS-Bench-201's own figures (api.get_cost_info, units M and MB): index 0 on the three datasets (also in NASLib's
// test fixtures, cost_info of index 0), the all-conv3x3 cell, and the cell quoted with its CIFAR-10 cost in
// D-X-Y/NATS-Bench issue #36 (hp=12). Before the classifier bias was counted every FLOPs figure was short by the
// number of classes (15.64736 instead of 15.64737).
const INDEX_0 = cell('|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|');
const NATS_ISSUE_36 = cell('|skip_connect~0|+|none~0|nor_conv_3x3~1|+|avg_pool_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|');
const NAS_BENCH_201_COST: [string, Cell, 'cifar10' | 'cifar100' | 'imagenet16-120', number, number | undefined][] = [
  ['index 0', INDEX_0, 'cifar10', 15.64737, 0.129306],
  ['index 0', INDEX_0, 'cifar100', 15.65322, undefined],
  ['index 0', INDEX_0, 'imagenet16-120', 3.91948, undefined],
  ['all-conv3x3', ALL_CONV3, 'cifar10', 220.11969, undefined],
  ['NATS-Bench issue 36 cell', NATS_ISSUE_36, 'cifar10', 113.95137, 0.802426],
];
for (const [name, c, dataset, flopsM, paramsMB] of NAS_BENCH_201_COST) {
  test(`${name} on ${dataset}: ${flopsM} M FLOPs${paramsMB === undefined ? '' : `, ${paramsMB} MB params`}, exactly NAS-Bench-201's figures`, () => {
    const units = costInNasBench201Units(networkCost(c, dataset));
    assert.equal(units.flops, flopsM);
    if (paramsMB !== undefined) assert.equal(units.params, paramsMB);
  });
}

test("costs print in NAS-Bench-201's units with every digit it gives", () => {
  assert.deepEqual(formatNasBench201Cost(networkCost(INDEX_0, 'cifar10')), {
    params: '0.129306 MB',
    flops: '15.64737 M',
  });
  assert.deepEqual(formatNasBench201Cost(networkCost(ALL_CONV3, 'cifar10')), {
    params: '1.531546 MB',
    flops: '220.11969 M',
  });
});

test('a cell without convolutions keeps only the stem, reduction blocks and head (73,306 parameters on CIFAR-10)', () => {
  assert.equal(networkCost(ALL_SKIP, 'cifar10').params, 73_306);
});

test('class count changes the classifier; 16x16 input divides FLOPs by 4 except the classifier', () => {
  const c10 = networkCost(ALL_CONV3, 'cifar10');
  const c100 = networkCost(ALL_CONV3, 'cifar100');
  const img = networkCost(ALL_CONV3, 'imagenet16-120');
  assert.equal(c100.params - c10.params, 90 * 65);
  assert.equal(img.params - c10.params, 110 * 65);
  assert.equal((c10.flops - 650) / 4, img.flops - 65 * 120);
});
