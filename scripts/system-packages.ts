// The system programs and headers the tests need beyond npm: found where they are, installed once with apt-get
// when they are missing and the machine allows it, or named clearly when it does not (a laptop, macOS, no root).
//
// scripts/test.mjs runs this once, before any test file, for exactly the files it is about to run:
//   node --import tsx scripts/system-packages.ts <test files...>
// Test files never install anything themselves: several of them start at once, and concurrent apt-get runs fail
// on the dpkg lock. Installs still take a machine-wide lock of our own (and wait for apt's), so two callers that
// do meet (two worktrees running their tests, `npm start` beside a test run) wait for each other instead of failing.
//
// Adding a requirement: append to TEST_SYSTEM_PACKAGES (the Debian package, why, which test folders need it, and
// how to find it), and use `findSystemRequirement` from the code that needs the path.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';

/** Something the tests need from the system, and the Debian package that provides it. */
export interface SystemRequirement {
  /** Debian package name (what apt-get installs). */
  readonly package: string;
  /** What needs it, for the message when it is missing. */
  readonly why: string;
  /** Test paths (relative to the project root, `/`-separated prefixes) whose files need it. */
  readonly neededBy: readonly string[];
  /** Where it is on this machine, or why it is not found. */
  find(env?: NodeJS.ProcessEnv): Found;
  /** What to do on a machine where apt-get cannot install it. */
  readonly otherwise: string;
}

/**
 * Where it is, or what is wrong. `settingWrong`: the user named a location that is not usable (installing the
 * package would not change that, so nothing is installed for it).
 */
export type Found =
  { readonly path: string } | { readonly path?: undefined; readonly problem: string; readonly settingWrong?: boolean };

/** True when `path` is a regular file this process may execute. */
function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (process.platform === 'win32') return true;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `name` on the PATH, as `which` finds it. */
export function onPath(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  isExecutable = isExecutableFile,
): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The environment variable that names the Chrome or Chromium the tests drive. */
export const CHROMIUM_ENV = 'ROBUST_NAS_CHROMIUM';

/** Where Chrome and Chromium install themselves, per platform, most specific first. */
export function chromiumCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  switch (platform) {
    case 'darwin': {
      const apps = ['/Applications', join(env.HOME ?? homedir(), 'Applications')];
      return apps.flatMap((a) => [
        join(a, 'Chromium.app/Contents/MacOS/Chromium'),
        join(a, 'Google Chrome.app/Contents/MacOS/Google Chrome'),
        join(a, 'Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing'),
      ]);
    }
    case 'win32':
      return [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA]
        .filter((d): d is string => !!d)
        .flatMap((d) => [
          join(d, 'Chromium', 'Application', 'chrome.exe'),
          join(d, 'Google', 'Chrome', 'Application', 'chrome.exe'),
        ]);
    default:
      // Debian's package first: it is what apt-get installs here.
      return [
        '/usr/bin/chromium',
        '/usr/bin/chromium-browser',
        '/usr/bin/google-chrome',
        '/usr/bin/google-chrome-stable',
        '/opt/google/chrome/chrome',
        '/snap/bin/chromium',
      ];
  }
}

/**
 * The Chrome or Chromium the tests launch: `ROBUST_NAS_CHROMIUM` when set (and then only it: a wrong value is
 * reported, not silently replaced by another browser), else the first installed of the usual locations.
 */
export function findChromium({
  env = process.env,
  platform = process.platform,
  isExecutable = isExecutableFile,
}: {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  isExecutable?: (path: string) => boolean;
} = {}): Found {
  const named = env[CHROMIUM_ENV];
  if (named) {
    if (!isAbsolute(named))
      return {
        problem: `${CHROMIUM_ENV}=${named} is not an absolute path; name the browser's executable file`,
        settingWrong: true,
      };
    return isExecutable(named)
      ? { path: named }
      : { problem: `${CHROMIUM_ENV}=${named} is not an executable file`, settingWrong: true };
  }
  const candidates = chromiumCandidates(platform, env);
  const found = candidates.find((c) => isExecutable(c));
  return found ? { path: found } : { problem: `no Chrome or Chromium found (looked at ${candidates.join(', ')})` };
}

