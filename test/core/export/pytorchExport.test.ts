// The PyTorch export run under real PyTorch (Debian's python3-torch, installed by the test script's system-packages
// step): parameter counts and state_dict keys of model.py for seeded random cells on every dataset, the engine's
// logits reproduced by model.py with the engine's weights, and train.py's smoke run, training step and resume.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { renderPytorchExport, type ExportSize, type ExportSubject } from '../../../src/core/export';
import { Rng } from '../../../src/core/ntk/rng';
import { DATASET_IDS, EDGES, OP_NAMES, formatArchString, makeCell, networkCost, type Cell, type DatasetId } from '../../../src/core/space';
import { exportProblem } from '../../../tools/ntk-export';
import { findTorchPython } from '../../../tools/torch-python';

const harness = join(import.meta.dirname, 'torch_harness.py');
let python: string;
let work: string;

before(() => {
  const found = findTorchPython();
  assert.ok(found, 'these tests need PyTorch for python3: `npm test` installs Debian\'s python3-torch first (tools/install-torch.sh does it by hand)');
  python = found;
  work = mkdtempSync(join(tmpdir(), 'robust-nas-export-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

function subject(cell: Cell, dataset: DatasetId, size: ExportSize): ExportSubject {
  return { cell, dataset, size, generator: 'Robust NAS test' };
}

/** Writes model.py and train.py of the cell into a fresh folder and returns it. */
function writeExport(name: string, cell: Cell, dataset: DatasetId, size: ExportSize): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const files = renderPytorchExport(subject(cell, dataset, size));
  writeFileSync(join(dir, 'model.py'), files['model.py']);
  writeFileSync(join(dir, 'train.py'), files['train.py']);
  return dir;
}

function runHarness<T>(jobs: object[]): T[] {
  const r = spawnSync(python, [harness], { input: JSON.stringify(jobs), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as T[];
}

function randomCells(count: number, seed: number): Cell[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => makeCell(EDGES.map(() => OP_NAMES[rng.int(OP_NAMES.length)])));
}

const BN = ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked'];

/**
 * The state_dict keys of NAS-Bench-201's official TinyNetwork, in order, derived from the official code (xautodl,
 * github.com/D-X-Y/AutoDL-Projects):
 * - tiny_network.py: `stem` = Sequential(Conv2d (bias=False), BatchNorm2d); `cells` = ModuleList of N InferCells,
 *   a ResNetBasicblock, N InferCells, a ResNetBasicblock, N InferCells; `lastact` = Sequential(BatchNorm2d, ReLU);
 *   `classifier` = Linear (weight and bias). AdaptiveAvgPool2d has no state.
 * - cells.py InferCell: one module per edge in `layers`, in the order of the architecture string (edge k is
 *   `layers.k`), `none` edges included (cell_operations.py Zero, no state) so later edges keep their index.
 * - cell_operations.py: ReLUConvBN = `op` Sequential(ReLU, Conv2d with bias=not affine (affine=True: no bias),
 *   BatchNorm2d) so `op.1.weight` and `op.2.*`; Identity and POOLING (no `preprocess` when C_in == C_out, AvgPool2d)
 *   have no state; ResNetBasicblock = `conv_a`, `conv_b` (ReLUConvBN) and `downsample` = Sequential(AvgPool2d,
 *   Conv2d without bias), so `downsample.1.weight`.
 * - BatchNorm2d (affine, track_running_stats) holds weight, bias, running_mean, running_var, num_batches_tracked.
 */
function officialKeys(cell: Cell, cellsPerStage: number): string[] {
  const keys = ['stem.0.weight', ...BN.map((b) => `stem.1.${b}`)];
  const reluConvBn = (prefix: string) => [`${prefix}.op.1.weight`, ...BN.map((b) => `${prefix}.op.2.${b}`)];
  let i = 0;
  for (let stage = 0; stage < 3; stage++) {
    if (stage > 0) {
      keys.push(...reluConvBn(`cells.${i}.conv_a`), ...reluConvBn(`cells.${i}.conv_b`), `cells.${i}.downsample.1.weight`);
      i++;
    }
    for (let n = 0; n < cellsPerStage; n++, i++) {
      cell.forEach((op, k) => {
        if (op === 'nor_conv_1x1' || op === 'nor_conv_3x3') keys.push(...reluConvBn(`cells.${i}.layers.${k}`));
      });
    }
  }
  keys.push(...BN.map((b) => `lastact.0.${b}`), 'classifier.weight', 'classifier.bias');
  return keys;
}

test('30 seeded random cells x 3 datasets at C=16, N=5: parameter count = networkCost, state_dict keys = the official TinyNetwork\'s', () => {
  const cells = randomCells(30, 2024);
  const benchmarkSize = { channels: 16, cellsPerStage: 5 };
  const jobs: { kind: string; model: string; dataset: DatasetId; cell: Cell }[] = [];
  cells.forEach((cell, c) => {
    for (const dataset of DATASET_IDS) {
      const dir = writeExport(`count-${c}-${dataset}`, cell, dataset, benchmarkSize);
      jobs.push({ kind: 'inspect', model: join(dir, 'model.py'), dataset, cell });
    }
  });
  const results = runHarness<{ params: number; keys: string[]; arch: string }>(jobs.map(({ cell: _cell, ...job }) => job));
  results.forEach((r, j) => {
    const { cell, dataset } = jobs[j];
    assert.equal(r.arch, formatArchString(cell));
    assert.equal(r.params, networkCost(cell, dataset, benchmarkSize).params, `${formatArchString(cell)} on ${dataset}: parameters`);
    assert.deepEqual(r.keys, officialKeys(cell, 5), `${formatArchString(cell)}: state_dict keys`);
  });
});

test("the engine's weights in model.py give the engine's logits (float64 vs the engine's float32) on every dataset", () => {
  // Cells with every op, a node fed only by `none`, dead edges, and pooling next to convolutions.
  const cells: Cell[] = [
    makeCell(['nor_conv_3x3', 'nor_conv_1x1', 'avg_pool_3x3', 'skip_connect', 'nor_conv_3x3', 'none']),
    makeCell(['none', 'nor_conv_3x3', 'avg_pool_3x3', 'none', 'nor_conv_1x1', 'skip_connect']),
    makeCell(['avg_pool_3x3', 'skip_connect', 'nor_conv_3x3', 'nor_conv_1x1', 'none', 'avg_pool_3x3']),
    ...randomCells(3, 7),
  ];
  const jobs: object[] = [];
  const labels: string[] = [];
  cells.forEach((cell, c) => {
    for (const dataset of DATASET_IDS) {
      const dir = writeExport(`logits-${c}-${dataset}`, cell, dataset, { channels: 4, cellsPerStage: 1 });
      const problemPath = join(dir, 'problem.json');
      writeFileSync(problemPath, JSON.stringify(exportProblem(formatArchString(cell), dataset, 4, 1, 4, 11 + c)));
      jobs.push({ kind: 'logits', model: join(dir, 'model.py'), problem: problemPath });
      labels.push(`${formatArchString(cell)} on ${dataset}`);
    }
  });
  const results = runHarness<{ missing: string[]; unexpected: string[]; maxAbsDiff: number; maxAbs: number; normRelative: number }>(jobs);
  results.forEach((r, j) => {
    // Every parameter of the engine has its official key; only BN's running statistics (not parameters) are left.
    assert.deepEqual(r.unexpected, [], labels[j]);
    assert.ok(r.missing.every((k) => /\.(running_mean|running_var|num_batches_tracked)$/.test(k)), `${labels[j]}: missing ${r.missing.join(', ')}`);
    assert.ok(r.maxAbs > 0.01, `${labels[j]}: logits too small to compare`);
    assert.ok(r.normRelative < 1e-6, `${labels[j]}: logits differ by ${r.normRelative.toExponential(2)} relative (max abs diff ${r.maxAbsDiff.toExponential(2)})`);
  });
});

function smokeExport(name: string, dataset: DatasetId = 'cifar10'): string {
  return writeExport(name, makeCell(['nor_conv_3x3', 'skip_connect', 'nor_conv_1x1', 'avg_pool_3x3', 'none', 'nor_conv_3x3']), dataset, { channels: 4, cellsPerStage: 1 });
}

test('train.py --smoke runs end to end: training steps, checkpoint, model.pt loadable with strict=True, every metric', () => {
  const dir = smokeExport('smoke', 'imagenet16-120');
  const out = join(dir, 'run');
  const r = spawnSync(python, ['train.py', '--smoke', '--out', out], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  assert.deepEqual(Object.keys(results.accuracy), ['clean', 'fgsm@3', 'pgd@3', 'fgsm@8', 'pgd@8']);
  for (const v of Object.values(results.accuracy) as number[]) assert.ok(v >= 0 && v <= 1);
  assert.equal(results.dataset, 'imagenet16-120');
  assert.match(r.stdout, /checkpoint at step 2:/);
  const log = readFileSync(join(out, 'log.csv'), 'utf8').trim().split('\n');
  assert.deepEqual(log.map((l) => l.split(',')[0]), ['step', '1', '2']);
  assert.match(r.stderr, /epoch 1\/1 2\/2 loss/, 'the progress bar reports each epoch');
  const [loaded] = runHarness<{ ok: boolean }>([{ kind: 'load-trained', dir, weights: join(out, 'model.pt') }]);
  assert.ok(loaded.ok);
});

test('a few adversarial-training steps on a fixed batch lower its adversarial loss', () => {
  const dir = smokeExport('fixed-batch');
  const [r] = runHarness<{ before: number; after: number; stepLosses: number[] }>([{ kind: 'fixed-batch', dir, steps: 8 }]);
  assert.ok(r.stepLosses.at(-1)! < r.stepLosses[0], `training losses ${r.stepLosses.map((l) => l.toFixed(3)).join(' ')}`);
  assert.ok(r.after < r.before * 0.97, `PGD loss ${r.before.toFixed(4)} before, ${r.after.toFixed(4)} after 8 steps (step losses ${r.stepLosses.map((l) => l.toFixed(3)).join(' ')})`);
});

function readLog(path: string): string[][] {
  return readFileSync(path, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
}

test('train.py checkpoint, kill -9 and --resume continue from the checkpointed step with the same losses', async () => {
  const dir = smokeExport('resume');
  const args = ['train.py', '--smoke', '--smoke-batches', '10', '--epochs', '3', '--batch-size', '16', '--checkpoint-every', '1', '--no-autoattack'];
  const whole = spawnSync(python, [...args, '--out', 'whole'], { cwd: dir, encoding: 'utf8' });
  assert.equal(whole.status, 0, whole.stderr);
  const reference = readLog(join(dir, 'whole', 'log.csv'));
  assert.equal(reference.length, 30);

  // The same run, killed right after its third checkpoint.
  const killedAt = await new Promise<number>((resolve, reject) => {
    const child = spawn(python, [...args, '--out', 'cut'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    let killed = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const m = /checkpoint at step (\d+):/.exec(text.split('\n').filter((l) => l.startsWith('checkpoint')).at(-1) ?? '');
      if (!killed && m && Number(m[1]) >= 3) {
        killed = Number(m[1]);
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(killed) : reject(new Error(`the run ended (exit ${code}) before it could be killed`))));
  });
  assert.ok(existsSync(join(dir, 'cut', 'checkpoint.pt')));

  const refused = spawnSync(python, [...args, '--out', 'cut'], { cwd: dir, encoding: 'utf8' });
  assert.notEqual(refused.status, 0, 'an existing checkpoint is not overwritten without --resume');
  assert.match(refused.stderr, /checkpoint\.pt exists: pass --resume/);

  const resumed = spawnSync(python, [...args, '--out', 'cut', '--resume'], { cwd: dir, encoding: 'utf8' });
  assert.equal(resumed.status, 0, resumed.stderr);
  const at = Number(/resumed at step (\d+) of 30/.exec(resumed.stdout)?.[1]);
  assert.ok(at >= killedAt && at >= 3, `resumed at step ${at}, the kill came after the checkpoint of step ${killedAt}`);
  const log = readLog(join(dir, 'cut', 'log.csv'));
  assert.deepEqual(log.map((row) => row[0]), reference.map((row) => row[0]), 'one log row per step, none repeated or lost');
  // Same batches, same PGD starts, same weights: the resumed run's losses are the uninterrupted run's.
  assert.deepEqual(log, reference);
});
