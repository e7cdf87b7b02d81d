import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildDiagramData } from '../../src/extension/panels/diagramData';
import { deadEdges, formatNasBench201Cost, networkCost, parseArchString } from '../../src/core/space';
import type { DiagramData, DiagramState } from '../../src/shared/webviewMessages';
import { sharedBenchmark } from './sharedBenchmark';
import { launchBrowser, openWebview } from './webviewPage';

// Index 0 of NAS-Bench-201 (ops.json `421211`): evaluated itself.
const INDEX_0 = '|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|';
// Node 2 fed only by `none`: its skip edge into node 3 carries zeros, so this cell is isomorphic to a smaller one.
const NOT_REPRESENTATIVE = '|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|';

function state(archString: string, over: Partial<DiagramState> = {}): DiagramState {
  return { archString, dataset: 'cifar10', metric: 'pgd@8', topK: 10, showNoneEdges: true, ...over };
}

describe('cell diagram webview', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('draws the cell, its representative, the macro network and the top-k grid from the benchmark', async () => {
    const bench = await sharedBenchmark();
    const data: DiagramData = buildDiagramData(bench, state(NOT_REPRESENTATIVE));
    assert.ok(data.representative, 'the test cell must not be its class representative');
    for (const theme of ['light', 'dark'] as const) {
      const view = await openWebview(browser, 'diagram', { theme });
      await view.waitForPosted('ready');
      await view.send(data);
      const page = view.page;
      await page.waitForSelector('#cell-figure svg');
      // Every edge drawn (none edges shown faint), with its op and the dead flag the core computes.
      const edges = await page.$$eval('#cell-figure g.edge', (gs) =>
        gs.map((g) => ({
          edge: Number(g.getAttribute('data-edge')),
          op: g.getAttribute('data-op'),
          dead: g.getAttribute('data-dead'),
          label: g.querySelector('text')?.textContent,
        })),
      );
      const parsed = parseArchString(NOT_REPRESENTATIVE);
      assert.ok(parsed.ok);
      assert.deepEqual(
        edges.map((e) => e.op),
        [...parsed.cell],
      );
      const dead = new Map(deadEdges(parsed.cell).map((d) => [d.edge, d.reason]));
      for (const e of edges) assert.equal(e.dead ?? undefined, dead.get(e.edge), `edge ${e.edge} dead flag`);
      assert.equal(edges.find((e) => e.op === 'nor_conv_3x3')?.label?.startsWith('conv3x3'), true);
      // The representative drawn beside it, and the changed edges listed.
      const repOps = await page.$$eval('#representative-figure g.edge', (gs) =>
        gs.map((g) => g.getAttribute('data-op')),
      );
      assert.deepEqual(repOps, [...data.representative.ops]);
      const changes = await page.$$eval('.changes li', (lis) => lis.map((li) => li.textContent));
      assert.equal(changes.length, data.representative.changedEdges.length);
      assert.ok(changes.length > 0);
      // Macro view: channels and sides of NAS-Bench-201 on CIFAR (16/32/64 channels at 32/16/8), params from the core.
      const blocks = await page.$$eval('#macro-figure g.macro-block', (gs) =>
        gs.map(
          (g) => `${g.getAttribute('data-kind')}:${g.getAttribute('data-channels')}x${g.getAttribute('data-side')}`,
        ),
      );
      assert.deepEqual(blocks, [
        'input:3x32',
        'stem:16x32',
        'cells:16x32',
        'reduction:32x16',
        'cells:32x16',
        'reduction:64x8',
        'cells:64x8',
        'head:10x1',
      ]);
      const costText = await page.$eval('#macro-figure .macro-cost', (t) => t.textContent ?? '');
      assert.ok(costText.includes(networkCost(parsed.cell, 'cifar10').params.toLocaleString('en-US')), costText);
      const nb201 = formatNasBench201Cost(networkCost(parsed.cell, 'cifar10'));
      assert.ok(
        costText.includes(`(${nb201.params})`) && costText.includes(`FLOPs: ${nb201.flops}`),
        `NAS-Bench-201's units and figures: ${costText}`,
      );
      // Op frequency grid: 6 edges x 5 ops, each row summing to k, counts equal to the benchmark's top-10.
      const counts = await page.$$eval('#frequency-figure g.freq-cell', (gs) =>
        gs.map((g) => Number(g.getAttribute('data-count'))),
      );
      assert.equal(counts.length, 30);
      const top = bench.topK('cifar10', 'pgd@8', 10);
      const onEdge0Conv3 = top.filter((r) => r.arch.cell[0] === 'nor_conv_3x3').length;
      assert.equal(counts[3], onEdge0Conv3);
      for (let edge = 0; edge < 6; edge++)
        assert.equal(
          counts.slice(edge * 5, edge * 5 + 5).reduce((a, b) => a + b, 0),
          10,
        );
      await view.screenshot('cell-diagram');
      assert.deepEqual(await view.problems(), []);
      await view.close();
    }
  });

  it('hides none edges on request, saves its state and asks the host again', async () => {
    const bench = await sharedBenchmark();
    const view = await openWebview(browser, 'diagram', { theme: 'light' });
    await view.waitForPosted('ready');
    await view.send(buildDiagramData(bench, state(INDEX_0, { dataset: 'imagenet16-120' })));
    await view.page.waitForSelector('#cell-figure svg');
    assert.equal(await view.page.$$eval('#representative-figure', (e) => e.length), 0, 'index 0 is evaluated itself');
    const head = await view.page.$eval('#macro-figure g.macro-block[data-kind="head"]', (g) =>
      g.getAttribute('data-channels'),
    );
    assert.equal(head, '120');
    const hidden = buildDiagramData(bench, state(NOT_REPRESENTATIVE, { showNoneEdges: false }));
    await view.send(hidden);
    await view.page.waitForFunction(() => document.querySelectorAll('#cell-figure g.edge').length === 4);
    assert.deepEqual(await view.savedState(), hidden.state);
    // Changing an option posts a request carrying the new state.
    await view.page.click('vscode-button:has-text("Export SVG")');
    const exported = await view.waitForPosted('export');
    assert.equal(exported.format, 'svg');
    assert.match(String(exported.content), /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    await view.page.click('vscode-button:has-text("Export PNG")');
    const png = await view.waitForPosted('export', 2);
    assert.equal(png.format, 'png');
    assert.equal(Buffer.from(String(png.content), 'base64').subarray(1, 4).toString('latin1'), 'PNG');
    await view.send({ type: 'error', message: 'Cannot draw: test message' });
    await view.page.waitForSelector('.error');
    assert.deepEqual(await view.problems(), []);
    await view.close();
  });

  it('rejects text that is not an architecture with the parser message', async () => {
    const bench = await sharedBenchmark();
    assert.throws(() => buildDiagramData(bench, state('|nor_conv_3x5~0|+|')), /nor_conv_3x3/);
  });
});
