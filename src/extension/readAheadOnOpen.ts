import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FileOpeningAbandonedNotification, FileOpeningNotification } from '../shared/protocol';
import type { RobustNasSettings } from '../shared/settings';
import { documentSelector } from './documentSelector';
import { languageContributions, likelyLanguagesOf, type LanguageContribution } from './languageOfFile';

/**
 * Tells the language server about a file as soon as its editor tab opens, so it can read the file from disk and
 * publish diagnostics while VS Code is still loading it (src/server/readAhead.ts has the figures). Only files the
 * server will be sent: on disk (`file:`), not dirty (the editor would show a backup, not the file), not open already,
 * and of a language (VS Code's choice from the name: languageOfFile.ts) or path the document selector serves. When
 * the document then opens with a language the selector leaves out, or the tab closes before it opens, the server
 * is told to withdraw what it published.
 */
export function readAheadOnOpen(
  client: () => LanguageClient | undefined,
  settings: () => RobustNasSettings,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  let contributions: LanguageContribution[] | undefined;
  const announced = new Set<string>();
  const send = (what: string, f: (c: LanguageClient) => Promise<void>) => {
    const c = client();
    if (c?.isRunning()) void f(c).catch((e: unknown) => log.warn(`Telling the server ${what} failed: ${String(e)}`));
  };
  const isOpen = (uri: string) => vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri);
  const served = (uri: vscode.Uri, languageId: string) =>
    // The selector's own matcher; it reads only the document's uri and languageId (and its notebook, which a
    // selector without notebookType never asks for), so it takes the document VS Code has not made yet.
    vscode.languages.match(documentSelector(settings()), { uri, languageId } as vscode.TextDocument) > 0;
  const matchesGlob = (glob: string, path: string) =>
    vscode.languages.match({ pattern: glob }, { uri: vscode.Uri.file(path), languageId: '' } as vscode.TextDocument) >
    0;

  const announce = (tab: vscode.Tab) => {
    // Only a tab being shown: VS Code loads the text of the active tab of each group, not of the others.
    if (!(tab.input instanceof vscode.TabInputText) || tab.isDirty || !tab.isActive) return;
    const { uri } = tab.input;
    const key = uri.toString();
    if (uri.scheme !== 'file' || announced.has(key) || isOpen(key)) return;
    contributions ??= languageContributions(vscode.extensions.all.map((e) => e.packageJSON as unknown));
    const associations = vscode.workspace.getConfiguration('files', uri).get<Record<string, unknown>>('associations');
    const languages = likelyLanguagesOf(uri.path, contributions, associations ?? {}, matchesGlob);
    // Every language VS Code may pick must be served; a name that decides nothing needs a file pattern that serves it.
    const candidates = languages.length ? languages : [''];
    if (!candidates.every((id) => served(uri, id))) return;
    announced.add(key);
    send(`about ${key}`, (c) =>
      c.sendNotification(FileOpeningNotification.type, { uri: key, languageId: candidates[0] }),
    );
  };
  const abandon = (key: string) => {
    if (!announced.delete(key)) return;
    send(`to forget ${key}`, (c) => c.sendNotification(FileOpeningAbandonedNotification.type, { uri: key }));
  };

  return vscode.Disposable.from(
    vscode.extensions.onDidChange(() => (contributions = undefined)),
    vscode.window.tabGroups.onDidChangeTabs((e) => {
      for (const tab of [...e.opened, ...e.changed]) announce(tab);
      for (const tab of e.closed) {
        if (!(tab.input instanceof vscode.TabInputText)) continue;
        const key = tab.input.uri.toString();
        const stillShown = vscode.window.tabGroups.all.some((g) =>
          g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key),
        );
        if (!stillShown && !isOpen(key)) abandon(key);
      }
    }),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      const key = doc.uri.toString();
      if (!announced.has(key)) return;
      if (vscode.languages.match(documentSelector(settings()), doc) > 0) announced.delete(key);
      else abandon(key);
    }),
  );
}
