import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chromiumCandidates,
  CHROMIUM_ENV,
  ensureRequirements,
  fileRequirement,
  findChromium,
  requirementsFor,
  SystemPackagesError,
  TEST_SYSTEM_PACKAGES,
  withInstallLock,
} from '../../scripts/system-packages';

const HELPERS = join(__dirname, '..', 'helpers');

function scratch(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'robust-nas-syspkg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('the Chromium chooser: ROBUST_NAS_CHROMIUM first and alone, then the usual places per platform', () => {
  const installed = new Set(['/usr/bin/chromium', '/opt/google/chrome/chrome', '/custom/chrome']);
  const isExecutable = (p: string) => installed.has(p);
  // The variable wins over an installed Debian chromium.
  assert.deepEqual(findChromium({ env: { [CHROMIUM_ENV]: '/custom/chrome' }, platform: 'linux', isExecutable }), {
    path: '/custom/chrome',
  });
  // A wrong value is reported, not replaced by another browser the user did not choose.
  const wrong = findChromium({ env: { [CHROMIUM_ENV]: '/nowhere/chrome' }, platform: 'linux', isExecutable });
  assert.equal(wrong.path, undefined);
  assert.match(
    (wrong as { problem: string }).problem,
    /ROBUST_NAS_CHROMIUM=\/nowhere\/chrome is not an executable file/,
  );
  assert.equal((wrong as { settingWrong?: boolean }).settingWrong, true);
  assert.match(
    (findChromium({ env: { [CHROMIUM_ENV]: 'chrome' }, platform: 'linux', isExecutable }) as { problem: string })
      .problem,
    /not an absolute path/,
  );
  // Unset: Debian's package first, then Google Chrome.
  assert.deepEqual(findChromium({ env: {}, platform: 'linux', isExecutable }), { path: '/usr/bin/chromium' });
  assert.deepEqual(
    findChromium({ env: {}, platform: 'linux', isExecutable: (p) => p === '/opt/google/chrome/chrome' }),
    { path: '/opt/google/chrome/chrome' },
  );
  // macOS: the app bundles, in /Applications and ~/Applications.
  const mac = '/Users/ada/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
  assert.ok(chromiumCandidates('darwin', { HOME: '/Users/ada' }).includes(mac));
  assert.deepEqual(findChromium({ env: { HOME: '/Users/ada' }, platform: 'darwin', isExecutable: (p) => p === mac }), {
    path: mac,
  });
  // Windows: Program Files and the per-user install.
  const win = join('C:\\Users\\ada\\AppData\\Local', 'Google', 'Chrome', 'Application', 'chrome.exe');
  assert.deepEqual(
    findChromium({
      env: { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' },
      platform: 'win32',
      isExecutable: (p) => p === win,
    }),
    { path: win },
  );
  // None anywhere: the message lists where it looked.
  const none = findChromium({ env: {}, platform: 'linux', isExecutable: () => false });
  assert.match(
    (none as { problem: string }).problem,
    /no Chrome or Chromium found \(looked at \/usr\/bin\/chromium, .*\/snap\/bin\/chromium\)/,
  );
});

test('the requirements follow the test files about to run; the list is one others extend', () => {
  const names = (files: string[]) => requirementsFor(files).map((r) => r.package);
  assert.deepEqual(names(['test/core/space/parse.test.ts', 'test/server/hover.test.ts']), []);
  assert.deepEqual(names(['test/webview/cellDiagram.test.ts']), ['chromium']);
  assert.deepEqual(names(['./test/e2e/ui.test.ts']), ['chromium', 'ripgrep', 'libkrb5-dev', 'pkg-config']);
  assert.deepEqual(names(['test/core/export/pytorchExport.test.ts']), ['python3-torch']);
  assert.deepEqual(names(['test/core/export/trainRealData.test.ts']), ['python3-torch', 'python3-torchvision']);
  for (const r of TEST_SYSTEM_PACKAGES) {
    assert.ok(
      r.why && r.otherwise && r.neededBy.length,
      `${r.package} says why, what to do without apt, and who needs it`,
    );
  }
});

