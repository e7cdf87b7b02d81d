// train.py's real-data path under Debian's python3-torch and python3-torchvision (both installed by the test
// script's system-packages step for this file), without network: tiny CIFAR-10, CIFAR-100 and ImageNet16-120 files
// fabricated in their published on-disk formats (torchvision 0.14 datasets/cifar.py reads `cifar-10-batches-py` and
// `cifar-100-python`; xautodl datasets/DownsampledImageNet.py, copied in NAS-RobBench-201's utils_data.py, reads
// `ImageNet16`), read through train.py's datasets, transforms and loaders, trained on for a few steps and evaluated.
// Fabricated files fail the MD5 checks, as they should: real_data_harness.py replaces the MD5 tables by the files'
// own digests for the runs that need them to pass, and the runs that check the errors keep the real tables.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderPytorchExport } from '../../../src/core/export';
import { makeCell, type DatasetId } from '../../../src/core/space';
import { findTorchPython } from '../../../tools/torch-python';

const harness = join(import.meta.dirname, 'real_data_harness.py');
let work: string;
let results: Promise<Record<string, unknown>>;

type Format = 'cifar10' | 'cifar100' | 'imagenet16';
const FORMAT: Record<DatasetId, Format> = { cifar10: 'cifar10', cifar100: 'cifar100', 'imagenet16-120': 'imagenet16' };

/**
 * The labels written to each file. CIFAR: 0-based class indices. ImageNet16: ImageNet's 1-based classes 1..1000,
 * with the edges of ImageNet16-120's range (1 and 120 kept; 0, 121 and beyond dropped) in the training and test files.
 */
const LABELS: Record<DatasetId, { train: number[][]; test: number[] }> = {
  cifar10: {
    train: Array.from({ length: 5 }, (_, b) => [0, 1, 2, 3].map((k) => (3 * b + k) % 10)),
    test: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  },
  cifar100: {
    train: [Array.from({ length: 20 }, (_, k) => (37 * k) % 100)],
    test: [0, 99, 50, 1, 98, 2, 97, 3, 96, 4],
  },
  'imagenet16-120': {
    train: [[1, 120, 0, 121, 1000, 60], ...Array.from({ length: 9 }, (_, b) => [b + 2, 119 - b, 122 + b, 999 - b])],
    test: [1, 2, 119, 120, 121, 500, 0, 7],
  },
};
/** ImageNet16-120: ImageNet classes 1..120 kept, shifted to 0..119 (utils_data.py:118-126 and 137). */
function keptTargets(dataset: DatasetId, labels: number[]): number[] {
  return dataset === 'imagenet16-120' ? labels.filter((l) => l >= 1 && l <= 120).map((l) => l - 1) : labels;
}
/** NAS-RobBench-201's normalisers, utils_data.py:16-20 (TT2408/nasrobbench201 f933a51), values / 255. */
const AUTHORS_NORMALIZERS: Record<DatasetId, [number[], number[]]> = {
  cifar10: [
    [125.3, 123.0, 113.9],
    [63.0, 62.1, 66.7],
  ],
  cifar100: [
    [129.3, 124.1, 112.4],
    [68.2, 65.4, 70.4],
  ],
  'imagenet16-120': [
    [122.68, 116.66, 104.01],
    [63.22, 61.26, 65.09],
  ],
};
const SIDE: Record<DatasetId, number> = { cifar10: 32, cifar100: 32, 'imagenet16-120': 16 };
const PADDING: Record<DatasetId, number> = { cifar10: 4, cifar100: 4, 'imagenet16-120': 2 };
const DATASETS: DatasetId[] = ['cifar10', 'cifar100', 'imagenet16-120'];
const BATCH = 8;
/** The smallest smoke run: one training batch of 4 random images, then the evaluation of 4. */
const SMALL_SMOKE = ['--smoke', '--smoke-batches', '1', '--batch-size', '4'];
const SEED = 5;
// Every run points urllib at a closed local port: a download attempt fails at once instead of reaching the network.
const OFFLINE = {
  http_proxy: 'http://127.0.0.1:9',
  https_proxy: 'http://127.0.0.1:9',
  HTTP_PROXY: 'http://127.0.0.1:9',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  no_proxy: '',
  NO_PROXY: '',
};

