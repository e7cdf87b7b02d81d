import {
  CELL_COUNT,
  cellToCodeNumber,
  cellToNaslibOpIndices,
  cellToOpCode,
  codeNumberToCell,
  formatArchString,
  type Cell,
} from '../space/cell';
import { costInNasBench201Units, DATASET_IDS, networkCost, type DatasetId, type NetworkCost } from '../space/cost';
import { MAX_ARCH_INDEX, parseCellEncoding } from '../space/encodings';
import { representativeByIndex } from '../space/isomorphism';
import { EDGE_COUNT, isOpName } from '../space/ops';
import type {
  ArchRecord,
  BenchmarkApi,
  CellConstraint,
  CellResults,
  MetricValue,
  ParetoPoint,
  RankedArch,
  ResolveResult,
} from './api';
import { percentileOf, rankAmongSorted, rankColumn, type ColumnRanking } from './columnRanking';
import { meetsConstraints } from './constraints';
import { BenchmarkDataError, type BenchmarkFileRole } from './errors';
import {
  COST_METRIC_IDS,
  isCostMetricId,
  METRIC_IDS,
  METRIC_INFO,
  type CostMetricId,
  type MetricDirection,
  type MetricId,
} from './metrics';
import { expectedColumns, parseOpsFile, parseResultsFile, type ResultsTable } from './publishedFiles';

/** The three published files' contents, as text. */
export type BenchmarkTexts = Readonly<Record<BenchmarkFileRole, string>>;

/** Where one file came from: its path and which rule of the data search found it. */
export interface DataOrigin {
  readonly path: string;
  readonly via: 'explicit' | 'env' | 'cache' | 'shared' | 'download' | 'memory';
}

/**
 * What a load computes from the three files before anything is derived: the arrays parsing, validation and the
 * representative computation produce. Rows are the evaluated indices; columns are in the published header order
 * ({@link expectedColumns}). This is what the binary index cache (indexCache.ts) stores, so that later starts skip
 * JSON parsing and the isomorphism computation.
 */
export interface BenchmarkIndex {
  /** NAS-Bench-201 index -> code number (the op code read in base 5); a permutation of 0..15624. */
  readonly codeNumbers: Int32Array;
  /** Index -> index of its representative (the smallest index of its isomorphism class), from the cell structure. */
  readonly representative: Int32Array;
  /** The indices that hold results (their own representatives), ascending. */
  readonly evaluatedIndices: Int32Array;
  /** Row-major values of NAS-RobBench-201_html.json: row r (evaluatedIndices[r]), column c at r * width + c. */
  readonly adversarialValues: Float64Array;
  /** Row-major values of acc.json, rows as above. */
  readonly standardValues: Float64Array;
}

/**
 * Computes every index's representative from the cell structure and checks it against what both results files
 * say; throws {@link BenchmarkDataError} naming the first disagreement.
 */
function validatedIndex(
  codeNumbers: Int32Array,
  adversarial: ResultsTable,
  standard: ResultsTable,
  origins: Readonly<Record<BenchmarkFileRole, DataOrigin>>,
): BenchmarkIndex {
  const rep = representativeByIndex(codeNumbers);
  for (const [role, table] of [
    ['adversarial', adversarial],
    ['standard', standard],
  ] as const) {
    for (let i = 0; i < CELL_COUNT; i++) {
      if (table.representativeOf[i] !== rep[i]) {
        const says = table.representativeOf[i] === i ? 'holds results' : `points to index ${table.representativeOf[i]}`;
        const should =
          rep[i] === i
            ? 'hold results (it is the smallest index of its isomorphism class)'
            : `point to index ${rep[i]}, the smallest index of its isomorphism class`;
        throw new BenchmarkDataError(
          'isomorphism',
          origins[role].path,
          String(i),
          `${says}, but by the structure of cell ${cellToOpCode(codeNumberToCell(codeNumbers[i]))} (ops.json) it should ${should}`,
        );
      }
    }
  }
  // Both files agree with `rep`, so they hold results for the same indices, in the same (ascending) row order.
  return {
    codeNumbers,
    representative: rep,
    evaluatedIndices: adversarial.evaluatedIndices,
    adversarialValues: adversarial.values,
    standardValues: standard.values,
  };
}

