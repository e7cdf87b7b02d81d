import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  absolutePathArgument,
  CommandArgumentError,
  datasetArgument,
  integerArgument,
  metricArgument,
  ntkConfigArgument,
  sweepScopeArgument,
} from '../../src/shared/commandArguments';
import { DEFAULT_NTK_CONFIG } from '../../src/core/ntk/jobOptions';

const CONFIG = { ...DEFAULT_NTK_CONFIG, channels: 4, n: 4, dataset: 'cifar10' };

test('an NTK configuration from a link is checked field by field', () => {
  assert.deepEqual(ntkConfigArgument(CONFIG, 'synthetic'), {
    ...CONFIG,
    cellsPerStage: undefined,
    steps: undefined,
    stepSize: undefined,
    randomStart: undefined,
    tradeOff: undefined,
    baselines: undefined,
  });
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ size: 'constructor' }, /network size must be one of full, proxy, got 'constructor'/],
    [{ size: '__proto__' }, /network size/],
    [{ variants: [] }, /NTK kernels must be a list/],
    [{ variants: ['clean', 'toString'] }, /NTK kernel 2 must be one of/],
    [{ n: 1e9 }, /number of NTK inputs must be a whole number from 1 to 1024, got 1000000000/],
    [{ n: '32' }, /number of NTK inputs must be a whole number/],
    [{ channels: 100000 }, /NTK channels must be a whole number from 1 to 256/],
    [{ eps: Number.NaN }, /attack radius/],
    [{ kernel: 'hasOwnProperty' }, /NTK kernel must be one of fixed-bn, exact/],
    [{ seed: -1 }, /NTK seed/],
    [{ dataset: 'constructor' }, /NTK dataset must be one of/],
  ];
  for (const [change, message] of bad) {
    assert.throws(
      () => ntkConfigArgument({ ...CONFIG, ...change }, 'synthetic'),
      (e: Error) => e instanceof CommandArgumentError && message.test(e.message),
      JSON.stringify(change),
    );
  }
  assert.throws(() => ntkConfigArgument('proxy', 'synthetic'), /must be an object/);
  assert.throws(() => ntkConfigArgument(null, 'synthetic'), /must be an object, got null/);
});

test('a link cannot name the folder NTK inputs are read from: only synthetic inputs or the configured ones', () => {
  assert.equal(
    ntkConfigArgument({ ...CONFIG, inputs: 'synthetic:cifar100' }, 'synthetic').inputs,
    'synthetic:cifar100',
  );
  assert.equal(
    ntkConfigArgument({ ...CONFIG, inputs: 'cifar10:/data/cifar' }, 'cifar10:/data/cifar').inputs,
    'cifar10:/data/cifar',
  );
  assert.throws(
    () => ntkConfigArgument({ ...CONFIG, inputs: 'cifar10:/home/me/.ssh' }, 'cifar10:/data/cifar'),
    /NTK inputs of a command argument must be synthetic or the configured robustNas\.ntk\.inputs \('cifar10:\/data\/cifar'\)/,
  );
  // An inherited field does not count as given.
  const proto = Object.create({ inputs: 'cifar10:/elsewhere' }) as Record<string, unknown>;
  Object.assign(proto, { ...CONFIG });
  delete proto.inputs;
  assert.throws(() => ntkConfigArgument(proto, 'synthetic'), /NTK inputs/);
});

test('sweep scopes, datasets, metrics, numbers and paths', () => {
  assert.deepEqual(sweepScopeArgument({ kind: 'all' }, 6466), { kind: 'all' });
  assert.deepEqual(sweepScopeArgument({ kind: 'sample', k: 10 }, 6466), { kind: 'sample', k: 10 });
  assert.deepEqual(sweepScopeArgument({ kind: 'top', k: 5, dataset: 'cifar100', metric: 'pgd@8' }, 6466), {
    kind: 'top',
    k: 5,
    dataset: 'cifar100',
    metric: 'pgd@8',
  });
  assert.throws(
    () => sweepScopeArgument({ kind: 'sample', k: 7000 }, 6466),
    /sweep size k must be a whole number from 1 to 6466, got 7000/,
  );
  assert.throws(
    () => sweepScopeArgument({ kind: 'constructor' }, 6466),
    /sweep scope kind must be one of all, sample, top/,
  );
  assert.throws(
    () => sweepScopeArgument({ kind: 'top', k: 5, dataset: 'cifar10', metric: 'toString' }, 6466),
    /metric must be a metric id/,
  );
  for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    assert.throws(() => datasetArgument(key), /dataset must be one of cifar10, cifar100, imagenet16-120/);
    assert.throws(() => metricArgument(key), /metric must be a metric id/);
  }
  assert.equal(integerArgument(3, 1, 5, 'k'), 3);
  assert.throws(() => integerArgument(2.5, 1, 5, 'k'), /k must be a whole number from 1 to 5, got 2.5/);
  assert.equal(absolutePathArgument('/tmp/a.jsonl', 'the file'), '/tmp/a.jsonl');
  assert.equal(absolutePathArgument('C:\\sweeps\\a.jsonl', 'the file'), 'C:\\sweeps\\a.jsonl');
  for (const bad of ['a.jsonl', '../a.jsonl', '', '/tmp/a\0b', 42, { path: '/tmp' }]) {
    assert.throws(
      () => absolutePathArgument(bad, 'the file'),
      /the file must be an absolute file path/,
      JSON.stringify(bad),
    );
  }
});