function exportFor(dataset: DatasetId): string {
  const dir = join(work, `export-${dataset}`);
  mkdirSync(dir, { recursive: true });
  const files = renderPytorchExport({
    cell: makeCell(['nor_conv_3x3', 'skip_connect', 'nor_conv_1x1', 'avg_pool_3x3', 'none', 'nor_conv_3x3']),
    dataset,
    size: { channels: 4, cellsPerStage: 1 },
    generator: 'Robust NAS test',
  });
  writeFileSync(join(dir, 'model.py'), files['model.py']);
  writeFileSync(join(dir, 'train.py'), files['train.py']);
  return join(dir, 'train.py');
}

function runArgs(data: string, out: string, workers: number, ...more: string[]): string[] {
  return [
    '--data',
    data,
    '--out',
    out,
    '--epochs',
    '1',
    '--batch-size',
    String(BATCH),
    '--workers',
    String(workers),
    '--no-autoattack',
    '--device',
    'cpu',
    ...more,
  ];
}

interface MainResult {
  code: number | null;
  message: string | null;
  stdout: string;
  stderr: string;
}
interface InspectResult {
  dataset: DatasetId;
  trainLength: number;
  testLength: number;
  trainTargets: number[];
  testTargets: number[];
  expectedTrainTargets: number[];
  testPixelsExact: boolean;
  batchShape: number[];
  batchDtype: string;
  labelDtype: string;
  min: number;
  max: number;
  trainCropsMatched: number;
  trainCropsTotal: number;
  flipsSeen: boolean[];
  shiftsSeen: number;
  maxShift: number;
  normaliserVsTorchvision: number;
}

