/**
 * The one message protocol between the extension host and the Robust NAS webviews (correlation charts, cell
 * diagram, comparison view). Both sides import these types; the webview bundles import nothing else from `src/`.
 *
 * Rules of the protocol:
 * - Everything drawn is computed on the extension side (core stats + benchmark) and sent as plain JSON; the
 *   webviews only lay out and draw. Missing values travel as `null` (JSON has no NaN).
 * - A webview announces itself with `ready` (carrying its restored state, if any); the host answers with `init`
 *   (large, sent once) and then one answer per `request`.
 * - Metrics are data (`MetricDescriptor`), not a fixed union, so NTK scores can join the lists later.
 *
 * Only types and a few string constants live here: no runtime import from the core, so the browser bundles stay
 * free of Node and core code.
 */

/** Mirrors `DatasetId` of src/core/space/cost.ts (kept as a string union so the webview needs no core import). */
export type WebviewDatasetId = 'cifar10' | 'cifar100' | 'imagenet16-120';

export type CorrelationMethodId = 'spearman' | 'kendall' | 'pearson';

export interface DatasetDescriptor {
  readonly id: WebviewDatasetId;
  /** `CIFAR-10`, ... */
  readonly label: string;
}

/** Where an NTK metric comes from: which loaded sweep, and which variant and summary (or baseline) of it. */
export interface NtkMetricInfo {
  /** Key of the sweep file (`NtkSweepInfo.key`). */
  readonly sweep: string;
  /** The name without the sweep's setting, e.g. `robust NTK Θ(X′,X′), Frobenius norm`. */
  readonly shortLabel: string;
  readonly variant?: string;
  /** `frobenius`, `trace`, `min-eig`, `max-eig`, `condition`. */
  readonly stat?: string;
  readonly baseline?: 'knas' | 'naswot';
  /** A zero-cost proxy's id in the sweep (`zc:snip`, `zc:snip@pgd8`). */
  readonly zeroCost?: string;
  /**
   * The proxy this score is a variant of (a row of the proxies view, shared by its clean and robust variants), e.g.
   * `ntk:frobenius@<sweep key>`; its name without the variant (`NTK Θ, Frobenius norm`); and which inputs the score
   * read: `clean` X, or `robust` (adversarial X′ = attack(X) at initialisation).
   */
  readonly proxy: string;
  readonly proxyLabel: string;
  readonly inputs: 'clean' | 'robust';
  readonly family: 'ntk' | 'zc' | 'baseline';
}

/** A metric the charts can use: the benchmark's accuracies and the NTK scores of loaded sweep files. */
export interface MetricDescriptor {
  /** `pgd@8`, `std:clean`, `ntk:robust.frobenius@<sweep key>`. */
  readonly id: string;
  readonly label: string;
  readonly description: string;
  /** Which family it belongs to; the heatmap offers each group as a block of rows. `cost`: params and FLOPs. */
  readonly group: 'adversarial' | 'standard' | 'cost' | 'ntk';
  /** Datasets that have this metric (std:corruption lacks ImageNet16-120). */
  readonly datasets: readonly WebviewDatasetId[];
  /** How values print: accuracies as percentages (the default), costs and NTK scores as plain numbers. */
  readonly format?: 'percent' | 'number';
  /**
   * Which way is better (src/core/benchmark/metrics.ts `direction`): `max` (the default: accuracies) or `min` (params,
   * FLOPs). Pareto fronts and "best" marks follow it.
   */
  readonly direction?: 'max' | 'min';
  /** Set on NTK metrics. */
  readonly ntk?: NtkMetricInfo;
}