/**
 * One (dataset, metric) column aligned with the evaluated indices, made on first use (most are never asked for):
 * accuracies cut out of their file's row-major table, costs counted from each evaluated cell.
 */
class Column {
  private made?: Float64Array;
  ranking?: ColumnRanking;
  constructor(
    private readonly make: () => Float64Array,
    readonly direction: MetricDirection,
  ) {}

  get values(): Float64Array {
    return (this.made ??= this.make());
  }
}

const columnKey = (dataset: DatasetId, metric: MetricId) => `${dataset}|${metric}`;

/**
 * NAS-RobBench-201 loaded and indexed. Every query is an array look-up: metric values are stored per
 * (dataset, metric) as columns aligned with the 6,466 evaluated indices, and each column's ranks are computed once,
 * the first time the column is asked for.
 */
export class Benchmark implements BenchmarkApi {
  readonly evaluatedIndices: Int32Array;
  readonly sources: Readonly<Record<BenchmarkFileRole, string>>;
  readonly origins: Readonly<Record<BenchmarkFileRole, DataOrigin>>;
  /** The validated arrays everything here is derived from (what the index cache stores). */
  readonly index: BenchmarkIndex;

  /** NAS-Bench-201 index -> code number (the op code read in base 5), and back. */
  private readonly codeNumberOfIndex: Int32Array;
  private readonly indexOfCodeNumber: Int32Array;
  /** Index -> index of its representative, computed from the cell structure. */
  private readonly representative: Int32Array;
  /** Index -> position of its representative in `evaluatedIndices`. */
  private readonly positionOfIndex: Int32Array;
  /** Members of the class at evaluated position p: classMembers[classStart[p] .. classStart[p + 1]), ascending. */
  private readonly classStart: Int32Array;
  private readonly classMembers: Int32Array;
  private readonly columns = new Map<string, Column>();
  private readonly records: (ArchRecord | undefined)[] = new Array(CELL_COUNT);
  private readonly costs: (Readonly<Record<DatasetId, NetworkCost>> | undefined)[] = new Array(CELL_COUNT);

  /** Builds the index from the files' text; throws {@link BenchmarkDataError} on any defect. */
  static fromTexts(texts: BenchmarkTexts, origins: Readonly<Record<BenchmarkFileRole, DataOrigin>>): Benchmark {
    const codeNumbers = parseOpsFile(texts.ops, origins.ops.path);
    const adversarial = parseResultsFile(texts.adversarial, 'adversarial', origins.adversarial.path);
    const standard = parseResultsFile(texts.standard, 'standard', origins.standard.path);
    return new Benchmark(validatedIndex(codeNumbers, adversarial, standard, origins), origins);
  }

  /**
   * Builds the benchmark from arrays validated before: by {@link validatedIndex} in this process, or read back from
   * the index cache (indexCache.ts), which checks them again structurally before handing them here.
   */
  constructor(index: BenchmarkIndex, origins: Readonly<Record<BenchmarkFileRole, DataOrigin>>) {
    this.index = index;
    this.origins = origins;
    this.sources = { adversarial: origins.adversarial.path, standard: origins.standard.path, ops: origins.ops.path };
    const { codeNumbers, representative: rep } = index;
    this.codeNumberOfIndex = codeNumbers;
    this.indexOfCodeNumber = new Int32Array(CELL_COUNT);
    for (let i = 0; i < CELL_COUNT; i++) this.indexOfCodeNumber[codeNumbers[i]] = i;
    this.representative = rep;
    this.evaluatedIndices = index.evaluatedIndices;

    const n = this.evaluatedIndices.length;
    const positionOfEvaluated = new Int32Array(CELL_COUNT).fill(-1);
    this.evaluatedIndices.forEach((evaluated, p) => (positionOfEvaluated[evaluated] = p));
    this.positionOfIndex = new Int32Array(CELL_COUNT);
    const classSize = new Int32Array(n + 1);
    for (let i = 0; i < CELL_COUNT; i++) {
      const p = positionOfEvaluated[rep[i]];
      this.positionOfIndex[i] = p;
      classSize[p + 1]++;
    }
    this.classStart = new Int32Array(n + 1);
    for (let p = 0; p < n; p++) this.classStart[p + 1] = this.classStart[p] + classSize[p + 1];
    this.classMembers = new Int32Array(CELL_COUNT);
    const fill = this.classStart.slice(0, n);
    for (let i = 0; i < CELL_COUNT; i++) this.classMembers[fill[this.positionOfIndex[i]]++] = i;

    for (const [role, values] of [
      ['adversarial', index.adversarialValues],
      ['standard', index.standardValues],
    ] as const) {
      const columns = expectedColumns(role);
      const width = columns.length;
      columns.forEach((col, c) => {
        const cut = () => {
          const v = new Float64Array(n);
          for (let p = 0; p < n; p++) v[p] = values[p * width + c];
          return v;
        };
        this.columns.set(columnKey(col.dataset, col.metric), new Column(cut, METRIC_INFO[col.metric].direction));
      });
    }
    // A class's cost is its evaluated representative's: the network NAS-RobBench-201 trained and whose accuracies
    // the other columns hold. Members of 578 of the 6,466 classes differ in cost (a convolution on an edge whose
    // output never reaches the cell's output still has its weights and is still run), so a cell's own cost is
    // looked up by `metric`, not from the column.
    for (const dataset of DATASET_IDS) {
      for (const metric of COST_METRIC_IDS) {
        const count = () => Float64Array.from(this.evaluatedIndices, (index) => this.costValue(index, dataset, metric));
        this.columns.set(columnKey(dataset, metric), new Column(count, METRIC_INFO[metric].direction));
      }
    }
  }

