// `npm run bench:proxy-sweep`: the proxy sweep of issue 12 as `robust-nas proxy-sweep` runs it, then its leaderboard.
// 1. Per-proxy costs at the proxy network size (C=8, N=1, n = 32 synthetic CIFAR-10 inputs, NASLib's zc_config batch
//    of 32): each zero-cost proxy alone, each attack of the robust variants, each robust variant on its attacked
//    inputs, the NTK kernels and baselines, in CPU time per class on one thread (bench/proxyCosts.ts), over a seeded
//    sample of PROXY_COST_CLASSES (default 4) classes; then each selection as one sweep job computes it (shared
//    passes), extrapolated to the 6,466 classes on this machine's cores. Goal: every proxy, clean and robust,
//    < 15 min on 2 cores. Beside it, one gradient pass (what every gradient proxy and attack step is made of) per
//    cell, ours against PyTorch's (tools/proxy_pass_bench.py) on the same cells and thread count.
// 2. The default sweep through the worker pool (one single-threaded worker per core, one row per class appended) on
//    a seeded sample of PROXY_SWEEP_CLASSES (default 16; `all` for every class) classes, wall and CPU time,
//    extrapolated to all classes (said in the output).
// 3. Full size (C=16, N=5): each selection's CPU time per class on PROXY_SWEEP_FULL_CLASSES (default 1) seeded
//    classes, the whole sweep extrapolated on this machine and per 32-task cluster array (docs/proxy-leaderboard.md,
//    "On a cluster").
// 4. The leaderboard of the sweep (computeLeaderboard: every proxy against every metric, 1,000 Spearman resamples),
//    and the cost of one Kendall resample at n = 6,466 (why --kendall-ci is opt-in).
// The load average is printed beside every figure: the machine is shared, and wall times measure the other processes.
// Needs the benchmark data (the class list and the accuracies), found as the CLI finds it.
import { spawnSync } from 'node:child_process';
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
import { proxyAttackNameOf } from '../src/core/ntk/proxies/attacks';
import { canonicalCell } from '../src/core/ntk/canonical';
import { syntheticInputs } from '../src/core/ntk/inputs/synthetic';
import { PROXY_IDS, ROBUST_PROXY_IDS } from '../src/core/ntk/proxies/registry';
import type { NetworkSizeName } from '../src/core/ntk/network';
import { buildNetwork, NETWORK_SIZES } from '../src/core/ntk/network';
import { lossGradients } from '../src/core/ntk/proxies/lossGradients';
import { DATASET_SHAPE, type Cell } from '../src/core/space';
import { findTorchPython } from '../tools/torch-python';
import { describeAttack, measureProxyCosts, workerBackend } from './proxyCosts';

const root = join(__dirname, '..');
const GOAL_MINUTES = 15;
const minutes = (s: number) => `${(s / 60).toFixed(1)} min`;
const load = () => loadavg()[0].toFixed(1);

/** `proxy-sweep`'s default selection with its default attack, PGD 8/255. */
function defaultIds(): string[] {
  return defaultProxyIds(zeroCostProxyIds(), proxyAttackNameOf(defaultAttack('pgd', 8)));
}

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
  return proxySweepOptions(base, parseProxySelection(defaultIds(), zeroCostProxyIds()));
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

/** The selections whose cost per class the bench reports: the clean and robust zero-cost sets, the default, all. */
function costSelections() {
  const all = parseProxySelection('all', zeroCostProxyIds());
  const byDefault = parseProxySelection(defaultIds(), zeroCostProxyIds());
  return [
    { name: `clean zero-cost proxies (${PROXY_IDS.length})`, variants: [], baselines: false, zc: [...PROXY_IDS] },
    {
      name: `robust variants (${ROBUST_PROXY_IDS.length}, 4 attacks)`,
      variants: [],
      baselines: false,
      zc: [...ROBUST_PROXY_IDS],
    },
    {
      name: 'robust variants on PGD 8/255 (7)',
      variants: [],
      baselines: false,
      zc: ROBUST_PROXY_IDS.filter((id) => id.endsWith('@pgd8')),
    },
    {
      name: 'default selection',
      variants: byDefault.variants,
      baselines: byDefault.baselines,
      zc: [...byDefault.zeroCost],
    },
    { name: 'all', variants: all.variants, baselines: all.baselines, zc: [...all.zeroCost] },
  ];
}

/** Prints the per-proxy table and each selection's extrapolation to every class on `workers` cores. */
function printCosts(
  bench: Benchmark,
  size: NetworkSizeName,
  k: number,
  seed: number,
  perProxy: boolean,
  workers: number,
): void {
  const classes = bench.evaluatedIndices.length;
  const options = optionsFor(size);
  const cells = selectSweepIndices(bench, { kind: 'sample', k }, seed).map((i) =>
    canonicalCell(bench.archOfIndex(i).cell),
  );
  const inputs = syntheticInputs('cifar10', 32, 0);
  const loadBefore = load();
  const started = performance.now();
  const { rows, selections } = measureProxyCosts(
    cells,
    size,
    inputs,
    { kernel: options.kernel, attack: options.attack, tradeOff: options.tradeOff, seed: options.seed },
    costSelections(),
    workerBackend(root),
    perProxy,
  );
  const label = size === 'proxy' ? 'proxy size (C=8, N=1)' : 'full size (C=16, N=5)';
  console.log(
    `${label}, n = 32 synthetic CIFAR-10 inputs, ${k} seeded classes, one thread, CPU ms per class ` +
      `(load average ${loadBefore} before, ${load()} after, ${((performance.now() - started) / 1000).toFixed(0)} s wall):`,
  );
  for (const row of rows) console.log(`  ${row.what.padEnd(44)} ${row.ms.toFixed(0).padStart(7)} ms`);
  for (const s of selections) {
    const whole = (s.ms / 1000) * (classes / workers);
    console.log(
      `  ${`${s.name}, ${s.scores} scores`.padEnd(44)} ${s.ms.toFixed(0).padStart(7)} ms per class; all ${classes} on ` +
        `${workers} cores: ${whole < 3600 ? minutes(whole) : `${(whole / 3600).toFixed(1)} h`} ` +
        `(${(whole / 60 / GOAL_MINUTES).toFixed(1)}x the ${GOAL_MINUTES}-min goal)` +
        (size === 'full' ? `; a 32-task array of ${workers}-core nodes: ${(whole / 32 / 3600).toFixed(2)} h` : ''),
    );
  }
}

