import * as vscode from 'vscode';
import { ACCURACY_METRIC_IDS, METRIC_INFO, type AccuracyMetricId } from '../../core/benchmark/metrics';
import { absolutePathArgument, accuracyMetricArgument, datasetArgument, optional } from '../../shared/commandArguments';
import { DATASET_IDS, type DatasetId } from '../../core/space/cost';
import { datasetLabel } from '../format';
import type { ExtensionServices } from '../services';
import { SETTINGS_SECTION, updateSetting } from '../settings';
import { BENCHMARK_FILE_ROLES } from '../../core/benchmark/dataSources';

/**
 * Select Dataset and Metric: two pickers (current choice first), then `robustNas.dataset` / `robustNas.metric` are
 * written, which the server, views and status bar follow. Args `[dataset?, metric?]` (checked) come first in the
 * pickers; the settings are only written with the user's choice (a link must not rewrite them).
 */
export function selectDatasetAndMetric(s: ExtensionServices) {
  return async (
    datasetArg?: unknown,
    metricArg?: unknown,
  ): Promise<{ dataset: DatasetId; metric: AccuracyMetricId } | undefined> => {
    const current = s.settings();
    const suggestedDataset = optional(datasetArg, (v) => datasetArgument(v)) ?? current.dataset;
    const suggestedMetric = optional(metricArg, (v) => accuracyMetricArgument(v)) ?? current.metric;
    const datasets = DATASET_IDS.map((id) => ({
      label: datasetLabel(id),
      description: id === current.dataset ? 'current' : undefined,
      id,
    }));
    datasets.sort((a, b) => Number(b.id === suggestedDataset) - Number(a.id === suggestedDataset));
    const dataset = (
      await vscode.window.showQuickPick(datasets, {
        title: 'Robust NAS: dataset (1/2)',
        placeHolder: 'Dataset whose results are ranked and shown first',
      })
    )?.id;
    if (!dataset) return undefined;
    // The setting ranks hovers, inlay hints and completions by an accuracy; params and FLOPs are offered where a
    // metric is chosen for a view (charts, Top Architectures report, comparison), not here.
    const metrics = ACCURACY_METRIC_IDS.map((id) => ({
      label: METRIC_INFO[id].label,
      description: id === current.metric ? 'current' : undefined,
      detail: METRIC_INFO[id].description,
      id,
    }));
    metrics.sort((a, b) => Number(b.id === suggestedMetric) - Number(a.id === suggestedMetric));
    const metric = (
      await vscode.window.showQuickPick(metrics, {
        ignoreFocusOut: true,
        title: `Robust NAS: metric on ${datasetLabel(dataset)} (2/2)`,
        matchOnDetail: true,
      })
    )?.id;
    if (!metric) return undefined;
    await updateSetting('dataset', dataset);
    await updateSetting('metric', metric);
    s.log.info(`Dataset and metric set to ${dataset} / ${metric}`);
    return { dataset, metric };
  };
}

/**
 * Locate Benchmark Data...: a folder picker, the folder loaded and validated like any load (all three files, their
 * format and checksums), then saved to `robustNas.dataPath`. A folder that fails is not saved; the error says which
 * file is wrong and how. The path is a fact about this machine, not the project, so it goes into the user settings;
 * when the workspace sets its own value (which would win), the user chooses. A folder argument (an absolute path) is
 * where the picker opens: the folder to read and save is always the user's choice.
 */
