import assert from 'node:assert/strict';
import { test } from 'node:test';
import { networkCost, parseArchString, type Cell } from '../../../src/core/space';

function cell(s: string): Cell {
  const r = parseArchString(s);
  assert.ok(r.ok, s);
  return r.cell;
}

const ALL_CONV3 = cell('|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|');
const ALL_SKIP = cell('|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|');

test('all-conv3x3 network on CIFAR-10: 1,531,546 parameters (as PyTorch counts the same network)', () => {
  assert.equal(networkCost(ALL_CONV3, 'cifar10').params, 1_531_546);
});

test('all-conv3x3 FLOPs: conv and linear multiply-accumulates, worked out by hand', () => {
  // stem 32*32*16*27; 30 conv3x3 per stage at 2,359,296 MACs each (the spatial halving and channel doubling cancel);
  // reduction blocks: conv3x3/2, conv3x3, shortcut conv1x1; classifier 64*10.
  const stem = 32 * 32 * 16 * 27;
  const stages = 3 * 30 * 2_359_296;
  const reductions = 2 * (1_179_648 + 2_359_296 + 131_072);
  assert.equal(networkCost(ALL_CONV3, 'cifar10').flops, stem + stages + reductions + 640);
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
  assert.equal((c10.flops - 640) / 4, img.flops - 64 * 120);
});
