// Cells whose output does not depend on the input (every path from the cell input to its output passes a `none`
// edge, e.g. index 10): PyTorch's NAS-Bench-201 network returns a zero input gradient for them (its Zero op is
// x.mul(0.)), so FGSM/PGD leave the input where it is and every robust kernel equals the clean one. The engine
// used to fail with "attack: no gradient reached the input", and a sweep with a robust variant stopped at index 10.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadBenchmark } from '../../../src/core/benchmark/load';
import { attackPixels, defaultAttack, lossGradientWrtPixels } from '../../../src/core/ntk/attack';
import { jsBackend } from '../../../src/core/ntk/engine/jsBackend';
import { syntheticInputs } from '../../../src/core/ntk/inputs/synthetic';
import { buildNetwork } from '../../../src/core/ntk/network';
import { NtkPool, type NtkJobOptions } from '../../../src/core/ntk/pool';
import { computeNtkScoresSync, NTK_VARIANTS } from '../../../src/core/ntk/scores';
import { readSweepFile, SweepWriter } from '../../../src/core/ntk/sweepFile';
import { runSweep } from '../../../src/core/ntk/sweepRun';
import { sweepHeader } from '../../../src/core/ntk/sweepScope';
import { outputDependsOnInput, parseArchString } from '../../../src/core/space';
import { exportProblem } from '../../../tools/ntk-export';
import { SHARED_DATA_DIR } from '../../helpers/sharedData';

const workerFile = join(import.meta.dirname, '../../../dist/ntk-worker.js');

async function inputIndependentClasses(): Promise<number[]> {
  const bench = await loadBenchmark({ dataDir: SHARED_DATA_DIR, download: false });
  return [...bench.evaluatedIndices].filter((i) => !outputDependsOnInput(bench.archOfIndex(i).cell));
}

test('the evaluated classes whose output ignores the input are 10, 12, 74, 172 and 879 (341 of the 15,625 cells)', async () => {
  assert.deepEqual(await inputIndependentClasses(), [10, 12, 74, 172, 879]);
  const bench = await loadBenchmark({ dataDir: SHARED_DATA_DIR, download: false });
  let cells = 0;
  for (let i = 0; i < 15625; i++) if (!outputDependsOnInput(bench.archOfIndex(i).cell)) cells++;
  assert.equal(cells, 341);
  // The predicate agrees with the engine: zero input gradient exactly for these cells.
  const inputs = syntheticInputs('cifar10', 2, 1);
  for (const [index, independent] of [
    [10, true],
    [12, true],
    [74, true],
    [172, true],
    [879, true],
    [0, false],
    [11, false],
    [1462, false],
  ] as const) {
    const net = buildNetwork(
      bench.archOfIndex(index).cell,
      { channels: 2, cellsPerStage: 1, classes: 10, inputSize: 32 },
      1,
      jsBackend(),
    );
    const g = lossGradientWrtPixels(net, inputs.pixels, inputs, jsBackend());
    assert.equal(g.length, inputs.pixels.length);
    assert.equal(
      g.every((v) => v === 0),
      independent,
      `index ${index}: input gradient ${independent ? 'should be' : 'should not be'} all zero`,
    );
  }
});

test('FGSM leaves the input of such a cell unchanged and PGD stays at its random start; robust kernels equal the clean one', async () => {
  const bench = await loadBenchmark({ dataDir: SHARED_DATA_DIR, download: false });
  const inputs = syntheticInputs('cifar10', 3, 2);
  for (const index of await inputIndependentClasses()) {
    const cell = bench.archOfIndex(index).cell;
    const net = buildNetwork(cell, { channels: 2, cellsPerStage: 1, classes: 10, inputSize: 32 }, 1, jsBackend());
    assert.deepEqual(
      attackPixels(net, inputs, inputs.pixels, defaultAttack('fgsm', 8), 1, jsBackend()),
      inputs.pixels,
      `index ${index}: FGSM moved the input`,
    );
    const pgd = { ...defaultAttack('pgd', 8), steps: 3 };
    const noSteps = { ...pgd, steps: 0 };
    assert.deepEqual(
      attackPixels(net, inputs, inputs.pixels, pgd, 1, jsBackend()),
      attackPixels(net, inputs, inputs.pixels, noSteps, 1, jsBackend()),
      `index ${index}: PGD stepped`,
    );
    for (const kernel of ['fixed-bn', 'exact'] as const) {
      const r = computeNtkScoresSync(cell, {
        options: {
          size: { channels: 2, cellsPerStage: 1 },
          kernel,
          variants: [...NTK_VARIANTS],
          attack: pgd,
          tradeOff: 0.5,
          seed: 1,
          baselines: true,
        },
        inputs,
        backend: jsBackend(),
      });
      const clean = r.variants.clean!;
      for (const v of ['robust', 'twice'] as const)
        assert.deepEqual(r.variants[v], clean, `index ${index} ${kernel}: ${v} differs from clean`);
      // The joint kernels weight two copies of the same kernel by (1 - beta) and beta: with beta = 0.5, K/2 twice.
      assert.deepEqual(r.variants['joint-robust'], r.variants['joint-clean']);
      for (const [v, s] of Object.entries(r.variants)) {
        for (const key of ['frobenius', 'trace', 'maxEigenvalue'] as const)
          assert.ok(Number.isFinite(s[key]) && s[key] > 0, `index ${index} ${kernel} ${v}.${key} = ${s[key]}`);
        // Every sample has the same parameter gradient, so the kernel is c * ones: rank 1.
        assert.ok(
          Math.abs(s.minEigenvalue) <= 1e-6 * s.maxEigenvalue,
          `index ${index} ${kernel} ${v}: min eigenvalue ${s.minEigenvalue}`,
        );
        assert.ok(
          s.conditionNumber === Infinity || s.conditionNumber > 1e5,
          `index ${index} ${kernel} ${v}: condition number ${s.conditionNumber}`,
        );
      }
      assert.ok(Number.isFinite(r.knas) && r.knas! >= 0, `index ${index}: KNAS ${r.knas}`);
      assert.ok(r.naswot === -Infinity || Number.isFinite(r.naswot), `index ${index}: NASWOT ${r.naswot}`);
    }
  }
});

