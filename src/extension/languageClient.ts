import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { SERVER_MARKDOWN_COMMANDS } from '../shared/cellActions';
import type { NtkStoreParams, ServerInitializationOptions } from '../shared/protocol';
import type { RobustNasSettings } from '../shared/settings';
import { documentSelector } from './documentSelector';
import { SETTINGS_SECTION, trustedSection, workspaceTrustParams } from './settings';

/**
 * Starts the language server (dist/server.js, a separate Node process over IPC). The client id `robustNas` makes
 * vscode-languageclient honour the `robustNas.trace.server` setting on its own trace channel.
 *
 * LSP's MarkupContent has no notion of trust: vscode-languageclient's protocol converter turns every piece of server
 * Markdown (hovers, inlay hint tooltips, completion documentation) into a vscode.MarkdownString and sets its
 * `isTrusted` from the `markdown` client option below. Trust is therefore given here, once, and only for the
 * commands the hover card links to (SERVER_MARKDOWN_COMMANDS); the server escapes every string it did not write
 * itself (src/server/markdown.ts), and a link to any other command, e.g. NTK Sweep, does not run. No HTML.
 */
export async function startLanguageClient(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  traceChannel: vscode.LogOutputChannel,
  settings: RobustNasSettings,
  ntk: NtkStoreParams,
): Promise<LanguageClient> {
  const serverModule = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6019'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(settings),
    outputChannel: log,
    traceOutputChannel: traceChannel,
    // Settings changes are pushed (workspace/didChangeConfiguration) so the server re-reads them without a restart.
    synchronize: { configurationSection: SETTINGS_SECTION },
    markdown: { isTrusted: { enabledCommands: [...SERVER_MARKDOWN_COMMANDS] }, supportHtml: false },
    // Where stored NTK results are (the hover card shows them); later changes come as robustNas/ntkResultsChanged.
    initializationOptions: {
      settings,
      ntk,
      workspaceTrust: workspaceTrustParams(),
    } satisfies ServerInitializationOptions,
    middleware: {
      workspace: {
        // Untrusted workspace: the answers carry the user's values of the restricted settings, never the
        // workspace's (VS Code's own answer already should; the server applies the same rule again).
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) return answers;
          return answers.map((answer, i) => trustedSection(params.items[i]?.section, answer));
        },
      },
    },
  };
  const client = new LanguageClient(SETTINGS_SECTION, 'Robust NAS Language Server', serverOptions, clientOptions);
  await client.start();
  return client;
}
