// A stand-in for apt-get in test/scripts/systemPackages.test.ts. Like dpkg, it refuses to run while another copy
// runs ("Could not get lock"); `install` creates a marker file per package in $FAKE_APT_DIR. Every call and every
// refusal is appended to $FAKE_APT_DIR/log, so a test can see whether two installs overlapped.
import { appendFileSync, closeSync, existsSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.FAKE_APT_DIR;
const args = process.argv.slice(2).filter((a, i, all) => a !== '-o' && all[i - 1] !== '-o');
const [verb, ...rest] = args;
const busy = join(dir, 'busy');
let fd;
try {
  fd = openSync(busy, 'wx');
} catch {
  appendFileSync(join(dir, 'log'), `refused ${verb}\n`);
  console.error('E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by another process.');
  process.exit(100);
}
// Holds the lock until the test says go (the file $FAKE_APT_GATE exists), or for 400 ms without a gate.
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const gate = process.env.FAKE_APT_GATE;
if (gate) {
  for (let waited = 0; !existsSync(gate) && waited < 60_000; waited += 50) sleep(50);
} else {
  sleep(400);
}
const packages = rest.filter((a) => !a.startsWith('-'));
if (verb === 'install') for (const p of packages) writeFileSync(join(dir, p), 'installed\n');
appendFileSync(join(dir, 'log'), `${verb}${packages.length ? ' ' + packages.join(' ') : ''}\n`);
closeSync(fd);
rmSync(busy);