/** Chromium's executable for the browser tests; throws an error that says what to do when there is none. */
export function chromiumExecutable(): string {
  const found = findChromium();
  if (found.path !== undefined) return found.path;
  throw new Error(
    `${found.problem}. ${CHROMIUM.otherwise} (\`npm test\` and \`node scripts/test.mjs\` install Debian's chromium first when they can).`,
  );
}

const CHROMIUM: SystemRequirement = {
  package: 'chromium',
  why: 'the webview tests (test/webview) and the VS Code workbench tests (test/e2e) drive a headless Chromium',
  neededBy: ['test/webview/', 'test/e2e/'],
  find: (env) => findChromium({ env }),
  otherwise: `Install Chrome or Chromium, or set ${CHROMIUM_ENV} to the path of its executable`,
};

export function fileRequirement(
  pkg: string,
  why: string,
  neededBy: string[],
  files: string[],
  otherwise: string,
): SystemRequirement {
  return {
    package: pkg,
    why,
    neededBy,
    otherwise,
    find: () => {
      const f = files.find(isFile);
      return f ? { path: f } : { problem: `${files.join(' or ')} not found` };
    },
  };
}

export function commandRequirement(
  pkg: string,
  command: string,
  why: string,
  neededBy: string[],
  otherwise: string,
): SystemRequirement {
  return {
    package: pkg,
    why,
    neededBy,
    otherwise,
    find: (env) => {
      const p = onPath(command, env);
      return p ? { path: p } : { problem: `\`${command}\` is not on the PATH` };
    },
  };
}

/** Everything the test suite needs from the system. Others extend this list (see the header comment). */
export const TEST_SYSTEM_PACKAGES: SystemRequirement[] = [
  CHROMIUM,
  commandRequirement(
    'ripgrep',
    'rg',
    'installing the VS Code server for test/e2e replaces its GitHub download of ripgrep with this one',
    ['test/e2e/'],
    'Install ripgrep (brew install ripgrep, or your package manager)',
  ),
  fileRequirement(
    'libkrb5-dev',
    'installing the VS Code server for test/e2e compiles its kerberos module against these headers',
    ['test/e2e/'],
    ['/usr/include/krb5.h', '/usr/include/krb5/krb5.h'],
    'Install the Kerberos development headers (libkrb5-dev, krb5-devel)',
  ),
  commandRequirement(
    'pkg-config',
    'pkg-config',
    'installing the VS Code server for test/e2e compiles native modules with it',
    ['test/e2e/'],
    'Install pkg-config (brew install pkg-config, or your package manager)',
  ),
  fileRequirement(
    'python3-torch',
    "test/core/export runs the exported model.py and train.py under PyTorch; test/core/ntk/proxies/pytorchLive recomputes the zero-cost proxies with NASLib's measures",
    ['test/core/export/', 'test/core/ntk/proxies/pytorchLive'],
    ['/usr/lib/python3/dist-packages/torch/__init__.py'],
    'Install PyTorch for python3 (pip install torch) and set ROBUST_NAS_PYTHON to that python',
  ),
  fileRequirement(
    'python3-torchvision',
    "test/core/export/trainRealData runs the exported train.py on fabricated CIFAR and ImageNet16-120 files, read by torchvision's datasets and transforms as the authors' code reads them (Debian's package brings python3-pil too)",
    ['test/core/export/trainRealData'],
    ['/usr/lib/python3/dist-packages/torchvision/__init__.py'],
    'Install torchvision for the python that has PyTorch (pip install torchvision) and set ROBUST_NAS_PYTHON to it',
  ),
];

/** A requirement by its Debian package name. */
export function systemRequirement(pkg: string): SystemRequirement {
  const r = TEST_SYSTEM_PACKAGES.find((x) => x.package === pkg);
  if (!r) throw new Error(`system-packages: no requirement for the package '${pkg}'; add it to TEST_SYSTEM_PACKAGES.`);
  return r;
}

