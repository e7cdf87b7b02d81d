// Starts a private VS Code server (code-server) for `npm start` and the end-to-end tests, and stops it again.
// Everything it writes (settings, extensions, logs, caches) goes into one temporary folder with its own HOME, XDG_*
// and TMPDIR, so the real home is never touched. It binds 127.0.0.1 on a free port. It runs in its own process
// group, so stopping it also ends the extension host and the language server it started.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureCodeServer } from './install';
import { fatal, pollUntil } from './poll';

/** User settings for a quiet, deterministic workbench (no welcome page, telemetry, updates or trust prompts). */
export const BASE_USER_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'editor.hover.delay': 100,
  'chat.commandCenter.enabled': false,
};

/** Environment in which a process sees folders under `base` as its home, config, data, cache and temp dirs. */
export function isolatedEnv(base: string, extra: Record<string, string> = {}): Record<string, string> {
  const dirs = {
    HOME: join(base, 'home'),
    XDG_CONFIG_HOME: join(base, 'home', '.config'),
    XDG_DATA_HOME: join(base, 'home', '.local', 'share'),
    XDG_CACHE_HOME: join(base, 'home', '.cache'),
    XDG_STATE_HOME: join(base, 'home', '.local', 'state'),
    TMPDIR: join(base, 'tmp'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // The caller's npm and VS Code variables would leak its context into the extension host.
    if (v !== undefined && !k.startsWith('npm_') && !k.startsWith('VSCODE_')) env[k] = v;
  }
  return { ...env, ...dirs, ...extra };
}

export interface StartOptions {
  /** Merged over BASE_USER_SETTINGS into the server's user settings.json. */
  userSettings?: Record<string, unknown>;
  /** A .vsix to install into the server's private extensions folder before it starts. */
  vsix?: string;
  /** Extra environment for the server and its extension host (e.g. where a test suite writes its results). */
  env?: Record<string, string>;
  log?: (line: string) => void;
  /**
   * Workspace trust on (default off): folders open untrusted, in Restricted Mode, without the trust prompt
   * (test/e2e/ui-trust.test.ts). Otherwise trust is disabled and every folder is trusted.
   */
  workspaceTrust?: boolean;
}

export interface WorkbenchTarget {
  /** Absolute path of the folder to open. */
  folder?: string;
  /** Absolute path: what desktop VS Code's `--extensionDevelopmentPath` names. */
  extensionDevelopmentPath?: string;
  /** Absolute path of a module exporting `run()`: desktop VS Code's `--extensionTestsPath`. */
  extensionTestsPath?: string;
}

export interface RunningServer {
  port: number;
  origin: string;
  pid: number;
  /** Temporary folder holding everything the server writes; removed by stop(). */
  baseDir: string;
  userDataDir: string;
  extensionsDir: string;
  /** What the server printed so far. */
  output(): string;
  /** The server's and extension host's log files (for failure messages), each truncated to its last `tail` chars. */
  logs(tail?: number): string;
  workbenchUrl(target?: WorkbenchTarget): string;
  stop(): Promise<void>;
}

/** True while any process of the group `pgid` exists (signal 0 only checks). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Every `.log` file under `dir`, sorted by path (the workbench's and each extension host's logs). */
export function logFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...logFiles(p));
    else if (name.endsWith('.log')) out.push(p);
  }
  return out.sort();
}

export async function startCodeServer({
  userSettings = {},
  vsix,
  env: extraEnv = {},
  log = () => {},
  workspaceTrust = false,
}: StartOptions = {}): Promise<RunningServer> {
  const entry = ensureCodeServer({ log });
  const baseDir = mkdtempSync(join(tmpdir(), 'robust-nas-vscode-'));
  const userDataDir = join(baseDir, 'user-data');
  const extensionsDir = join(baseDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const trustSettings = workspaceTrust
    ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' }
    : {};
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...BASE_USER_SETTINGS, ...trustSettings, ...userSettings }, null, 2),
  );
  const config = join(baseDir, 'config.yaml');
  writeFileSync(config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  const env = isolatedEnv(baseDir, extraEnv);
  const commonArgs = ['--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const removeBaseDir = () => rmSync(baseDir, { recursive: true, force: true, maxRetries: 3 });

  if (vsix) {
    const r = spawnSync(process.execPath, [entry, ...commonArgs, '--install-extension', vsix, '--force'], {
      env,
      encoding: 'utf8',
    });
    if (r.status !== 0 || !/was successfully installed/.test(r.stdout)) {
      removeBaseDir();
      throw new Error(`code-server could not install ${vsix} (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
    }
    log(r.stdout.trim());
  }

  const child = spawn(
    process.execPath,
    [
      entry,
      ...commonArgs,
      '--disable-telemetry',
      '--disable-update-check',
      ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ],
    {
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* the group is already gone */
    }
  };
  // If the caller exits without stopping the server (an uncaught error), take the server down with it.
  const onParentExit = () => {
    killGroup('SIGKILL');
    removeBaseDir();
  };
  process.once('exit', onParentExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onParentExit);
    killGroup('SIGTERM');
    await Promise.race([exitedPromise, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    // The extension host and the language server may outlive the server process: end the whole group, then wait
    // until the group is gone (killed children stay visible to kill(0) until they are reaped).
    killGroup('SIGKILL');
    await pollUntil(() => !groupAlive(child.pid!), {
      timeoutMs: 10_000,
      message: `processes of group ${child.pid} outlived SIGKILL`,
    }).catch((e: Error) => log(e.message));
    removeBaseDir();
  };

  let port: number;
  try {
    port = await pollUntil(
      () => {
        if (exited) throw fatal(`code-server exited during start-up:\n${output}`);
        const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        return m ? Number(m[1]) : undefined;
      },
      { timeoutMs: 30_000, message: () => `code-server did not report its port; output so far:\n${output}` },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  const origin = `http://127.0.0.1:${port}`;

  return {
    port,
    origin,
    pid: child.pid!,
    baseDir,
    userDataDir,
    extensionsDir,
    output: () => output,
    logs: (tail = 4000) =>
      logFiles(join(userDataDir, 'logs'))
        .map((f) => `--- ${f.slice(userDataDir.length + 1)}\n${readFileSync(f, 'utf8').slice(-tail)}`)
        .join('\n'),
    // The payload carries what desktop VS Code takes as --extensionDevelopmentPath / --extensionTestsPath.
    workbenchUrl({ folder, extensionDevelopmentPath, extensionTestsPath }: WorkbenchTarget = {}) {
      const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${pathToFileURL(p).pathname}`;
      const payload: [string, string][] = [];
      if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
      if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
      const query = new URLSearchParams();
      if (folder) query.set('folder', folder);
      if (payload.length) query.set('payload', JSON.stringify(payload));
      const q = query.toString();
      return `${origin}/${q ? `?${q}` : ''}`;
    },
    stop,
  };
}
