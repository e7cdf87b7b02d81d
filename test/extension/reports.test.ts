import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBenchmark } from '../../src/core/benchmark/load';
import type { Benchmark } from '../../src/core/benchmark/benchmark';
import { benchmarkOracle } from '../../src/core/search/objective';
import { runSearchRepeated } from '../../src/core/search/algorithms';
import { escapeCell, markdownTable } from '../../src/extension/reports/markdownTable';
import {
  renderParetoReport as paretoReport,
  renderTopReport as topReport,
} from '../../src/extension/reports/benchmarkReports';
import { reportToHtml, reportToMarkdown } from '../../src/extension/reports/reportModel';
import { cellActions, reportPageHtml } from '../../src/extension/reports/reportPage';
import { opCountSummary } from '../../src/core/space/opSummary';
import { renderNasRunReport as nasRunReport } from '../../src/extension/reports/nasRunReport';
import { encodeArch, ENCODING_CHOICES } from '../../src/extension/editor/encodeArch';
import { formatAccuracy } from '../../src/extension/format';
import { ADVERSARIAL_METRIC_IDS, METRIC_INFO } from '../../src/core/benchmark/metrics';
import { parseConstraints } from '../../src/core/benchmark/parseConstraints';
import { meetsConstraints } from '../../src/core/benchmark/constraints';
import { SHARED_DATA_DIR } from '../helpers/sharedData';

/** The reports as the Markdown behind them (what Export saves). */
const renderTopReport = (...a: Parameters<typeof topReport>) => reportToMarkdown(topReport(...a));
const renderParetoReport = (...a: Parameters<typeof paretoReport>) => reportToMarkdown(paretoReport(...a));
const renderNasRunReport = (...a: Parameters<typeof nasRunReport>) => reportToMarkdown(nasRunReport(...a));

/** The Markdown cell naming a cell: index and ops counted, the string on a second line. */
const cellText = (index: number) =>
  `#${index} · ${opCountSummary(bench.archOfIndex(index).cell)}<br>\`${bench.archOfIndex(index).archString}\``;
/** The index of the cell a table cell names. */
const indexIn = (text: string) => Number(/^#(\d+)/.exec(text)?.[1]);

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
    rows.push(
      lines[i]
        .slice(2, -2)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replace(/\\\|/g, '|')),
    );
  }
  return rows;
}

test('Markdown tables escape the pipes of architecture strings and align columns', () => {
  assert.equal(escapeCell('|a~0|'), '\\|a~0\\|');
  const t = markdownTable(
    ['Name', 'Value'],
    [
      ['`|x~0|`', '1.00%'],
      ['y', '10.00%'],
    ],
    ['left', 'right'],
  );
  const lines = t.trimEnd().split('\n');
  assert.equal(lines.length, 4);
  assert.equal(new Set(lines.map((l) => l.length)).size, 1, 'padded to equal widths');
  assert.match(lines[1], /^\| -+ \| -+: \|$/);
  assert.deepEqual(tableRows(t)[0], ['`|x~0|`', '1.00%']);
});

