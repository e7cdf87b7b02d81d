import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BenchmarkApi } from '../../../src/core/benchmark/api';
import { readSweepFile, type SweepContents } from '../../../src/core/ntk/sweepFile';
import {
  joinSweepToClasses,
  ntkProxyOf,
  sweepKeyOfMetricId,
  sweepMetricId,
  sweepMetricSet,
  sweepSetting,
} from '../../../src/core/ntk/sweepMetricSet';
import { ntkMetricColumn } from '../../../src/core/ntk/sweepMetrics';
import { sharedBenchmark } from '../../webview/sharedBenchmark';
import { fixtureIndices, memberOf, sweepFixtureOptions, writeSweepFixture } from '../../helpers/ntkSweepFixture';

describe('an NTK sweep as chart metrics: names and the join by isomorphism class', () => {
  let bench: BenchmarkApi;
  let dir: string;
  let contents: SweepContents;
  let indices: number[];
  let rowIndices: number[];
  let member: number;
  before(async () => {
    bench = await sharedBenchmark();
    dir = mkdtempSync(join(tmpdir(), 'ntk-metric-set-'));
    const file = join(dir, 'sweep.jsonl');
    // The second class is scored under another member of its class: the join must still find it.
    const target = fixtureIndices(bench, 6).find((i) => memberOf(bench, i) !== undefined)!;
    member = memberOf(bench, target)!;
    ({ indices, rowIndices } = writeSweepFixture(file, bench, {
      classes: 6,
      dataset: 'imagenet16-120',
      useMemberOf: target,
    }));
    contents = readSweepFile(file);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('names the setting: kernel kind, size, inputs (synthetic) and attack, from the header', () => {
    const s = sweepSetting(contents);
    assert.equal(s.dataset, 'imagenet16-120');
    assert.equal(s.synthetic, true);
    assert.equal(s.label, 'fixed-bn, C4 N1, synthetic ImageNet16-120 inputs, n=4, FGSM 8/255');
    const proxy = sweepSetting({
      header: {
        ...contents.header,
        config: {
          ...sweepFixtureOptions('cifar100', 32),
          size: 'proxy',
          kernel: 'exact',
          attack: { kind: 'pgd', eps: 3 / 255, steps: 10 },
        },
      },
      rows: contents.rows,
    });
    assert.equal(proxy.label, 'exact, proxy (C8 N1), synthetic CIFAR-100 inputs, n=32, PGD 3/255, 10 steps');
    const files = sweepSetting({
      header: {
        ...contents.header,
        config: {
          ...sweepFixtureOptions('cifar10', 8),
          inputs: { kind: 'files', dataset: 'cifar10', dir: '/data', count: 8, seed: 0 },
        },
      },
      rows: contents.rows,
    });
    assert.equal(files.synthetic, false);
    assert.match(files.label, /, CIFAR-10 inputs, n=8,/);
  });

  it('offers every variant x summary the sweep holds, with ids unique per sweep key', () => {
    const set = sweepMetricSet(contents, 'k1', bench);
    assert.equal(set.metrics.length, 2 * 5, 'clean and robust, five summaries each; no baselines in this sweep');
    const robustFrob = set.metrics.find((m) => m.id === 'ntk:robust.frobenius@k1');
    assert.ok(robustFrob);
    assert.equal(robustFrob.shortLabel, 'robust NTK Θ(X′,X′), Frobenius norm');
    assert.equal(robustFrob.label, `robust NTK Θ(X′,X′), Frobenius norm [${set.setting.label}]`);
    assert.match(robustFrob.description, /6 classes scored/);
    assert.equal(sweepKeyOfMetricId(robustFrob.id), 'k1');
    assert.equal(sweepKeyOfMetricId(sweepMetricId('ab12', { baseline: 'knas' })), 'ab12');
    assert.equal(sweepKeyOfMetricId('pgd@8'), undefined);
    assert.equal(set.column('ntk:robust.frobenius@other'), undefined);
  });

  it('joins rows to evaluated classes: a member of a class scores its representative', () => {
    assert.ok(rowIndices.includes(member) && !bench.archOfIndex(member).isRepresentative);
    const join = joinSweepToClasses(contents.rows, bench);
    assert.equal(join.classes, indices.length);
    assert.deepEqual(
      [...join.byClass.keys()].sort((a, b) => a - b),
      [...indices].sort((a, b) => a - b),
    );
    assert.equal(join.outside, 0);
    assert.equal(join.duplicates, 0);

    const set = sweepMetricSet(contents, 'k1', bench);
    const column = set.column('ntk:clean.condition@k1')!;
    assert.equal(column.length, bench.evaluatedIndices.length);
    assert.equal(column.filter((v) => !Number.isNaN(v)).length, indices.length);
    const position = Array.from(bench.evaluatedIndices).indexOf(bench.archOfIndex(member).representativeIndex);
    assert.equal(column[position], contents.rows.get(member)!.result.variants.clean!.conditionNumber);
    assert.deepEqual(
      column,
      ntkMetricColumn(join.byClass, bench.evaluatedIndices, { variant: 'clean', stat: 'condition' }),
    );

    // A second row for a class already scored, and a row outside NAS-Bench-201, are counted, not joined.
    const rows = new Map(contents.rows);
    const rep = bench.archOfIndex(member).representativeIndex;
    rows.set(rep, { ...contents.rows.get(member)!, index: rep });
    rows.set(20000, { ...contents.rows.get(member)!, index: 20000 });
    const again = joinSweepToClasses(rows, bench);
    assert.equal(again.classes, indices.length);
    assert.equal(again.duplicates, 1);
    assert.equal(again.outside, 1);
    assert.equal(again.byClass.get(rep)!.index, rep, "the row under the representative's own index wins");
  });

  it('zero-cost proxies of a proxy sweep: a metric each, clean and robust variants of one proxy, values from the rows', () => {
    // The rows of a proxy sweep carry `result.proxies` (src/core/ntk/proxySweep.ts): give this sweep's rows some.
    const rows = new Map(
      [...contents.rows].map(([k, r], n) => [
        k,
        {
          ...r,
          result: { ...r.result, proxies: { 'zc:snip': n + 0.5, 'zc:snip@pgd8': 10 - n, 'zc:synflow@fgsm8': 2 * n } },
        },
      ]),
    );
    const set = sweepMetricSet({ header: contents.header, rows }, 'k3', bench);
    const zc = set.metrics.filter((m) => 'zeroCost' in m.metric);
    assert.deepEqual(
      zc.map((m) => [m.id, m.shortLabel]),
      [
        ['zc:snip@k3', 'snip'],
        ['zc:snip@pgd8@k3', 'snip on PGD 8/255 inputs'],
        ['zc:synflow@fgsm8@k3', 'synflow on FGSM 8/255 inputs'],
      ],
    );
    assert.equal(sweepKeyOfMetricId('zc:snip@pgd8@k3'), 'k3');
    assert.equal(sweepKeyOfMetricId('zc:snip@k3'), 'k3');
    assert.deepEqual(ntkProxyOf({ zeroCost: 'zc:snip@pgd8' }), {
      proxy: 'zc:snip',
      label: 'snip',
      inputs: 'robust',
      family: 'zc',
    });
    assert.deepEqual(
      ntkProxyOf({ zeroCost: 'zc:snip@fgsm8' }, () => true),
      { proxy: 'zc:snip@fgsm8', label: 'snip on FGSM 8/255 inputs', inputs: 'robust', family: 'zc' },
    );
    assert.deepEqual(ntkProxyOf({ variant: 'robust', stat: 'condition' }), {
      proxy: 'condition',
      label: 'NTK Θ, condition number',
      inputs: 'robust',
      family: 'ntk',
    });
    assert.deepEqual(ntkProxyOf({ variant: 'cross', stat: 'trace' }).inputs, 'robust');
    const column = set.column('zc:snip@pgd8@k3')!;
    const [n, row] = [...rows.values()].map((r, k) => [k, r] as const)[0];
    const p = Array.from(bench.evaluatedIndices).indexOf(bench.archOfIndex(row.index).representativeIndex);
    assert.equal(column[p], 10 - n);
    assert.equal(column.filter((v) => !Number.isNaN(v)).length, indices.length);
  });
});
