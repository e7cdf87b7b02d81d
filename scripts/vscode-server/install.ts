// Installs the VS Code server the end-to-end tests and `npm start` run in: code-server 4.100.3 (VS Code 1.100.3),
// the newest release whose engines.node accepts Node 20 (4.103+ need Node 22). Desktop VS Code and Electron cannot
// be downloaded on these machines (../shared/notes/vscode-e2e.md); code-server is the same workbench and the same
// Node extension host, served to a browser.
//
// The install goes into the gitignored `.vscode-test/code-server-<version>/`. It is built in a temporary sibling
// folder and renamed into place only once verified, so an interrupted install never leaves a half-usable cache, and
// a second run is instant.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureSystemPackages, findSystemRequirement } from '../system-packages';

export const CODE_SERVER_VERSION = '4.100.3';
/** The VS Code release inside that code-server; the integration suite checks `vscode.version` against it. */
export const VSCODE_VERSION = '1.100.3';

export const projectRoot = join(__dirname, '..', '..');
export const installDir = join(projectRoot, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
const markerFile = join(installDir, 'installed.json');

/** Files whose presence shows a usable install: the server entry, VS Code's ripgrep, the terminal's native module. */
function verificationFiles(dir: string): string[] {
  const cs = join(dir, 'node_modules', 'code-server');
  return [
    join(cs, 'out', 'node', 'entry.js'),
    join(cs, 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'),
    join(cs, 'lib', 'vscode', 'node_modules', 'node-pty', 'build', 'Release', 'pty.node'),
  ];
}

/** Path of code-server's CLI entry point (run it with `node`). */
export function codeServerEntry(): string {
  return join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

export function isCodeServerInstalled(): boolean {
  if (!existsSync(markerFile)) return false;
  try {
    const marker = JSON.parse(readFileSync(markerFile, 'utf8')) as { version?: string };
    return marker.version === CODE_SERVER_VERSION && verificationFiles(installDir).every((f) => existsSync(f));
  } catch {
    return false;
  }
}

/**
 * `@vscode/ripgrep`'s postinstall downloads `rg` from GitHub, which is unreachable here. It first looks in its cache
 * under $TMPDIR, so a tarball holding the system's `rg` (Debian's ripgrep, from apt) satisfies it.
 */
function seedRipgrepCache(tmpDir: string): void {
  const rg = findSystemRequirement('ripgrep');
  const cacheDir = join(tmpDir, 'vscode-ripgrep-cache-1.15.11');
  const stage = join(tmpDir, 'rg-stage');
  mkdirSync(cacheDir, { recursive: true });
  mkdirSync(stage, { recursive: true });
  copyFileSync(rg, join(stage, 'rg'));
  const tarball = join(cacheDir, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  const tar = spawnSync('tar', ['-czf', tarball, '-C', stage, 'rg'], { stdio: 'inherit' });
  if (tar.status !== 0) throw new Error(`Could not build the ripgrep cache tarball from ${rg} (is tar installed?).`);
}

/**
 * Makes sure code-server is installed and returns the path of its entry point. `log` receives progress lines.
 * Throws an error that says what to do when something is missing.
 */
export function ensureCodeServer({ log = (line: string) => console.log(line) } = {}): string {
  if (isCodeServerInstalled()) return codeServerEntry();
  // Native modules (argon2, node-pty, spdlog, kerberos) compile against these; ripgrep replaces the GitHub download.
  // scripts/test.mjs has installed them before the tests; `npm start` on a fresh machine installs them here.
  ensureSystemPackages(['ripgrep', 'libkrb5-dev', 'pkg-config']);
  mkdirSync(dirname(installDir), { recursive: true });
  const staging = mkdtempSync(`${installDir}.partial-`);
  try {
    const tmpDir = join(staging, 'tmp');
    mkdirSync(tmpDir);
    seedRipgrepCache(tmpDir);
    writeFileSync(
      join(staging, 'package.json'),
      JSON.stringify(
        {
          name: 'robust-nas-vscode-server',
          private: true,
          description:
            'code-server for the Robust NAS end-to-end tests and `npm start` (scripts/vscode-server/install.ts).',
          dependencies: { 'code-server': CODE_SERVER_VERSION },
          // code-server's postinstall installs VS Code's own modules; argon2 builds its password-hashing module.
          allowScripts: { [`code-server@${CODE_SERVER_VERSION}`]: true, 'argon2@0.31.2': true },
        },
        null,
        2,
      ),
    );
    log(`Installing code-server ${CODE_SERVER_VERSION} into ${installDir} (about a minute; cached afterwards)...`);
    const started = Date.now();
    const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: staging,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        TMPDIR: tmpDir,
        // code-server's postinstall refuses to run as root without it.
        npm_config_unsafe_perm: 'true',
        // node-pty's postinstall runs `npx node-gyp`; a user npmrc with `yes=false` would make npx refuse.
        npm_config_yes: 'true',
      },
    });
    if (npm.status !== 0) {
      throw new Error(
        `npm install code-server@${CODE_SERVER_VERSION} failed (exit ${npm.status ?? npm.signal}). ` +
          'Check that the npm registry is reachable and that g++ and make are installed, then run the command again.',
      );
    }
    const missing = verificationFiles(staging).filter((f) => !existsSync(f));
    if (missing.length) {
      throw new Error(
        `code-server was installed but is incomplete (missing ${missing.join(', ')}): its postinstall ` +
          "probably failed. Run `node --import tsx scripts/vscode-server/install.ts` to see npm's output.",
      );
    }
    rmSync(tmpDir, { recursive: true, force: true });
    writeFileSync(
      join(staging, 'installed.json'),
      JSON.stringify({ version: CODE_SERVER_VERSION, installedAt: new Date().toISOString() }),
    );
    rmSync(installDir, { recursive: true, force: true });
    renameSync(staging, installDir);
    log(`code-server ${CODE_SERVER_VERSION} installed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
    return codeServerEntry();
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    console.log(ensureCodeServer());
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
