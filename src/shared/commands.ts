/**
 * Command ids contributed by the extension. The language server builds hover links and CodeLenses with these ids,
 * so they live here, once, and package.json's `contributes.commands` is checked against them by a test.
 */
export const Commands = {
  searchArchitectures: 'robustNas.searchArchitectures',
  topArchitectures: 'robustNas.topArchitectures',
  paretoFront: 'robustNas.paretoFront',
  selectDatasetAndMetric: 'robustNas.selectDatasetAndMetric',
  convertEncoding: 'robustNas.convertEncoding',
  runNasAlgorithm: 'robustNas.runNasAlgorithm',
  locateData: 'robustNas.locateData',
  /** Downloads the published files into the user cache (verified) and uses them; clears `robustNas.dataPath`. */
  downloadData: 'robustNas.downloadData',
  /** Args: `[archString: string]`. Opens the cell diagram panel. */
  showCellDiagram: 'robustNas.showCellDiagram',
  /**
   * Args: `[archText?: string]` (any encoding; else the architecture under the cursor). Opens a report of everything
   * the benchmark and the stored NTK results say about the cell: all datasets, both trainings, costs, NTK scores.
   */
  showCellDetails: 'robustNas.showCellDetails',
  /** Args: `[archString: string]`. Pins the cell in the Comparison view. */
  addToComparison: 'robustNas.addToComparison',
  removeFromComparison: 'robustNas.removeFromComparison',
  moveUpInComparison: 'robustNas.moveUpInComparison',
  moveDownInComparison: 'robustNas.moveDownInComparison',
  clearComparison: 'robustNas.clearComparison',
  /** Args: `[text: string, what: 'string' | 'index' | 'code' | 'naslib']`. Copies the cell in that encoding. */
  copyAs: 'robustNas.copyAs',
  openCorrelationCharts: 'robustNas.openCorrelationCharts',
  /**
   * Args: `[file?: Uri | string]`. Loads an NTK sweep results file (`robust-nas ntk-sweep --out`) into the
   * correlation charts and shows their NTK vs accuracy view; asks for the file when none is given.
   */
  addNtkSweepToCharts: 'robustNas.addNtkSweepToCorrelationCharts',
  /** Args: `[archString?: string, { config }?]`. Computes NTK scores for the cell (or the one under the cursor). */
  computeNtkScores: 'robustNas.computeNtkScores',
  /** Args: `[archString?: string]`. Zero-cost proxies of the cell (or the one under the cursor), picked from the registry. */
  computeTrainingFreeScores: 'robustNas.computeTrainingFreeScores',
  /** Args: `[{ scope?, out?, config? }?]`. Scores many classes into a resumable sweep file (as `robust-nas ntk-sweep`). */
  ntkSweep: 'robustNas.ntkSweep',
  /**
   * Args: `[archString?: string, { dataset?, folder? }?]`. Writes model.py and train.py for the cell (asks the
   * dataset and folder when not given; asks before overwriting).
   */
  exportPytorch: 'robustNas.exportPytorch',
  showLog: 'robustNas.showLog',
  /** Args: `[reportId?: number]` (a report panel's own link); without it, the active report. Saves its Markdown. */
  exportReport: 'robustNas.exportReport',
  /** Opens media/sample.py, the walkthrough's NAS script. */
  openSample: 'robustNas.openSample',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/**
 * Builds a `command:` URI for Markdown hovers (arguments are JSON-encoded, then URI-encoded, as VS Code expects).
 * `encodeURIComponent` leaves `(`, `)`, `'`, `!`, `*` and `~` alone; a `)` would end a Markdown link destination early,
 * so the parentheses are percent-encoded too (VS Code decodes the whole query with `decodeURIComponent`).
 */
export function commandUri(command: CommandId, args: readonly unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args)).replace(/\(/g, '%28').replace(/\)/g, '%29')}`;
}
