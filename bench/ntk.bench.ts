// `npm run bench:ntk`: our NTK engine against PyTorch on the same cell, size and n, in one run.
// Peer: Debian's PyTorch 1.13 (tools/ntk_bench.py; functorch vmap for fixed-bn, per-sample loop for exact,
// 2 threads) when /usr/bin/python3 can import torch; otherwise ours alone. Ours runs with one thread and with
// every core (helper threads splitting the large kernels, engine/wasmThreads.ts); results are bit-identical, which
// the bench checks. Goals (issue 5): full size n=32 all-conv3x3, 2 cores: fixed-bn <= 0.8x PyTorch vmap,
// exact <= 1.5x PyTorch loop; proxy fixed-bn < 0.2 s; memory < 1.5 GB.
// NTK_BENCH_N sets n; NTK_BENCH_SKIP_FULL_EXACT=1 skips the slowest case; NTK_BENCH_THREADS=1,2 picks thread counts.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArchString } from '../src/core/space';
import { defaultAttack } from '../src/core/ntk/attack';
import { wasmBackend } from '../src/core/ntk/engine/wasmBackend';
import { syntheticInputs } from '../src/core/ntk/inputs/synthetic';
import type { KernelKind } from '../src/core/ntk/kernel';
import type { NetworkSizeName } from '../src/core/ntk/network';
import { computeNtkScoresSync } from '../src/core/ntk/scores';
import { findTorchPython } from '../tools/torch-python';

const root = join(__dirname, '..');
const parsed = parseArchString('|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|');
if (!parsed.ok) throw new Error('bench cell');
const cell = parsed.cell;
const binaries = { plain: readFileSync(join(root, 'wasm/build/kernels.wasm')), threads: readFileSync(join(root, 'wasm/build/kernels-threads.wasm')) };
const n = Number(process.env.NTK_BENCH_N ?? 32);
const skipFullExact = process.env.NTK_BENCH_SKIP_FULL_EXACT === '1';
const threadCounts = process.env.NTK_BENCH_THREADS?.split(',').map(Number) ?? [...new Set([1, availableParallelism()])];

interface Ours {
  seconds: number;
  frobenius: number;
  threads: number;
  note?: string;
  /** Peak resident memory of the process that computed this one score. */
  peakRssMB: number;
  /** The first score in the fresh process (`seconds` is the second). */
  firstSeconds: number;
}

/** One score in this process (the `--one` child mode below). */
async function oneScore(size: NetworkSizeName, kernel: KernelKind, threads: number): Promise<Ours> {
  const backend = wasmBackend(binaries, { threads });
  try {
    // A worker starts its helpers once and keeps them for every score it computes: startup is not per score.
    await backend.threadsReady();
    const options = { size, kernel, variants: ['clean' as const], attack: defaultAttack('fgsm', 8), tradeOff: 0.5, seed: 0, baselines: false };
    // Two scores: the first in a fresh process pays for JIT compilation and first-touch page faults of its
    // buffers; the second is what a worker that already scored a cell (a sweep, the editor's pool) takes.
    const first = computeNtkScoresSync(cell, { options, inputs: syntheticInputs('cifar10', n, 0), backend });
    const r = computeNtkScoresSync(cell, { options, inputs: syntheticInputs('cifar10', n, 0), backend });
    return { seconds: r.seconds, firstSeconds: first.seconds, frobenius: r.variants.clean!.frobenius, threads: backend.threads, note: backend.threadingNote, peakRssMB: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await backend.dispose();
  }
}

/** Each score in a fresh process, so its peak memory is its own (the memory goal is per score). */
function ours(size: NetworkSizeName, kernel: KernelKind, threads: number): Ours {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--one', size, kernel, String(threads)], { encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(`bench:ntk: the ${size} ${kernel} run on ${threads} thread(s) failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Ours;
}

function peer(channels: number, cells: number): Record<string, number> | undefined {
  const python = findTorchPython();
  if (!python) return undefined;
  // Passive OpenMP waiting: on a shared 2-core machine spinning threads make PyTorch many times slower.
  const r = spawnSync(python, [join(root, 'tools/ntk_bench.py'), String(channels), String(cells), String(n), '10', '2'], { encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' } });
  if (r.status !== 0) {
    console.log(`PyTorch peer failed: ${r.stderr.trim().split('\n').pop()}`);
    return undefined;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

const fmt = (s: number) => `${s.toFixed(2)} s`;

function main(): void {
  const peaks: string[] = [];
  console.log(`NTK benchmark: all-nor_conv_3x3 cell, CIFAR-10 shape, n = ${n}, WebAssembly SIMD back end, ours with ${threadCounts.join(' and ')} thread(s) per score`);
  for (const [size, c, cells] of [['proxy', 8, 1], ['full', 16, 5]] as const) {
    const torch = peer(c, cells);
    console.log(`\n${size} (C=${c}, N=${cells})${torch ? `; PyTorch ${torch.torch}, ${torch.threads} threads, peak RSS ${torch.peakRssMB.toFixed(0)} MB` : '; PyTorch not found (tools/install-torch.sh)'}`);
    for (const kernel of ['fixed-bn', 'exact'] as const) {
      if (size === 'full' && kernel === 'exact' && skipFullExact) continue;
      const t = torch?.[kernel];
      const goal = kernel === 'fixed-bn' ? 0.8 : 1.5;
      const peerName = kernel === 'fixed-bn' ? 'vmap(grad)' : 'per-sample loop';
      const runs: Ours[] = [];
      for (const threads of threadCounts) runs.push(ours(size, kernel, threads));
      const cells = runs.map((o) => `ours ${o.threads} thread${o.threads === 1 ? '' : 's'} ${fmt(o.seconds)}${t ? ` (${(o.seconds / t).toFixed(2)}x)` : ''} [first in its process ${fmt(o.firstSeconds)}]`);
      const identical = runs.every((o) => o.frobenius === runs[0].frobenius);
      console.log(`  ${kernel.padEnd(8)} ${t ? `PyTorch ${peerName} ${fmt(t)} | ` : ''}${cells.join(' | ')}${t && size === 'full' ? `  goal <= ${goal}x` : ''}`);
      console.log(`           ||K||_F ours ${runs[0].frobenius.toExponential(3)}${identical ? ' (identical for every thread count)' : ' DIFFERS BETWEEN THREAD COUNTS'}` +
        `${t ? ` vs PyTorch ${torch![kernel + '-frobenius'].toExponential(3)} (different random weights)` : ''}`);
      for (const o of runs) if (o.note) console.log(`           note: ${o.note}`);
      peaks.push(`${size} ${kernel} ${runs.map((o) => `${o.peakRssMB.toFixed(0)} MB (${o.threads}T)`).join(' / ')}`);
      if (!identical) process.exitCode = 1;
    }
  }
  console.log(`\nour peak RSS per score (each in its own process): ${peaks.join(', ')} (WebAssembly memory is reserved at 4 GB and backed only as touched)`);
}

if (process.argv[2] === '--one') {
  const [size, kernel, threads] = process.argv.slice(3);
  void oneScore(size as NetworkSizeName, kernel as KernelKind, Number(threads)).then((o) => console.log(JSON.stringify(o)));
} else {
  main();
}
