// `npm run bench:ntk-sweep`: a proxy-size sweep of the clean fixed-bn NTK over all 6,466 NAS-Bench-201
// isomorphism classes, as `robust-nas ntk-sweep` runs it (the worker pool: one worker thread per core, one
// architecture per worker). Goal (issue 5): under 15 minutes on the 2-core machine. Peer: Debian's PyTorch 1.13
// (tools/ntk_bench.py sweep; functorch vmap, 2 threads) timed on a seeded sample of the same classes in the same
// run, extrapolated to all of them (one cell at a time, as a Python sweep loop would). Needs the benchmark data
// (the class list), found as the CLI finds it.
// NTK_SWEEP_CLASSES=K limits ours to a seeded sample of K classes (default: all); NTK_SWEEP_PEER_SAMPLE sets the
// peer's sample (default 40).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBenchmark } from '../src/core/benchmark/load';
import { canonicalCell } from '../src/core/ntk/canonical';
import { NtkPool, type NtkJobOptions } from '../src/core/ntk/pool';
import { defaultAttack } from '../src/core/ntk/attack';
import { runSweep } from '../src/core/ntk/sweepRun';
import { SweepWriter } from '../src/core/ntk/sweepFile';
import { selectSweepIndices, sweepHeader, type SweepScope } from '../src/core/ntk/sweepScope';
import { findTorchPython } from '../tools/torch-python';

const root = join(__dirname, '..');
const n = 32;
const minutes = (s: number) => `${(s / 60).toFixed(1)} min`;

async function main(): Promise<void> {
  const bench = await loadBenchmark();
  const classes = bench.evaluatedIndices.length;
  const options: NtkJobOptions = {
    size: 'proxy',
    kernel: 'fixed-bn',
    variants: ['clean'],
    attack: defaultAttack('pgd', 8),
    tradeOff: 0.5,
    seed: 0,
    baselines: false,
    inputs: { kind: 'synthetic', dataset: 'cifar10', count: n, seed: 0 },
  };
  const scope: SweepScope = process.env.NTK_SWEEP_CLASSES
    ? { kind: 'sample', k: Number(process.env.NTK_SWEEP_CLASSES) }
    : { kind: 'all' };
  const todo = selectSweepIndices(bench, scope, options.seed);
  const workers = availableParallelism();
  console.log(
    `NTK sweep benchmark: proxy (C=8, N=1), fixed-bn, clean, n = ${n} synthetic CIFAR-10 inputs, ${todo.length} classes, ${workers} workers`,
  );
  // The sweep exactly as `ntk-sweep` runs it (runSweep, one row appended per class), into a throw-away file.
  const dir = mkdtempSync(join(tmpdir(), 'robust-nas-sweep-bench-'));
  const { writer } = SweepWriter.open(join(dir, 'sweep.jsonl'), sweepHeader(options, scope));
  const pool = new NtkPool({ workers, workerFile: join(root, 'dist/ntk-worker.js') });
  let computeSeconds = 0;
  let outcome;
  try {
    outcome = await runSweep({
      bench,
      todo,
      options,
      pool,
      write: (row) => {
        computeSeconds += row.result.seconds;
        writer.append(row);
      },
      onProgress: (p) => {
        if (p.finished % 500 === 0) console.log(`  ${p.finished} classes after ${minutes(p.elapsedSeconds)}`);
      },
    });
  } finally {
    writer.close();
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const wall = outcome.elapsedSeconds;
  const projected = (wall / todo.length) * classes;
  console.log(
    `ours: ${todo.length} classes in ${minutes(wall)} wall (${((1000 * wall) / todo.length).toFixed(0)} ms per class; ` +
      `${((1000 * computeSeconds) / todo.length).toFixed(0)} ms per score inside a worker)` +
      (todo.length < classes ? `; all ${classes} projected ${minutes(projected)}` : '') +
      '  goal < 15 min',
  );

  const python = findTorchPython();
  if (!python) {
    console.log('PyTorch peer: not found (tools/install-torch.sh)');
    return;
  }
  const peerSample = selectSweepIndices(
    bench,
    { kind: 'sample', k: Number(process.env.NTK_SWEEP_PEER_SAMPLE ?? 40) },
    1,
  );
  const peerCells = peerSample.map((index) => canonicalCell(bench.archOfIndex(index).cell));
  const r = spawnSync(python, [join(root, 'tools/ntk_bench.py'), 'sweep', '8', '1', String(n), '2'], {
    input: JSON.stringify(peerCells),
    encoding: 'utf8',
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' },
  });
  if (r.status !== 0) {
    console.log(`PyTorch peer failed: ${r.stderr.trim().split('\n').pop()}`);
    return;
  }
  const peer = JSON.parse(r.stdout.trim().split('\n').pop()!) as { torch: string; threads: number; seconds: number[] };
  const mean = peer.seconds.reduce((a, b) => a + b, 0) / peer.seconds.length;
  const peerAll = mean * classes;
  console.log(
    `PyTorch ${peer.torch} vmap, ${peer.threads} threads: ${(1000 * mean).toFixed(0)} ms per class over a sample of ${peer.seconds.length}; ` +
      `all ${classes} ${minutes(peerAll)}; ours / PyTorch ${((todo.length < classes ? projected : wall) / peerAll).toFixed(2)}x`,
  );
}

void main();
