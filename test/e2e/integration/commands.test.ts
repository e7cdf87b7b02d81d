/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { referenceBenchmark, robustNas } from './context';

interface Pick {
  index: number;
  archString: string;
  value: number;
  rank: number | undefined;
}
interface Ranked {
  index: number;
  archString: string;
  value: number;
  rank: number;
}
interface ParetoOut {
  uri: vscode.Uri;
  points: { index: number; archString: string; x: number; y: number }[];
}

/**
 * Table rows of a Markdown report the extension opened (a read-only document behind its own URI scheme), cells
 * unescaped: architecture strings are full of `|`, which a Markdown table cell must write as `\|`.
 */
async function reportRows(uri: vscode.Uri): Promise<string[]> {
  const text = (await vscode.workspace.openTextDocument(uri)).getText();
  return text
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .map((l) => l.replace(/\\\|/g, '|'));
}

/** The row that names this cell (`#index · ops`, then its string); fails when there is none. */
function rowOf(rows: string[], index: number, archString: string): string {
  const row = rows.find((r) => r.includes(archString) && r.includes(`#${index} ·`));
  assert.ok(row, `the report has no row for index ${index} ${archString}:\n${rows.join('\n')}`);
  return row;
}

/** Accuracy as the reports print it: a percentage with two decimals. */
const percent = (v: number) => `${(v * 100).toFixed(2)}%`;

suite('Commands', () => {
  suiteSetup(async () => {
    await (await robustNas()).benchmark();
  });

  test("Search Architectures lists the cells matching a query, best first, with the benchmark's values", async () => {
    const matches = await vscode.commands.executeCommand<Pick[]>(
      'robustNas.searchArchitectures',
      'conv3x3 skip',
      'matches',
    );
    assert.ok(
      Array.isArray(matches) && matches.length > 10,
      `expected many matches, got ${JSON.stringify(matches)?.slice(0, 200)}`,
    );
    const reference = await referenceBenchmark();
    // Default settings: CIFAR-10, PGD at eps 8/255 (src/shared/settings.ts).
    for (const m of matches) {
      assert.match(m.archString, /nor_conv_3x3/);
      assert.match(m.archString, /skip_connect/);
      const expected = reference.metric(m.index, 'cifar10', 'pgd@8');
      assert.ok(expected, `index ${m.index} has no PGD@8 value in the data`);
      assert.equal(m.value, expected.value);
      assert.equal(m.rank, expected.rank);
    }
    for (let i = 1; i < matches.length; i++)
      assert.ok(matches[i - 1].value >= matches[i].value, 'matches are not sorted best first');
  });

  test('Search Architectures finds a cell by its NAS-Bench-201 index', async () => {
    const matches = await vscode.commands.executeCommand<Pick[]>('robustNas.searchArchitectures', '1462', 'matches');
    const reference = await referenceBenchmark();
    assert.equal(matches[0]?.index, 1462);
    assert.equal(matches[0].archString, reference.archOfIndex(1462).archString);
  });

  test("Top Architectures by Metric returns the core's top-k and opens a report of it", async () => {
    const out = await vscode.commands.executeCommand<{ uri: vscode.Uri; ranked: Ranked[] }>(
      'robustNas.topArchitectures',
      'cifar100',
      'autoattack',
      5,
    );
    const reference = await referenceBenchmark();
    const expected = reference.topK('cifar100', 'autoattack', 5);
    assert.deepEqual(
      out.ranked.map((r) => [r.index, r.value, r.rank]),
      expected.map((r) => [r.arch.index, r.value, r.rank]),
    );
    const rows = await reportRows(out.uri);
    for (const r of expected) assert.ok(rowOf(rows, r.arch.index, r.arch.archString).includes(percent(r.value)));
  });

  test("Pareto Front returns the core's clean-vs-robust front and opens a report of it", async () => {
    const out = await vscode.commands.executeCommand<ParetoOut>('robustNas.paretoFront', 'cifar10', 'pgd@8');
    const reference = await referenceBenchmark();
    const expected = reference.pareto('cifar10', 'clean', 'pgd@8');
    assert.ok(expected.length >= 2);
    assert.deepEqual(
      out.points.map((p) => [p.index, p.x, p.y]),
      expected.map((p) => [p.arch.index, p.x, p.y]),
    );
    const rows = await reportRows(out.uri);
    for (const p of expected) {
      const row = rowOf(rows, p.arch.index, p.arch.archString);
      assert.ok(
        row.includes(percent(p.x)) && row.includes(percent(p.y)),
        `row without ${percent(p.x)} / ${percent(p.y)}: ${row}`,
      );
    }
  });
});
