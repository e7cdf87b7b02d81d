import { spawnSync } from 'node:child_process';

/**
 * A python3 that can import torch and functorch, or undefined. Debian's python3-torch installs under
 * /usr/bin/python3, which a pyenv or venv python3 earlier on PATH does not see; `ROBUST_NAS_PYTHON` overrides.
 */
export function findTorchPython(): string | undefined {
  const candidates = [process.env.ROBUST_NAS_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c);
  for (const c of candidates) {
    const r = spawnSync(c, ['-c', 'import torch, functorch'], { stdio: 'ignore' });
    if (r.status === 0) return c;
  }
  return undefined;
}
