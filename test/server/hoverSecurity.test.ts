// Issue #10, "Safe in an untrusted repository": text from settings, sweep files and file names reached hover Markdown
// that the client trusts for command links, so `[Click](command:robustNas.ntkSweep?...)` in any of them became a
// live link starting a sweep. Each attack here goes through the real server (the bundled dist/server.js over
// stdio), and the Markdown it answers is parsed with the renderer VS Code uses (marked 14) to see which links exist.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import { canonicalCell } from '../../src/core/ntk/canonical';
import { jsBackend } from '../../src/core/ntk/engine/jsBackend';
import { loadInputs } from '../../src/core/ntk/inputs/load';
import { ntkJobOptions } from '../../src/core/ntk/jobOptions';
import { computeNtkScoresSync, type NtkResult } from '../../src/core/ntk/scores';
import { SweepWriter } from '../../src/core/ntk/sweepFile';
import { sweepHeader } from '../../src/core/ntk/sweepScope';
import type { Cell } from '../../src/core/space/cell';
import { SERVER_MARKDOWN_COMMANDS } from '../../src/shared/cellActions';
import { Commands } from '../../src/shared/commands';
import { CellDetailsRequest } from '../../src/shared/protocol';
import { coerceSettings, ntkConfigOf } from '../../src/shared/settings';
import { SHARED_DATA_DIR } from '../helpers/sharedData';
import { commandLinks, renderMarkdown } from '../helpers/renderedMarkdown';
import { TestLspClient } from './lspClient';
import { GOOD, sharedBenchmark } from './serverTestKit';

/** The attack: a link that would start an NTK sweep writing where the attacker says. */
const ATTACK = `[Click](command:${Commands.ntkSweep}?${encodeURIComponent(JSON.stringify([{ out: '/tmp/pwned.jsonl', scope: { kind: 'all' } }]))})`;
const URI = 'file:///attack/hover.py';

/** Asserts that the Markdown has no link but to trusted commands, none to NTK Sweep, and shows `literal` as text. */
function assertInert(markdown: string, literal: string): void {
  const r = renderMarkdown(markdown);
  for (const l of r.links) {
    assert.ok(l.href.startsWith('command:'), `a non-command link: ${l.href}`);
    const command = l.href.slice('command:'.length).split('?')[0];
    assert.ok(
      (SERVER_MARKDOWN_COMMANDS as readonly string[]).includes(command),
      `a link to ${command} in:\n${markdown}`,
    );
  }
  assert.ok(
    !commandLinks(markdown).some((l) => l.command === Commands.ntkSweep),
    `a live NTK Sweep link in:\n${markdown}`,
  );
  assert.ok(r.text.includes(literal), `the text does not show ${JSON.stringify(literal)} as written:\n${r.text}`);
}

async function hover(client: TestLspClient, text: string, character: number): Promise<string> {
  const h = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
    textDocument: { uri: URI },
    position: { line: 0, character },
  });
  assert.ok(h, 'no hover');
  return (h.contents as { value: string }).value;
}

describe('a setting naming a path: robustNas.dataPath', () => {
  const dataPath = `/nonexistent/${ATTACK}`;
  const client = new TestLspClient({ dataPath });
  before(async () => {
    await client.initialize();
    await client.waitForData('missing');
  });
  after(() => client.stop());

  test('the no-data card shows the path as text; the link in it does not run', async () => {
    const text = `a = '${GOOD}'`;
    await client.open(URI, 'python', text);
    const value = await hover(client, text, 10);
    assertInert(value, dataPath);
  });
});

describe('a setting that fails to parse: robustNas.ntk.inputs', () => {
  const inputs = `mnist:${ATTACK}`;
  const client = new TestLspClient({ dataPath: SHARED_DATA_DIR, ntk: { inputs } });
  before(async () => {
    await client.initialize();
    await client.waitForData('ready');
  });
  after(() => client.stop());

  test('neither the card nor the details report turn the value into a link', async () => {
    const text = `a = '${GOOD}'`;
    await client.open(URI, 'python', text);
    const card = await hover(client, text, 10);
    assertInert(card, 'Compute NTK scores');
    const details = await client.connection.sendRequest(CellDetailsRequest.type, {
      text: GOOD,
      textDocument: { uri: URI },
    });
    assert.ok(details.ok);
    assertInert(details.markdown, ATTACK);
    assert.match(renderMarkdown(details.markdown).text, /the setting robustNas\.ntk\.inputs cannot be used: /);
  });
});

