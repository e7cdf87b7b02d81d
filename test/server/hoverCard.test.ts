import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADVERSARIAL_METRIC_IDS, METRIC_INFO, STANDARD_METRIC_IDS } from '../../src/core/benchmark/metrics';
import { cellToOpCode } from '../../src/core/space/cell';
import { DATASET_IDS, DATASET_SHAPE, formatNasBench201Cost, networkCost } from '../../src/core/space/cost';
import { computeHover } from '../../src/server/hover';
import { renderCellDetails } from '../../src/server/hoverCard';
import { markdownText } from '../../src/server/markdown';
import { CELL_ACTIONS, SERVER_MARKDOWN_COMMANDS } from '../../src/shared/cellActions';
import { shortCellLabel } from '../../src/shared/cellFormat';
import { Commands } from '../../src/shared/commands';
import { coerceSettings, DEFAULT_SETTINGS } from '../../src/shared/settings';
import { commandLinks, renderMarkdown } from '../helpers/renderedMarkdown';
import { doc, firstIndex, GOOD, scan, sharedBenchmark } from './serverTestKit';

const READY = { state: 'ready', message: 'loaded' } as const;
/** Accuracies everywhere: two decimals (src/shared/cellFormat.ts). */
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

function hoverMarkdown(
  text: string,
  character: number,
  bench: Awaited<ReturnType<typeof sharedBenchmark>> | undefined,
  settings = DEFAULT_SETTINGS,
  status: { state: 'ready' | 'missing' | 'loading' | 'error'; message: string } = READY,
) {
  const d = doc(text);
  const h = computeHover(d, scan(d), { line: 0, character }, settings, { bench, status });
  return h === null ? null : { value: (h.contents as { value: string }).value, range: h.range };
}

/** The rendered card's lines of text, and its table rows as cells. */
function read(markdown: string) {
  const r = renderMarkdown(markdown);
  const rows = [...r.html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) =>
      c[1]
        .replace(/<[^>]*>/g, '')
        .replace(/&emsp;|\u2003/g, '')
        .trim(),
    ),
  );
  return { ...r, rows };
}

test("the card of a string: identity, the configured metric in bold with rank and percentile, the dataset's other metrics, the actions", async () => {
  const bench = await sharedBenchmark();
  const arch = bench.resolve(GOOD);
  assert.ok(arch.ok && arch.arch.isRepresentative);
  const index = arch.arch.index;
  const h = hoverMarkdown(`a = '${GOOD}'`, 20, bench);
  assert.ok(h);
  assert.deepEqual(h.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 5 + GOOD.length } });
  const card = read(h.value);
  // Identity (index, ops in short, evaluated), then after a line break the configured metric (PGD@8 on CIFAR-10 by
  // default), bold, with rank and percentile: one paragraph.
  const pgd8 = bench.metric(index, 'cifar10', 'pgd@8')!;
  const firstParagraph = card.html.slice(0, card.html.indexOf('</p>'));
  assert.equal(
    firstParagraph.replace(/<br>/g, '\n').replace(/<[^>]*>/g, ''),
    `NAS-Bench-201 #${index} · ${shortCellLabel(arch.arch.cell)} · evaluated\nPGD@8 on CIFAR-10: ${pct(pgd8.value)} · rank #${pgd8.rank} of ${pgd8.of.toLocaleString('en-US')} · p${pgd8.percentile.toFixed(1)}`,
  );
  assert.ok(firstParagraph.includes('<br>'), firstParagraph);
  assert.ok(
    h.value.includes(
      `**PGD@8 on CIFAR-10: ${pct(pgd8.value)}** · rank **#${pgd8.rank}** of ${pgd8.of.toLocaleString('en-US')} · **p${pgd8.percentile.toFixed(1)}**`,
    ),
    h.value,
  );
  // One table: a column per adversarial metric of CIFAR-10, then params (NAS-Bench-201's "MB", ranked fewest
  // first); value then rank, the configured one bold.
  const params = bench.metric(index, 'cifar10', 'params')!;
  assert.deepEqual(card.rows, [
    ['CIFAR-10', ...ADVERSARIAL_METRIC_IDS.map((m) => METRIC_INFO[m].label), 'Params'],
    [
      'value',
      ...ADVERSARIAL_METRIC_IDS.map((m) => pct(bench.metric(index, 'cifar10', m)!.value)),
      `${params.value.toFixed(2)} MB`,
    ],
    ['rank', ...ADVERSARIAL_METRIC_IDS.map((m) => `#${bench.metric(index, 'cifar10', m)!.rank}`), `#${params.rank}`],
  ]);
  assert.equal(params.value, networkCost(arch.arch.cell, 'cifar10').params / 1e6);
  assert.ok(
    h.value.includes(`**${pct(pgd8.value)}**`) &&
      h.value.includes(`**#${pgd8.rank}**`) &&
      h.value.includes('**PGD@8**'),
  );
  // Other datasets, standard training, costs and encodings are one click away, not on the card.
  for (const absent of ['CIFAR-100', 'ImageNet16-120', 'Standard', 'FLOPs', cellToOpCode(arch.arch.cell), GOOD])
    assert.ok(!card.text.includes(absent), `the card shows ${absent}`);
  // The actions, in the shared table's order.
  const links = commandLinks(h.value);
  assert.deepEqual(
    links.map((l) => [l.command, l.text]),
    [
      [Commands.computeNtkScores, 'Compute NTK scores'],
      [Commands.addToComparison, 'Add to comparison'],
      [Commands.showCellDiagram, 'Diagram'],
      [Commands.copyAs, 'Copy...'],
      [Commands.exportPytorch, 'Export as PyTorch...'],
      [Commands.showCellDetails, 'All datasets'],
    ],
  );
  for (const l of links.slice(1)) assert.deepEqual(l.args, [GOOD], l.command);
  assert.deepEqual(links.find((l) => l.command === Commands.showCellDetails)!.args, [GOOD]);
});

