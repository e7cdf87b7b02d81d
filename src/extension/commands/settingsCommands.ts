import * as vscode from 'vscode';
import { METRIC_IDS, METRIC_INFO, isMetricId, type MetricId } from '../../core/benchmark/metrics';
import { DATASET_IDS, type DatasetId } from '../../core/space/cost';
import { datasetLabel } from '../format';
import type { ExtensionServices } from '../services';
import { updateSetting } from '../settings';

function isDatasetId(s: unknown): s is DatasetId {
  return typeof s === 'string' && (DATASET_IDS as readonly string[]).includes(s);
}

/**
 * Select Dataset and Metric: two pickers (current choice first), then `robustNas.dataset` / `robustNas.metric` are
 * written, which the server, views and status bar follow. Args `[dataset?, metric?]` skip the pickers.
 */
export function selectDatasetAndMetric(s: ExtensionServices) {
  return async (datasetArg?: unknown, metricArg?: unknown): Promise<{ dataset: DatasetId; metric: MetricId } | undefined> => {
    const current = s.settings();
    let dataset = isDatasetId(datasetArg) ? datasetArg : undefined;
    if (!dataset) {
      const items = DATASET_IDS.map((id) => ({ label: datasetLabel(id), description: id === current.dataset ? 'current' : undefined, id, picked: id === current.dataset }));
      dataset = (await vscode.window.showQuickPick(items, { title: 'Robust NAS: dataset (1/2)', placeHolder: 'Dataset whose results are ranked and shown first' }))?.id;
    }
    if (!dataset) return undefined;
    let metric = typeof metricArg === 'string' && isMetricId(metricArg) ? metricArg : undefined;
    if (!metric) {
      const items = METRIC_IDS.map((id) => ({ label: METRIC_INFO[id].label, description: id === current.metric ? 'current' : undefined, detail: METRIC_INFO[id].description, id }));
      items.sort((a, b) => Number(b.id === current.metric) - Number(a.id === current.metric));
      metric = (await vscode.window.showQuickPick(items, { title: `Robust NAS: metric on ${datasetLabel(dataset)} (2/2)`, matchOnDetail: true }))?.id;
    }
    if (!metric) return undefined;
    await updateSetting('dataset', dataset);
    await updateSetting('metric', metric);
    s.log.info(`Dataset and metric set to ${dataset} / ${metric}`);
    return { dataset, metric };
  };
}

/**
 * Locate Benchmark Data...: a folder picker (or the folder as argument), the folder loaded and validated like any
 * load (all three files, their format and checksums), then saved to `robustNas.dataPath`. A folder that fails is not
 * saved; the error says which file is wrong and how.
 */
export function locateData(s: ExtensionServices) {
  return async (folderArg?: unknown): Promise<string | undefined> => {
    let folder = typeof folderArg === 'string' && folderArg ? folderArg : undefined;
    if (!folder) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFolders: true, canSelectFiles: false, canSelectMany: false,
        title: 'Folder with NAS-RobBench-201_html.json, acc.json and ops.json',
        openLabel: 'Use This Folder',
      });
      folder = picked?.[0]?.fsPath;
    }
    if (!folder) return undefined;
    const dataPath = folder;
    const bench = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Robust NAS: checking ${dataPath}...` },
      () => s.benchmark.loader(dataPath),
    );
    s.benchmark.adopt(dataPath, bench);
    await updateSetting('dataPath', dataPath);
    void vscode.window.showInformationMessage(`Robust NAS: using NAS-RobBench-201 from ${dataPath} (${bench.evaluatedIndices.length} evaluated cells).`);
    return dataPath;
  };
}
