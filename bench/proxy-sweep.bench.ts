// `npm run bench:proxy-sweep`: the proxy sweep of issue 12 as `robust-nas proxy-sweep` runs it (the worker pool, one
// single-threaded worker per core, the sweep loop appending one row per class), then its leaderboard.
// 1. Every proxy the sweep computes by default (clean and robust NTK with every summary, KNAS, NASWOT, every
//    zero-cost proxy of the registry with its robust variants) for the 6,466 classes at the proxy network size
//    (C=8, N=1), n = 32 synthetic CIFAR-10 inputs. Goal: < 15 min on the 2-core machine.
//    PROXY_SWEEP_CLASSES=K times a seeded sample of K classes instead and extrapolates to all (said in the output).
// 2. Full size (C=16, N=5): PROXY_SWEEP_FULL_CLASSES (default 4) seeded classes timed, the whole sweep extrapolated
//    on this machine and per 32-task cluster array (docs/proxy-leaderboard.md, "On a cluster").
// 3. The leaderboard of the sweep (computeLeaderboard: every proxy against every metric, 1,000 Spearman resamples),
//    and the cost of one Kendall resample at n = 6,466 (why --kendall-ci is opt-in).
// Needs the benchmark data (the class list and the accuracies), found as the CLI finds it.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBenchmark } from '../src/core/benchmark/load';
import type { Benchmark } from '../src/core/benchmark/benchmark';
import { computeLeaderboard } from '../src/core/leaderboard/leaderboard';
import { accuracyTargets, sweepProxyColumns } from '../src/core/leaderboard/proxyColumns';
import { defaultAttack } from '../src/core/ntk/attack';
import { NtkPool, type NtkJobOptions } from '../src/core/ntk/pool';
import { defaultProxyIds, parseProxySelection, proxySweepOptions } from '../src/core/ntk/proxySweep';
import { readSweepFile, SweepWriter } from '../src/core/ntk/sweepFile';
import { runSweep } from '../src/core/ntk/sweepRun';
import { selectSweepIndices, sweepHeader, type SweepScope } from '../src/core/ntk/sweepScope';
import { drawResamples, KendallScratch, rankColumn, weightedKendallTauB } from '../src/core/stats/bootstrap';
import { zeroCostProxyIds } from '../src/cli/ntk/zeroCostIds';

const root = join(__dirname, '..');
const GOAL_MINUTES = 15;
const minutes = (s: number) => `${(s / 60).toFixed(1)} min`;
const load = () => loadavg()[0].toFixed(1);

function optionsFor(size: 'proxy' | 'full'): NtkJobOptions {
  const base: NtkJobOptions = {
    size,
    kernel: 'fixed-bn',
    variants: ['clean', 'robust'],
    attack: defaultAttack('pgd', 8),
    tradeOff: 0.5,
    seed: 0,
    baselines: true,
    inputs: { kind: 'synthetic', dataset: 'cifar10', count: 32, seed: 0 },
  };
  return proxySweepOptions(base, parseProxySelection('all', zeroCostProxyIds()));
}

/** Runs the sweep of `todo` into `file`; wall seconds and the mean seconds per class inside a worker. */
async function sweep(
  bench: Benchmark,
  todo: number[],
  options: NtkJobOptions,
  scope: SweepScope,
  file: string,
): Promise<{ wall: number; perScore: number; cpu: number }> {
  const { writer } = SweepWriter.open(file, sweepHeader(options, scope));
  // CPU time of the whole process (its worker threads included): what a class costs whatever else runs on the machine.
  const cpuStart = process.cpuUsage();
  const pool = new NtkPool({ workers: availableParallelism(), workerFile: join(root, 'dist/ntk-worker.js') });
  let inside = 0;
  try {
    const outcome = await runSweep({
      bench,
      todo,
      options,
      pool,
      write: (row) => {
        inside += row.result.seconds;
        writer.append(row);
      },
      onProgress: (p) => {
        if (p.finished % 500 === 0)
          console.log(`  ${p.finished} classes after ${minutes(p.elapsedSeconds)} (load ${load()})`);
      },
    });
    const cpu = process.cpuUsage(cpuStart);
    return {
      wall: outcome.elapsedSeconds,
      perScore: inside / todo.length,
      cpu: (cpu.user + cpu.system) / 1e6 / todo.length,
    };
  } finally {
    writer.close();
    await pool.close();
  }
}

