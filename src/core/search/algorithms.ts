import { codeNumberToCell, CELL_COUNT, type Cell } from '../space/cell';
import { EDGE_COUNT, OP_NAMES } from '../space/ops';
import type { SearchOracle } from './objective';
import { SeededRandom } from './random';
import { lookupTable } from '../lookupTable';

export type SearchAlgorithm = 'rs' | 're' | 'ls';
export const SEARCH_ALGORITHMS: readonly SearchAlgorithm[] = ['rs', 're', 'ls'];
export const SEARCH_ALGORITHM_NAMES: Readonly<Record<SearchAlgorithm, string>> = lookupTable({
  rs: 'random search',
  re: 'regularized evolution',
  ls: 'local search',
});

/**
 * How a random architecture is drawn (random search, the initial population of regularized evolution, the restarts
 * of local search):
 * - `class`: uniform over the evaluated isomorphism classes, each class equally likely. The default: it reproduces
 *   the random-search figures of NAS-RobBench-201's Table 2 (Wu et al., ICLR 2024) to 0.001; see docs/search.md.
 * - `cell`: uniform over the 15,625 cells, an op per edge drawn uniformly, as NAS-Bench-201's own samplers do
 *   (`random_architecture_func` in D-X-Y/AutoDL-Projects exps/algos). Classes with many isomorphic cells (mostly
 *   ones with dead edges, which score poorly) are drawn more often, so it returns worse cells for the same budget.
 */
export type ProposalSampling = 'class' | 'cell';
export const PROPOSAL_SAMPLINGS: readonly ProposalSampling[] = ['class', 'cell'];
export const DEFAULT_PROPOSAL_SAMPLING: ProposalSampling = 'class';
export const PROPOSAL_SAMPLING_NAMES: Readonly<Record<ProposalSampling, string>> = {
  class: 'uniform over the evaluated isomorphism classes',
  cell: "uniform over the 15,625 cells (NAS-Bench-201's sampler)",
};

export function isProposalSampling(s: string): s is ProposalSampling {
  return (PROPOSAL_SAMPLINGS as readonly string[]).includes(s);
}

export interface SearchOptions {
  /** Queries allowed: evaluations of isomorphism classes not seen before in the run. */
  readonly budget: number;
  readonly seed: number;
  /** How random architectures are drawn; `class` unless given. */
  readonly sampling?: ProposalSampling;
  /** Regularized evolution: population size and tournament sample size (NAS-Bench-201's REA uses 10 and 3). */
  readonly populationSize?: number;
  readonly sampleSize?: number;
}

export interface SearchRun {
  /** Representative index of the best class found, and its objective value. */
  readonly bestClass: number;
  readonly bestValue: number;
  readonly queries: number;
  /** Best objective value after each query (anytime curve). */
  readonly trajectory: readonly number[];
  /** Why the run ended before spending its budget, if it did. */
  readonly stoppedEarly?: 'all-classes-seen' | 'no-new-classes-reachable';
}

/**
 * Counts queries the way NAS benchmarks do: looking up a class already evaluated in this run is free, since a real
 * search would cache it; only a class not seen before spends budget.
 */
class QueryCounter {
  private readonly seen = new Map<number, number>();
  bestClass = -1;
  bestValue = -Infinity;
  readonly trajectory: number[] = [];
  steps = 0;

  constructor(
    private readonly oracle: SearchOracle,
    readonly budget: number,
  ) {}

  get queries(): number {
    return this.seen.size;
  }

  get done(): boolean {
    return this.seen.size >= this.budget;
  }

  /** Objective value of the cell's class (NaN if the data has none), spending a query when the class is new. */
  evaluate(cell: Cell): number {
    this.steps++;
    const cls = this.oracle.classOf(cell);
    const known = this.seen.get(cls);
    if (known !== undefined) return known;
    const v = this.oracle.value(cls);
    this.seen.set(cls, v);
    if (v > this.bestValue || (v === this.bestValue && cls < this.bestClass)) {
      this.bestValue = v;
      this.bestClass = cls;
    }
    this.trajectory.push(this.bestValue);
    return v;
  }
}

type RandomCell = (rng: SeededRandom) => Cell;

function randomCellSampler(oracle: SearchOracle, sampling: ProposalSampling): RandomCell {
  if (sampling === 'cell') return (rng) => codeNumberToCell(rng.int(CELL_COUNT));
  const classes = oracle.classes;
  if (classes.length === 0) throw new RangeError('Class-uniform sampling needs at least one evaluated class.');
  return (rng) => oracle.cellOfClass(classes[rng.int(classes.length)]);
}

/** Changes the op on one random edge to a different op. */
export function mutateOneEdge(cell: Cell, rng: SeededRandom): Cell {
  const edge = rng.int(EDGE_COUNT);
  const others = OP_NAMES.filter((op) => op !== cell[edge]);
  const ops = [...cell];
  ops[edge] = others[rng.int(others.length)];
  return Object.freeze(ops);
}

/** All 24 cells that differ from `cell` on exactly one edge. */
export function oneEdgeNeighbours(cell: Cell): Cell[] {
  const out: Cell[] = [];
  for (let edge = 0; edge < EDGE_COUNT; edge++) {
    for (const op of OP_NAMES) {
      if (op === cell[edge]) continue;
      const ops = [...cell];
      ops[edge] = op;
      out.push(Object.freeze(ops));
    }
  }
  return out;
}

