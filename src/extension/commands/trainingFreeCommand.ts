import * as vscode from 'vscode';
import { canonicalCell } from '../../core/ntk/canonical';
import { computeProxies } from '../../core/ntk/pool';
import type { ProxyResult } from '../../core/ntk/proxies/compute';
import { proxyJobOptions } from '../../core/ntk/proxies/jobOptions';
import { PROXY_ATTACKS, PROXY_ATTACK_NAMES } from '../../core/ntk/proxies/attacks';
import { PROXIES, PROXY_IDS, ROBUST_PROXIES, ROBUST_PROXY_IDS } from '../../core/ntk/proxies/registry';
import { formatArchString } from '../../core/space/cell';
import { shortCellLabel } from '../../shared/cellFormat';
import { ntkConfigOf } from '../../shared/settings';
import { renderProxyReport } from '../reports/proxyReport';
import type { ExtensionServices } from '../services';
import { withCancellableProgress } from './cancellableProgress';
import { cellFromArgumentOrAsk, jobOptionsFromSettings } from './cellArgument';

/** The proxies the user picked last time (global state), preselected in the next pick. */
const LAST_PICK_KEY = 'robustNas.trainingFree.lastProxies';

type ProxyPickItem = vscode.QuickPickItem & { readonly id?: string };

/**
 * The pick: every clean proxy, then each attack's robust variants under a separator of their own (robust.ts). The
 * last run's choice is preselected; the first time every clean proxy (robust variants cost an attack each).
 */
function proxyPickItems(lastPick: readonly string[] | undefined): ProxyPickItem[] {
  const offered = new Set<string>([...PROXY_IDS, ...ROBUST_PROXY_IDS]);
  const known = lastPick?.filter((id) => offered.has(id));
  const preselected = new Set<string>(known?.length ? known : PROXY_IDS);
  const item = (p: (typeof PROXIES)[number]): ProxyPickItem => ({
    label: p.id,
    id: p.id,
    description: p.name,
    detail: `${p.summary} (${p.paper})`,
    picked: preselected.has(p.id),
  });
  const items: ProxyPickItem[] = [{ label: 'Clean inputs', kind: vscode.QuickPickItemKind.Separator }];
  items.push(...PROXIES.map(item));
  for (const attack of PROXY_ATTACK_NAMES) {
    const { kind, eps } = PROXY_ATTACKS[attack];
    items.push({
      label: `Robust variants: ${kind.toUpperCase()} ${eps}/255`,
      kind: vscode.QuickPickItemKind.Separator,
    });
    items.push(...ROBUST_PROXIES.filter((p) => p.id.endsWith(`@${attack}`)).map(item));
  }
  return items;
}

/**
 * Compute Training-free Scores...: the cell of the argument or under the cursor, the zero-cost proxies the user
 * picks from the registry (src/core/ntk/proxies/registry.ts: clean, and robust variants on attacked inputs),
 * computed on the NTK worker pool at initialisation with the network size, inputs and seed of the `robustNas.ntk.*`
 * settings (the same configuration as Compute NTK Scores, so the same weights and batch), with a cancellable progress
 * notification; the values in a Markdown report beside the editor. Returns the report URI and the result.
 */
export function computeTrainingFreeScoresCommand(s: ExtensionServices) {
  return async (archArg?: unknown): Promise<{ uri: vscode.Uri; result: ProxyResult } | undefined> => {
    const cell = await cellFromArgumentOrAsk(s, archArg, 'Compute Training-free Scores');
    if (!cell) return undefined;
    const state = s.context.globalState;
    const picked = await vscode.window.showQuickPick(proxyPickItems(state.get<string[]>(LAST_PICK_KEY)), {
      // The short form: the full string is wider than the picker and was cut off mid-cell.
      title: `Training-free scores of ${shortCellLabel(cell)}`,
      placeHolder: 'Proxies to compute (type to filter, e.g. snip or @pgd8)',
      canPickMany: true,
      matchOnDescription: true,
      ignoreFocusOut: true,
    });
    const ids = picked?.flatMap((p) => (p.id ? [p.id] : [])) ?? [];
    if (ids.length === 0) return undefined;
    await state.update(LAST_PICK_KEY, ids);
    const config = ntkConfigOf(s.settings());
    const options = jobOptionsFromSettings(() => proxyJobOptions({ ...config, proxies: ids }), ' for the proxies');
    // Named as Compute NTK Scores names it, so the notification says which network the settings chose.
    const size =
      typeof options.size === 'string' ? options.size : `C=${options.size.channels} N=${options.size.cellsPerStage}`;
    const result = await withCancellableProgress(
      `Robust NAS: training-free scores (${ids.length} ${ids.length === 1 ? 'proxy' : 'proxies'}, ${size} network)`,
      (signal, report) => computeProxies(canonicalCell(cell), options, signal, report),
    );
    s.log.info(
      `Training-free scores computed in ${result.seconds.toFixed(1)} s on ${result.backend ?? 'an unknown back end'}: ${formatArchString(cell)} (${ids.join(',')})`,
    );
    const uri = await s.reports.show(renderProxyReport(result));
    return { uri, result };
  };
}
