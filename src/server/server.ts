// Entry of the Robust NAS language server (bundled to dist/server.js; the extension starts it over IPC or stdio).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { indexCacheLogLine, loadBenchmark } from '../core/benchmark/load';
import { startServer } from './startServer';

const connection = createConnection(ProposedFeatures.all);

// A bug in one handler must not take the server down with it: log and keep serving (vscode-eslint does the same).
process.on('uncaughtException', (e: unknown) => {
  connection.console.error(
    `Uncaught exception in the Robust NAS server: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
  );
});
process.on('unhandledRejection', (e: unknown) => {
  connection.console.error(
    `Unhandled rejection in the Robust NAS server: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
  );
});

startServer(connection, (dataPath, signal, onProgress) =>
  loadBenchmark({
    dataDir: dataPath || undefined,
    signal,
    onProgress: (p) =>
      onProgress(
        p.phase === 'downloading'
          ? `Downloading ${p.path}${p.total ? ` (${Math.round(((p.received ?? 0) / p.total) * 100)}%)` : ''}…`
          : `Found ${p.path}…`,
      ),
    onIndexCache: (e) => {
      const { level, text } = indexCacheLogLine(e);
      // The server's console has no debug level; routine cache use is not worth a line there.
      if (level === 'warn') connection.console.warn(text);
      else if (level === 'info') connection.console.info(text);
    },
  }),
);
connection.listen();
