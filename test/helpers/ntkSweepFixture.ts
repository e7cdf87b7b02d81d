import { SweepWriter, type SweepHeader } from '../../src/core/ntk/sweepFile';
import { canonicalCell } from '../../src/core/ntk/canonical';
import { defaultAttack } from '../../src/core/ntk/attack';
import { jsBackend } from '../../src/core/ntk/engine/jsBackend';
import { syntheticInputs } from '../../src/core/ntk/inputs/synthetic';
import type { NtkJobOptions } from '../../src/core/ntk/pool';
import { computeNtkScoresSync } from '../../src/core/ntk/scores';
import type { BenchmarkApi } from '../../src/core/benchmark/api';
import type { DatasetId } from '../../src/core/space';

/**
 * Writes a real, small NTK sweep results file at test time: tiny networks (C=4, N=1), a few synthetic inputs and
 * FGSM, scored by the core for `classes` evaluated classes spread over the benchmark, in the format `robust-nas
 * ntk-sweep --out` writes (header line, then one JSON line per class). Nothing in it is typed by hand.
 */
export interface SweepFixtureOptions {
  readonly classes: number;
  readonly dataset?: DatasetId;
  /** Inputs per kernel (n). */
  readonly n?: number;
  /** Key a row by this member of its class instead of the representative (exercises the join by isomorphism class). */
  readonly useMemberOf?: number;
}

export function sweepFixtureOptions(dataset: DatasetId, n: number): NtkJobOptions {
  return {
    size: { channels: 4, cellsPerStage: 1 },
    kernel: 'fixed-bn',
    variants: ['clean', 'robust'],
    attack: defaultAttack('fgsm', 8),
    tradeOff: 0.5,
    seed: 0,
    baselines: false,
    inputs: { kind: 'synthetic', dataset, count: n, seed: 0 },
  };
}

/** The evaluated indices a fixture of `classes` classes scores: spread evenly over the 6,466. */
export function fixtureIndices(bench: BenchmarkApi, classes: number): number[] {
  const all = bench.evaluatedIndices;
  return Array.from({ length: classes }, (_, k) => all[Math.floor((k * all.length) / classes)]);
}

export function writeSweepFixture(
  path: string,
  bench: BenchmarkApi,
  o: SweepFixtureOptions,
): { indices: number[]; rowIndices: number[] } {
  const dataset = o.dataset ?? 'cifar10';
  const n = o.n ?? 4;
  const options = sweepFixtureOptions(dataset, n);
  const { inputs: _spec, ...scoring } = options;
  const header: SweepHeader = { type: 'ntk-sweep', version: 1, config: { ...options, sample: o.classes } };
  const inputs = syntheticInputs(dataset, n, 0);
  const backend = jsBackend();
  const indices = fixtureIndices(bench, o.classes);
  const rowIndices: number[] = [];
  const { writer } = SweepWriter.open(path, header);
  try {
    for (const index of indices) {
      let key = index;
      if (o.useMemberOf === index) {
        const member = memberOf(bench, index);
        if (member !== undefined) key = member;
      }
      const result = computeNtkScoresSync(canonicalCell(bench.archOfIndex(index).cell), {
        options: scoring,
        inputs,
        backend,
      });
      writer.append({ type: 'result', index: key, result });
      rowIndices.push(key);
    }
  } finally {
    writer.close();
  }
  return { indices, rowIndices };
}

/** Another NAS-Bench-201 index in the same isomorphism class as `index`, if the class has one. */
export function memberOf(bench: BenchmarkApi, index: number): number | undefined {
  for (let i = 0; i <= 15624; i++) {
    if (i !== index && bench.archOfIndex(i).representativeIndex === index) return i;
  }
  return undefined;
}
