import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { BenchmarkApi } from '../core/benchmark/api';
import { shutdownNtkPool } from '../core/ntk/pool';
import { BenchmarkService, type BenchmarkLoader } from './benchmarkService';
import { registerCommands } from './commands/table';
import { registerPanels } from './panels';
import { ComparisonStore } from './comparison/comparisonStore';
import { startLanguageClient } from './languageClient';
import { readAheadOnOpen } from './readAheadOnOpen';
import { ReportDocuments } from './reports/reportDocuments';
import type { ExtensionServices } from './services';
import {
  affects,
  ignoredWorkspaceValues,
  readSettings,
  workspaceTrustParams,
  type IgnoredWorkspaceValue,
} from './settings';
import { registerSidebar } from './sidebar/registerSidebar';
import { BenchmarkStatusBar } from './statusBar';
import { extensionBenchmarkLoader } from './loadBenchmark';
import { NtkResultStore } from './ntkResults';
import { NtkResultsChangedNotification, ReloadDataNotification, WorkspaceTrustNotification } from '../shared/protocol';
import { showDataProblem } from './dataProblemUi';

/** What activate() returns to other extensions and the end-to-end tests (`extension.exports`). */
export interface RobustNasExtensionApi {
  readonly comparison: ComparisonStore;
  /** The loaded benchmark, awaiting it if it is still loading; rejects with the reason when it cannot load. */
  benchmark(): Promise<BenchmarkApi>;
}

let client: LanguageClient | undefined;

/**
 * Wires the extension: log, settings, benchmark (loaded in the background), comparison store, status bar,
 * commands, sidebar, then the language server. Any failure is logged and shown, never swallowed; the commands and
 * views still work when only the server fails to start.
 */
export async function activate(context: vscode.ExtensionContext): Promise<RobustNasExtensionApi> {
  const log = vscode.window.createOutputChannel('Robust NAS', { log: true });
  const trace = vscode.window.createOutputChannel('Robust NAS LSP Trace', { log: true });
  context.subscriptions.push(log, trace);
  try {
    return await activateWith(context, log, trace, extensionBenchmarkLoader(log, context.extensionPath));
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log.error(`Activation failed: ${message}`);
    void vscode.window
      .showErrorMessage(
        `Robust NAS could not start: ${error instanceof Error ? error.message : String(error)}`,
        'Show Log',
      )
      .then((c) => {
        if (c === 'Show Log') log.show();
      });
    throw error;
  }
}