/**
 * CPU milliseconds of one loss-gradient pass (forward, mean cross-entropy, parameter and input gradients, BN with
 * batch statistics) per cell at the proxy size: ours on a sweep worker's back end, and PyTorch's on one thread.
 */
function printPassPeer(bench: Benchmark, k: number): void {
  const cells: Cell[] = selectSweepIndices(bench, { kind: 'sample', k }, 0).map((i) =>
    canonicalCell(bench.archOfIndex(i).cell),
  );
  const { channels, cellsPerStage } = NETWORK_SIZES.proxy;
  const { classes, inputSize } = DATASET_SHAPE.cifar10;
  const inputs = syntheticInputs('cifar10', 32, 0);
  const backend = workerBackend(root);
  const reps = 10;
  const ours = cells.map((cell) => {
    const network = buildNetwork(cell, { channels, cellsPerStage, classes, inputSize }, 0, backend);
    const pass = () => {
      lossGradients(network, inputs, backend);
      backend.reset();
    };
    pass();
    pass();
    const start = process.cpuUsage();
    for (let r = 0; r < reps; r++) pass();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000 / reps;
  });
  const python = findTorchPython();
  const peer = python
    ? spawnSync(
        python,
        [join(root, 'tools/proxy_pass_bench.py'), ...[channels, cellsPerStage, 32, classes, reps].map(String)],
        { input: JSON.stringify(cells), encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' } },
      )
    : undefined;
  const torch =
    peer?.status === 0 ? (JSON.parse(peer.stdout.trim().split('\n').pop()!) as { ms: number[] }).ms : undefined;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `one gradient pass at the proxy size, 32 inputs, one thread, CPU ms (mean of ${cells.length} seeded classes; ` +
      `load average ${load()}): ours ${mean(ours).toFixed(0)}` +
      (torch
        ? `, PyTorch ${mean(torch).toFixed(0)} (${(mean(ours) / mean(torch)).toFixed(2)}x); per class ` +
          cells.map((_, i) => `${ours[i].toFixed(0)}/${torch[i].toFixed(0)}`).join(', ')
        : `; no PyTorch peer (${python ? peer?.stderr.trim().split('\n').pop() : 'python3 cannot import torch: tools/install-torch.sh installs it'})`),
  );
}

async function main(): Promise<void> {
  const bench = await loadBenchmark();
  const classes = bench.evaluatedIndices.length;
  const workers = availableParallelism();
  const dir = mkdtempSync(join(tmpdir(), 'robust-nas-proxy-bench-'));
  try {
    // 1. Per-proxy costs at the proxy size.
    const options = optionsFor('proxy');
    console.log(`NTK attack ${describeAttack(options.attack)}, fixed-bn kernel, seed 0; ${workers} cores`);
    printCosts(bench, 'proxy', Number(process.env.PROXY_COST_CLASSES ?? 4), 0, true, workers);
    printPassPeer(bench, Number(process.env.PROXY_COST_CLASSES ?? 4));

    // 2. The default sweep through the worker pool.
    const sample = process.env.PROXY_SWEEP_CLASSES ?? '16';
    const scope: SweepScope = sample === 'all' ? { kind: 'all' } : { kind: 'sample', k: Number(sample) };
    const todo = selectSweepIndices(bench, scope, options.seed);
    const ids = defaultIds();
    console.log(
      `Default sweep: ${ids.length} proxies (${ids.join(', ')}), proxy size, ` +
        `${todo.length} classes${todo.length < classes ? ' (seeded sample, seed 0)' : ''}, ` +
        `${workers} workers; load average ${load()} at start`,
    );
    const file = join(dir, 'proxy.jsonl');
    const proxy = await sweep(bench, todo, options, scope, file);
    const all = (proxy.wall / todo.length) * classes;
    // On a loaded machine the wall time measures the other processes; CPU seconds per class over the cores do not.
    const idle = (proxy.cpu * classes) / workers;
    console.log(
      `  ${todo.length} classes in ${minutes(proxy.wall)} wall (${((1000 * proxy.wall) / todo.length).toFixed(0)} ms per class; ` +
        `${(1000 * proxy.perScore).toFixed(0)} ms per class inside a worker; ${(1000 * proxy.cpu).toFixed(0)} ms CPU per class)`,
    );
    console.log(
      `  all ${classes} classes: ${todo.length < classes ? 'extrapolated from this wall time' : 'measured'} ${minutes(all)} ` +
        `(${(all / 60 / GOAL_MINUTES).toFixed(2)}x the ${GOAL_MINUTES}-min goal); from CPU time on ${workers} idle cores ${minutes(idle)} ` +
        `(${(idle / 60 / GOAL_MINUTES).toFixed(2)}x the goal); load average ${load()} at the end`,
    );

    // 3. Full size: time per class of each selection, extrapolated (the cluster path sizes its array from it).
    printCosts(bench, 'full', Number(process.env.PROXY_SWEEP_FULL_CLASSES ?? 1), 1, false, workers);

    // 4. Leaderboard.
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
