// The NAS run report says how random architectures were drawn and which sampling reproduces the paper.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBenchmark } from '../../src/core/benchmark/load';
import type { Benchmark } from '../../src/core/benchmark/benchmark';
import { benchmarkOracle } from '../../src/core/search/objective';
import { runSearchRepeated } from '../../src/core/search/algorithms';
import { renderNasRunReport } from '../../src/extension/reports/nasRunReport';
import { reportToMarkdown } from '../../src/extension/reports/reportModel';
import { SHARED_DATA_DIR } from '../helpers/sharedData';

let bench: Benchmark;
before(async () => {
  bench = await loadBenchmark({ dataDir: SHARED_DATA_DIR });
});

test('the NAS run report names the sampling of the run and the one that reproduces Table 2', async () => {
  const oracle = benchmarkOracle(bench, { dataset: 'cifar10', metric: 'clean' });
  for (const sampling of ['class', 'cell'] as const) {
    const runs = await runSearchRepeated(oracle, 'rs', { budget: 20, runs: 4, seed: 1, sampling });
    const md = reportToMarkdown(
      renderNasRunReport(
        bench,
        oracle,
        { algorithm: 'rs', dataset: 'cifar10', metric: 'clean', budget: 20, runs: 4, seed: 1, sampling },
        runs,
      ),
    );
    const drawn =
      sampling === 'class'
        ? 'drawn uniformly over the 6,466 evaluated isomorphism classes'
        : "drawn uniformly over the 15,625 cells, as NAS-Bench-201's samplers do";
    assert.ok(md.includes(`Random architectures (every proposal) are ${drawn}.`), md);
    assert.ok(
      md.includes("Class-uniform sampling is the one that reproduces the paper's Table 2 (77.90% clean / 47.00% PGD@8"),
      md,
    );
  }
});
