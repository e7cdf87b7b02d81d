// Installs the Debian packages that browser and VS Code tests need, when they are missing, so a fresh machine
// (or CI) needs no manual step. Usage: `node scripts/ensure-system-packages.mjs chromium [ripgrep ...]`.
// Each package is named by a file it provides; only missing ones are installed (apt-get as root).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian package -> a file whose presence shows it is installed. */
const PROVIDES = {
  chromium: '/usr/bin/chromium',
  ripgrep: '/usr/bin/rg',
  'libkrb5-dev': '/usr/include/krb5.h',
  'pkg-config': '/usr/bin/pkg-config',
};

export function ensureSystemPackages(packages) {
  const unknown = packages.filter((p) => !(p in PROVIDES));
  if (unknown.length) throw new Error(`ensure-system-packages: no known marker file for ${unknown.join(', ')}; add it to PROVIDES.`);
  const missing = packages.filter((p) => !existsSync(PROVIDES[p]));
  if (missing.length === 0) return;
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = (args) => {
    const cmd = asRoot ? 'apt-get' : 'sudo';
    const r = spawnSync(cmd, asRoot ? args : ['apt-get', ...args], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) {
      throw new Error(`Could not install ${missing.join(', ')} with apt-get (exit ${r.status ?? r.signal}). ` +
        `Install them by hand (apt-get install ${missing.join(' ')}) and run the tests again.`);
    }
  };
  console.log(`Installing Debian packages: ${missing.join(', ')}`);
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', '--no-install-recommends', ...missing]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    ensureSystemPackages(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
