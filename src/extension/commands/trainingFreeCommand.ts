import * as vscode from 'vscode';
import { canonicalCell } from '../../core/ntk/canonical';
import { computeProxies, NtkCancelledError, type ProxyJobOptions } from '../../core/ntk/pool';
import type { ProxyResult } from '../../core/ntk/proxies/compute';
import { proxyJobOptions } from '../../core/ntk/proxies/jobOptions';
import { PROXIES } from '../../core/ntk/proxies/registry';
import { formatArchString } from '../../core/space/cell';
import { parseCellEncoding } from '../../core/space/encodings';
import { archTextFromArgument } from '../editor/archArgument';
import { renderProxyReport } from '../reports/proxyReport';
import type { ExtensionServices } from '../services';

/**
 * Compute Training-free Scores...: the cell of the argument or under the cursor, the zero-cost proxies the user
 * picks from the registry (src/core/ntk/proxies/registry.ts, all preselected), computed on the NTK worker pool at
 * initialisation with the network size, inputs and seed of the `robustNas.ntk.*` settings (so the weights are those
 * of Compute NTK Scores), with a cancellable progress notification; the values in a Markdown report beside the
 * editor. Returns the report URI and the result.
 */
export function computeTrainingFreeScoresCommand(s: ExtensionServices) {
  return async (archArg?: unknown): Promise<{ uri: vscode.Uri; result: ProxyResult } | undefined> => {
    const source =
      archTextFromArgument(archArg) ??
      (await vscode.window
        .showInputBox({
          title: 'Compute Training-free Scores',
          prompt: 'Architecture string, index, op code or NASLib tuple',
        })
        .then((t) => (t?.trim() ? { text: t.trim() } : undefined)));
    if (!source) return undefined;
    const parsed = parseCellEncoding(source.text);
    if (!parsed.ok) throw new Error(parsed.errors[0].message);
    const cell = parsed.kind === 'index' ? (await s.benchmark.get()).archOfIndex(parsed.index).cell : parsed.cell;
    const picked = await vscode.window.showQuickPick(
      PROXIES.map((p) => ({ label: p.id, description: p.name, detail: `${p.summary} (${p.paper})`, picked: true })),
      {
        title: `Training-free scores of ${formatArchString(cell)}`,
        placeHolder: 'Proxies to compute (all preselected)',
        canPickMany: true,
      },
    );
    if (!picked || picked.length === 0) return undefined;
    const settings = s.settings();
    let options: ProxyJobOptions;
    try {
      options = proxyJobOptions({
        size: settings.ntk.size,
        proxies: picked.map((p) => p.label),
        inputs: settings.ntk.inputs,
        n: settings.ntk.n,
        seed: settings.ntk.seed,
        dataset: settings.dataset,
      });
    } catch (e) {
      throw new Error(
        `the NTK settings cannot be used for the proxies: ${(e as Error).message}. Fix robustNas.ntk.inputs in the settings.`,
      );
    }
    const result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Robust NAS: training-free scores (${picked.length} proxies)`,
        cancellable: true,
      },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        let last = 0;
        try {
          return await computeProxies(canonicalCell(cell), options, abort.signal, (p) => {
            const pct = (p.done / Math.max(1, p.total)) * 100;
            progress.report({ message: p.stage, increment: pct - last });
            last = pct;
          });
        } catch (error) {
          if (error instanceof NtkCancelledError || abort.signal.aborted) throw new vscode.CancellationError();
          throw error;
        } finally {
          sub.dispose();
        }
      },
    );
    s.log.info(
      `Training-free scores computed in ${result.seconds.toFixed(1)} s: ${formatArchString(cell)} (${Object.keys(result.values).join(',')})`,
    );
    const uri = await s.reports.show(renderProxyReport(result));
    return { uri, result };
  };
}
