import * as vscode from 'vscode';
import { EXPORT_FILE_NAMES, exportSubjectOf, renderPytorchExport } from '../../core/export';
import { DATASET_IDS, DATASET_SHAPE, type DatasetId } from '../../core/space/cost';
import { archTextFromArgument, resolveArch } from '../editor/archArgument';
import type { ExtensionServices } from '../services';
import { absolutePathArgument, datasetArgument, optional } from '../../shared/commandArguments';

/**
 * What callers (links, webviews, tests) may pass: preselected answers, checked. They never answer a question: a
 * link must not choose the folder files are written to (docs/workspace-trust.md); the folder is offered first.
 */
interface ExportPytorchOptions {
  dataset?: DatasetId;
  /** Folder to write into (a Uri or a file-system path). */
  folder?: vscode.Uri | string;
}

export const EXPORT_TITLE = 'Export as PyTorch';

async function pickDataset(configured: DatasetId, suggested = configured): Promise<DatasetId | undefined> {
  const items = DATASET_IDS.map((id) => ({
    id,
    label: DATASET_SHAPE[id].label,
    description: `${DATASET_SHAPE[id].classes} classes, ${DATASET_SHAPE[id].inputSize}x${DATASET_SHAPE[id].inputSize}`,
    detail: id === configured ? 'The dataset in your settings' : undefined,
  })).sort((a, b) => Number(b.id === suggested) - Number(a.id === suggested));
  return (
    await vscode.window.showQuickPick(items, {
      title: `${EXPORT_TITLE}: dataset (classes, input size, normalisation, the accuracies shown)`,
    })
  )?.id;
}

/** The workspace folder first (the default; a suggested folder before it); any other folder through the system's folder dialog. */
async function pickFolder(suggested?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const other = {
    label: '$(folder-opened) Choose another folder...',
    description: undefined as string | undefined,
    uri: undefined as vscode.Uri | undefined,
  };
  const items = [
    ...folders.map((f) => ({
      label: `$(root-folder) ${f.name}`,
      description: f.uri.fsPath as string | undefined,
      uri: f.uri as vscode.Uri | undefined,
    })),
    other,
  ];
  if (suggested && !folders.some((f) => f.uri.toString() === suggested.toString()))
    items.unshift({ label: `$(folder) ${suggested.fsPath}`, description: 'suggested', uri: suggested });
  else if (suggested)
    items.sort(
      (a, b) => Number(b.uri?.toString() === suggested.toString()) - Number(a.uri?.toString() === suggested.toString()),
    );
  const picked =
    items.length === 1
      ? other
      : await vscode.window.showQuickPick(items, { title: `${EXPORT_TITLE}: folder for model.py and train.py` });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const chosen = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Export here',
    defaultUri: folders[0]?.uri,
  });
  return chosen?.[0];
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * Export as PyTorch...: the cell of the argument (hover link, CodeLens, diagram panel, comparison views) or under the
 * cursor, written as model.py (NAS-Bench-201's network, official state_dict keys) and train.py (NAS-RobBench-201's
 * adversarial-training recipe) into a folder, after asking the dataset and the folder (the workspace's first);
 * existing files are replaced only after a modal confirmation. Opens model.py. Returns the written files, or
 * undefined when the user cancelled a prompt.
 */
export function exportPytorchCommand(s: ExtensionServices) {
  return async (archArg?: unknown, options?: ExportPytorchOptions): Promise<{ files: vscode.Uri[] } | undefined> => {
    const source =
      archTextFromArgument(archArg) ??
      (await vscode.window
        .showInputBox({ title: EXPORT_TITLE, prompt: 'Architecture string, index, op code or NASLib tuple' })
        .then((t) => (t?.trim() ? { text: t.trim() } : undefined)));
    if (!source) return undefined;
    const bench = await s.benchmark.get();
    const arch = resolveArch(bench, source.text);
    const configured = s.settings().dataset;
    const dataset = await pickDataset(configured, optional(options?.dataset, (v) => datasetArgument(v)) ?? configured);
    if (!dataset) return undefined;
    const suggestedFolder =
      options?.folder instanceof vscode.Uri
        ? options.folder
        : optional(options?.folder, (v) => vscode.Uri.file(absolutePathArgument(v, 'the export folder')));
    const folder = await pickFolder(suggestedFolder);
    if (!folder) return undefined;

    const version = (s.context.extension.packageJSON as { version?: string }).version;
    const files = renderPytorchExport(exportSubjectOf(arch.cell, dataset, `Robust NAS ${version ?? ''}`.trim(), bench));
    const uris = EXPORT_FILE_NAMES.map((name) => vscode.Uri.joinPath(folder, name));
    const existing = (
      await Promise.all(uris.map(async (u, i) => ((await exists(u)) ? EXPORT_FILE_NAMES[i] : undefined)))
    ).filter((n) => n !== undefined);
    if (existing.length) {
      const answer = await vscode.window.showWarningMessage(
        `${existing.join(' and ')} already ${existing.length > 1 ? 'exist' : 'exists'} in ${folder.fsPath}. Overwrite ${existing.length > 1 ? 'them' : 'it'}?`,
        { modal: true, detail: 'Your current files are replaced by the export of this cell.' },
        'Overwrite',
      );
      if (answer !== 'Overwrite') return undefined;
    }
    await vscode.workspace.fs.createDirectory(folder);
    for (const [i, name] of EXPORT_FILE_NAMES.entries())
      await vscode.workspace.fs.writeFile(uris[i], new TextEncoder().encode(files[name]));
    s.log.info(`Exported #${arch.index} (${arch.code}) for ${dataset} as PyTorch to ${folder.fsPath}`);
    await vscode.window.showTextDocument(uris[0], { preview: false });
    return { files: uris };
  };
}