function shuffle<T>(items: T[], rng: SeededRandom): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Finite-loop guard: repeated cells cost no query, so a search that only revisits classes must still end. */
function stepLimit(budget: number): number {
  return 200 * budget + 10_000;
}

function randomSearch(q: QueryCounter, rng: SeededRandom, randomCell: RandomCell): void {
  while (!q.done && q.steps < stepLimit(q.budget)) q.evaluate(randomCell(rng));
}

/** Real et al. (2019): tournament selection, one-edge mutation, the oldest member dies. */
function regularizedEvolution(
  q: QueryCounter,
  rng: SeededRandom,
  randomCell: RandomCell,
  populationSize: number,
  sampleSize: number,
): void {
  const population: { cell: Cell; value: number }[] = [];
  while (population.length < populationSize && !q.done && q.steps < stepLimit(q.budget)) {
    const cell = randomCell(rng);
    population.push({ cell, value: q.evaluate(cell) });
  }
  while (!q.done && q.steps < stepLimit(q.budget) && population.length > 0) {
    let parent = population[rng.int(population.length)];
    for (let s = 1; s < sampleSize; s++) {
      const candidate = population[rng.int(population.length)];
      if (candidate.value > parent.value || Number.isNaN(parent.value)) parent = candidate;
    }
    const child = mutateOneEdge(parent.cell, rng);
    population.push({ cell: child, value: q.evaluate(child) });
    population.shift();
  }
}

/** White et al. (2021): move to the best one-edge neighbour while it improves; restart at random on a local optimum. */
function localSearch(q: QueryCounter, rng: SeededRandom, randomCell: RandomCell): void {
  while (!q.done && q.steps < stepLimit(q.budget)) {
    let current = randomCell(rng);
    let currentValue = q.evaluate(current);
    let improved = true;
    while (improved && !q.done) {
      improved = false;
      let best = current;
      let bestValue = currentValue;
      for (const n of shuffle(oneEdgeNeighbours(current), rng)) {
        if (q.done) break;
        const v = q.evaluate(n);
        if (v > bestValue || (Number.isNaN(bestValue) && !Number.isNaN(v))) {
          best = n;
          bestValue = v;
        }
      }
      if (best !== current) {
        current = best;
        currentValue = bestValue;
        improved = true;
      }
    }
  }
}

/** One seeded search run. The budget is capped at the number of classes that have a value. */
export function runSearch(oracle: SearchOracle, algorithm: SearchAlgorithm, options: SearchOptions): SearchRun {
  if (!Number.isInteger(options.budget) || options.budget < 1)
    throw new RangeError(`The budget must be a whole number of queries >= 1, got ${options.budget}.`);
  const budget = Math.min(options.budget, oracle.evaluableClasses);
  const sampling = options.sampling ?? DEFAULT_PROPOSAL_SAMPLING;
  if (!isProposalSampling(sampling))
    throw new RangeError(`sampling must be one of ${PROPOSAL_SAMPLINGS.join(', ')}, got '${String(sampling)}'.`);
  const randomCell = randomCellSampler(oracle, sampling);
  const q = new QueryCounter(oracle, budget);
  const rng = new SeededRandom(options.seed);
  switch (algorithm) {
    case 'rs':
      randomSearch(q, rng, randomCell);
      break;
    case 're':
      regularizedEvolution(q, rng, randomCell, options.populationSize ?? 10, options.sampleSize ?? 3);
      break;
    case 'ls':
      localSearch(q, rng, randomCell);
      break;
  }
  const stoppedEarly =
    q.queries < options.budget
      ? budget < options.budget && q.queries === budget
        ? 'all-classes-seen'
        : 'no-new-classes-reachable'
      : undefined;
  return { bestClass: q.bestClass, bestValue: q.bestValue, queries: q.queries, trajectory: q.trajectory, stoppedEarly };
}

export interface RepeatedSearchOptions extends SearchOptions {
  readonly runs: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (completedRuns: number, totalRuns: number) => void;
}

/** Seed of run r: distinct, reproducible streams for every run of a seeded experiment. */
export function runSeed(seed: number, run: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(run + 1, 0x85ebca77)) >>> 0;
}

/**
 * Many independent runs, yielding to the event loop between runs so that a caller can show progress and cancel.
 * Cancellation rejects with the signal's reason (an AbortError by default).
 */
export async function runSearchRepeated(
  oracle: SearchOracle,
  algorithm: SearchAlgorithm,
  options: RepeatedSearchOptions,
): Promise<SearchRun[]> {
  if (!Number.isInteger(options.runs) || options.runs < 1)
    throw new RangeError(`runs must be a whole number >= 1, got ${options.runs}.`);
  const results: SearchRun[] = [];
  for (let r = 0; r < options.runs; r++) {
    options.signal?.throwIfAborted();
    results.push(runSearch(oracle, algorithm, { ...options, seed: runSeed(options.seed, r) }));
    options.onProgress?.(r + 1, options.runs);
    if (r % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  options.signal?.throwIfAborted();
  return results;
}