/** Where a required program or header is; throws what to do when it is missing. */
export function findSystemRequirement(pkg: string): string {
  const r = systemRequirement(pkg);
  const found = r.find();
  if (found.path !== undefined) return found.path;
  throw new Error(
    `${found.problem}: ${r.why}. ${r.otherwise}, or run \`node --import tsx scripts/system-packages.ts --package ${pkg}\` as root on Debian.`,
  );
}

/** The requirements of these test files (paths relative to the project root). */
export function requirementsFor(
  files: readonly string[],
  list: readonly SystemRequirement[] = TEST_SYSTEM_PACKAGES,
): SystemRequirement[] {
  const paths = files.map((f) => f.split('\\').join('/').replace(/^\.\//, ''));
  return list.filter((r) => paths.some((p) => r.neededBy.some((prefix) => p.startsWith(prefix))));
}

// --- installing --------------------------------------------------------------------------------------------------

export interface InstallOptions {
  /**
   * The apt-get command as argv (tests inject a fake installer), or why there is none. Default: `apt-get` as root,
   * `sudo -n apt-get` otherwise, when apt-get is on the PATH; none on other systems.
   */
  aptGet?: readonly string[] | { readonly problem: string };
  /** The machine-wide lock directory (default: in the system temp folder). */
  lockPath?: string;
  /** How long to wait for another install holding the lock. */
  lockTimeoutMs?: number;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export class SystemPackagesError extends Error {}

/** Sleeps synchronously: the installer is a synchronous script (spawnSync), and a busy loop would burn a core. */
function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `body` holding a machine-wide lock: a directory (mkdir is atomic) holding the owner's pid. A lock whose owner
 * died is taken over; a live owner is waited for, up to `timeoutMs`.
 */
export function withInstallLock<T>(lockPath: string, timeoutMs: number, log: (line: string) => void, body: () => T): T {
  const started = Date.now();
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockPath);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(join(lockPath, 'pid'), 'utf8'));
    } catch {
      // Just created by its owner, pid not written yet: wait a moment and look again.
    }
    if (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) {
      log(`system-packages: taking over the lock of process ${owner}, which has ended (${lockPath}).`);
      rmSync(lockPath, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      throw new SystemPackagesError(
        `another install (process ${Number.isNaN(owner) ? '?' : owner}) has held ${lockPath} for over ${Math.round(timeoutMs / 1000)} s; ` +
          'wait for it to finish, or remove that folder if no install is running.',
      );
    }
    if (!announced) {
      log(
        `system-packages: waiting for another install to finish (process ${Number.isNaN(owner) ? '?' : owner}, lock ${lockPath})...`,
      );
      announced = true;
    }
    sleepMs(250);
  }
  try {
    writeFileSync(join(lockPath, 'pid'), String(process.pid));
    return body();
  } finally {
    rmSync(lockPath, { recursive: true, force: true });
  }
}

/** How apt-get is run here, or why it cannot be. */
export function defaultAptGet(env: NodeJS.ProcessEnv = process.env): { argv: string[] } | { problem: string } {
  if (process.platform !== 'linux') return { problem: `apt-get is not available on ${process.platform}` };
  const apt = onPath('apt-get', env);
  if (!apt) return { problem: 'apt-get is not on the PATH (not a Debian or Ubuntu system)' };
  if (typeof process.getuid === 'function' && process.getuid() === 0) return { argv: [apt] };
  const sudo = onPath('sudo', env);
  if (!sudo) return { problem: 'installing with apt-get needs root, and sudo is not installed' };
  // -n: fail instead of asking for a password nobody will type.
  if (spawnSync(sudo, ['-n', 'true'], { stdio: 'ignore' }).status !== 0)
    return { problem: 'installing with apt-get needs root, and `sudo -n` asks for a password' };
  return { argv: [sudo, '-n', apt] };
}

interface Missing {
  readonly requirement: SystemRequirement;
  readonly problem: string;
  readonly settingWrong: boolean;
}