test('a robust-variant sweep at proxy size over every such class writes a row for each', async () => {
  assert.ok(existsSync(workerFile), 'dist/ntk-worker.js is missing: run npm run build');
  const bench = await loadBenchmark({ dataDir: SHARED_DATA_DIR, download: false });
  const classes = await inputIndependentClasses();
  const options: NtkJobOptions = {
    size: 'proxy',
    kernel: 'fixed-bn',
    variants: ['clean', 'robust'],
    attack: defaultAttack('pgd', 8),
    tradeOff: 0.5,
    seed: 0,
    baselines: true,
    inputs: { kind: 'synthetic', dataset: 'cifar10', count: 4, seed: 0 },
  };
  const dir = mkdtempSync(join(tmpdir(), 'ntk-input-independent-'));
  const file = join(dir, 'sweep.jsonl');
  const pool = new NtkPool({ workers: 2, workerFile });
  try {
    const { writer } = SweepWriter.open(file, sweepHeader(options, { kind: 'all' }));
    const outcome = await runSweep({ bench, todo: classes, options, pool, write: (r) => writer.append(r) });
    writer.close();
    assert.equal(outcome.finished, classes.length);
    const rows = readSweepFile(file).rows;
    assert.deepEqual(
      [...rows.keys()].sort((a, b) => a - b),
      classes,
    );
    for (const [index, row] of rows)
      assert.deepEqual(row.result.variants.robust, row.result.variants.clean, `index ${index}`);
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("PyTorch (tools/ntk_reference.py, NAS-Bench-201's Zero op) gives index 12's cell a zero input gradient, as our engine does", () => {
  const fixture = JSON.parse(
    readFileSync(join(import.meta.dirname, '../../fixtures/ntk/input-independent-cifar10.json'), 'utf8'),
  ) as { arch: string; lossInputGradientMaxAbs: number; n: number; seed: number; channels: number };
  assert.equal(fixture.lossInputGradientMaxAbs, 0);
  const parsed = parseArchString(fixture.arch);
  assert.ok(parsed.ok && !outputDependsOnInput(parsed.cell));
  const inputs = syntheticInputs('cifar10', fixture.n, fixture.seed);
  const net = buildNetwork(
    parsed.cell,
    { channels: fixture.channels, cellsPerStage: 1, classes: 10, inputSize: 32 },
    fixture.seed,
    jsBackend(),
  );
  assert.ok(lossGradientWrtPixels(net, inputs.pixels, inputs, jsBackend()).every((v) => v === 0));
});

test('tools/ntk-export.ts exports such a cell for the PyTorch reference (it crashed on the missing gradient)', () => {
  const problem = exportProblem(
    '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|none~0|none~1|none~2|',
    'cifar10',
    2,
    1,
    2,
    1,
  );
  assert.equal(problem.ours.lossInputGradient.length, 2 * 3 * 32 * 32);
  assert.ok(problem.ours.lossInputGradient.every((v) => v === 0));
  // Every sample has the same parameter gradient: the kernel's entries are all equal.
  const k = problem.ours.kernels['fixed-bn'];
  assert.ok(k.every((v) => Math.abs(v - k[0]) <= 1e-6 * Math.abs(k[0])) && k[0] > 0);
});

test('outputDependsOnInput: a path of non-none edges from node 0 to node 3', () => {
  const cell = (s: string) => {
    const p = parseArchString(s);
    assert.ok(p.ok);
    return p.cell;
  };
  assert.equal(outputDependsOnInput(cell('|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|')), true);
  assert.equal(
    outputDependsOnInput(cell('|avg_pool_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|nor_conv_1x1~2|')),
    true,
  );
  assert.equal(outputDependsOnInput(cell('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|')), false);
  assert.equal(
    outputDependsOnInput(cell('|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|none~0|none~1|none~2|')),
    false,
  );
});