before(() => {
  const python = findTorchPython();
  assert.ok(python, "these tests need PyTorch for python3: `npm test` installs Debian's python3-torch first");
  const vision = spawnSync(python, ['-c', 'import torchvision, PIL'], { encoding: 'utf8' });
  assert.equal(
    vision.status,
    0,
    `these tests need torchvision for ${python}: \`npm test\` installs Debian's python3-torchvision first ` +
      `(node --import tsx scripts/system-packages.ts --package python3-torchvision). ${vision.stderr}`,
  );
  work = mkdtempSync(join(tmpdir(), 'robust-nas-real-data-'));
  const data = join(work, 'data');
  const partial = join(work, 'partial');
  const empty = join(work, 'empty');
  const trainPy = Object.fromEntries(DATASETS.map((d) => [d, exportFor(d)])) as Record<DatasetId, string>;

  // Named jobs, run in order in one python process (torch and torchvision import once).
  const jobs: [string, object][] = [];
  for (const dataset of DATASETS) {
    const { train, test } = LABELS[dataset];
    jobs.push([
      `fabricate ${dataset}`,
      { kind: 'fabricate', format: FORMAT[dataset], root: data, seed: SEED, train, test },
    ]);
  }
  const { train: inTrain, test: inTest } = LABELS['imagenet16-120'];
  jobs.push([
    'fabricate partial',
    {
      kind: 'fabricate',
      format: 'imagenet16',
      root: partial,
      seed: SEED,
      train: inTrain,
      test: inTest,
      omit: ['val_data'],
    },
  ]);
  for (const dataset of DATASETS) {
    const [mean, std] = AUTHORS_NORMALIZERS[dataset];
    jobs.push([
      `inspect ${dataset}`,
      {
        kind: 'inspect',
        train_py: trainPy[dataset],
        root: data,
        seed: SEED,
        ...LABELS[dataset],
        mean: mean.map((x) => x / 255),
        std: std.map((x) => x / 255),
      },
    ]);
  }
  for (const dataset of DATASETS) {
    // The ImageNet16 class through worker processes, as by default (main.py:222 num_workers=4); CIFAR in-process.
    const workers = dataset === 'imagenet16-120' ? 2 : 0;
    jobs.push([
      `run ${dataset}`,
      {
        kind: 'main',
        train_py: trainPy[dataset],
        argv: runArgs(data, join(work, `run-${dataset}`), workers),
        trust_fabricated: true,
        env: OFFLINE,
      },
    ]);
    if (dataset === 'imagenet16-120')
      jobs.push([
        'eval-only imagenet16-120',
        {
          kind: 'main',
          train_py: trainPy[dataset],
          argv: runArgs(data, join(work, 'eval-only'), 0, '--eval-only', join(work, `run-${dataset}`, 'model.pt')),
          trust_fabricated: true,
          env: OFFLINE,
        },
      ]);
    jobs.push([
      `load ${dataset}`,
      { kind: 'load-trained', train_py: trainPy[dataset], weights: join(work, `run-${dataset}`, 'model.pt') },
    ]);
  }
  // Resume on real data (--workers 0): the augmentations draw on the RNG the checkpoint saves. A run that dies the
  // moment its checkpoint of step 4 is on disk, resumed, against the uninterrupted run.
  const resumeArgs = (out: string, ...more: string[]) =>
    runArgs(data, join(work, out), 0, '--epochs', '2', '--checkpoint-every', '1', ...more);
  const imagenet = trainPy['imagenet16-120'];
  jobs.push(
    [
      'resume whole',
      { kind: 'main', train_py: imagenet, argv: resumeArgs('whole'), trust_fabricated: true, env: OFFLINE },
    ],
    [
      'resume cut',
      { kind: 'main', train_py: imagenet, argv: resumeArgs('cut'), die_after_checkpoint: 4, env: OFFLINE },
    ],
    [
      'resume rest',
      { kind: 'main', train_py: imagenet, argv: resumeArgs('cut', '--resume'), trust_fabricated: true, env: OFFLINE },
    ],
  );
  const untrusted = (name: string, dataset: DatasetId, root: string, extra: object = {}, ...more: string[]) =>
    jobs.push([
      name,
      {
        kind: 'main',
        train_py: trainPy[dataset],
        argv: runArgs(root, join(work, name.replace(/ /g, '-')), 0, ...more),
        env: OFFLINE,
        ...extra,
      },
    ]);
  untrusted('imagenet md5', 'imagenet16-120', data);
  untrusted('imagenet missing', 'imagenet16-120', empty);
  untrusted('imagenet partial', 'imagenet16-120', partial);
  untrusted('cifar10 md5', 'cifar10', data, {}, '--no-download');
  untrusted('cifar100 missing', 'cifar100', empty, {}, '--no-download');
  untrusted('cifar100 offline', 'cifar100', join(work, 'offline'));
  untrusted('no torchvision', 'cifar10', data, { block: ['torchvision', 'PIL'] });
  untrusted('smoke without torchvision', 'cifar10', data, { block: ['torchvision', 'PIL'] }, ...SMALL_SMOKE);

  results = new Promise((resolve, reject) => {
    const child = spawn(python, [harness], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`real_data_harness.py exited ${code}: ${err}`));
      const list = JSON.parse(out) as unknown[];
      resolve(Object.fromEntries(jobs.map(([name], i) => [name, list[i]])));
    });
    child.stdin.end(JSON.stringify(jobs.map(([, job]) => job)));
  });
});
after(() => rmSync(work, { recursive: true, force: true }));

async function result<T>(name: string): Promise<T> {
  const r = (await results)[name] as { error?: string };
  assert.equal(r.error, undefined, `harness job '${name}' failed: ${r.error}`);
  return r as T;
}

