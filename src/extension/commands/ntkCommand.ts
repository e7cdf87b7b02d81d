import * as vscode from 'vscode';
import { NtkResultCache, ntkCacheKey } from '../../core/ntk/cache';
import { canonicalCell } from '../../core/ntk/canonical';
import { hasOwnKey } from '../../core/lookupTable';
import { NETWORK_SIZES, type NetworkSizeName } from '../../core/ntk/network';
import { ntkJobOptions, type NtkConfig } from '../../core/ntk/jobOptions';
import { computeNtkScores, NtkCancelledError, type NtkJobOptions } from '../../core/ntk/pool';
import { isNtkVariant, NTK_VARIANTS, type NtkResult, type NtkVariant } from '../../core/ntk/scores';
import { ntkConfigOf } from '../../shared/settings';
import { formatArchString } from '../../core/space/cell';
import { DATASET_IDS, type DatasetId } from '../../core/space/cost';
import { parseCellEncoding } from '../../core/space/encodings';
import { archTextFromArgument } from '../editor/archArgument';
import { renderNtkReport } from '../reports/ntkReport';
import type { ExtensionServices } from '../services';

/** What tests, scripts and the hover card's link may pass instead of answering the prompts. */
interface NtkArgument {
  /** A whole configuration (the hover card passes the one it looked results up with): no prompts at all. */
  config?: NtkConfig;
  size?: NetworkSizeName;
  variants?: string[];
  dataset?: DatasetId;
  seed?: number;
  useCache?: boolean;
}

/** A configuration from the argument, else from the `robustNas.ntk.*` settings with the size and kernels asked for. */
async function configFor(s: ExtensionServices, arg: NtkArgument | undefined): Promise<NtkConfig | undefined> {
  if (arg?.config) return arg.config;
  const settings = s.settings();
  const base = ntkConfigOf(settings);
  const size = typeof arg?.size === 'string' && hasOwnKey(NETWORK_SIZES, arg.size) ? arg.size : await pickSize(base.size);
  if (!size) return undefined;
  const variants = arg?.variants ? arg.variants.filter(isNtkVariant) : await pickVariants(base.variants);
  if (!variants?.length) return undefined;
  const dataset = arg?.dataset && DATASET_IDS.includes(arg.dataset) ? arg.dataset : settings.dataset;
  // A size picked here replaces the settings' channel overrides, which belong to the configured size.
  const sized = size === base.size ? base : { ...base, channels: undefined, cellsPerStage: undefined };
  return { ...sized, size, variants, dataset, seed: arg?.seed ?? base.seed };
}

async function pickSize(configured: NetworkSizeName): Promise<NetworkSizeName | undefined> {
  const items = (Object.keys(NETWORK_SIZES) as NetworkSizeName[]).map((name) => ({
    label: name, size: name,
    description: `C=${NETWORK_SIZES[name].channels}, N=${NETWORK_SIZES[name].cellsPerStage}`,
    detail: name === 'proxy' ? 'Small network, seconds per cell: the usual training-free proxy' : "The benchmark's own network: minutes per cell on a laptop CPU",
  })).sort((a, b) => Number(b.size === configured) - Number(a.size === configured));
  return (await vscode.window.showQuickPick(items, { title: 'NTK scores: network size' }))?.size;
}

async function pickVariants(configured: readonly NtkVariant[]): Promise<NtkVariant[] | undefined> {
  const items = NTK_VARIANTS.map((v) => ({ label: v, picked: configured.includes(v) }));
  const picked = await vscode.window.showQuickPick(items, { title: 'NTK scores: kernels (each attack adds to the time)', canPickMany: true });
  if (!picked) return undefined;
  return picked.length ? picked.map((p) => p.label) : undefined;
}

/**
 * Compute NTK Scores: the cell of the argument (hover link, CodeLens) or under the cursor, scored on the NTK worker
 * pool at initialisation (src/core/ntk) with a cancellable progress notification, with the `robustNas.ntk.*`
 * settings (the size and kernels are asked, preselected from them); results cached per isomorphism class and
 * configuration in the CLI's cache (a sweep file of the same configuration counts as stored too), and the language
 * server told so the hover card shows them; a Markdown report beside the editor. Args `[arch?, { config } |
 * { size, variants, dataset, seed, useCache }?]` skip the prompts. Returns the report URI, the result and whether
 * it was stored already.
 */
export function computeNtkScoresCommand(s: ExtensionServices) {
  return async (archArg?: unknown, optionsArg?: NtkArgument): Promise<{ uri: vscode.Uri; result: NtkResult; cached: boolean } | undefined> => {
    const source = archTextFromArgument(archArg) ?? await vscode.window.showInputBox({ title: 'Compute NTK Scores', prompt: 'Architecture string, index, op code or NASLib tuple' }).then((t) => (t?.trim() ? { text: t.trim() } : undefined));
    if (!source) return undefined;
    const parsed = parseCellEncoding(source.text);
    if (!parsed.ok) throw new Error(parsed.errors[0].message);
    const cell = parsed.kind === 'index' ? (await s.benchmark.get()).archOfIndex(parsed.index).cell : parsed.cell;
    const config = await configFor(s, optionsArg);
    if (!config) return undefined;
    let options: NtkJobOptions;
    try {
      options = ntkJobOptions(config);
    } catch (e) {
      throw new Error(`the NTK settings cannot be used: ${(e as Error).message}. Fix robustNas.ntk.inputs in the settings.`);
    }
    const size = typeof options.size === 'string' ? options.size : `C=${options.size.channels} N=${options.size.cellsPerStage}`;
    const cache = new NtkResultCache(s.ntkResults.cacheDir);
    const key = ntkCacheKey(cell, options);
    const useCache = optionsArg?.useCache !== false;
    // Stored results count too when they come from a sweep file of the same configuration.
    const representativeIndex = (() => {
      const r = s.benchmark.ready()?.resolve(cell);
      return r?.ok ? r.arch.representativeIndex : undefined;
    })();
    let result = useCache ? s.ntkResults.index.find(cell, representativeIndex, options)?.result : undefined;
    const cached = result !== undefined;
    if (!result) {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Robust NAS: NTK scores (${size} network)`, cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          const sub = token.onCancellationRequested(() => abort.abort());
          let last = 0;
          try {
            return await computeNtkScores(canonicalCell(cell), options, abort.signal, (p) => {
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
      if (useCache) {
        try {
          cache.put(key, result);
          s.ntkResults.changed();
        } catch (error) {
          s.log.warn(`NTK cache not written (${String(error)}); the result is shown anyway.`);
        }
      }
    }
    s.log.info(`NTK ${cached ? 'from cache' : `computed in ${result.seconds.toFixed(1)} s`}: ${formatArchString(cell)} (${size}, ${options.variants.join(',')})`);
    const uri = await s.reports.open(`NTK ${size} ${result.arch.slice(0, 40)}`, renderNtkReport(result, cached, s.benchmark.ready()));
    return { uri, result, cached };
  };
}
