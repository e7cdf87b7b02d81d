import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBenchmark } from '../../src/core/benchmark/load';
import type { Benchmark } from '../../src/core/benchmark/benchmark';
import { benchmarkOracle } from '../../src/core/search/objective';
import { runSearchRepeated } from '../../src/core/search/algorithms';
import { escapeCell, markdownTable } from '../../src/extension/reports/markdownTable';
import { renderParetoReport, renderTopReport } from '../../src/extension/reports/benchmarkReports';
import { renderNasRunReport } from '../../src/extension/reports/nasRunReport';
import { encodeArch, ENCODING_CHOICES } from '../../src/extension/editor/encodeArch';
import { formatAccuracy } from '../../src/extension/format';
import { parseConstraints } from '../../src/core/benchmark/parseConstraints';
import { meetsConstraints } from '../../src/core/benchmark/constraints';
import { SHARED_DATA_DIR } from '../helpers/sharedData';

let bench: Benchmark;
before(async () => {
  bench = await loadBenchmark({ dataDir: SHARED_DATA_DIR });
});

/** The body rows of the first Markdown table in `md`, split into cells (escaped pipes kept inside cells). */
function tableRows(md: string): string[][] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| '));
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i].startsWith('|'); i++) {
    rows.push(lines[i].slice(2, -2).split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|')));
  }
  return rows;
}

test('Markdown tables escape the pipes of architecture strings and align columns', () => {
  assert.equal(escapeCell('|a~0|'), '\\|a~0\\|');
  const t = markdownTable(['Name', 'Value'], [['`|x~0|`', '1.00%'], ['y', '10.00%']], ['left', 'right']);
  const lines = t.trimEnd().split('\n');
  assert.equal(lines.length, 4);
  assert.equal(new Set(lines.map((l) => l.length)).size, 1, 'padded to equal widths');
  assert.match(lines[1], /^\| -+ \| -+: \|$/);
  assert.deepEqual(tableRows(t)[0], ['`|x~0|`', '1.00%']);
});

test('the Top report lists the core top-k with their values and ranks', () => {
  const ranked = bench.topK('cifar10', 'pgd@8', 10);
  const md = renderTopReport(bench, 'cifar10', 'pgd@8', ranked);
  assert.match(md, /^# Top 10 architectures by PGD@8 on CIFAR-10/);
  const rows = tableRows(md);
  assert.equal(rows.length, 10);
  rows.forEach((row, i) => {
    assert.equal(row[0], String(ranked[i].rank));
    assert.equal(row[1], String(ranked[i].arch.index));
    assert.equal(row[2], `\`${ranked[i].arch.archString}\``);
    // Columns: Clean, FGSM@3, PGD@3, FGSM@8, PGD@8 (bold: the ranking metric), AutoAttack.
    assert.equal(row[7], `**${formatAccuracy(ranked[i].value)}**`);
    assert.equal(row[3], formatAccuracy(bench.metric(ranked[i].arch.index, 'cifar10', 'clean')!.value));
  });
  assert.match(renderTopReport(bench, 'cifar10', 'clean', [], 'edge 0->1 = none'), /No evaluated cell meets/);
});

test('the Pareto report lists the core front with x rising and y falling', () => {
  const points = bench.pareto('cifar100', 'clean', 'autoattack');
  const md = renderParetoReport(bench, 'cifar100', 'clean', 'autoattack', points);
  const rows = tableRows(md);
  assert.equal(rows.length, points.length);
  assert.match(md, new RegExp(`${points.length} of 6466 evaluated cells are Pareto-optimal`));
  rows.forEach((row, i) => {
    assert.equal(row[0], String(points[i].arch.index));
    assert.ok(row[2].startsWith(formatAccuracy(points[i].x)));
    assert.ok(row[3].startsWith(formatAccuracy(points[i].y)));
  });
  for (let i = 1; i < points.length; i++) assert.ok(points[i].x >= points[i - 1].x && points[i].y <= points[i - 1].y);
});

test('reports under constraints list only cells meeting them and say so', () => {
  const parsed = parseConstraints('edge 2->3 = skip, no avg_pool');
  assert.ok(parsed.ok);
  if (!parsed.ok) return;
  const ranked = bench.topK('cifar10', 'autoattack', 15, parsed.constraints);
  const md = renderTopReport(bench, 'cifar10', 'autoattack', ranked, 'edge 2->3 = skip, no avg_pool');
  assert.match(md, /Only cells where: `edge 2->3 = skip, no avg_pool`/);
  const rows = tableRows(md);
  assert.equal(rows.length, 15);
  for (const row of rows) assert.ok(meetsConstraints(bench.archOfIndex(Number(row[1])).cell, parsed.constraints), row[2]);
  const points = bench.pareto('cifar10', 'clean', 'pgd@3', parsed.constraints);
  const pmd = renderParetoReport(bench, 'cifar10', 'clean', 'pgd@3', points, 'edge 2->3 = skip, no avg_pool');
  assert.match(pmd, new RegExp(`${points.length} of the cells meeting the constraints are Pareto-optimal`));
  for (const row of tableRows(pmd)) assert.ok(meetsConstraints(bench.archOfIndex(Number(row[0])).cell, parsed.constraints));
});

test('the NAS run report: optimum count, anytime curve and returned cells agree with the runs', async () => {
  const oracle = benchmarkOracle(bench, { dataset: 'cifar10', metric: 'pgd@8' });
  const runs = await runSearchRepeated(oracle, 're', { budget: 60, runs: 8, seed: 3 });
  const md = renderNasRunReport(bench, oracle, { algorithm: 're', dataset: 'cifar10', metric: 'pgd@8', budget: 60, runs: 8, seed: 3, sampling: 'class' }, runs);
  const found = runs.filter((r) => r.bestClass === oracle.optimum.classIndex).length;
  assert.match(md, new RegExp(`\\*\\*${found} of 8\\*\\* runs`));
  assert.match(md, new RegExp(`index ${oracle.optimum.classIndex}, ${formatAccuracy(oracle.optimum.value).replace('.', '\\.')}`));
  const finalMean = runs.reduce((a, r) => a + r.trajectory[r.trajectory.length - 1], 0) / runs.length;
  const anytime = tableRows(md.slice(md.indexOf('## Anytime')));
  assert.deepEqual(anytime.map((r) => r[0]), ['8', '15', '30', '60']);
  assert.equal(anytime[3][1], formatAccuracy(finalMean));
  const returned = new Set(runs.map((r) => r.bestClass));
  const mostOften = md.slice(md.indexOf('## Most often returned'));
  for (const row of tableRows(mostOften)) assert.ok(returned.has(Number(row[1])));
});

test('encodings of a record round-trip through the benchmark', () => {
  for (const index of [0, 1462, 8473, 15624]) {
    const arch = bench.archOfIndex(index);
    for (const { kind } of ENCODING_CHOICES) {
      const text = encodeArch(arch, kind);
      const back = bench.resolve(text);
      assert.ok(back.ok, `${kind} ${text}`);
      assert.equal(back.ok && back.arch.index, index, `${kind} ${text}`);
    }
  }
  assert.equal(encodeArch(bench.archOfIndex(0), 'code'), '421211', 'index 0 per the data README');
});