for (const dataset of DATASETS) {
  test(`${dataset}: train.py's datasets read the published file format; images, labels, range, crops, normaliser`, async () => {
    const r = await result<InspectResult>(`inspect ${dataset}`);
    const { train, test } = LABELS[dataset];
    const trainTargets = keptTargets(dataset, train.flat());
    const testTargets = keptTargets(dataset, test);
    assert.equal(r.trainLength, trainTargets.length);
    assert.equal(r.testLength, testTargets.length);
    // Every kept image with its label, in file order (the dataset's order; the loader shuffles only the training split).
    assert.deepEqual(r.trainTargets, trainTargets);
    assert.deepEqual(r.expectedTrainTargets, trainTargets);
    assert.deepEqual(r.testTargets, testTargets);
    assert.ok(r.testPixelsExact, 'test images: the bytes written / 255, nothing else (ToTensor only)');
    assert.deepEqual(r.batchShape, [4, 3, SIDE[dataset], SIDE[dataset]]);
    assert.equal(r.batchDtype, 'torch.float32');
    assert.equal(r.labelDtype, 'torch.int64');
    assert.ok(
      r.min >= 0 && r.max <= 1 && r.max > 0.9,
      `pixels in [0, 1] before the model's normaliser: ${r.min}..${r.max}`,
    );
    // RandomCrop(side, padding) then RandomHorizontalFlip: every training image is such a crop of the image written.
    assert.equal(r.trainCropsMatched, r.trainCropsTotal, 'every training image is a padded crop of its original');
    assert.ok(
      r.maxShift <= PADDING[dataset] && r.shiftsSeen > 1,
      `crop offsets: ${r.shiftsSeen} seen, at most ${r.maxShift}`,
    );
    assert.deepEqual(r.flipsSeen, [false, true], 'some training images flipped, some not');
    // main.py:42-43 puts torchvision's Normalize(*NORMALIZERS[data]) before the network; train.py's module is the same.
    assert.ok(r.normaliserVsTorchvision < 1e-6, `normaliser differs by ${r.normaliserVsTorchvision}`);
  });

  test(`${dataset}: a short run on the files trains, checkpoints, logs and evaluates the whole test split`, async () => {
    const r = await result<MainResult>(`run ${dataset}`);
    assert.equal(r.code, 0, `${r.message}\n${r.stdout}\n${r.stderr}`);
    const trainCount = keptTargets(dataset, LABELS[dataset].train.flat()).length;
    const testCount = keptTargets(dataset, LABELS[dataset].test).length;
    const steps = Math.ceil(trainCount / BATCH); // main.py:230 len(train_queue), the last batch kept
    const out = join(work, `run-${dataset}`);
    if (dataset !== 'imagenet16-120') {
      // download on (the default), files present and verified: torchvision does not download.
      assert.match(r.stdout, /Files already downloaded and verified/);
      assert.doesNotMatch(r.stdout, /Downloading/);
    }
    assert.match(r.stdout, new RegExp(`checkpoint at step ${steps}: `));
    assert.ok(existsSync(join(out, 'checkpoint.pt')));
    const log = readFileSync(join(out, 'log.csv'), 'utf8').trim().split(/\r?\n/);
    assert.equal(log[0], 'step,epoch,lr,momentum,loss,adv_acc');
    const rows = log.slice(1).map((l) => l.split(','));
    assert.deepEqual(
      rows.map((row) => row[0]),
      Array.from({ length: steps }, (_, i) => String(i + 1)),
    );
    for (const row of rows) assert.ok(Number.isFinite(Number(row[4])) && Number(row[4]) > 0, `loss ${row[4]}`);
    const saved = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    assert.equal(saved.smoke, false);
    assert.equal(saved.dataset, dataset);
    assert.deepEqual(Object.keys(saved.accuracy), ['clean', 'fgsm@3', 'pgd@3', 'fgsm@8', 'pgd@8']);
    for (const [name, v] of Object.entries(saved.accuracy) as [string, number][]) {
      // A fraction of the kept test images: the evaluation saw exactly them.
      const correct = v * testCount;
      assert.ok(v >= 0 && v <= 1 && Math.abs(correct - Math.round(correct)) < 1e-9, `${name}: ${v} of ${testCount}`);
    }
    assert.deepEqual(
      await result(`load ${dataset}`),
      { ok: true },
      'model.pt loads into build_model() with strict=True',
    );
  });
}

test("--eval-only on the files: the saved weights give the run's clean accuracy again", async () => {
  const r = await result<MainResult>('eval-only imagenet16-120');
  assert.equal(r.code, 0, `${r.message}\n${r.stderr}`);
  const saved = JSON.parse(readFileSync(join(work, 'run-imagenet16-120', 'results.json'), 'utf8'));
  // Clean accuracy has no random start: the same weights in eval mode on the same images give the same count.
  const clean = /^ {2}clean +([\d.]+)%/m.exec(r.stdout);
  assert.ok(clean, r.stdout);
  assert.equal(Number(clean[1]), Number((100 * saved.accuracy.clean).toFixed(2)));
  for (const name of ['fgsm@3', 'pgd@3', 'fgsm@8', 'pgd@8'])
    assert.match(r.stdout, new RegExp(`^  ${name} +[\\d.]+%`, 'm'));
});