async function activateWith(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  trace: vscode.LogOutputChannel,
  loader: BenchmarkLoader,
): Promise<RobustNasExtensionApi> {
  let settings = readSettings();
  const benchmark = new BenchmarkService(loader, log, settings.dataPath);
  const comparison = new ComparisonStore(context.workspaceState);
  const reports = new ReportDocuments();
  const statusBar = new BenchmarkStatusBar();
  const ntkResults = new NtkResultStore(context.globalState);
  context.subscriptions.push(benchmark, comparison, reports, statusBar, ntkResults);

  const services: ExtensionServices = {
    context,
    log,
    benchmark,
    comparison,
    reports,
    ntkResults,
    settings: () => settings,
    languageClient: () => client,
  };
  context.subscriptions.push(...registerCommands(services));
  registerPanels(context, services);
  const sidebar = registerSidebar(services);
  context.subscriptions.push(sidebar);

  // The folder's own values of the restricted settings, read from its settings files while it is untrusted.
  let ignored: IgnoredWorkspaceValue[] = [];
  const updateStatusBar = () =>
    statusBar.update(settings, benchmark.state, { trusted: vscode.workspace.isTrusted, ignored });
  const refreshIgnored = async () => {
    ignored = await ignoredWorkspaceValues();
    updateStatusBar();
  };
  updateStatusBar();
  // `editorLangId in robustNas.languages` in package.json menus: the editor context menu follows the selector.
  const setLanguagesContext = () =>
    vscode.commands.executeCommand('setContext', 'robustNas.languages', settings.languages);
  void setLanguagesContext();
  let previousKind = benchmark.state.kind;
  context.subscriptions.push(
    benchmark.onDidChange((state) => {
      updateStatusBar();
      // A load from the default locations failed, but robustNas.dataPath names a folder now: load from it instead of
      // showing the failure. Seen in CI after a window reload under load: the new extension host read no dataPath at
      // activation although the user setting was there (the language server got it moments later) and no load
      // followed; the change event, if VS Code sent one, did not reach the handler below. Cause not known.
      if (state.kind === 'unavailable' && !state.dataPath) {
        const latest = readSettings();
        if (latest.dataPath) {
          log.info(`robustNas.dataPath is "${latest.dataPath}" now; loading from it.`);
          settings = latest;
          void benchmark.reload(latest.dataPath);
          return;
        }
      }
      // Tell the user once per failed load, in one line with the fixes; views show the same line until it is fixed.
      if (state.kind === 'unavailable' && state.problem.kind !== 'cancelled') void showDataProblem(state.problem);
      // The language server loads the data on its own: when the extension got it by Download or Locate (the setting
      // may not have changed), have the server load again so hovers and diagnostics recover too.
      if (state.kind === 'ready' && previousKind === 'unavailable')
        void client
          ?.sendNotification(ReloadDataNotification.type)
          .catch((e: unknown) => log.warn(`Asking the server to reload the data failed: ${String(e)}`));
      previousKind = state.kind;
    }),
  );
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affects(e)) return;
      const before = settings;
      settings = readSettings();
      if (settings.dataPath !== before.dataPath)
        log.info(
          `robustNas.dataPath is now ${settings.dataPath ? `"${settings.dataPath}"` : 'empty (the default locations)'}.`,
        );
      if (settings.dataPath !== before.dataPath && settings.dataPath !== benchmark.state.dataPath)
        void benchmark.reload(settings.dataPath);
      if (affects(e, 'languages') || affects(e, 'filePatterns')) {
        void setLanguagesContext();
        void restartLanguageClient(context, log, trace, settings, ntkResults);
      } else if (!vscode.workspace.isTrusted) {
        // The user's own values of the restricted settings may have changed: the server uses those while untrusted.
        void client?.sendNotification(WorkspaceTrustNotification.type, workspaceTrustParams()).catch(() => undefined);
      }
      updateStatusBar();
      void refreshIgnored();
      sidebar.refresh();
    }),
  );

  // Trust granted: the folder's own robustNas.dataPath and robustNas.ntk.inputs now apply, here and in the server.
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      const before = settings;
      settings = readSettings();
      log.info('Workspace trusted: its robustNas.dataPath and robustNas.ntk.inputs now apply.');
      if (settings.dataPath !== before.dataPath && settings.dataPath !== benchmark.state.dataPath)
        void benchmark.reload(settings.dataPath);
      void client
        ?.sendNotification(WorkspaceTrustNotification.type, { trusted: true })
        .catch((e: unknown) => log.warn(`Telling the server about workspace trust failed: ${String(e)}`));
      ignored = [];
      updateStatusBar();
      sidebar.refresh();
    }),
  );
  void refreshIgnored().then(() => {
    if (!ignored.length) return;
    log.warn(
      `Restricted Mode: ignoring this folder's ${ignored.map((i) => `${i.key} = ${JSON.stringify(i.value)}`).join(', ')} until it is trusted.`,
    );
    const manage = 'Manage Workspace Trust';
    void vscode.window
      .showWarningMessage(
        `Robust NAS: this folder's settings set ${[...new Set(ignored.map((i) => i.key))].join(' and ')}; Restricted Mode ignores them until you trust the folder (your user settings apply meanwhile).`,
        manage,
      )
      .then((choice) => (choice === manage ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
  });

  // The server's hover card reads NTK results from disk; tell it where they are whenever new ones land.
  context.subscriptions.push(
    ntkResults.onDidChange((params) => {
      void client
        ?.sendNotification(NtkResultsChangedNotification.type, params)
        .catch((e: unknown) => log.warn(`Telling the server about new NTK results failed: ${String(e)}`));
    }),
  );

  context.subscriptions.push(
    readAheadOnOpen(
      () => client,
      () => settings,
      log,
    ),
  );
  await restartLanguageClient(context, log, trace, settings, ntkResults);
  log.info(`Robust NAS ${context.extension.packageJSON.version as string} activated`);
  return { comparison, benchmark: () => benchmark.get() };
}

/** (Re)starts the language server with the current document selector; a failure is shown but leaves the rest running. */
async function restartLanguageClient(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  trace: vscode.LogOutputChannel,
  settings: ReturnType<typeof readSettings>,
  ntkResults: NtkResultStore,
): Promise<void> {
  const previous = client;
  client = undefined;
  try {
    await previous?.stop();
  } catch (error) {
    log.warn(`Stopping the language server failed: ${String(error)}`);
  }
  try {
    client = await startLanguageClient(context, log, trace, settings, ntkResults.params());
    log.info('Language server started');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error(`The language server did not start: ${message}`);
    void vscode.window
      .showErrorMessage(
        `Robust NAS: the language server did not start (${message}). Hovers and diagnostics are off; commands and views still work.`,
        'Show Log',
      )
      .then((c) => {
        if (c === 'Show Log') log.show();
      });
  }
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  // The NTK worker threads belong to this process: end them with the extension.
  await Promise.all([c?.stop(), shutdownNtkPool()]);
}