test('the configured dataset and metric choose the headline and the table', async () => {
  const bench = await sharedBenchmark();
  const r = bench.resolve(GOOD);
  assert.ok(r.ok);
  const h = hoverMarkdown(`'${GOOD}'`, 3, bench, coerceSettings({ dataset: 'cifar100', metric: 'autoattack' }));
  assert.ok(h);
  const m = bench.metric(r.arch.index, 'cifar100', 'autoattack')!;
  assert.ok(
    h.value.includes(`**${METRIC_INFO.autoattack.label} on CIFAR-100: ${pct(m.value)}** · rank **#${m.rank}**`),
    h.value,
  );
  const card = read(h.value);
  assert.equal(card.rows[0][0], 'CIFAR-100');
  assert.deepEqual(
    card.rows[1].slice(1, -1),
    ADVERSARIAL_METRIC_IDS.map((id) => pct(bench.metric(r.arch.index, 'cifar100', id)!.value)),
  );
  assert.ok(
    h.value.includes(`**${METRIC_INFO.autoattack.label}**`) && !h.value.includes(`**${METRIC_INFO['pgd@8'].label}**`),
  );

  // A standard-training metric: its own family in the table, and the headline says which training it is.
  const std = hoverMarkdown(`'${GOOD}'`, 3, bench, coerceSettings({ dataset: 'cifar10', metric: 'std:pgd' }));
  assert.ok(std);
  const sm = bench.metric(r.arch.index, 'cifar10', 'std:pgd')!;
  assert.ok(std.value.includes(`**${METRIC_INFO['std:pgd'].label} on CIFAR-10: ${pct(sm.value)}**`), std.value);
  assert.deepEqual(read(std.value).rows[0], [
    'CIFAR-10',
    ...STANDARD_METRIC_IDS.map((id) => METRIC_INFO[id].label),
    'Params',
  ]);

  // A metric the data lacks for this dataset says so instead of a number.
  const none = hoverMarkdown(
    `'${GOOD}'`,
    3,
    bench,
    coerceSettings({ dataset: 'imagenet16-120', metric: 'std:corruption' }),
  );
  assert.ok(
    none && none.value.includes(`**${METRIC_INFO['std:corruption'].label} on ImageNet16-120: not measured**`),
    none?.value,
  );
});

test('an index or a NASLib tuple of a non-evaluated cell: its ops in short, isomorphic to which evaluated cell', async () => {
  const bench = await sharedBenchmark();
  const i = firstIndex(bench, false);
  const arch = bench.archOfIndex(i);
  const byIndex = hoverMarkdown(`api.query_by_index(${i})`, 20, bench);
  assert.ok(byIndex);
  const text = read(byIndex.value).text;
  const pgd = bench.metric(arch.representativeIndex, 'cifar10', 'pgd@8')!;
  assert.ok(
    text.startsWith(
      `NAS-Bench-201 #${i} · ${shortCellLabel(arch.cell)} · isomorphic to #${arch.representativeIndex} (evaluated)\nPGD@8 on CIFAR-10: ${pct(pgd.value)} · rank #${pgd.rank} `,
    ),
    text,
  );
  const tuple = `(${arch.naslib.join(', ')})`;
  const byTuple = hoverMarkdown(`op_indices = ${tuple}`, 15, bench);
  assert.ok(
    byTuple && byTuple.value.includes(`#${i}`) && byTuple.value.includes(markdownText(shortCellLabel(arch.cell))),
  );
  assert.ok(byTuple.value.includes(`**PGD@8 on CIFAR-10: ${pct(pgd.value)}**`));
});

test('without data the card still names the cell, says how to provide the data, and keeps the actions that need none', () => {
  const h = hoverMarkdown(`'${GOOD}'`, 3, undefined, DEFAULT_SETTINGS, {
    state: 'missing',
    message: 'ops.json does not exist.',
  });
  assert.ok(h);
  const text = read(h.value).text;
  assert.ok(text.includes('ops.json does not exist.'), text);
  assert.ok(h.value.includes('`robustNas.dataPath`') && h.value.includes('`ROBUST_NAS_DATA`'));
  const links = commandLinks(h.value).map((l) => l.command);
  assert.ok(
    links.includes(Commands.locateData) && links.includes(Commands.addToComparison) && links.includes(Commands.copyAs),
  );
  // No index without the data: no "All datasets".
  assert.ok(!links.includes(Commands.showCellDetails));
  const idx = hoverMarkdown('api.query_by_index(12)', 20, undefined, DEFAULT_SETTINGS, {
    state: 'loading',
    message: 'Loading…',
  });
  assert.ok(idx && idx.value.includes('loading'));
});