test('real data, --workers 0: a run that dies right after a checkpoint and is resumed repeats the uninterrupted run', async () => {
  const cut = await result<MainResult>('resume cut');
  assert.equal(cut.code, 137, 'the run died after the checkpoint of step 4');
  const rest = await result<MainResult>('resume rest');
  assert.equal(rest.code, 0, `${rest.message}\n${rest.stderr}`);
  const steps = 2 * Math.ceil(keptTargets('imagenet16-120', LABELS['imagenet16-120'].train.flat()).length / BATCH);
  assert.match(rest.stdout, new RegExp(`resumed at step 4 of ${steps}`));
  const read = (out: string) =>
    readFileSync(join(work, out, 'log.csv'), 'utf8')
      .trim()
      .split(/\r?\n/);
  assert.equal(read('whole').length, steps + 1);
  // Every row, the ones written before the death included: same batches, same crops and flips, same PGD starts.
  assert.deepEqual(read('cut'), read('whole'));
  const accuracy = (out: string) => JSON.parse(readFileSync(join(work, out, 'results.json'), 'utf8')).accuracy;
  assert.deepEqual(accuracy('cut'), accuracy('whole'));
});

test('ImageNet16-120: a file whose MD5 differs from the published one is refused, naming both digests and the source', async () => {
  const r = await result<MainResult>('imagenet md5');
  assert.equal(r.code, 1);
  assert.match(
    r.message ?? '',
    /^ImageNet16-120: .*ImageNet16\/train_data_batch_1 has MD5 [0-9a-f]{32}, expected 27846dcaa50de8e21a7d1a35f30f0e91 .*Download it again from https:\/\/drive\.google\.com\/drive\/folders\/1L0Lzq8rWpZLPfiQGd6QR8q5xLV88emU7\.$/,
  );
});

test('ImageNet16-120: missing files are named, with where to download them and where to put them', async () => {
  const none = await result<MainResult>('imagenet missing');
  assert.equal(none.code, 1);
  assert.match(
    none.message ?? '',
    /^ImageNet16-120: train_data_batch_1, train_data_batch_2, .*train_data_batch_10, val_data missing in .*empty\/ImageNet16\. Download NAS-Bench-201's ImageNet16 folder .* from https:\/\/drive\.google\.com\/.* and put its files in .*empty\/ImageNet16\.$/,
  );
  const partial = await result<MainResult>('imagenet partial');
  assert.equal(partial.code, 1);
  assert.match(partial.message ?? '', /^ImageNet16-120: val_data missing in .*partial\/ImageNet16\./);
});

test('CIFAR with --no-download: files failing their MD5 or missing get a message saying what to do', async () => {
  const md5 = await result<MainResult>('cifar10 md5');
  assert.equal(md5.code, 1);
  assert.match(
    md5.message ?? '',
    /^CIFAR-10: .*cifar-10-batches-py is missing or holds a file that is not the published one \(torchvision checks each file's MD5: Dataset not found or corrupted\..*\)\. Run without --no-download to let torchvision download it, or extract https:\/\/www\.cs\.toronto\.edu\/~kriz\/cifar-10-python\.tar\.gz in /,
  );
  const missing = await result<MainResult>('cifar100 missing');
  assert.equal(missing.code, 1);
  assert.match(missing.message ?? '', /^CIFAR-100: .*empty\/cifar-100-python is missing or holds a file/);
});

test('CIFAR: a download that fails (no network) says so and how to place the archive by hand', async () => {
  const r = await result<MainResult>('cifar100 offline');
  assert.equal(r.code, 1);
  assert.match(
    r.message ?? '',
    /^CIFAR-100: torchvision could not download it into .*offline\/cifar-100-python \(.*\)\. Check the network and run again, or download https:\/\/www\.cs\.toronto\.edu\/~kriz\/cifar-100-python\.tar\.gz yourself, extract it in .*offline and run with --no-download\.$/,
  );
});

test('without torchvision: the real data asks for it, --smoke runs without it', async () => {
  const r = await result<MainResult>('no torchvision');
  assert.equal(r.code, 1);
  assert.match(r.message ?? '', /train\.py reads CIFAR and ImageNet16-120 with torchvision.*pip install torchvision/);
  const smoke = await result<MainResult>('smoke without torchvision');
  assert.equal(smoke.code, 0, `${smoke.message}\n${smoke.stderr}`);
});
