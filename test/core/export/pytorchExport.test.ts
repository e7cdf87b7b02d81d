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
import {
  DATASET_IDS,
  DATASET_SHAPE,
  EDGES,
  OP_NAMES,
  formatArchString,
  makeCell,
  networkCost,
  type Cell,
  type DatasetId,
} from '../../../src/core/space';
import { jsBackend } from '../../../src/core/ntk/engine/jsBackend';
import { normalisePixels } from '../../../src/core/ntk/inputs/inputSet';
import { syntheticInputs } from '../../../src/core/ntk/inputs/synthetic';
import { forwardLogits } from '../../../src/core/ntk/kernel';
import { buildNetwork } from '../../../src/core/ntk/network';
import { findTorchPython } from '../../../tools/torch-python';

const harness = join(import.meta.dirname, 'torch_harness.py');
let python: string;
let work: string;

before(() => {
  const found = findTorchPython();
  assert.ok(
    found,
    "these tests need PyTorch for python3: `npm test` installs Debian's python3-torch first (tools/install-torch.sh does it by hand)",
  );
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

/** The same, without blocking the event loop (the harness runs while the first tests wait for it). */
function runHarnessAsync(jobs: object[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [harness], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as unknown[]) : reject(new Error(`torch_harness.py exited ${code}: ${err}`)),
    );
    child.stdin.end(JSON.stringify(jobs));
  });
}

