import { CELL_COUNT, cellToCodeNumber, cellToNaslibOpIndices, cellToOpCode, codeNumberToCell, formatArchString, type Cell } from '../space/cell';
import { DATASET_IDS, networkCost, type DatasetId, type NetworkCost } from '../space/cost';
import { MAX_ARCH_INDEX, parseCellEncoding } from '../space/encodings';
import { representativeByIndex } from '../space/isomorphism';
import { EDGE_COUNT, isOpName } from '../space/ops';
import type {
  ArchRecord, BenchmarkApi, CellConstraint, CellResults, MetricValue, ParetoPoint, RankedArch, ResolveResult,
} from './api';
import { percentileOf, rankColumn, type ColumnRanking } from './columnRanking';
import { meetsConstraints } from './constraints';
import { BenchmarkDataError, type BenchmarkFileRole } from './errors';
import { METRIC_IDS, type MetricId } from './metrics';
import { parseOpsFile, parseResultsFile, type ResultsTable } from './publishedFiles';

/** The three published files' contents, as text. */
export type BenchmarkTexts = Readonly<Record<BenchmarkFileRole, string>>;

/** Where one file came from: its path and which rule of the data search found it. */
export interface DataOrigin {
  readonly path: string;
  readonly via: 'explicit' | 'env' | 'cache' | 'shared' | 'download' | 'memory';
}

/** One (dataset, metric) column, cut out of its file's row-major table on first use (most are never asked for). */
class Column {
  private cut?: Float64Array;
  ranking?: ColumnRanking;
  constructor(private readonly table: Float64Array, private readonly width: number, private readonly offset: number, private readonly rows: number) {}

  get values(): Float64Array {
    if (!this.cut) {
      const v = new Float64Array(this.rows);
      for (let p = 0; p < this.rows; p++) v[p] = this.table[p * this.width + this.offset];
      this.cut = v;
    }
    return this.cut;
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
    return new Benchmark(codeNumbers, adversarial, standard, origins);
  }

  constructor(codeNumbers: Int32Array, adversarial: ResultsTable, standard: ResultsTable, origins: Readonly<Record<BenchmarkFileRole, DataOrigin>>) {
    this.origins = origins;
    this.sources = { adversarial: origins.adversarial.path, standard: origins.standard.path, ops: origins.ops.path };
    this.codeNumberOfIndex = codeNumbers;
    this.indexOfCodeNumber = new Int32Array(CELL_COUNT);
    for (let i = 0; i < CELL_COUNT; i++) this.indexOfCodeNumber[codeNumbers[i]] = i;

    // The representative is computed from the structure and must agree with what both files say.
    const rep = representativeByIndex(codeNumbers);
    for (const [role, table] of [['adversarial', adversarial], ['standard', standard]] as const) {
      for (let i = 0; i < CELL_COUNT; i++) {
        if (table.representativeOf[i] !== rep[i]) {
          const says = table.representativeOf[i] === i ? 'holds results' : `points to index ${table.representativeOf[i]}`;
          const should = rep[i] === i ? 'hold results (it is the smallest index of its isomorphism class)' : `point to index ${rep[i]}, the smallest index of its isomorphism class`;
          throw new BenchmarkDataError('isomorphism', origins[role].path, String(i),
            `${says}, but by the structure of cell ${cellToOpCode(codeNumberToCell(codeNumbers[i]))} (ops.json) it should ${should}`);
        }
      }
    }
    this.representative = rep;
    this.evaluatedIndices = adversarial.evaluatedIndices;

    const n = this.evaluatedIndices.length;
    const positionOfEvaluated = new Int32Array(CELL_COUNT).fill(-1);
    this.evaluatedIndices.forEach((index, p) => (positionOfEvaluated[index] = p));
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

    for (const table of [adversarial, standard]) {
      const width = table.columns.length;
      table.columns.forEach((col, c) => this.columns.set(columnKey(col.dataset, col.metric), new Column(table.values, width, c, n)));
    }
  }

  /** Computes every column's ranks now instead of on first use (for servers that want even first queries fast). */
  precomputeRanks(): void {
    for (const col of this.columns.values()) col.ranking ??= rankColumn(col.values);
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
        index, cell, code: cellToOpCode(cell), archString: formatArchString(cell), naslib: Object.freeze(cellToNaslibOpIndices(cell)),
        representativeIndex, isRepresentative: representativeIndex === index,
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
      if (Number.isInteger(input) && input >= 0 && input <= MAX_ARCH_INDEX) return { ok: true, kind: 'index', arch: this.archOfIndex(input) };
      return {
        ok: false, kind: 'index',
        errors: [{ kind: 'bad-input', offset: 0, length: String(input).length, expected: `0..${MAX_ARCH_INDEX}`, message: `NAS-Bench-201 index ${input} is outside 0..${MAX_ARCH_INDEX}.` }],
      };
    }
    if (typeof input !== 'string') {
      const bad = input.findIndex((op) => !isOpName(op));
      if (input.length !== EDGE_COUNT || bad >= 0) {
        return {
          ok: false, kind: 'string',
          errors: [{ kind: 'edge-count', offset: 0, length: 0, expected: `${EDGE_COUNT} op names`, message: bad >= 0 ? `'${input[bad]}' on edge ${bad + 1} is not a NAS-Bench-201 op.` : `A cell has ${EDGE_COUNT} edges, got ${input.length}.` }],
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
    col.ranking ??= rankColumn(col.values);
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
    const value = col.values[p];
    if (Number.isNaN(value)) return undefined;
    const ranking = (col.ranking ??= rankColumn(col.values));
    return { value, rank: ranking.rank[p], of: ranking.of, percentile: percentileOf(ranking.lowerCount[p], ranking.of) };
  }

  results(index: number): CellResults {
    const arch = this.archOfIndex(index);
    const cost = (this.costs[index] ??= Object.freeze(Object.fromEntries(DATASET_IDS.map((d) => [d, Object.freeze(networkCost(arch.cell, d))])) as Record<DatasetId, NetworkCost>));
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

  topK(dataset: DatasetId, metric: MetricId, k: number, constraints: readonly CellConstraint[] = []): RankedArch[] {
    if (!this.hasMetric(dataset, metric)) return [];
    const { values, ranking } = this.ranked(dataset, metric);
    const out: RankedArch[] = [];
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
    const candidates: { p: number; index: number }[] = [];
    for (let p = 0; p < xs.length; p++) {
      if (Number.isNaN(xs[p]) || Number.isNaN(ys[p])) continue;
      const index = this.memberMeeting(p, constraints);
      if (index >= 0) candidates.push({ p, index });
    }
    // Sweep from the largest x down, keeping each point whose y beats every point seen so far. Points identical to
    // the last kept one are kept too: equal points do not dominate each other.
    candidates.sort((a, b) => xs[b.p] - xs[a.p] || ys[b.p] - ys[a.p] || a.index - b.index);
    const front: ParetoPoint[] = [];
    let bestY = -Infinity;
    for (const { p, index } of candidates) {
      const last = front[front.length - 1];
      if (ys[p] > bestY || (last && last.x === xs[p] && last.y === ys[p])) {
        front.push({ arch: this.archOfIndex(index), x: xs[p], y: ys[p] });
        bestY = Math.max(bestY, ys[p]);
      }
    }
    return front.reverse();
  }

  private columnValues(dataset: DatasetId, metric: MetricId): Float64Array {
    return this.columns.get(columnKey(dataset, metric))?.values ?? new Float64Array(this.evaluatedIndices.length).fill(NaN);
  }
}
