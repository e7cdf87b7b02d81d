// `npm run bench:ntk-sweep`: a proxy-size sweep of the clean fixed-bn NTK over all 6,466 NAS-Bench-201
// isomorphism classes, as `robust-nas ntk-sweep` runs it (the worker pool: one worker thread per core, one
// architecture per worker). Goal (issue 5): under 15 minutes on the 2-core machine. Peer: Debian's PyTorch 1.13
// (tools/ntk_bench.py sweep; functorch vmap, 2 threads) timed on a seeded sample of the same classes in the same
// run, extrapolated to all of them (one cell at a time, as a Python sweep loop would).
// NTK_SWEEP_CLASSES=K limits ours to a seeded sample of K classes (default: all); NTK_SWEEP_PEER_SAMPLE sets the
// peer's sample (default 40).
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { CELL_COUNT, codeNumberToCell, isomorphismKeysByCode, type Cell } from '../src/core/space';
import { NtkPool, type NtkJobOptions } from '../src/core/ntk/pool';
import { Rng } from '../src/core/ntk/rng';
import { defaultAttack } from '../src/core/ntk/attack';
import { findTorchPython } from '../tools/torch-python';

const root = join(__dirname, '..');
const n = 32;

/** One cell per isomorphism class: the member with the smallest op code (what the sweep scores). */
function classRepresentatives(): Cell[] {
  const seen = new Set<string>();
  const cells: Cell[] = [];
  isomorphismKeysByCode().forEach((key, code) => {
    if (seen.has(key)) return;
    seen.add(key);
    cells.push(codeNumberToCell(code));
  });
  return cells;
}

function sample<T>(items: readonly T[], k: number, seed: number): T[] {
  const rng = new Rng(seed);
  const copy = [...items];
  for (let i = 0; i < Math.min(k, copy.length); i++) {
    const j = i + rng.int(copy.length - i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, k);
}

const minutes = (s: number) => `${(s / 60).toFixed(1)} min`;

async function main(): Promise<void> {
  const classes = classRepresentatives();
  if (classes.length !== 6466) throw new Error(`expected 6,466 classes from ${CELL_COUNT} cells, got ${classes.length}`);
  const limit = process.env.NTK_SWEEP_CLASSES ? Number(process.env.NTK_SWEEP_CLASSES) : classes.length;
  const todo = limit < classes.length ? sample(classes, limit, 1) : classes;
  const options: NtkJobOptions = {
    size: 'proxy', kernel: 'fixed-bn', variants: ['clean'], attack: defaultAttack('pgd', 8), tradeOff: 0.5, seed: 0, baselines: false,
    inputs: { kind: 'synthetic', dataset: 'cifar10', count: n, seed: 0 },
  };
  const workers = availableParallelism();
  console.log(`NTK sweep benchmark: proxy (C=8, N=1), fixed-bn, clean, n = ${n} synthetic CIFAR-10 inputs, ${todo.length} classes, ${workers} workers`);
  const pool = new NtkPool({ workers, workerFile: join(root, 'dist/ntk-worker.js') });
  const started = performance.now();
  let done = 0;
  let computeSeconds = 0;
  try {
    await Promise.all(todo.map(async (cell) => {
      const r = await pool.compute(cell, options);
      computeSeconds += r.seconds;
      if (++done % 500 === 0) console.log(`  ${done} classes after ${minutes((performance.now() - started) / 1000)}`);
    }));
  } finally {
    await pool.close();
  }
  const wall = (performance.now() - started) / 1000;
  const projected = (wall / todo.length) * classes.length;
  console.log(`ours: ${todo.length} classes in ${minutes(wall)} wall (${(1000 * wall / todo.length).toFixed(0)} ms per class; ` +
    `${(1000 * computeSeconds / todo.length).toFixed(0)} ms per score inside a worker)` +
    (todo.length < classes.length ? `; all 6,466 projected ${minutes(projected)}` : '') + '  goal < 15 min');

  const python = findTorchPython();
  if (!python) {
    console.log('PyTorch peer: not found (tools/install-torch.sh)');
    return;
  }
  const peerCells = sample(classes, Number(process.env.NTK_SWEEP_PEER_SAMPLE ?? 40), 2);
  const r = spawnSync(python, [join(root, 'tools/ntk_bench.py'), 'sweep', '8', '1', String(n), '2'], {
    input: JSON.stringify(peerCells), encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' },
  });
  if (r.status !== 0) {
    console.log(`PyTorch peer failed: ${r.stderr.trim().split('\n').pop()}`);
    return;
  }
  const peer = JSON.parse(r.stdout.trim().split('\n').pop()!) as { torch: string; threads: number; seconds: number[] };
  const mean = peer.seconds.reduce((a, b) => a + b, 0) / peer.seconds.length;
  const peerAll = mean * classes.length;
  console.log(`PyTorch ${peer.torch} vmap, ${peer.threads} threads: ${(1000 * mean).toFixed(0)} ms per class over a sample of ${peer.seconds.length}; ` +
    `all 6,466 ${minutes(peerAll)}; ours / PyTorch ${((todo.length < classes.length ? projected : wall) / peerAll).toFixed(2)}x`);
}

void main();