function runHarness<T>(jobs: object[]): T[] {
  const r = spawnSync(python, [harness], {
    input: JSON.stringify(jobs),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
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
      keys.push(
        ...reluConvBn(`cells.${i}.conv_a`),
        ...reluConvBn(`cells.${i}.conv_b`),
        `cells.${i}.downsample.1.weight`,
      );
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

interface InspectResult {
  params: number;
  keys: string[];
  arch: string;
}
interface LogitsResult {
  missing: string[];
  unexpected: string[];
  maxAbsDiff: number;
  maxAbs: number;
  normRelative: number;
}
interface FixedBatchResult {
  before: number;
  after: number;
  stepLosses: number[];
}

const BENCHMARK_SIZE = { channels: 16, cellsPerStage: 5 };
/** 30 seeded random cells x 3 datasets, exported at the benchmark's size. */
const countJobs: { cell: Cell; dataset: DatasetId }[] = randomCells(30, 2024).flatMap((cell) =>
  DATASET_IDS.map((dataset) => ({ cell, dataset })),
);
/** Cells with every op, a node fed only by `none`, dead edges, and pooling next to convolutions; then random ones. */
const logitCells: Cell[] = [
  makeCell(['nor_conv_3x3', 'nor_conv_1x1', 'avg_pool_3x3', 'skip_connect', 'nor_conv_3x3', 'none']),
  makeCell(['none', 'nor_conv_3x3', 'avg_pool_3x3', 'none', 'nor_conv_1x1', 'skip_connect']),
  makeCell(['avg_pool_3x3', 'skip_connect', 'nor_conv_3x3', 'nor_conv_1x1', 'none', 'avg_pool_3x3']),
  ...randomCells(3, 7),
];
const logitJobs = logitCells.flatMap((cell, c) => DATASET_IDS.map((dataset) => ({ cell, dataset, seed: 11 + c })));

/** The PyTorch side of the first tests, computed in one python process (torch imports once) started before them. */
let shared: Promise<{ inspect: InspectResult[]; logits: LogitsResult[]; fixedBatch: FixedBatchResult }>;
before(() => {
  const jobs: object[] = [];
  countJobs.forEach(({ cell, dataset }, j) => {
    jobs.push({
      kind: 'inspect',
      model: join(writeExport(`count-${j}`, cell, dataset, BENCHMARK_SIZE), 'model.py'),
      dataset,
    });
  });
  logitJobs.forEach(({ cell, dataset, seed }, j) => {
    const dir = writeExport(`logits-${j}`, cell, dataset, { channels: 4, cellsPerStage: 1 });
    writeFileSync(join(dir, 'problem.json'), JSON.stringify(engineProblem(cell, dataset, 4, 1, 4, seed)));
    jobs.push({ kind: 'logits', model: join(dir, 'model.py'), problem: join(dir, 'problem.json') });
  });
  jobs.push({ kind: 'fixed-batch', dir: smokeExport('fixed-batch'), steps: 8 });
  shared = runHarnessAsync(jobs).then((results) => ({
    inspect: results.slice(0, countJobs.length) as InspectResult[],
    logits: results.slice(countJobs.length, countJobs.length + logitJobs.length) as LogitsResult[],
    fixedBatch: results[results.length - 1] as FixedBatchResult,
  }));
});

test("30 seeded random cells x 3 datasets at C=16, N=5: parameter count = networkCost, state_dict keys = the official TinyNetwork's", async () => {
  const { inspect } = await shared;
  inspect.forEach((r, j) => {
    const { cell, dataset } = countJobs[j];
    assert.equal(r.arch, formatArchString(cell));
    assert.equal(
      r.params,
      networkCost(cell, dataset, BENCHMARK_SIZE).params,
      `${formatArchString(cell)} on ${dataset}: parameters`,
    );
    assert.deepEqual(r.keys, officialKeys(cell, 5), `${formatArchString(cell)}: state_dict keys`);
  });
});

test("the engine's weights in model.py give the engine's logits (float64 vs the engine's float32) on every dataset", async () => {
  const { logits } = await shared;
  logits.forEach((r, j) => {
    const label = `${formatArchString(logitJobs[j].cell)} on ${logitJobs[j].dataset}`;
    // Every parameter of the engine has its official key; only BN's running statistics (not parameters) are left.
    assert.deepEqual(r.unexpected, [], label);
    assert.ok(
      r.missing.every((k) => /\.(running_mean|running_var|num_batches_tracked)$/.test(k)),
      `${label}: missing ${r.missing.join(', ')}`,
    );
    assert.ok(r.maxAbs > 0.01, `${label}: logits too small to compare`);
    assert.ok(
      r.normRelative < 1e-6,
      `${label}: logits differ by ${r.normRelative.toExponential(2)} relative (max abs diff ${r.maxAbsDiff.toExponential(2)})`,
    );
  });
});

/**
 * The engine's network for the cell with seeded weights, synthetic normalised inputs and its logits, in PyTorch's
 * layouts (as tools/ntk-export.ts exports them, without the kernels this test does not need).
 */
function engineProblem(
  cell: Cell,
  dataset: DatasetId,
  channels: number,
  cellsPerStage: number,
  n: number,
  seed: number,
) {
  const { classes, inputSize } = DATASET_SHAPE[dataset];
  const backend = jsBackend();
  const net = buildNetwork(cell, { channels, cellsPerStage, classes, inputSize }, seed, backend);
  const norm = normalisePixels(syntheticInputs(dataset, n, seed).pixels, dataset);
  const plane = inputSize * inputSize;
  const inputs: number[] = [];
  for (let s = 0; s < n; s++)
    for (let c = 0; c < 3; c++) for (let p = 0; p < plane; p++) inputs.push(norm[(c * n + s) * plane + p]);
  const logits = forwardLogits(net, { c: 3, b: n, h: inputSize, w: inputSize, data: norm }, 1, backend);
  return {
    dataset,
    channels,
    cellsPerStage,
    n,
    inputSize,
    inputs,
    params: net.params.map((p) => ({ name: p.name, shape: [...p.shape], values: [...p.data] })),
    ours: {
      logits: Array.from({ length: n * classes }, (_, i) => logits[(i % classes) * n + Math.floor(i / classes)]),
    },
  };
}

function smokeExport(name: string, dataset: DatasetId = 'cifar10'): string {
  return writeExport(
    name,
    makeCell(['nor_conv_3x3', 'skip_connect', 'nor_conv_1x1', 'avg_pool_3x3', 'none', 'nor_conv_3x3']),
    dataset,
    { channels: 4, cellsPerStage: 1 },
  );
}

test('train.py --smoke runs end to end: training steps, checkpoint, model.pt loadable with strict=True, every metric', () => {
  const dir = smokeExport('smoke', 'imagenet16-120');
  const out = join(dir, 'run');
  const r = spawnSync(python, ['train.py', '--smoke', '--no-autoattack', '--out', out], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  assert.deepEqual(Object.keys(results.accuracy), ['clean', 'fgsm@3', 'pgd@3', 'fgsm@8', 'pgd@8']);
  for (const v of Object.values(results.accuracy) as number[]) assert.ok(v >= 0 && v <= 1);
  assert.equal(results.dataset, 'imagenet16-120');
  assert.match(r.stdout, /checkpoint at step 2:/);
  const log = readFileSync(join(out, 'log.csv'), 'utf8').trim().split('\n');
  assert.deepEqual(
    log.map((l) => l.split(',')[0]),
    ['step', '1', '2'],
  );
  assert.match(r.stderr, /epoch 1\/1 2\/2 loss/, 'the progress bar reports each epoch');
  const [loaded] = runHarness<{ ok: boolean }>([{ kind: 'load-trained', dir, weights: join(out, 'model.pt') }]);
  assert.ok(loaded.ok);
});

test('train.py evaluates with AutoAttack (Linf, 8/255, standard) when an autoattack package is importable', () => {
  const dir = smokeExport('autoattack');
  // A stand-in for github.com/fra31/auto-attack with its constructor and run_standard_evaluation: it checks the
  // arguments train.py passes and answers with the clean images, so AutoAttack accuracy must equal clean accuracy.
  const fake = join(dir, 'fake', 'autoattack');
  mkdirSync(fake, { recursive: true });
  writeFileSync(
    join(fake, '__init__.py'),
    [
      'class AutoAttack:',
      '    def __init__(self, model, norm="Linf", eps=0.3, seed=None, verbose=True, attacks_to_run=[], version="standard", is_tf_model=False, device="cuda", log_path=None):',
      '        assert (norm, version, device) == ("Linf", "standard", "cpu") and abs(eps - 8 / 255) < 1e-12, (norm, eps, version, device)',
      '    def run_standard_evaluation(self, x, y, bs=250, return_labels=False):',
      '        return x.clone()',
      '',
    ].join('\n'),
  );
  const r = spawnSync(python, ['train.py', '--smoke', '--out', 'run'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: join(dir, 'fake') },
  });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const { accuracy } = JSON.parse(readFileSync(join(dir, 'run', 'results.json'), 'utf8'));
  assert.deepEqual(Object.keys(accuracy), ['clean', 'fgsm@3', 'pgd@3', 'fgsm@8', 'pgd@8', 'autoattack']);
  assert.equal(accuracy.autoattack, accuracy.clean);
});

test('a few adversarial-training steps on a fixed batch lower its adversarial loss', async () => {
  const { fixedBatch: r } = await shared;
  assert.ok(
    r.stepLosses.at(-1)! < r.stepLosses[0],
    `training losses ${r.stepLosses.map((l) => l.toFixed(3)).join(' ')}`,
  );
  assert.ok(
    r.after < r.before * 0.97,
    `PGD loss ${r.before.toFixed(4)} before, ${r.after.toFixed(4)} after 8 steps (step losses ${r.stepLosses.map((l) => l.toFixed(3)).join(' ')})`,
  );
});

function readLog(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
}

test('train.py checkpoint, kill -9 and --resume continue from the checkpointed step with the same losses', async () => {
  const dir = smokeExport('resume', 'imagenet16-120');
  const args = [
    'train.py',
    '--smoke',
    '--smoke-batches',
    '10',
    '--epochs',
    '3',
    '--batch-size',
    '16',
    '--checkpoint-every',
    '1',
    '--no-autoattack',
  ];
  // The uninterrupted run, beside the same run killed right after its third checkpoint.
  const whole = new Promise<number | null>((resolve) =>
    spawn(python, [...args, '--out', 'whole'], { cwd: dir, stdio: 'ignore' }).on('exit', resolve),
  );
  const killedAt = await new Promise<number>((resolve, reject) => {
    const child = spawn(python, [...args, '--out', 'cut'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    let killed = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const m = /checkpoint at step (\d+):/.exec(
        text
          .split('\n')
          .filter((l) => l.startsWith('checkpoint'))
          .at(-1) ?? '',
      );
      if (!killed && m && Number(m[1]) >= 3) {
        killed = Number(m[1]);
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL'
        ? resolve(killed)
        : reject(new Error(`the run ended (exit ${code}) before it could be killed`)),
    );
  });
  assert.ok(existsSync(join(dir, 'cut', 'checkpoint.pt')));
  assert.equal(await whole, 0, 'the uninterrupted run failed');
  const reference = readLog(join(dir, 'whole', 'log.csv'));
  assert.equal(reference.length, 30);

  const refused = spawnSync(python, [...args, '--out', 'cut'], { cwd: dir, encoding: 'utf8' });
  assert.notEqual(refused.status, 0, 'an existing checkpoint is not overwritten without --resume');
  assert.match(refused.stderr, /checkpoint\.pt exists: pass --resume/);

  const resumed = spawnSync(python, [...args, '--out', 'cut', '--resume'], { cwd: dir, encoding: 'utf8' });
  assert.equal(resumed.status, 0, resumed.stderr);
  const at = Number(/resumed at step (\d+) of 30/.exec(resumed.stdout)?.[1]);
  assert.ok(at >= killedAt && at >= 3, `resumed at step ${at}, the kill came after the checkpoint of step ${killedAt}`);
  const log = readLog(join(dir, 'cut', 'log.csv'));
  assert.deepEqual(
    log.map((row) => row[0]),
    reference.map((row) => row[0]),
    'one log row per step, none repeated or lost',
  );
  // Same batches, same PGD starts, same weights: the resumed run's losses are the uninterrupted run's.
  assert.deepEqual(log, reference);
});