describe("sweep files: a row's fields and the file's name", () => {
  const rawNtk = { channels: 2, cellsPerStage: 1, n: 3, attack: 'fgsm', seed: 5, variants: ['clean', 'robust'] };
  const options = ntkJobOptions(ntkConfigOf(coerceSettings({ ntk: rawNtk })));
  const dir = mkdtempSync(join(tmpdir(), 'hover-attack-'));
  // A name with a link and a backtick (to break out of a code span); both are legal in file names.
  const fileName = `evil${ATTACK}\`x.jsonl`;
  const file = join(dir, fileName);
  const client = new TestLspClient(
    { dataPath: SHARED_DATA_DIR, ntk: rawNtk },
    { ROBUST_NAS_NTK_CACHE: join(dir, 'cache') },
  );
  let poisoned: string;
  let unknownDataset: string;
  let r0: NtkResult;

  function score(cell: Cell): NtkResult {
    const { inputs, ...rest } = options;
    return computeNtkScoresSync(canonicalCell(cell), {
      options: rest,
      inputs: loadInputs(inputs),
      backend: jsBackend(),
    });
  }

  before(async () => {
    const bench = await sharedBenchmark();
    const good = bench.resolve(GOOD);
    assert.ok(good.ok);
    poisoned = good.arch.archString;
    const other = bench.archOfIndex(bench.evaluatedIndices[50]);
    unknownDataset = other.archString;
    mkdirSync(join(dir, 'cache'));
    const { writer } = SweepWriter.open(file, sweepHeader(options, { kind: 'sample', k: 3 }));
    const r = score(good.arch.cell);
    r0 = r;
    // The text fields the report prints that the core's result check (src/core/ntk/resultShape.ts) lets through:
    // the network size's name and the attack's kind. (Kernel, seed, dataset and variant names must equal the
    // configuration's, or the row is skipped before it is shown.)
    writer.append({
      type: 'result',
      index: good.arch.representativeIndex,
      result: {
        ...r,
        size: { ...r.size, name: ATTACK },
        attack: { ...r.attack, kind: ATTACK },
      } as unknown as NtkResult,
    });
    // A dataset the space does not know: that class's hover must still work.
    writer.append({
      type: 'result',
      index: other.index,
      result: { ...score(other.cell), dataset: 'mnist' } as unknown as NtkResult,
    });
    writer.append({
      type: 'result',
      index: bench.evaluatedIndices[51],
      result: score(bench.archOfIndex(bench.evaluatedIndices[51]).cell),
    });
    writer.close();
    await client.initialize({ ntk: { cacheDir: join(dir, 'cache'), sweepFiles: [file] } });
    await client.waitForData('ready');
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the card of the poisoned class has only trusted links', async () => {
    const text = `a = '${poisoned}'`;
    await client.open(URI, 'python', text);
    const value = await hover(client, text, 10);
    assertInert(value, 'NTK scores');
  });

  test('the details report shows every poisoned field and the file name as text, with no link at all', async () => {
    const details = await client.connection.sendRequest(CellDetailsRequest.type, {
      text: poisoned,
      textDocument: { uri: URI },
    });
    assert.ok(details.ok);
    assertInert(details.markdown, ATTACK);
    const shown = renderMarkdown(details.markdown);
    assert.deepEqual(shown.links, []);
    assert.ok(shown.text.includes(`C=${r0.size.channels} N=${r0.size.cellsPerStage} (${ATTACK})`), shown.text);
    assert.ok(shown.text.includes(`${ATTACK.toUpperCase()} 8/255`), shown.text);
    assert.ok(shown.text.includes(fileName), `the file name is not shown as written:\n${shown.text}`);
  });

  test('a row with an unknown dataset: the hover of that class works, offers to compute, and the log says the row was skipped', async () => {
    const uri = 'file:///attack/unknown.py';
    const text = `b = '${unknownDataset}'`;
    await client.open(uri, 'python', text);
    const h = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 10 },
    });
    assert.ok(h, 'no hover for the class whose sweep row names an unknown dataset');
    const value = (h.contents as { value: string }).value;
    assert.ok(
      commandLinks(value).some((l) => l.command === Commands.computeNtkScores && l.text === 'Compute NTK scores'),
      value,
    );
    await client.waitFor('the log line about the skipped row', () =>
      client.logs.find((l) =>
        /NTK result skipped: the row of class #\d+ in the sweep file .* is for dataset "mnist", not cifar10/.test(l),
      ),
    );
    assert.ok(!client.logs.some((l) => /hover failed/.test(l)), client.logs.join('\n'));
  });
});
