/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ADVERSARIAL_METRIC_IDS, METRIC_INFO } from '../../../src/core/benchmark/metrics';
import { parseArchString } from '../../../src/core/space/parse';
import { SERVER_MARKDOWN_COMMANDS } from '../../../src/shared/cellActions';
import { describeRange, openDemo, pollUntil, referenceBenchmark, robustNas } from './context';

// The language server's features as VS Code's own commands see them, on the demo Python script. Expected values
// come from the core (parser, Benchmark over the shared data), never from the server.

const SCRIPT = 'search_robust_cells.py';
const EVOLVED_BEST = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|';
const TYPO = '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_conect~0|nor_conv_3x3~1|skip_connect~2|';

/** One accuracy as the server prints it (two decimals, as everywhere in the extension). */
const percent2 = (v: number) => `${(v * 100).toFixed(2)}%`;

/** Every double-quoted architecture string literal in the document, with its range (quotes excluded). */
function archLiterals(doc: vscode.TextDocument): { text: string; range: vscode.Range }[] {
  const out: { text: string; range: vscode.Range }[] = [];
  const text = doc.getText();
  for (const m of text.matchAll(/"(\|[^"\n]*\|)"/g)) {
    const start = m.index + 1;
    out.push({ text: m[1], range: new vscode.Range(doc.positionAt(start), doc.positionAt(start + m[1].length)) });
  }
  return out;
}

