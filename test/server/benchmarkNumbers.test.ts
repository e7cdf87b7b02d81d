// What the hover card says about the numbers users compare with NAS-Bench-201 and the paper: cost in
// NAS-Bench-201's units and counter. The assertions read the Markdown the client renders.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeHover } from '../../src/server/hover';
import { coerceSettings, DEFAULT_SETTINGS } from '../../src/shared/settings';
import { doc, scan, sharedBenchmark } from './serverTestKit';

const READY = { state: 'ready', message: 'loaded' } as const;
const INDEX_0 = '|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|';

async function hoverMarkdown(text: string, character: number, settings = DEFAULT_SETTINGS): Promise<string> {
  const bench = await sharedBenchmark();
  const d = doc(text);
  const h = computeHover(d, scan(d), { line: 0, character }, settings, { bench, status: READY });
  assert.ok(h);
  return (h.contents as { value: string }).value;
}

test("the hover card gives params and FLOPs in NAS-Bench-201's units, equal to its get_cost_info for index 0", async () => {
  const text = `a = '${INDEX_0}'`;
  assert.ok((await hoverMarkdown(text, 10)).includes('Params 0.129306 MB · FLOPs 15.64737 M on CIFAR-10'));
  const c100 = coerceSettings({ ...DEFAULT_SETTINGS, dataset: 'cifar100' });
  assert.ok((await hoverMarkdown(text, 10, c100)).includes('FLOPs 15.65322 M on CIFAR-100'));
  const img = coerceSettings({ ...DEFAULT_SETTINGS, dataset: 'imagenet16-120' });
  assert.ok((await hoverMarkdown(text, 10, img)).includes('FLOPs 3.91948 M on ImageNet16-120'));
});

test('the hover card labels every attacked column with its eps: AutoAttack@8, and the standard-training columns @1', async () => {
  // #13433 is the example of Jung et al.'s README: PGD accuracy 0.336 at eps = 1.0/255 on CIFAR-10.
  const bench = await sharedBenchmark();
  const md = await hoverMarkdown(`a = '${bench.archOfIndex(13433).archString}'`, 10);
  assert.match(md, /^\| PGD@1 \| 33\.6% /m);
  for (const label of ['FGSM@1', 'APGD-CE@1', 'Square@1', 'AutoAttack@8', 'FGSM@3', 'PGD@8']) assert.match(md, new RegExp(`^\\| (\\*\\*)?${label}(\\*\\*)? \\|`, 'm'), label);
  assert.doesNotMatch(md, /^\| (AutoAttack|PGD|FGSM|APGD-CE|Square) \|/m, 'an attacked column without its eps');
});
