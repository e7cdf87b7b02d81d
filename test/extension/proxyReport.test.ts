import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsBackend } from '../../src/core/ntk/engine/jsBackend';
import { syntheticInputs } from '../../src/core/ntk/inputs/synthetic';
import { computeProxiesSync } from '../../src/core/ntk/proxies/compute';
import { parseArchString } from '../../src/core/space/parse';
import { inlineHtml, reportToHtml, reportToMarkdown } from '../../src/extension/reports/reportModel';
import { renderProxyReport } from '../../src/extension/reports/proxyReport';
import { cellActions } from '../../src/extension/reports/reportPage';
import { formatKernelNumber } from '../../src/shared/ntkFormat';

// "Compute Training-free Scores..." shows this report: real values from the core (a tiny network, 3 synthetic inputs).
test('the training-free scores report: every value the core computed, its proxy and paper, and the inputs called synthetic', () => {
  const parsed = parseArchString(
    '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
  );
  assert.ok(parsed.ok);
  const result = computeProxiesSync(parsed.cell, {
    options: { size: { channels: 2, cellsPerStage: 1 }, seed: 3, proxies: ['zc:snip', 'zc:snip@fgsm8', 'zc:synflow'] },
    inputs: syntheticInputs('cifar10', 3, 3),
    backend: jsBackend(),
  });
  const markdown = reportToMarkdown(renderProxyReport(result));
  for (const [id, value] of Object.entries(result.values)) {
    assert.ok(Number.isFinite(value), `${id} = ${value}`);
    assert.match(markdown, new RegExp(`\\(${id}\\) *\\| *${formatKernelNumber(value).replace(/[.+]/g, '\\$&')} \\|`));
  }
  assert.deepEqual(Object.keys(result.values), ['zc:snip', 'zc:snip@fgsm8', 'zc:synflow']);
  // A robust variant is named by its definition (attack and radius) and cites its proxy's paper.
  assert.match(markdown, /\| SNIP @ FGSM 8\/255 \(zc:snip@fgsm8\) \| [^|]+ \| Lee et al\./);
  // The worker names its back end (wasm-fma rounds differently from js): the report says which ran.
  assert.match(reportToMarkdown(renderProxyReport({ ...result, backend: 'wasm-fma' })), /s on the wasm-fma back end\./);
  assert.match(markdown, /one batch of 3 synthetic inputs \(seeded random images and labels, not data\); seed 3/);
  assert.match(markdown, /Network C=2 N=1 on CIFAR-10/);
});

test("a report's architecture string may wrap between edges only, never inside an op name", () => {
  const arch = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';
  const html = inlineHtml(`\`${arch}\` <b>`);
  // A break opportunity after every pipe, the text itself unchanged, and no markup from outside the code span.
  assert.equal(html, `<code>${arch.replace(/\|/g, '|<wbr>')}</code> &lt;b&gt;`);
  assert.equal(html.replace(/<wbr>/g, '').replace(/<\/?code>/g, ''), `${arch} &lt;b&gt;`);
  const report = { tabTitle: 't', title: 't', blocks: [{ kind: 'paragraph' as const, text: `\`${arch}\`` }] };
  const page = reportToHtml(report, cellActions);
  assert.ok(page.includes(`|<wbr>nor_conv_3x3~1|<wbr>skip_connect~2|<wbr></code>`), page);
});