/** An NTK sweep results file loaded into the charts (remembered per workspace, re-read when it changes). */
export interface NtkSweepInfo {
  /** Stable key of the file (its metrics' ids end in `@key`). */
  readonly key: string;
  /** Absolute path, and the name shown. */
  readonly path: string;
  readonly name: string;
  /** Kernel kind, size, inputs (synthetic or not) and attack, in one line; absent when the file could not be read. */
  readonly setting?: string;
  readonly dataset?: WebviewDatasetId;
  /** Benchmark classes with a score (only these enter any correlation). */
  readonly classes: number;
  /** Result lines in the file. */
  readonly rows: number;
  /** The last line is incomplete: a sweep is still writing, or one crashed (resuming drops that line). */
  readonly partialLastLine: boolean;
  /** Why the file cannot be used, and what to do; its metrics are absent meanwhile. */
  readonly error?: string;
}

export interface OpDescriptor {
  /** `nor_conv_3x3` */
  readonly name: string;
  /** `conv3x3` */
  readonly label: string;
}

export interface EdgeDescriptor {
  readonly from: number;
  readonly to: number;
}

/** Static facts about the search space that the webviews need to label things. */
export interface SpaceDescriptor {
  /** In op-code digit order (0 none .. 4 avg pool). */
  readonly ops: readonly OpDescriptor[];
  /** In the project's edge order 0->1, 0->2, 1->2, 0->3, 1->3, 2->3. */
  readonly edges: readonly EdgeDescriptor[];
}

// ---------------------------------------------------------------------------------------------------------------
// Correlation charts panel
// ---------------------------------------------------------------------------------------------------------------

export type ChartsViewId = 'heatmap' | 'cross' | 'scatter' | 'distribution' | 'proxies';

export type ScatterColour =
  | { readonly kind: 'none' }
  | { readonly kind: 'metric'; readonly metric: string }
  | { readonly kind: 'edge-op'; readonly edge: number }
  | { readonly kind: 'none-count' };

/** Everything the user chose in the charts panel; saved with `setState` so a reload restores it. */
export interface ChartsState {
  readonly view: ChartsViewId;
  readonly dataset: WebviewDatasetId;
  readonly method: CorrelationMethodId;
  /** Heatmap: add the standard-training metrics (Jung et al. 2023) to the six adversarial ones. */
  readonly includeStandard: boolean;
  /** Heatmap and distributions: add params and FLOPs (NAS-Bench-201's counts) to the accuracies. */
  readonly includeCost: boolean;
  /** Heatmap: add further metrics (NTK scores) by id. */
  readonly extraMetrics: readonly string[];
  /** Cross-dataset view: the metric compared across the three datasets. */
  readonly crossMetric: string;
  readonly scatterX: string;
  readonly scatterY: string;
  readonly scatterColour: ScatterColour;
  readonly distributionKind: 'box' | 'histogram';
  /**
   * Heatmap and cross-dataset view: colours over the range of the values shown (`auto`, stated on the colour bar)
   * or over the whole -1..+1 (`fixed`).
   */
  readonly colourRange: 'auto' | 'fixed';
  /** Training-free proxies view: the kernel summary the NTK rows show (`frobenius`, the paper's NTK score, ...). */
  readonly ntkStat: string;
}

/** One evaluated cell as the charts identify it. Columns sent later are aligned with `ChartsInit.cells`. */
export interface ChartsCells {
  /** NAS-Bench-201 index of each of the 6,466 evaluated cells. */
  readonly index: readonly number[];
  readonly archString: readonly string[];
  /** Six-digit op code (digit k = op on edge k). */
  readonly code: readonly string[];
}

export interface ChartsInit {
  readonly type: 'init';
  readonly datasets: readonly DatasetDescriptor[];
  readonly metrics: readonly MetricDescriptor[];
  readonly methods: readonly { readonly id: CorrelationMethodId; readonly label: string }[];
  readonly space: SpaceDescriptor;
  readonly cells: ChartsCells;
  readonly state: ChartsState;
  readonly sweeps: readonly NtkSweepInfo[];
  /** Kernel summaries the training-free proxies view can show for its NTK rows. */
  readonly ntkStats: readonly { readonly id: string; readonly label: string }[];
}

