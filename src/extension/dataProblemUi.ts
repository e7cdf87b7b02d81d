import * as vscode from 'vscode';
import { BenchmarkDataError } from '../core/benchmark/errors';
import { describeDataProblem, type DataProblem } from '../core/benchmark/dataProblem';
import { Commands } from '../shared/commands';
import { PUBLISHED_FILES } from '../core/benchmark/dataSources';

/** One action that fixes a data problem, as a notification button and a quick-pick row. */
interface DataAction {
  readonly title: string;
  readonly detail: string;
  readonly command: string;
}

const LOCATE: DataAction = {
  title: 'Locate Benchmark Data...',
  detail: 'Pick a folder holding NAS-RobBench-201_html.json, acc.json and ops.json',
  command: Commands.locateData,
};
const DOWNLOAD_MB = (Object.values(PUBLISHED_FILES).reduce((sum, f) => sum + f.bytes, 0) / 1e6).toFixed(1);
const DOWNLOAD: DataAction = {
  title: 'Download',
  detail: `Download the published files (${DOWNLOAD_MB} MB) into the user cache and check their sha256`,
  command: Commands.downloadData,
};
const SHOW_LOG: DataAction = {
  title: 'Show Log',
  detail: 'The whole message: every place looked in and what was wrong',
  command: Commands.showLog,
};

/**
 * The actions for every kind of problem: a located folder or a verified download fixes missing, damaged and
 * cancelled data alike (Download also retries a failed download), and the log holds the whole story.
 */
const DATA_ACTIONS: readonly DataAction[] = [LOCATE, DOWNLOAD, SHOW_LOG];

/** The short words the status bar and the trees use for each kind of problem. */
export const DATA_PROBLEM_LABEL: Readonly<Record<DataProblem['kind'], string>> = {
  missing: 'data missing',
  'download-failed': 'download failed',
  damaged: 'data damaged',
  cancelled: 'loading cancelled',
};

/** A one-line notification saying what is wrong, with the actions that fix it as buttons. */
export async function showDataProblem(problem: DataProblem): Promise<void> {
  const choice = await vscode.window.showWarningMessage(
    `Robust NAS: ${problem.summary}.`,
    ...DATA_ACTIONS.map((a) => a.title),
  );
  const action = DATA_ACTIONS.find((a) => a.title === choice);
  if (action) await vscode.commands.executeCommand(action.command);
}

/** The same actions as a quick pick (the status bar item and the views' message rows open it). */
export async function pickDataAction(problem: DataProblem): Promise<void> {
  const items = DATA_ACTIONS.map((a) => ({ label: a.title, detail: a.detail, action: a }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Robust NAS: ${problem.summary}`,
    placeHolder: 'How to get the benchmark data',
  });
  if (picked) await vscode.commands.executeCommand(picked.action.command);
}

/** The benchmark's problem behind a failed command or view, when that is why it failed. */
export function dataProblemOf(error: unknown): DataProblem | undefined {
  return error instanceof BenchmarkDataError ? describeDataProblem(error) : undefined;
}
