import * as vscode from 'vscode';
import { Commands } from '../../shared/commands';
import type { ExtensionServices } from '../services';
import {
  EXTENSION_COMMAND_IDS,
  INTERNAL_COMMANDS,
  type ExtensionCommandId,
  type InternalCommandId,
} from './commandIds';
import {
  addToComparison,
  clearComparison,
  getComparison,
  moveDownInComparison,
  moveUpInComparison,
  removeFromComparison,
} from './comparisonCommands';
import { convertEncoding, copyAs } from './encodingCommands';
import { paretoFront, topArchitectures } from './reportCommands';
import { downloadData, locateData, selectDatasetAndMetric } from './settingsCommands';
import { dataProblemOf, pickDataAction, showDataProblem } from '../dataProblemUi';
import { openSample, showLog } from './miscCommands';
import { searchArchitectures } from './searchCommand';
import { runNasAlgorithm } from './nasCommand';
import { computeNtkScoresCommand, computeNtkScoresUnattendedCommand } from './ntkCommand';
import { computeTrainingFreeScoresCommand } from './trainingFreeCommand';
import { ntkSweepCommand, ntkSweepUnattendedCommand } from './ntkSweepCommand';
import { showCellDetails } from './cellDetailsCommand';
import { exportPytorchCommand } from './exportPytorchCommand';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- command arguments come untyped from VS Code
type CommandHandler = (...args: any[]) => unknown;
type CommandFactory = (services: ExtensionServices) => CommandHandler;

/**
 * Every command of the extension (panels excepted) as id -> factory, registered in one loop (the rust-analyzer
 * layout). The Record type makes the compiler reject a missing or unknown id.
 */
const COMMAND_FACTORIES: Record<ExtensionCommandId | InternalCommandId, CommandFactory> = {
  [Commands.searchArchitectures]: searchArchitectures,
  [Commands.topArchitectures]: topArchitectures,
  [Commands.paretoFront]: paretoFront,
  [Commands.selectDatasetAndMetric]: selectDatasetAndMetric,
  [Commands.convertEncoding]: convertEncoding,
  [Commands.runNasAlgorithm]: runNasAlgorithm,
  [Commands.locateData]: locateData,
  [Commands.downloadData]: downloadData,
  [Commands.addToComparison]: addToComparison,
  [Commands.removeFromComparison]: removeFromComparison,
  [Commands.moveUpInComparison]: moveUpInComparison,
  [Commands.moveDownInComparison]: moveDownInComparison,
  [Commands.clearComparison]: clearComparison,
  [Commands.copyAs]: copyAs,
  [Commands.showLog]: showLog,
  [Commands.openSample]: openSample,
  [Commands.computeNtkScores]: computeNtkScoresCommand,
  [Commands.computeTrainingFreeScores]: computeTrainingFreeScoresCommand,
  [Commands.ntkSweep]: ntkSweepCommand,
  [Commands.showCellDetails]: showCellDetails,
  [Commands.exportPytorch]: exportPytorchCommand,
  [INTERNAL_COMMANDS.getComparison]: getComparison,
  [INTERNAL_COMMANDS.getBenchmarkState]: (s) => () => {
    const state = s.benchmark.state;
    return state.kind === 'unavailable' ? state.problem.kind : state.kind;
  },
  [INTERNAL_COMMANDS.dataActions]: (s) => () => {
    const state = s.benchmark.state;
    return state.kind === 'unavailable' ? pickDataAction(state.problem) : undefined;
  },
  [INTERNAL_COMMANDS.ntkSweepUnattended]: ntkSweepUnattendedCommand,
  [INTERNAL_COMMANDS.computeNtkScoresUnattended]: computeNtkScoresUnattendedCommand,
};

/**
 * Registers every command. A failing command is logged and its message shown (it is written for users: what is
 * wrong and what to do); the command then returns undefined instead of surfacing VS Code's generic failure toast.
 */
export function registerCommands(services: ExtensionServices): vscode.Disposable[] {
  const ids = [...EXTENSION_COMMAND_IDS, ...Object.values(INTERNAL_COMMANDS)];
  return ids.map((id) => {
    const handler = COMMAND_FACTORIES[id](services);
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        // Cancel on a progress notification is the user's choice, not a failure.
        if (error instanceof vscode.CancellationError) {
          services.log.info(`${id} cancelled.`);
          return undefined;
        }
        const message = error instanceof Error ? error.message : String(error);
        services.log.error(`${id} failed: ${message}`);
        // The data is missing or damaged: one line with the actions that fix it, not the loader's whole story.
        const problem = dataProblemOf(error);
        if (problem) {
          void showDataProblem(problem);
          return undefined;
        }
        // Not awaited: the command must not stay pending until the user dismisses the message.
        void vscode.window.showErrorMessage(`Robust NAS: ${message}`, 'Show Log').then((choice) => {
          if (choice === 'Show Log') services.log.show();
        });
        return undefined;
      }
    });
  });
}