/** The NTK sweeps changed (added, removed, re-read): new metric list; the webview asks again for its view. */
export interface ChartsSweeps {
  readonly type: 'sweeps';
  readonly metrics: readonly MetricDescriptor[];
  readonly sweeps: readonly NtkSweepInfo[];
  /** Switch to this view (after "Add NTK Sweep Results", the training-free proxies view). */
  readonly showView?: ChartsViewId;
  /** With `showView`: switch to this dataset too (the added sweep's). */
  readonly showDataset?: WebviewDatasetId;
}

export interface CorrelationMatrixData {
  readonly method: CorrelationMethodId;
  /** Row and column labels. */
  readonly labels: readonly string[];
  /** Row and column ids (metric ids, or dataset ids for the cross-dataset view). */
  readonly ids: readonly string[];
  /** matrix[i][j]; null where undefined (too few pairs or a constant series). */
  readonly matrix: readonly (readonly (number | null)[])[];
  /** Number of complete pairs behind each entry. */
  readonly pairs: readonly (readonly number[])[];
  readonly title: string;
}

export interface HeatmapResult {
  readonly type: 'heatmap';
  readonly state: ChartsState;
  readonly data: CorrelationMatrixData;
}

export interface CrossDatasetResult {
  readonly type: 'cross';
  readonly state: ChartsState;
  readonly data: CorrelationMatrixData;
}

export interface ScatterResult {
  readonly type: 'scatter';
  readonly state: ChartsState;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xFormat: 'percent' | 'number';
  readonly yFormat: 'percent' | 'number';
  /** Aligned with `ChartsInit.cells`; null where the data has no value. */
  readonly x: readonly (number | null)[];
  readonly y: readonly (number | null)[];
  /**
   * Colour per cell: a number for a metric or the `none` count, an index into `categories` for an op on an edge.
   * Absent when colour is off.
   */
  readonly colour?: {
    readonly label: string;
    readonly values: readonly (number | null)[];
    /** For categorical colour: the category names; values are indices into it. */
    readonly categories?: readonly string[];
    readonly format?: 'percent' | 'number';
  };
  /** Positions (into cells) of the Pareto front of x and y (both maximised), sorted by x. */
  readonly pareto: readonly number[];
  /** Rank correlation of the two axes with the state's method, for the subtitle. */
  readonly correlation: number | null;
}

/** A rank correlation with its percentile bootstrap interval (absent when the interval was not computed). */
export interface ProxyCorrelation {
  /** Spearman's rho and Kendall's tau-b of the raw (signed) score against the accuracy; null when undefined. */
  readonly spearman: number | null;
  readonly kendall: number | null;
  readonly spearmanCi?: readonly [number, number];
  readonly kendallCi?: readonly [number, number];
  /** Classes with both a score and the accuracy. */
  readonly n: number;
}

/**
 * One training-free proxy (a row of the proxies view): its score on clean inputs and, where it has one, on
 * adversarial inputs X' = attack(X) at initialisation, so the two can be read side by side. Data-free proxies (the
 * parameter count, FLOPs) have one score, shown in both columns.
 */
export interface ProxyRow {
  /** Row key: the proxy without its clean/robust variant, e.g. `ntk:frobenius@<sweep>`, `params`. */
  readonly proxy: string;
  /** `NTK Θ, Frobenius norm`, `Params`. */
  readonly label: string;
  readonly family: 'ntk' | 'zc' | 'baseline' | 'cost';
  /** Metric ids of the two variants (the scatter's x axis when an entry is clicked); undefined when absent. */
  readonly cleanMetric?: string;
  readonly robustMetric?: string;
  /** Labels of the two variants, e.g. `clean NTK Θ(X,X)` and `robust NTK Θ(X′,X′)`. */
  readonly cleanLabel?: string;
  readonly robustLabel?: string;
  /** True for a score that reads no data (params, FLOPs): the same values in both columns. */
  readonly dataFree: boolean;
  /** Per column of `ProxyFigureData.colIds`; null where the variant is absent. */
  readonly clean: readonly (ProxyCorrelation | null)[];
  readonly robust: readonly (ProxyCorrelation | null)[];
}