  private costOf(index: number): Readonly<Record<DatasetId, NetworkCost>> {
    return (this.costs[index] ??= Object.freeze(
      Object.fromEntries(
        DATASET_IDS.map((d) => [d, Object.freeze(networkCost(this.archOfIndex(index).cell, d))]),
      ) as Record<DatasetId, NetworkCost>,
    ));
  }

  /** The cell's own cost in NAS-Bench-201's units (M FLOPs, "MB" = 10^6 params), as its get_cost_info gives it. */
  private costValue(index: number, dataset: DatasetId, metric: CostMetricId): number {
    return costInNasBench201Units(this.costOf(index)[dataset])[metric];
  }

  /** Computes every column's ranks now instead of on first use (for servers that want even first queries fast). */
  precomputeRanks(): void {
    for (const col of this.columns.values()) col.ranking ??= rankColumn(col.values, col.direction);
  }

  private checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= CELL_COUNT) {
      throw new RangeError(`NAS-Bench-201 index ${index} is outside 0..${MAX_ARCH_INDEX}`);
    }
  }

  archOfIndex(index: number): ArchRecord {
    this.checkIndex(index);
    let r = this.records[index];
    if (!r) {
      const cell = codeNumberToCell(this.codeNumberOfIndex[index]);
      const representativeIndex = this.representative[index];
      r = Object.freeze({
        index,
        cell,
        code: cellToOpCode(cell),
        archString: formatArchString(cell),
        naslib: Object.freeze(cellToNaslibOpIndices(cell)),
        representativeIndex,
        isRepresentative: representativeIndex === index,
      });
      this.records[index] = r;
    }
    return r;
  }

  indexOfCell(cell: Cell): number {
    return this.indexOfCodeNumber[cellToCodeNumber(cell)];
  }

  /** Index of the representative of `index`'s isomorphism class. */
  representativeOf(index: number): number {
    this.checkIndex(index);
    return this.representative[index];
  }

  /** All indices in `index`'s isomorphism class, ascending (the first is the representative). */
  classMembersOf(index: number): number[] {
    this.checkIndex(index);
    const p = this.positionOfIndex[index];
    return Array.from(this.classMembers.subarray(this.classStart[p], this.classStart[p + 1]));
  }

  resolve(input: string | number | Cell): ResolveResult {
    if (typeof input === 'number') {
      if (Number.isInteger(input) && input >= 0 && input <= MAX_ARCH_INDEX)
        return { ok: true, kind: 'index', arch: this.archOfIndex(input) };
      return {
        ok: false,
        kind: 'index',
        errors: [
          {
            kind: 'bad-input',
            offset: 0,
            length: String(input).length,
            expected: `0..${MAX_ARCH_INDEX}`,
            message: `NAS-Bench-201 index ${input} is outside 0..${MAX_ARCH_INDEX}.`,
          },
        ],
      };
    }
    if (typeof input !== 'string') {
      const bad = input.findIndex((op) => !isOpName(op));
      if (input.length !== EDGE_COUNT || bad >= 0) {
        return {
          ok: false,
          kind: 'string',
          errors: [
            {
              kind: 'edge-count',
              offset: 0,
              length: 0,
              expected: `${EDGE_COUNT} op names`,
              message:
                bad >= 0
                  ? `'${input[bad]}' on edge ${bad + 1} is not a NAS-Bench-201 op.`
                  : `A cell has ${EDGE_COUNT} edges, got ${input.length}.`,
            },
          ],
        };
      }
      return { ok: true, kind: 'string', arch: this.archOfIndex(this.indexOfCell(input)) };
    }
    const parsed = parseCellEncoding(input);
    if (!parsed.ok) return parsed;
    if (parsed.kind === 'index') return { ok: true, kind: 'index', arch: this.archOfIndex(parsed.index) };
    return { ok: true, kind: parsed.kind, arch: this.archOfIndex(this.indexOfCell(parsed.cell)) };
  }

  private columnData(dataset: DatasetId, metric: MetricId): Column {
    const col = this.columns.get(columnKey(dataset, metric));
    if (!col) throw new RangeError(`no column for dataset '${dataset}' and metric '${metric}'`);
    return col;
  }

  private ranked(dataset: DatasetId, metric: MetricId): { values: Float64Array; ranking: ColumnRanking } {
    const col = this.columnData(dataset, metric);
    col.ranking ??= rankColumn(col.values, col.direction);
    return { values: col.values, ranking: col.ranking };
  }

  /** Whether the data has this (dataset, metric) at all; acc.json has no corruption results for ImageNet16-120. */
  hasMetric(dataset: DatasetId, metric: MetricId): boolean {
    return this.columns.has(columnKey(dataset, metric));
  }

  metric(index: number, dataset: DatasetId, metric: MetricId): MetricValue | undefined {
    this.checkIndex(index);
    const col = this.columns.get(columnKey(dataset, metric));
    if (!col) return undefined;
    const p = this.positionOfIndex[index];
    const ranking = (col.ranking ??= rankColumn(col.values, col.direction));
    if (isCostMetricId(metric) && index !== this.evaluatedIndices[p]) {
      // The cell's own cost, ranked among the 6,466 evaluated networks as if it were one more of them: all of
      // them are "the others" here, so the percentile is over `of`, not `of - 1`.
      const value = this.costValue(index, dataset, metric);
      const { rank, worseCount } = rankAmongSorted(ranking.sorted, ranking.direction, value);
      return { value, rank, of: ranking.of, percentile: ranking.of > 0 ? (100 * worseCount) / ranking.of : 100 };
    }
    const value = col.values[p];
    if (Number.isNaN(value)) return undefined;
    return {
      value,
      rank: ranking.rank[p],
      of: ranking.of,
      percentile: percentileOf(ranking.worseCount[p], ranking.of),
    };
  }

  results(index: number): CellResults {
    const arch = this.archOfIndex(index);
    const cost = this.costOf(index);
    const metrics = {} as Record<DatasetId, Partial<Record<MetricId, MetricValue>>>;
    for (const dataset of DATASET_IDS) {
      const m: Partial<Record<MetricId, MetricValue>> = {};
      for (const id of METRIC_IDS) {
        const v = this.metric(index, dataset, id);
        if (v) m[id] = v;
      }
      metrics[dataset] = m;
    }
    return { arch, cost, metrics };
  }

  /** A copy of the column (callers may sort or modify it); all NaN when the data has no such column. */
  column(dataset: DatasetId, metric: MetricId): Float64Array {
    const col = this.columns.get(columnKey(dataset, metric));
    return col ? col.values.slice() : new Float64Array(this.evaluatedIndices.length).fill(NaN);
  }

  /**
   * The member of the class at evaluated position `p` that meets the constraints (the smallest such index), or -1.
   * Constraints are on the cell as written, and isomorphic cells are written differently, so a class qualifies
   * when any of its members does, and that member is the one reported.
   */
  private memberMeeting(p: number, constraints: readonly CellConstraint[]): number {
    if (constraints.length === 0) return this.evaluatedIndices[p];
    for (let m = this.classStart[p]; m < this.classStart[p + 1]; m++) {
      const index = this.classMembers[m];
      if (meetsConstraints(codeNumberToCell(this.codeNumberOfIndex[index]), constraints)) return index;
    }
    return -1;
  }

  /**
   * The value a reported member stands for: the class's accuracy (one per class), but the member's own cost, which
   * can differ from its representative's (see the constructor).
   */
  private memberValue(p: number, index: number, dataset: DatasetId, metric: MetricId, values: Float64Array): number {
    return isCostMetricId(metric) && index !== this.evaluatedIndices[p]
      ? this.costValue(index, dataset, metric)
      : values[p];
  }

  topK(dataset: DatasetId, metric: MetricId, k: number, constraints: readonly CellConstraint[] = []): RankedArch[] {
    if (!this.hasMetric(dataset, metric)) return [];
    const { values, ranking } = this.ranked(dataset, metric);
    const out: RankedArch[] = [];
    if (isCostMetricId(metric) && constraints.length > 0) {
      // The members that meet the constraints may cost other than their representatives, so the column's order
      // does not hold: rank their own costs, best first (ties by index), against the 6,466 class values.
      const sign = ranking.direction === 'max' ? 1 : -1;
      const met: { index: number; value: number }[] = [];
      for (let p = 0; p < values.length; p++) {
        const index = this.memberMeeting(p, constraints);
        if (index >= 0) met.push({ index, value: this.memberValue(p, index, dataset, metric, values) });
      }
      met.sort((a, b) => sign * (b.value - a.value) || a.index - b.index);
      for (const { index, value } of met.slice(0, k)) {
        out.push({
          arch: this.archOfIndex(index),
          value,
          rank: rankAmongSorted(ranking.sorted, ranking.direction, value).rank,
        });
      }
      return out;
    }
    for (let i = 0; i < ranking.order.length && out.length < k; i++) {
      const p = ranking.order[i];
      const index = this.memberMeeting(p, constraints);
      if (index >= 0) out.push({ arch: this.archOfIndex(index), value: values[p], rank: ranking.rank[p] });
    }
    return out;
  }

  pareto(dataset: DatasetId, x: MetricId, y: MetricId, constraints: readonly CellConstraint[] = []): ParetoPoint[] {
    const xs = this.columnValues(dataset, x);
    const ys = this.columnValues(dataset, y);
    // Each axis in its own direction: a point dominates another when it is at least as good on both axes and
    // better on one, "good" meaning higher accuracy and lower cost. Scores are the values signed so higher is better.
    const sx = METRIC_INFO[x].direction === 'max' ? 1 : -1;
    const sy = METRIC_INFO[y].direction === 'max' ? 1 : -1;
    const candidates: { index: number; x: number; y: number }[] = [];
    for (let p = 0; p < xs.length; p++) {
      if (Number.isNaN(xs[p]) || Number.isNaN(ys[p])) continue;
      const index = this.memberMeeting(p, constraints);
      if (index >= 0)
        candidates.push({
          index,
          x: this.memberValue(p, index, dataset, x, xs),
          y: this.memberValue(p, index, dataset, y, ys),
        });
    }
    // Sweep from the best x down, keeping each point whose y beats every point seen so far. Points identical to
    // the last kept one are kept too: equal points do not dominate each other.
    candidates.sort((a, b) => sx * (b.x - a.x) || sy * (b.y - a.y) || a.index - b.index);
    const front: ParetoPoint[] = [];
    let bestY = -Infinity;
    for (const c of candidates) {
      const last = front[front.length - 1];
      if (sy * c.y > bestY || (last && last.x === c.x && last.y === c.y)) {
        front.push({ arch: this.archOfIndex(c.index), x: c.x, y: c.y });
        bestY = Math.max(bestY, sy * c.y);
      }
    }
    // Reported by x ascending, whichever way x is better, so a table or a line through the front reads left to right.
    return front.sort((a, b) => a.x - b.x || a.y - b.y || a.arch.index - b.arch.index);
  }

  private columnValues(dataset: DatasetId, metric: MetricId): Float64Array {
    return (
      this.columns.get(columnKey(dataset, metric))?.values ?? new Float64Array(this.evaluatedIndices.length).fill(NaN)
    );
  }
}
