import { Commands } from '../../shared/commands';

/**
 * The command ids this part of the extension registers (commands/table.ts must have exactly one factory for each;
 * the compiler checks it). Panel commands are registered by src/extension/panels. A test checks that package.json
 * declares every one of them.
 */
export const EXTENSION_COMMAND_IDS = [
  Commands.searchArchitectures,
  Commands.topArchitectures,
  Commands.paretoFront,
  Commands.selectDatasetAndMetric,
  Commands.convertEncoding,
  Commands.runNasAlgorithm,
  Commands.locateData,
  Commands.downloadData,
  Commands.addToComparison,
  Commands.removeFromComparison,
  Commands.moveUpInComparison,
  Commands.moveDownInComparison,
  Commands.clearComparison,
  Commands.copyAs,
  Commands.showLog,
  Commands.openSample,
  Commands.computeNtkScores,
  Commands.computeTrainingFreeScores,
  Commands.ntkSweep,
  Commands.showCellDetails,
  Commands.exportPytorch,
] as const;

export type ExtensionCommandId = (typeof EXTENSION_COMMAND_IDS)[number];

/**
 * Commands for the end-to-end tests and other extensions, not shown in the palette (so not declared in
 * package.json): `robustNas.internal.getComparison` returns the pinned list (canonical strings, in order). The
 * `…Unattended` ones run NTK work with their (checked) arguments instead of asking, which the public commands never
 * do; no Markdown (hover, walkthrough) enables them, so a link cannot reach them.
 */
export const INTERNAL_COMMANDS = {
  getComparison: 'robustNas.internal.getComparison',
  getBenchmarkState: 'robustNas.internal.getBenchmarkState',
  /** The actions that fix missing or damaged data, as a quick pick (the status bar item and tree rows run it). */
  dataActions: 'robustNas.internal.dataActions',
  /** Args: `[{ scope, out, config? }]`. NTK Sweep without its questions. */
  ntkSweepUnattended: 'robustNas.internal.ntkSweep',
  /** Args: `[archString, { config } | { size, variants, dataset, seed, useCache }?]`. Compute NTK Scores without its questions. */
  computeNtkScoresUnattended: 'robustNas.internal.computeNtkScores',
} as const;

export type InternalCommandId = (typeof INTERNAL_COMMANDS)[keyof typeof INTERNAL_COMMANDS];