/**
 * Training-free proxies against accuracy (generalising Wu et al., ICLR 2024, Figure 5, to every score of the loaded
 * sweeps plus params and FLOPs): one row per proxy, one column per accuracy metric, each entry a rank correlation
 * over the classes both have, on one dataset. Computed by the extension with the core; the webview draws it.
 */
export interface ProxyFigureData {
  readonly dataset: WebviewDatasetId;
  readonly colIds: readonly string[];
  readonly colLabels: readonly string[];
  readonly rows: readonly ProxyRow[];
  readonly title: string;
  /** The sweeps' settings and the classes behind the entries. */
  readonly subtitle: string;
  /** How the intervals were computed (resamples, seed, level), or why there are none. */
  readonly intervals: string;
  /** Sweeps loaded for other datasets (their proxies show when that dataset is chosen). */
  readonly otherDatasets: readonly WebviewDatasetId[];
}

export interface ProxyFigureResult {
  readonly type: 'proxies';
  readonly state: ChartsState;
  readonly data: ProxyFigureData;
}

export interface DistributionSeries {
  readonly dataset: WebviewDatasetId;
  readonly metric: string;
  readonly n: number;
  /** min, first quartile, median, third quartile, max (quantiles as numpy's default, linear interpolation). */
  readonly box: readonly [number, number, number, number, number];
  /** Equal-width bins over the metric's range on that dataset. */
  readonly histogram: {
    readonly x0: readonly number[];
    readonly x1: readonly number[];
    readonly count: readonly number[];
  };
}

export interface DistributionResult {
  readonly type: 'distribution';
  readonly state: ChartsState;
  readonly metrics: readonly string[];
  readonly series: readonly DistributionSeries[];
}

/** Positions (into `ChartsInit.cells`) of the architectures written in the active editor; sent on every change. */
export interface EditorArchitectures {
  readonly type: 'editorArchitectures';
  readonly positions: readonly number[];
  readonly source: string;
}

export interface ErrorMessage {
  readonly type: 'error';
  readonly message: string;
}

export type ChartsViewResult =
  HeatmapResult | CrossDatasetResult | ScatterResult | DistributionResult | ProxyFigureResult;

/** The answer to a `request`, echoing its id so the webview draws only the answer to its latest choice. */
export type ChartsAnswer = ChartsViewResult & { readonly requestId: number };

export type HostToChartsMessage = ChartsInit | ChartsAnswer | ChartsSweeps | EditorArchitectures | ErrorMessage;

/** A file the webview produced for the user to save (PNG as base64, SVG and CSV as text). */
export interface ExportRequest {
  readonly type: 'export';
  readonly format: 'png' | 'svg' | 'csv' | 'md';
  readonly suggestedName: string;
  readonly content: string;
  readonly encoding: 'utf8' | 'base64';
}

export type ChartsToHostMessage =
  | { readonly type: 'ready'; readonly state?: ChartsState }
  | { readonly type: 'request'; readonly state: ChartsState; readonly requestId: number }
  | { readonly type: 'openDiagram'; readonly archString: string }
  | { readonly type: 'pin'; readonly archString: string }
  /** Runs "Add NTK Sweep Results to Correlation Charts" (a file picker). */
  | { readonly type: 'addNtkSweep' }
  | { readonly type: 'removeNtkSweep'; readonly key: string }
  | ExportRequest;

// ---------------------------------------------------------------------------------------------------------------
// Cell diagram panel
// ---------------------------------------------------------------------------------------------------------------

export interface DiagramState {
  readonly archString: string;
  readonly dataset: WebviewDatasetId;
  /** Metric ranking the top-k architectures in the op-frequency grid. */
  readonly metric: string;
  readonly topK: number;
  readonly showNoneEdges: boolean;
}

export interface CellGraph {
  readonly archString: string;
  /** Op name on each edge, in edge order. */
  readonly ops: readonly string[];
  /** Edges that change nothing for any weights (src/core/space deadEdges) with the reason. */
  readonly dead: readonly { readonly edge: number; readonly reason: 'unreachable' | 'zero-input' }[];
  readonly index: number;
}

