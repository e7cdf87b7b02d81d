// The floor peer of `npm run bench:workbench` (bench/workbench.bench.ts): the least an extension can do for the
// dump's hovers, squiggles and inlay hints, in the same workbench and the same run as Robust NAS. Its hover answers
// at once, it sets one squiggle from `onDidOpenTextDocument` and one hint per visible line, with no language server
// and no data. Whatever time it takes is the workbench's own (opening the file, handing its text to the extension
// host, drawing): no extension can show those things sooner through VS Code's API. Built by the bench into a temp
// folder and loaded as a development extension; never packaged.
import * as vscode from 'vscode';

/** The text the bench looks for in hover cards and hints (Robust NAS's cards and hints show the PGD@8 accuracy). */
const MARK = 'PGD@8';

export function activate(context: vscode.ExtensionContext): void {
  const python = { language: 'python' };
  const squiggles = vscode.languages.createDiagnosticCollection('floor');
  const mark = (doc: vscode.TextDocument) => {
    if (doc.languageId !== 'python' || doc.lineCount < 7) return;
    // Line 6 is the first cell the bench hovers; an information squiggle over it, as Robust NAS's isomorphism ones.
    const range = doc.lineAt(6).range;
    squiggles.set(doc.uri, [new vscode.Diagnostic(range, 'floor', vscode.DiagnosticSeverity.Information)]);
  };
  context.subscriptions.push(
    squiggles,
    vscode.workspace.onDidOpenTextDocument(mark),
    vscode.languages.registerHoverProvider(python, {
      provideHover: () => new vscode.Hover(`${MARK} (floor)`),
    }),
    vscode.languages.registerInlayHintsProvider(python, {
      provideInlayHints: (doc, range) => {
        const hints: vscode.InlayHint[] = [];
        for (let line = range.start.line; line <= range.end.line && line < doc.lineCount; line++)
          hints.push(new vscode.InlayHint(doc.lineAt(line).range.end, ` ${MARK}`));
        return hints;
      },
    }),
  );
  vscode.workspace.textDocuments.forEach(mark);
}
