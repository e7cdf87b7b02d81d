// `npm start`: the extension, freshly built from this working tree, in a real VS Code (code-server 4.100.3) on
// 127.0.0.1, opened on a copy of the demo workspace (test/fixtures/demo). Prints the URL to open in a browser and
// runs until Ctrl-C, then stops the server (and the extension host and language server with it) and removes its
// temporary folders. The extension is loaded as a development extension, like desktop VS Code's
// `code --extensionDevelopmentPath=.`, so reloading the window (Developer: Reload Window) picks up a rebuild.
//
// Options: `--folder <dir>` opens that folder instead of the demo copy; `--url-file <file>` writes the URL there
// once the server is up (for scripts that drive it).
import { existsSync, mkdtempSync, cpSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findProjectRoot, sharedDataCandidates } from '../src/core/benchmark/projectRoot';
import { projectRoot } from './vscode-server/install';
import { startCodeServer } from './vscode-server/server';

const { values } = parseArgs({ options: { folder: { type: 'string' }, 'url-file': { type: 'string' } } });

/** The shared data copy beside the checkout, when there is one; otherwise the extension's own search applies. */
function sharedData(): string | undefined {
  const root = findProjectRoot(projectRoot);
  return root ? sharedDataCandidates(root).find((d) => existsSync(d)) : undefined;
}

async function main(): Promise<void> {
  let folder: string;
  let demoCopy: string | undefined;
  if (values.folder) {
    folder = resolve(values.folder);
    if (!existsSync(folder)) throw new Error(`--folder ${values.folder}: no such folder.`);
  } else {
    // A copy, so quick fixes tried in the demo never change the checked-in fixture.
    demoCopy = mkdtempSync(join(tmpdir(), 'robust-nas-demo-'));
    cpSync(join(projectRoot, 'test', 'fixtures', 'demo'), demoCopy, { recursive: true });
    folder = demoCopy;
  }
  const data = sharedData();
  const server = await startCodeServer({
    userSettings: data ? { 'robustNas.dataPath': data } : {},
    log: (line) => console.log(line),
  });
  let stopping = false;
  const shutdown = async (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${why}: stopping the VS Code server...`);
    await server.stop();
    if (demoCopy) rmSync(demoCopy, { recursive: true, force: true });
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('Ctrl-C'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));

  const url = server.workbenchUrl({ folder, extensionDevelopmentPath: projectRoot });
  if (values['url-file']) writeFileSync(values['url-file'], url);
  console.log(
    [
      '',
      `Robust NAS is running in VS Code ${server.origin} (code-server, VS Code 1.100.3).`,
      `Workspace: ${folder}${demoCopy ? ' (a copy of test/fixtures/demo)' : ''}`,
      `Data: ${data ?? 'not found beside the checkout; set robustNas.dataPath in the settings'}`,
      '',
      'Open this URL in a browser:',
      `  ${url}`,
      '',
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