function rangeOf(doc: vscode.TextDocument, literal: string, occurrence = 0): vscode.Range {
  const found = archLiterals(doc).filter((l) => l.text === literal)[occurrence];
  assert.ok(found, `${literal} is not in ${doc.uri.path}`);
  return found.range;
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** Waits until the server published diagnostics for `uri` that satisfy `ready` (they come after the data loads). */
async function diagnosticsWhen(
  uri: vscode.Uri,
  ready: (ds: vscode.Diagnostic[]) => boolean,
  what: string,
): Promise<vscode.Diagnostic[]> {
  return pollUntil(
    () => {
      const ds = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Robust NAS');
      return ready(ds) ? ds : undefined;
    },
    {
      timeoutMs: 60_000,
      intervalMs: 200,
      message: () =>
        `${what}; diagnostics now: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => [codeOf(d), d.range.start.line + 1, d.message]))}`,
    },
  );
}

suite('Language server', () => {
  let doc: vscode.TextDocument;

  suiteSetup(async () => {
    await (await robustNas()).benchmark();
    doc = (await openDemo(SCRIPT)).document;
  });

  test("every malformed string gets the parser's errors as diagnostics, with the same codes and ranges", async () => {
    const expected: { code: string; range: vscode.Range }[] = [];
    for (const lit of archLiterals(doc)) {
      const parsed = parseArchString(lit.text);
      if (parsed.ok) continue;
      const base = doc.offsetAt(lit.range.start);
      for (const e of parsed.errors) {
        expected.push({
          code: e.kind,
          range: new vscode.Range(doc.positionAt(base + e.offset), doc.positionAt(base + e.offset + e.length)),
        });
      }
    }
    // The fixture has a misspelt op (1 error) and a cell with its inputs swapped (2 errors).
    assert.equal(expected.length, 3);
    const ds = await diagnosticsWhen(
      doc.uri,
      (all) => expected.every((x) => all.some((d) => codeOf(d) === x.code && d.range.isEqual(x.range))),
      'the syntax diagnostics did not arrive',
    );
    for (const x of expected) {
      const d = ds.find((y) => codeOf(y) === x.code && y.range.isEqual(x.range))!;
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error, `${x.code} at ${describeRange(doc, x.range)}`);
    }
    const typo = ds.find((d) => codeOf(d) === 'unknown-op')!;
    assert.equal(doc.getText(typo.range), 'skip_conect');
  });

  test('a cell evaluated as another member of its isomorphism class is flagged with the representative', async () => {
    const reference = await referenceBenchmark();
    const nonRepresentatives = archLiterals(doc).flatMap((lit) => {
      const r = reference.resolve(lit.text);
      return r.ok && !r.arch.isRepresentative ? [{ ...lit, representative: r.arch.representativeIndex }] : [];
    });
    assert.ok(nonRepresentatives.length >= 1, 'the fixture should hold a non-representative cell');
    const ds = await diagnosticsWhen(
      doc.uri,
      (all) => nonRepresentatives.every((n) => all.some((d) => codeOf(d) === 'isomorphic' && d.range.isEqual(n.range))),
      'no isomorphism diagnostics',
    );
    for (const n of nonRepresentatives) {
      const d = ds.find((y) => codeOf(y) === 'isomorphic' && y.range.isEqual(n.range))!;
      assert.match(d.message, new RegExp(`#${n.representative}\\b`));
      // Default robustNas.diagnostics.isomorphismSeverity is 'information' (src/shared/settings.ts).
      assert.equal(d.severity, vscode.DiagnosticSeverity.Information);
    }
    // A representative cell with no dead edge is not flagged at all.
    const clean = rangeOf(doc, EVOLVED_BEST);
    assert.deepEqual(ds.filter((d) => d.range.intersection(clean)).map(codeOf), []);
  });

  test("the hover on an architecture string is the benchmark card with the data's numbers", async () => {
    const reference = await referenceBenchmark();
    const range = rangeOf(doc, EVOLVED_BEST);
    const r = reference.resolve(EVOLVED_BEST);
    assert.ok(r.ok);
    const hovers = await pollUntil(
      async () => {
        const hs = await vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          doc.uri,
          range.start.translate(0, 20),
        );
        return hs.some((h) => hoverText(h).includes(`#${r.arch.index}`)) ? hs : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300, message: 'no benchmark hover over the evolved best cell' },
    );
    const hover = hovers.find((h) => hoverText(h).includes(`#${r.arch.index}`))!;
    const card = hoverText(hover);
    // The configured metric (PGD@8 on CIFAR-10) in bold, then every adversarial metric of CIFAR-10 with its rank.
    const pgd8 = reference.metric(r.arch.representativeIndex, 'cifar10', 'pgd@8')!;
    assert.ok(card.includes(`**PGD@8 on CIFAR-10: ${percent2(pgd8.value)}** · rank **#${pgd8.rank}**`), card);
    for (const metric of ADVERSARIAL_METRIC_IDS) {
      const m = reference.metric(r.arch.representativeIndex, 'cifar10', metric)!;
      assert.ok(
        card.includes(percent2(m.value)) && card.includes(`#${m.rank}`),
        `${metric}: ${percent2(m.value)} #${m.rank} not in the card:\n${card}`,
      );
    }
    // vscode-languageclient turned the server's MarkupContent into a MarkdownString trusted for the card's commands
    // only (LSP has no trust flag; src/extension/languageClient.ts sets it for every piece of server Markdown).
    const markdown = hover.contents.find((c): c is vscode.MarkdownString => typeof c !== 'string' && 'isTrusted' in c)!;
    assert.deepEqual(markdown.isTrusted, { enabledCommands: [...SERVER_MARKDOWN_COMMANDS] });
    assert.equal(markdown.supportHtml, false);
  });

  test('an inlay hint after the string shows the configured metric (PGD@8 on CIFAR-10) from the data', async () => {
    const reference = await referenceBenchmark();
    const range = rangeOf(doc, EVOLVED_BEST);
    const r = reference.resolve(EVOLVED_BEST);
    assert.ok(r.ok);
    const m = reference.metric(r.arch.representativeIndex, 'cifar10', 'pgd@8')!;
    const line = doc.lineAt(range.start.line).range;
    const hints = await pollUntil(
      async () => {
        const hs = await vscode.commands.executeCommand<vscode.InlayHint[]>(
          'vscode.executeInlayHintProvider',
          doc.uri,
          line,
        );
        return hs.length ? hs : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300, message: "no inlay hint on the evolved best cell's line" },
    );
    const label = (h: vscode.InlayHint) =>
      typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('');
    assert.deepEqual(hints.map(label), [`${METRIC_INFO['pgd@8'].label} ${percent2(m.value)} #${m.rank}`]);
    // After the closing quote, not inside the string.
    assert.ok(hints[0].position.isEqual(range.end.translate(0, 1)));
  });

  test('the quick fix for a misspelt op applies and the error goes away', async () => {
    const range = rangeOf(doc, TYPO);
    const typo = (
      await diagnosticsWhen(doc.uri, (all) => all.some((d) => codeOf(d) === 'unknown-op'), 'no unknown-op diagnostic')
    ).find((d) => codeOf(d) === 'unknown-op')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      typo.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.title === "Change 'skip_conect' to 'skip_connect'");
    assert.ok(fix?.edit, `no fix among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(fix.isPreferred, true);
    try {
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      const fixed = TYPO.replace('skip_conect', 'skip_connect');
      assert.equal(doc.getText(new vscode.Range(range.start, range.start.translate(0, fixed.length))), fixed);
      await diagnosticsWhen(
        doc.uri,
        (all) => !all.some((d) => codeOf(d) === 'unknown-op'),
        'the unknown-op diagnostic stayed after the fix',
      );
    } finally {
      // Leave the workspace as found (under @vscode/test-cli it is the checked-in fixture).
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    assert.equal(doc.isDirty, false);
    assert.ok(doc.getText().includes(TYPO));
  });
});

function hoverText(h: vscode.Hover): string {
  return h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}