async function main(): Promise<void> {
  const bench = await loadBenchmark();
  const classes = bench.evaluatedIndices.length;
  const workers = availableParallelism();
  const dir = mkdtempSync(join(tmpdir(), 'robust-nas-proxy-bench-'));
  try {
    // 1. Proxy size.
    const options = optionsFor('proxy');
    const scope: SweepScope = process.env.PROXY_SWEEP_CLASSES
      ? { kind: 'sample', k: Number(process.env.PROXY_SWEEP_CLASSES) }
      : { kind: 'all' };
    const todo = selectSweepIndices(bench, scope, options.seed);
    const ids = defaultProxyIds(zeroCostProxyIds());
    console.log(
      `Proxy sweep benchmark: ${ids.length} proxies (${ids.join(', ')}), proxy size (C=8, N=1), fixed-bn NTK, ` +
        `PGD 8/255, n = 32 synthetic CIFAR-10 inputs, ${todo.length} classes${todo.length < classes ? ' (seeded sample, seed 0)' : ''}, ` +
        `${workers} workers; load average ${load()} at start`,
    );
    const file = join(dir, 'proxy.jsonl');
    const proxy = await sweep(bench, todo, options, scope, file);
    const all = (proxy.wall / todo.length) * classes;
    // On a loaded machine the wall time measures the other processes; CPU seconds per class over the cores do not.
    const idle = (proxy.cpu * classes) / workers;
    console.log(
      `proxy size: ${todo.length} classes in ${minutes(proxy.wall)} wall (${((1000 * proxy.wall) / todo.length).toFixed(0)} ms per class; ` +
        `${(1000 * proxy.perScore).toFixed(0)} ms per class inside a worker; ${(1000 * proxy.cpu).toFixed(0)} ms CPU per class)`,
    );
    console.log(
      `  all ${classes} classes: ${todo.length < classes ? 'extrapolated from this wall time' : 'measured'} ${minutes(all)} ` +
        `(${(all / 60 / GOAL_MINUTES).toFixed(2)}x the ${GOAL_MINUTES}-min goal); from CPU time on ${workers} idle cores ${minutes(idle)} ` +
        `(${(idle / 60 / GOAL_MINUTES).toFixed(2)}x the goal); load average ${load()} at the end`,
    );

    // 2. Full size.
    const fullOptions = optionsFor('full');
    const k = Number(process.env.PROXY_SWEEP_FULL_CLASSES ?? 4);
    const fullScope: SweepScope = { kind: 'sample', k };
    const fullTodo = selectSweepIndices(bench, fullScope, 1);
    const full = await sweep(bench, fullTodo, fullOptions, fullScope, join(dir, 'full.jsonl'));
    const perClassWall = full.wall / fullTodo.length;
    // A class at full size is one worker's job: on idle cores it takes its CPU time, and the pool runs `workers` at once.
    const fullIdle = (full.cpu * classes) / workers;
    console.log(
      `full size (C=16, N=5): ${fullTodo.length} seeded classes in ${full.wall.toFixed(0)} s wall, ${perClassWall.toFixed(1)} s per class ` +
        `(${full.perScore.toFixed(1)} s inside a worker, ${full.cpu.toFixed(1)} s CPU); all ${classes}: ${((perClassWall * classes) / 3600).toFixed(1)} h ` +
        `extrapolated from this wall time, ${(fullIdle / 3600).toFixed(1)} h from CPU time on ${workers} idle cores; a 32-task array of ` +
        `${workers}-core nodes: ${(fullIdle / 32 / 3600).toFixed(1)} h (load average ${load()})`,
    );

    // 3. Leaderboard.
    const contents = readSweepFile(file);
    const proxies = sweepProxyColumns(contents, bench, 'cifar10');
    const targets = accuracyTargets(bench, 'cifar10');
    let started = performance.now();
    const board = computeLeaderboard(proxies, targets, { resamples: 1000 });
    const boardSeconds = (performance.now() - started) / 1000;
    console.log(
      `leaderboard: ${proxies.length} proxy columns (ensemble extra) x ${targets.length} metrics over ${board.boards[0].n} classes, ` +
        `1,000 Spearman resamples, vote of 3: ${boardSeconds.toFixed(1)} s (load average ${load()})`,
    );
    const pgd = bench.column('cifar10', 'pgd@8');
    const x = rankColumn(bench.column('cifar10', 'params'));
    const y = rankColumn(pgd);
    const draws = drawResamples(classes, 20, 0);
    const scratch = new KendallScratch(y.distinct);
    started = performance.now();
    for (let b = 0; b < draws.count; b++)
      weightedKendallTauB(x, y, draws.counts.subarray(b * classes, (b + 1) * classes), scratch);
    const kendallMs = (performance.now() - started) / draws.count;
    const cells = (proxies.length + 1) * targets.length;
    console.log(
      `Kendall resample at n = ${classes}: ${kendallMs.toFixed(1)} ms; --kendall-ci with 1,000 resamples on this table would add ` +
        `about ${minutes((kendallMs * 1000 * cells) / 1000)} (${cells} proxy x metric cells)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