export function locateData(s: ExtensionServices) {
  return async (folderArg?: unknown): Promise<string | undefined> => {
    const suggested = optional(folderArg, (v) => absolutePathArgument(v, 'the data folder'));
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      title: 'Folder with NAS-RobBench-201_html.json, acc.json and ops.json',
      openLabel: 'Use This Folder',
      defaultUri: suggested ? vscode.Uri.file(suggested) : undefined,
    });
    const folder = picked?.[0]?.scheme === 'file' ? picked[0].fsPath : undefined;
    if (picked?.[0] && !folder)
      throw new Error(
        `${picked[0].toString()} is not a folder on this computer's disk; the benchmark data is read from disk.`,
      );
    if (!folder) return undefined;
    const dataPath = folder;
    const target = await dataPathTarget();
    if (target === undefined) return undefined;
    const bench = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Robust NAS: checking ${dataPath}...` },
      () => s.benchmark.loader(dataPath),
    );
    s.benchmark.adopt(dataPath, bench);
    await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('dataPath', dataPath, target);
    const where = target === vscode.ConfigurationTarget.Global ? 'user settings' : 'workspace settings';
    void vscode.window.showInformationMessage(
      `Robust NAS: using NAS-RobBench-201 from ${dataPath} (${bench.evaluatedIndices.length} evaluated cells; saved in the ${where}).`,
    );
    return dataPath;
  };
}

/**
 * Where Locate saves the folder: the user settings, unless the workspace (or a folder of it) already sets
 * `robustNas.dataPath`; then ask, since a workspace value would hide the user one. Undefined: the user cancelled.
 */
async function dataPathTarget(): Promise<vscode.ConfigurationTarget | undefined> {
  const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<string>('dataPath');
  if (inspected?.workspaceValue === undefined && inspected?.workspaceFolderValue === undefined)
    return vscode.ConfigurationTarget.Global;
  const replace = 'Update Workspace Settings';
  const user = 'Save in User Settings, Remove Workspace Value';
  const choice = await vscode.window.showWarningMessage(
    `Robust NAS: this workspace sets robustNas.dataPath to "${inspected.workspaceValue ?? inspected.workspaceFolderValue}". Where should the new folder be saved?`,
    { modal: true },
    replace,
    user,
  );
  if (choice === replace) return vscode.ConfigurationTarget.Workspace;
  if (choice !== user) return undefined;
  await vscode.workspace
    .getConfiguration(SETTINGS_SECTION)
    .update('dataPath', undefined, vscode.ConfigurationTarget.Workspace);
  return vscode.ConfigurationTarget.Global;
}

/**
 * Download: loads through the default search order (user cache, development copy, then the pinned URL, every file
 * checked against its sha256) with progress and Cancel, and uses the result. A `robustNas.dataPath` that named
 * another folder is cleared (the user asked for the download instead), at every level that sets it.
 */
export function downloadData(s: ExtensionServices) {
  return async (): Promise<boolean> => {
    const bench = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: 'Robust NAS: getting NAS-RobBench-201',
        cancellable: true,
      },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        // Each file fills its share of the bar: percent done per file, the increments summed over the files.
        const percentByFile = new Map<string, number>();
        return s.benchmark.loader('', {
          signal: abort.signal,
          onProgress: (p) => {
            if (p.phase !== 'downloading' || !p.total) return;
            const percent = Math.floor(((p.received ?? 0) / p.total) * 100);
            const before = percentByFile.get(p.path) ?? 0;
            percentByFile.set(p.path, percent);
            const increment = Math.max(0, percent - before) / BENCHMARK_FILE_ROLES.length;
            progress.report({ message: `downloading ${p.path.replace(/^.*\//, '')} ${percent}%`, increment });
          },
        });
      },
    );
    s.benchmark.adopt('', bench);
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const inspected = config.inspect<string>('dataPath');
    if (inspected?.workspaceFolderValue !== undefined)
      await config.update('dataPath', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    if (inspected?.workspaceValue !== undefined)
      await config.update('dataPath', undefined, vscode.ConfigurationTarget.Workspace);
    if (inspected?.globalValue !== undefined)
      await config.update('dataPath', undefined, vscode.ConfigurationTarget.Global);
    void vscode.window.showInformationMessage(
      `Robust NAS: NAS-RobBench-201 ready (${bench.evaluatedIndices.length} evaluated cells, from ${bench.sources.adversarial.replace(/[\\/][^\\/]*$/, '')}).`,
    );
    return true;
  };
}