test('the Top report lists the core top-k: rank and metrics first, then the cell by index and ops, its string below', () => {
  const ranked = bench.topK('cifar10', 'pgd@8', 10);
  const md = renderTopReport(bench, 'cifar10', 'pgd@8', ranked);
  assert.match(md, /^# Top 10 architectures by PGD@8 on CIFAR-10/);
  const header = md
    .split('\n')
    .find((l) => l.startsWith('| '))!
    .split('|')
    .map((c) => c.trim())
    .filter(Boolean);
  assert.deepEqual(header, ['Rank', ...ADVERSARIAL_METRIC_IDS.map((m) => METRIC_INFO[m].label), 'Cell']);
  const rows = tableRows(md);
  assert.equal(rows.length, 10);
  rows.forEach((row, i) => {
    assert.equal(row[0], String(ranked[i].rank));
    // Columns: Clean, FGSM@3, PGD@3, FGSM@8, PGD@8 (bold: the ranking metric), AutoAttack, then the cell.
    assert.equal(row[5], `**${formatAccuracy(ranked[i].value)}**`);
    assert.equal(row[1], formatAccuracy(bench.metric(ranked[i].arch.index, 'cifar10', 'clean')!.value));
    assert.equal(row[7], cellText(ranked[i].arch.index));
  });
  assert.match(renderTopReport(bench, 'cifar10', 'clean', [], 'edge 0->1 = none'), /No evaluated cell meets/);
  assert.equal(topReport(bench, 'cifar10', 'pgd@8', ranked).tabTitle, 'Top 10 · PGD@8 · CIFAR-10');
});

test('the Pareto report lists the core front with x rising and y falling', () => {
  const points = bench.pareto('cifar100', 'clean', 'autoattack');
  const md = renderParetoReport(bench, 'cifar100', 'clean', 'autoattack', points);
  const rows = tableRows(md);
  assert.equal(rows.length, points.length);
  assert.match(md, new RegExp(`${points.length} of 6466 evaluated cells are Pareto-optimal`));
  rows.forEach((row, i) => {
    assert.ok(row[0].startsWith(formatAccuracy(points[i].x)));
    assert.ok(row[1].startsWith(formatAccuracy(points[i].y)));
    assert.equal(row[2], cellText(points[i].arch.index));
  });
  for (let i = 1; i < points.length; i++) assert.ok(points[i].x >= points[i - 1].x && points[i].y <= points[i - 1].y);
});

test('a Top report by params ranks the smallest first and adds the Params column; a clean-vs-params front rises in both', () => {
  const ranked = bench.topK('cifar10', 'params', 5);
  const md = renderTopReport(bench, 'cifar10', 'params', ranked);
  const header = md
    .split('\n')
    .find((l) => l.startsWith('| '))!
    .split('|')
    .map((c) => c.trim())
    .filter(Boolean);
  assert.deepEqual(header, ['Rank', ...ADVERSARIAL_METRIC_IDS.map((m) => METRIC_INFO[m].label), 'Params', 'Cell']);
  assert.match(md, /Ranked by the bold column, lowest first\./);
  const rows = tableRows(md);
  // NAS-Bench-201's "MB" with every digit: the cheapest cells have 73,306 parameters on CIFAR-10.
  rows.forEach((row, i) => assert.equal(row[7], `**${ranked[i].value} MB**`));
  assert.equal(rows[0][7], '**0.073306 MB**');
  const points = bench.pareto('cifar10', 'clean', 'params');
  const front = renderParetoReport(bench, 'cifar10', 'clean', 'params', points);
  assert.match(front, /\(fewer params or FLOPs is better\)/);
  tableRows(front).forEach((row, i) => assert.ok(row[1].startsWith(`${points[i].y} MB (#`), row[1]));
  for (let i = 1; i < points.length; i++) assert.ok(points[i].x > points[i - 1].x && points[i].y > points[i - 1].y);
});

test("the report page: escaped text, cell links only to the allowed commands with the cell's own string, no script", () => {
  const ranked = bench.topK('cifar10', 'pgd@8', 3);
  const report = topReport(bench, 'cifar10', 'pgd@8', ranked, 'no avg_pool <b>');
  const html = reportPageHtml(report, 7);
  assert.doesNotMatch(html, /<script/i);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'nonce-[^']+';"/);
  assert.ok(html.includes('no avg_pool &lt;b&gt;') && !html.includes('<b>'), 'constraint text is escaped');
  const links = [...html.matchAll(/href="command:([\w.]+)\?([^"]*)"/g)].map((m) => ({
    id: m[1],
    args: JSON.parse(decodeURIComponent(m[2].replace(/&amp;/g, '&'))) as unknown[],
  }));
  assert.deepEqual(
    new Set(links.map((l) => l.id)),
    new Set(['robustNas.showCellDiagram', 'robustNas.addToComparison', 'robustNas.copyAs', 'robustNas.exportReport']),
  );
  const strings = new Set(ranked.map((r) => r.arch.archString));
  for (const l of links) {
    if (l.id === 'robustNas.exportReport') assert.deepEqual(l.args, [7]);
    else assert.ok(strings.has(l.args[0] as string), JSON.stringify(l));
  }
  // Each cell: bold index, ops counted, three actions; its string in the detail line.
  const body = reportToHtml(report, cellActions);
  for (const r of ranked) {
    assert.ok(
      body.includes(`<strong>#${r.arch.index}</strong> <span class="ops">${opCountSummary(r.arch.cell)}</span>`),
    );
    assert.ok(body.includes(`<div class="arch">${r.arch.archString}</div>`));
  }
  // The metrics are the table's columns; each cell is a line of its own under its values.
  assert.ok(body.includes('<th class="num">PGD@8</th>') && !body.includes('<th>Cell</th>'));
  assert.match(
    body,
    /<tr class="values"><td class="num">1<\/td>(<td class="num">[^<]*(<strong>[^<]*<\/strong>)?<\/td>){6}<\/tr><tr class="cell-row"><td class="cell" colspan="7">/,
  );
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
  for (const row of rows)
    assert.ok(meetsConstraints(bench.archOfIndex(indexIn(row[7])).cell, parsed.constraints), row[7]);
  const points = bench.pareto('cifar10', 'clean', 'pgd@3', parsed.constraints);
  const pmd = renderParetoReport(bench, 'cifar10', 'clean', 'pgd@3', points, 'edge 2->3 = skip, no avg_pool');
  assert.match(pmd, new RegExp(`${points.length} of the cells meeting the constraints are Pareto-optimal`));
  for (const row of tableRows(pmd))
    assert.ok(meetsConstraints(bench.archOfIndex(indexIn(row[2])).cell, parsed.constraints));
});

test('the NAS run report: optimum count, anytime curve and returned cells agree with the runs', async () => {
  const oracle = benchmarkOracle(bench, { dataset: 'cifar10', metric: 'pgd@8' });
  const runs = await runSearchRepeated(oracle, 're', { budget: 60, runs: 8, seed: 3 });
  const md = renderNasRunReport(
    bench,
    oracle,
    { algorithm: 're', dataset: 'cifar10', metric: 'pgd@8', budget: 60, runs: 8, seed: 3, sampling: 'class' },
    runs,
  );
  const found = runs.filter((r) => r.bestClass === oracle.optimum.classIndex).length;
  assert.match(md, new RegExp(`\\*\\*${found} of 8\\*\\* runs`));
  assert.match(
    md,
    new RegExp(`index ${oracle.optimum.classIndex}, ${formatAccuracy(oracle.optimum.value).replace('.', '\\.')}`),
  );
  const finalMean = runs.reduce((a, r) => a + r.trajectory[r.trajectory.length - 1], 0) / runs.length;
  const anytime = tableRows(md.slice(md.indexOf('## Anytime')));
  assert.deepEqual(
    anytime.map((r) => r[0]),
    ['8', '15', '30', '60'],
  );
  assert.equal(anytime[3][1], formatAccuracy(finalMean));
  const returned = new Set(runs.map((r) => r.bestClass));
  const mostOften = md.slice(md.indexOf('## Most often returned'));
  for (const row of tableRows(mostOften)) assert.ok(returned.has(indexIn(row[3])), row[3]);
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
