// What the cell details report (the hover card's "All datasets") says about the numbers users compare with
// NAS-Bench-201 and the paper: cost in NAS-Bench-201's units and counter, every attacked column with its eps. The
// assertions read the Markdown the client renders.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderCellDetails } from '../../src/server/hoverCard';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { networkCost } from '../../src/core/space/cost';
import { sharedBenchmark } from './serverTestKit';

const INDEX_0 = '|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|';

async function detailsMarkdown(arch: string): Promise<string> {
  const bench = await sharedBenchmark();
  const r = bench.resolve(arch);
  assert.ok(r.ok);
  return renderCellDetails(r.arch.cell, bench, DEFAULT_SETTINGS, {}).markdown;
}

test("the cell details give params and FLOPs in NAS-Bench-201's units, equal to its get_cost_info for index 0", async () => {
  const md = await detailsMarkdown(INDEX_0);
  assert.ok(md.includes('| | CIFAR-10 | CIFAR-100 | ImageNet16-120 |'), md);
  assert.ok(md.includes('| FLOPs | 15.64737 M | 15.65322 M | 3.91948 M |'), md);
  assert.ok(md.includes('| Params | 0.129306 MB |'), md);
});

test('the cell details label every attacked column with its eps: AutoAttack@8, and the standard-training columns @1', async () => {
  // #13433 is the example of Jung et al.'s README: PGD accuracy 0.336 at eps = 1.0/255 on CIFAR-10.
  const bench = await sharedBenchmark();
  const md = await detailsMarkdown(bench.archOfIndex(13433).archString);
  assert.match(md, /^\| Std PGD@1 \| 33\.60% /m);
  for (const label of ['Std FGSM@1', 'Std APGD-CE@1', 'Std Square@1', 'AutoAttack@8', 'FGSM@3', 'PGD@8'])
    assert.match(md, new RegExp(`^\\| (\\*\\*)?${label}(\\*\\*)? \\|`, 'm'), label);
  assert.doesNotMatch(md, /^\| (Std )?(AutoAttack|PGD|FGSM|APGD-CE|Square) \|/m, 'an attacked column without its eps');
});

test("the cell details rank params and FLOPs fewest first, the cell's own cost even when isomorphic cells differ", async () => {
  const bench = await sharedBenchmark();
  // Index 3599 is isomorphic to index 0 (0.129306 MB) and has fewer parameters: 0.101306 MB, 101,306.
  const record = bench.archOfIndex(3599);
  assert.equal(record.representativeIndex, 0);
  const md = renderCellDetails(record.cell, bench, DEFAULT_SETTINGS, {}).markdown;
  assert.ok(md.includes('| Params | 0.101306 MB |'), md);
  const ranks = (metric: 'params' | 'flops') =>
    ['cifar10', 'cifar100', 'imagenet16-120']
      .map((d) => `#${bench.metric(3599, d as 'cifar10', metric)!.rank} of 6,466`)
      .join(' | ');
  assert.ok(md.includes(`| Params rank | ${ranks('params')} |`), md);
  assert.ok(md.includes(`| FLOPs rank | ${ranks('flops')} |`), md);
  assert.equal(bench.metric(3599, 'cifar10', 'params')!.value, networkCost(record.cell, 'cifar10').params / 1e6);
});