test('two installs started at once do not race: the second waits for the lock, finds the package, and installs nothing', async (t) => {
  const dir = scratch(t);
  const lock = join(dir, 'install.lock');
  const fake = [process.execPath, join(HELPERS, 'fakeAptGet.mjs')];
  const gate = join(dir, 'go');
  const env = { ...process.env, FAKE_APT_DIR: dir, FAKE_APT_GATE: gate };
  const start = (cmd: string, args: string[]) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    const done = new Promise<{ code: number | null; out: string }>((resolve) =>
      p.on('close', (code) => resolve({ code, out })),
    );
    return { output: () => out, done };
  };
  const until = async (what: string, ok: () => boolean) => {
    for (const started = Date.now(); !ok(); await new Promise((r) => setTimeout(r, 50))) {
      if (Date.now() - started > 60_000) throw new Error(`timed out waiting for ${what}`);
    }
  };

  // The fake installer does fail when two copies overlap, as apt-get does on the dpkg lock (what happened when test
  // files installed Chromium concurrently through the old ensure-system-packages script).
  const first = start(fake[0], [fake[1], 'install', 'pkg-a']);
  await until('the first fake install to start', () => existsSync(join(dir, 'busy')));
  const second = await start(fake[0], [fake[1], 'install', 'pkg-a']).done;
  assert.equal(second.code, 100);
  assert.match(second.out, /Could not get lock/);
  writeFileSync(gate, '');
  assert.equal((await first.done).code, 0);
  for (const f of ['pkg-a', 'log', 'go']) rmSync(join(dir, f));

  // Through ensureRequirements: the second caller arrives while the first is inside apt-get, waits for the lock,
  // then finds both packages installed. Both succeed; one apt-get update + install in all.
  const child = ['--import', 'tsx', join(HELPERS, 'ensureRequirementsChild.ts'), dir, lock, 'pkg-a', 'pkg-b'];
  const a = start(process.execPath, child);
  await until('the first caller to run apt-get', () => existsSync(join(dir, 'busy')));
  const b = start(process.execPath, child);
  await until('the second caller to wait for the lock', () => /waiting for another install to finish/.test(b.output()));
  writeFileSync(gate, '');
  const both = await Promise.all([a.done, b.done]);
  for (const r of both) assert.equal(r.code, 0, r.out);
  assert.deepEqual(readFileSync(join(dir, 'log'), 'utf8').trim().split('\n'), ['update', 'install pkg-a pkg-b']);
  assert.ok(existsSync(join(dir, 'pkg-a')) && existsSync(join(dir, 'pkg-b')));
  assert.equal(existsSync(lock), false, 'the lock is released');
});

test('a lock left by a process that has ended is taken over', (t) => {
  const dir = scratch(t);
  const lock = join(dir, 'install.lock');
  mkdirSync(lock);
  // A pid that cannot be alive: above the kernel's pid_max limit (2^22).
  writeFileSync(join(lock, 'pid'), String(2 ** 22 + 12345));
  const lines: string[] = [];
  assert.equal(
    withInstallLock(
      lock,
      5_000,
      (l) => lines.push(l),
      () => 'ran',
    ),
    'ran',
  );
  assert.match(lines.join('\n'), /taking over the lock of process \d+, which has ended/);
  // A live owner (this process) is waited for, up to the timeout.
  mkdirSync(lock);
  writeFileSync(join(lock, 'pid'), String(process.pid));
  assert.throws(
    () =>
      withInstallLock(
        lock,
        300,
        () => undefined,
        () => 'ran',
      ),
    /has held .* for over 0 s/,
  );
});

test('without apt-get, nothing is installed and the message names each missing thing, why, and what to do', (t) => {
  const dir = scratch(t);
  const present = join(dir, 'present');
  writeFileSync(present, '');
  const requirements = [
    fileRequirement('pkg-present', 'it is here', ['test/'], [present], 'nothing'),
    fileRequirement(
      'pkg-missing',
      'the frobnicator tests load it',
      ['test/'],
      [join(dir, 'absent.h')],
      'Install the frobnicator headers',
    ),
  ];
  assert.throws(
    () =>
      ensureRequirements(requirements, {
        aptGet: { problem: 'apt-get is not available on darwin' },
        log: () => undefined,
      }),
    (e: Error) => {
      assert.ok(e instanceof SystemPackagesError);
      assert.match(e.message, /apt-get is not available on darwin, so they cannot be installed here/);
      assert.match(
        e.message,
        /pkg-missing: .*absent\.h not found\. Needed because the frobnicator tests load it\.\n\s+Install the frobnicator headers\./,
      );
      assert.doesNotMatch(e.message, /pkg-present/);
      return true;
    },
  );
  // All present: no installer is even looked for.
  ensureRequirements(requirements.slice(0, 1), { aptGet: { problem: 'never asked' } });
});
