/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ADVERSARIAL_METRIC_IDS } from '../../../src/core/benchmark/metrics';
import { readSweepFile } from '../../../src/core/ntk/sweepFile';
import { sweepMetricSet } from '../../../src/core/ntk/sweepMetricSet';
import { spearman } from '../../../src/core/stats/correlation';
import type { ProxyFigureResult, NtkSweepInfo, MetricDescriptor } from '../../../src/shared/webviewMessages';
import { writeSweepFixture } from '../../helpers/ntkSweepFixture';
import { demoUri, pollUntil, referenceBenchmark, robustNas } from './context';

const ADD = 'robustNas.addNtkSweepToCorrelationCharts';
const RESULT = 'robustNas.internal.correlationChartsResult';
const DATASET = 'imagenet16-120';

interface ChartsAnswer {
  result: ProxyFigureResult;
  metrics: MetricDescriptor[];
  sweeps: NtkSweepInfo[];
}

function chartsTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('robustNas.correlationCharts'));
}

suite('NTK sweep results in the correlation charts', () => {
  let scratch: string;
  suiteSetup(async () => {
    await (await robustNas()).benchmark();
    scratch = mkdtempSync(join(tmpdir(), 'robust-nas-ntk-e2e-'));
  });
  suiteTeardown(() => rmSync(scratch, { recursive: true, force: true }));

  test("Add NTK Sweep Results loads a sweep file into the panel; its Figure 5 values are the core's, and it follows the file as it grows", async () => {
    const reference = await referenceBenchmark();
    // A real sweep of 16 classes computed by the core (tiny network, synthetic inputs); the workspace file starts with 12.
    const full = join(scratch, 'full.jsonl');
    writeSweepFixture(full, reference, { classes: 16, dataset: DATASET });
    const lines = readFileSync(full, 'utf8').split('\n').filter(Boolean);
    const uri = demoUri('ntk-sweep-e2e.jsonl');
    writeFileSync(uri.fsPath, lines.slice(0, 13).join('\n') + '\n');

    const info = await vscode.commands.executeCommand<NtkSweepInfo>(ADD, uri);
    assert.equal(info.error, undefined);
    assert.equal(info.classes, 12);
    assert.equal(info.dataset, DATASET);
    assert.match(info.setting ?? '', /^fixed-bn, C4 N1, synthetic ImageNet16-120 inputs, n=4, FGSM 8\/255$/);
    const tab = await pollUntil(() => chartsTab(), {
      timeoutMs: 30_000,
      message: () => 'no Correlation Charts tab after adding the sweep',
    });
    assert.ok(tab.isActive);

    const check = async (classes: number) => {
      const answer = await vscode.commands.executeCommand<ChartsAnswer>(RESULT, { view: 'proxies', dataset: DATASET });
      const set = sweepMetricSet(readSweepFile(uri.fsPath), info.key, reference);
      assert.equal(set.join.classes, classes);
      const data = answer.result.data;
      assert.deepEqual(data.colIds, [...ADVERSARIAL_METRIC_IDS]);
      // The NTK proxy (clean and robust variants), then params and FLOPs.
      assert.deepEqual(
        data.rows.map((r) => r.proxy),
        [`ntk:frobenius@${info.key}`, 'params', 'flops'],
      );
      const ntk = data.rows[0];
      for (const [side, id] of [
        ['clean', ntk.cleanMetric!],
        ['robust', ntk.robustMetric!],
      ] as const) {
        data.colIds.forEach((acc, j) => {
          assert.equal(
            ntk[side][j]!.spearman,
            spearman(set.column(id)!, reference.column(DATASET, acc as never)),
            `${id} vs ${acc}`,
          );
          assert.equal(ntk[side][j]!.n, classes);
        });
      }
      return answer;
    };
    const first = await check(12);
    assert.equal(first.sweeps.find((s) => s.key === info.key)?.classes, 12);
    assert.ok(
      first.metrics.some((m) => m.id === `ntk:robust.condition@${info.key}`),
      'every variant x summary is offered to the other views',
    );

    // A sweep in progress appends lines: the panel re-reads the file on its own.
    appendFileSync(uri.fsPath, lines.slice(13).join('\n') + '\n');
    await pollUntil(
      async () => {
        const a = await vscode.commands.executeCommand<ChartsAnswer>(RESULT, { view: 'proxies', dataset: DATASET });
        return a.sweeps.find((s) => s.key === info.key)?.classes === 16 ? a : undefined;
      },
      {
        timeoutMs: 20_000,
        intervalMs: 200,
        message: () => 'the charts did not pick up the lines appended to the sweep file',
      },
    );
    await check(16);

    // A damaged file: the command says which line and what to do, and the panel lists it with that error.
    const damaged = demoUri('ntk-sweep-damaged.jsonl');
    writeFileSync(damaged.fsPath, [lines[0], lines[1], lines[2].slice(0, 30), lines[3]].join('\n') + '\n');
    // Given as a plain path this time, as another command or a terminal link might.
    const bad = await vscode.commands.executeCommand<NtkSweepInfo>(ADD, damaged.fsPath);
    assert.match(bad.error ?? '', /line 3 is not JSON.*Delete that line/);
    await vscode.window.tabGroups.close(chartsTab()!);
  });
});