test('no hover on malformed strings, out-of-range indices, or plain text', async () => {
  const bench = await sharedBenchmark();
  assert.equal(hoverMarkdown(`'|nor_conv3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|'`, 4, bench), null);
  assert.equal(hoverMarkdown('api.query_by_index(99999)', 21, bench), null);
  assert.equal(hoverMarkdown('hello world', 3, bench), null);
});

test('every link of every card runs a command the client trusts, and the trusted set holds nothing that writes files or runs searches', async () => {
  const bench = await sharedBenchmark();
  const cards = [
    hoverMarkdown(`'${GOOD}'`, 3, bench),
    hoverMarkdown(`'${GOOD}'`, 3, undefined, DEFAULT_SETTINGS, { state: 'missing', message: 'x' }),
    hoverMarkdown('api.query_by_index(12)', 20, undefined, DEFAULT_SETTINGS, { state: 'error', message: 'x' }),
    hoverMarkdown(`api.query_by_index(${firstIndex(bench, false)})`, 20, bench),
  ];
  const used = new Set<string>();
  for (const c of cards) for (const l of commandLinks(c!.value)) used.add(l.command);
  for (const command of used) assert.ok((SERVER_MARKDOWN_COMMANDS as readonly string[]).includes(command), command);
  assert.deepEqual(
    new Set(SERVER_MARKDOWN_COMMANDS),
    new Set([...CELL_ACTIONS.map((a) => a.command), Commands.locateData]),
  );
  for (const never of [
    Commands.ntkSweep,
    Commands.addNtkSweepToCharts,
    Commands.runNasAlgorithm,
    Commands.clearComparison,
    Commands.removeFromComparison,
    Commands.selectDatasetAndMetric,
    Commands.convertEncoding,
  ]) {
    assert.ok(!(SERVER_MARKDOWN_COMMANDS as readonly string[]).includes(never), never);
  }
});

test('the cell details report ("Show all datasets"): every metric on every dataset, both trainings, costs, encodings', async () => {
  const bench = await sharedBenchmark();
  const i = firstIndex(bench, false);
  const arch = bench.archOfIndex(i);
  const details = renderCellDetails(arch.cell, bench, DEFAULT_SETTINGS, {});
  assert.equal(details.title, `Cell #${i}`);
  const md = details.markdown;
  assert.ok(md.startsWith(`# NAS-Bench-201 cell #${i}\n`));
  assert.ok(
    md.includes(`\`${arch.archString}\``) &&
      md.includes(`\`${cellToOpCode(arch.cell)}\``) &&
      md.includes(`\`(${arch.naslib.join(', ')})\``),
  );
  assert.ok(md.includes(`Isomorphic to **#${arch.representativeIndex}**`));
  const results = bench.results(arch.representativeIndex);
  const shown = read(md);
  // A narrow table per dataset, the configured one (CIFAR-10) first: metric, accuracy, rank, percentile in columns.
  const headings = [...md.matchAll(/^## (.*)$/gm)].map((m) => m[1]);
  assert.deepEqual(
    headings.slice(0, 3),
    DATASET_IDS.map((d) => DATASET_SHAPE[d].label),
  );
  const tables = md.split(/^## /m).slice(1, 4);
  DATASET_IDS.forEach((dataset, k) => {
    const rows = read(tables[k]).rows;
    assert.deepEqual(rows[0], ['Metric', 'Accuracy', 'Rank', 'Percentile']);
    const expected = [...ADVERSARIAL_METRIC_IDS, ...STANDARD_METRIC_IDS].flatMap((metric) => {
      const m = results.metrics[dataset][metric];
      return m
        ? [
            [
              METRIC_INFO[metric].label,
              pct(m.value),
              `#${m.rank} of ${m.of.toLocaleString('en-US')}`,
              `p${m.percentile.toFixed(1)}`,
            ],
          ]
        : [];
    });
    assert.deepEqual(rows.slice(1), expected, dataset);
  });
  // The configured dataset and metric in bold.
  const pgd8 = results.metrics.cifar10['pgd@8']!;
  assert.ok(
    md.includes(`| **PGD@8** | **${pct(pgd8.value)}** | **#${pgd8.rank} of ${pgd8.of.toLocaleString('en-US')}** |`),
    md,
  );
  for (const dataset of DATASET_IDS) {
    const cost = formatNasBench201Cost(networkCost(arch.cell, dataset));
    assert.ok(shown.text.includes(cost.params) && shown.text.includes(cost.flops), dataset);
  }
  assert.ok(md.includes('## Cost of the NAS-Bench-201 network'));
});