function missingOf(list: readonly SystemRequirement[], env: NodeJS.ProcessEnv): Missing[] {
  return list.flatMap((requirement) => {
    const found = requirement.find(env);
    return found.path !== undefined
      ? []
      : [{ requirement, problem: found.problem, settingWrong: found.settingWrong === true }];
  });
}

function describeMissing(missing: readonly Missing[], why: string): string {
  return [
    `Missing system requirements (${why}):`,
    ...missing.map(
      ({ requirement: r, problem, settingWrong }) =>
        `  - ${r.package}: ${problem}. Needed because ${r.why}.\n    ` +
        (settingWrong ? 'Correct or unset that variable.' : `${r.otherwise}.`),
    ),
    'Then run the tests again.',
  ].join('\n');
}

/**
 * Makes sure every requirement in `list` is present: nothing happens when all are; otherwise, under the install
 * lock, the ones still missing (another process may have installed them meanwhile) are installed with one
 * apt-get run. Throws a SystemPackagesError naming each one still missing and what to do.
 */
export function ensureRequirements(list: readonly SystemRequirement[], options: InstallOptions = {}): void {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  const before = missingOf(list, env);
  if (before.length === 0) return;
  const wrong = before.filter((m) => m.settingWrong);
  if (wrong.length)
    throw new SystemPackagesError(describeMissing(wrong, 'a location given in the environment is not usable'));
  const given = options.aptGet;
  const apt =
    given === undefined
      ? defaultAptGet(env)
      : Array.isArray(given)
        ? { argv: [...given] }
        : (given as { problem: string });
  if (!('argv' in apt))
    throw new SystemPackagesError(
      describeMissing(missingOf(list, env), `${apt.problem}, so they cannot be installed here`),
    );
  const lockPath = options.lockPath ?? join(tmpdir(), 'robust-nas-system-packages.lock');
  withInstallLock(lockPath, options.lockTimeoutMs ?? 20 * 60_000, log, () => {
    const missing = missingOf(list, env);
    if (missing.length === 0) return;
    const packages = [...new Set(missing.map((m) => m.requirement.package))];
    log(`system-packages: installing ${packages.join(', ')} with apt-get (once, before the tests)...`);
    const [cmd, ...prefix] = apt.argv;
    const aptGet = (args: string[]) => {
      // DPkg::Lock::Timeout: apt itself waits for the dpkg lock (an unattended upgrade, an install outside ours).
      const r = spawnSync(cmd, [...prefix, '-o', 'DPkg::Lock::Timeout=600', ...args], {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
      });
      if (r.status !== 0) {
        throw new SystemPackagesError(
          `apt-get ${args[0]} failed (exit ${r.status ?? r.signal ?? r.error?.message}) while installing ${packages.join(', ')}. ` +
            `Install them by hand (apt-get install ${packages.join(' ')}) and run the tests again.`,
        );
      }
    };
    aptGet(['update', '-qq']);
    aptGet(['install', '-y', '-qq', '--no-install-recommends', ...packages]);
  });
  const still = missingOf(list, env);
  if (still.length) throw new SystemPackagesError(describeMissing(still, 'apt-get ran, but they are still not found'));
}

/** The requirements of these test files, ensured (see {@link ensureRequirements}). */
export function ensureForTests(files: readonly string[], options: InstallOptions = {}): void {
  ensureRequirements(requirementsFor(files), options);
}

/** Named Debian packages, ensured (`npm start` and the code-server install use this). */
export function ensureSystemPackages(packages: readonly string[], options: InstallOptions = {}): void {
  ensureRequirements(packages.map(systemRequirement), options);
}

if (require.main === module) {
  const args = process.argv.slice(2);
  try {
    if (args[0] === '--package') ensureSystemPackages(args.slice(1));
    else ensureForTests(args);
  } catch (e) {
    console.error(e instanceof SystemPackagesError ? e.message : ((e as Error).stack ?? String(e)));
    process.exit(1);
  }
}