export interface MacroBlock {
  readonly kind: 'input' | 'stem' | 'cells' | 'reduction' | 'head';
  readonly label: string;
  /** Output channels of the block (classes for the head). */
  readonly channels: number;
  /** Output side length (H = W); 1 for the head. */
  readonly side: number;
  /** Number of cells in a `cells` block. */
  readonly count?: number;
}

export interface OpFrequency {
  readonly dataset: WebviewDatasetId;
  readonly metric: string;
  readonly metricLabel: string;
  readonly k: number;
  /** counts[edge][op digit]: how many of the top-k cells carry that op on that edge. */
  readonly counts: readonly (readonly number[])[];
}

export interface DiagramData {
  readonly type: 'diagram';
  readonly state: DiagramState;
  readonly space: SpaceDescriptor;
  readonly datasets: readonly DatasetDescriptor[];
  readonly metrics: readonly MetricDescriptor[];
  readonly cell: CellGraph;
  /** The evaluated member of the cell's isomorphism class, when it is a different cell. */
  readonly representative?: CellGraph & {
    /** Edges whose op differs between the cell and its representative. */
    readonly changedEdges: readonly number[];
  };
  readonly macro: {
    readonly dataset: WebviewDatasetId;
    readonly blocks: readonly MacroBlock[];
    readonly params: number;
    readonly flops: number;
  };
  readonly frequency: OpFrequency;
  /** The cell's own value and rank for the chosen metric, when the data has it. */
  readonly metricValue?: { readonly value: number; readonly rank: number; readonly of: number };
}

export type HostToDiagramMessage = DiagramData | ErrorMessage;

/** Runs "Export as PyTorch..." on the cell (the host asks the dataset and the folder). */
export interface ExportPytorchRequest {
  readonly type: 'exportPytorch';
  readonly archString: string;
}

export type DiagramToHostMessage =
  | { readonly type: 'ready'; readonly state?: DiagramState }
  | { readonly type: 'request'; readonly state: DiagramState }
  | { readonly type: 'pin'; readonly archString: string }
  | ExportPytorchRequest
  | ExportRequest;

// ---------------------------------------------------------------------------------------------------------------
// Comparison view (sidebar webview view)
// ---------------------------------------------------------------------------------------------------------------

export interface ComparisonRow {
  readonly archString: string;
  readonly index: number;
  readonly ops: readonly string[];
  /** Per column of `ComparisonTable.metrics`; null where the data has no value. */
  readonly values: readonly (number | null)[];
  readonly ranks: readonly (number | null)[];
  /** Edges whose op differs from the first pinned cell (all false for the first row). */
  readonly differs: readonly boolean[];
}

export interface ComparisonTable {
  readonly type: 'table';
  readonly dataset: WebviewDatasetId;
  readonly datasets: readonly DatasetDescriptor[];
  readonly metrics: readonly MetricDescriptor[];
  readonly space: SpaceDescriptor;
  readonly rows: readonly ComparisonRow[];
  /** Per metric column: the row positions holding the best value (ties all marked); empty when no values. */
  readonly best: readonly (readonly number[])[];
  /** Per metric column: the [min, max] over the rows, for the inline bars; null when no values. */
  readonly range: readonly ([number, number] | null)[];
}

export type HostToComparisonMessage = ComparisonTable | ErrorMessage;

export type ComparisonToHostMessage =
  | { readonly type: 'ready' }
  /** A dataset picked in the view: shown until the view's next start or the next change of `robustNas.dataset`. */
  | { readonly type: 'setDataset'; readonly dataset: WebviewDatasetId }
  | { readonly type: 'remove'; readonly archString: string }
  | { readonly type: 'move'; readonly archString: string; readonly delta: -1 | 1 }
  | { readonly type: 'copy'; readonly format: 'markdown' | 'csv' }
  | { readonly type: 'openDiagram'; readonly archString: string }
  | ExportPytorchRequest;
