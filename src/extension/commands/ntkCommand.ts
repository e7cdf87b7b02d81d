import * as vscode from 'vscode';
import { join } from 'node:path';
import { defaultCacheDir } from '../../core/benchmark/load';
import { defaultAttack } from '../../core/ntk/attack';
import { NtkResultCache, ntkCacheKey } from '../../core/ntk/cache';
import { canonicalCell } from '../../core/ntk/canonical';
import { NETWORK_SIZES, type NetworkSizeName } from '../../core/ntk/network';
import { computeNtkScores, NtkCancelledError, type NtkJobOptions } from '../../core/ntk/pool';
import { isNtkVariant, NTK_VARIANTS, type NtkResult, type NtkVariant } from '../../core/ntk/scores';
import { formatArchString } from '../../core/space/cell';
import { DATASET_IDS, type DatasetId } from '../../core/space/cost';
import { parseCellEncoding } from '../../core/space/encodings';
import { archTextFromArgument } from '../editor/archArgument';
import { renderNtkReport } from '../reports/ntkReport';
import type { ExtensionServices } from '../services';

/** The CLI's cache folder, so a score computed by `robust-nas ntk` is reused here and the other way round. */
function ntkCacheDir(): string {
  return process.env.ROBUST_NAS_NTK_CACHE ?? join(defaultCacheDir(), 'ntk');
}

/** What tests and scripts may pass instead of answering the prompts. */
interface NtkArgument {
  size?: NetworkSizeName;
  variants?: string[];
  dataset?: DatasetId;
  seed?: number;
  useCache?: boolean;
}

/** The defaults of `robust-nas ntk`: fixed-BN kernel, PGD at eps 8/255, 32 seeded synthetic inputs, seed 0. */
function jobOptions(size: NetworkSizeName, variants: readonly NtkVariant[], dataset: DatasetId, seed: number): NtkJobOptions {
  return {
    size, kernel: 'fixed-bn', variants, attack: defaultAttack('pgd', 8), tradeOff: 0.5, seed, baselines: false,
    inputs: { kind: 'synthetic', dataset, count: 32, seed },
  };
}

async function pickSize(): Promise<NetworkSizeName | undefined> {
  const items = (Object.keys(NETWORK_SIZES) as NetworkSizeName[]).map((name) => ({
    label: name, size: name,
    description: `C=${NETWORK_SIZES[name].channels}, N=${NETWORK_SIZES[name].cellsPerStage}`,
    detail: name === 'proxy' ? 'Small network, seconds per cell: the usual training-free proxy' : "The benchmark's own network: minutes per cell on a laptop CPU",
  }));
  return (await vscode.window.showQuickPick(items, { title: 'NTK scores: network size' }))?.size;
}

async function pickVariants(): Promise<NtkVariant[] | undefined> {
  const items = NTK_VARIANTS.map((v) => ({ label: v, picked: v === 'clean' || v === 'robust' }));
  const picked = await vscode.window.showQuickPick(items, { title: 'NTK scores: kernels (each attack adds to the time)', canPickMany: true });
  if (!picked) return undefined;
  return picked.length ? picked.map((p) => p.label) : undefined;
}

/**
 * Compute NTK Scores: the cell of the argument (hover link, CodeLens) or under the cursor, scored on the NTK worker
 * pool at initialisation (src/core/ntk) with a cancellable progress notification; results cached per isomorphism
 * class and settings in the CLI's cache; a Markdown report beside the editor. Args `[arch?, { size, variants,
 * dataset, seed, useCache }?]` skip the prompts. Returns the report URI, the result and whether it was cached.
 */
export function computeNtkScoresCommand(s: ExtensionServices) {
  return async (archArg?: unknown, optionsArg?: NtkArgument): Promise<{ uri: vscode.Uri; result: NtkResult; cached: boolean } | undefined> => {
    const source = archTextFromArgument(archArg) ?? await vscode.window.showInputBox({ title: 'Compute NTK Scores', prompt: 'Architecture string, index, op code or NASLib tuple' }).then((t) => (t?.trim() ? { text: t.trim() } : undefined));
    if (!source) return undefined;
    const parsed = parseCellEncoding(source.text);
    if (!parsed.ok) throw new Error(parsed.errors[0].message);
    const cell = parsed.kind === 'index' ? (await s.benchmark.get()).archOfIndex(parsed.index).cell : parsed.cell;
    const size = optionsArg?.size && optionsArg.size in NETWORK_SIZES ? optionsArg.size : await pickSize();
    if (!size) return undefined;
    const variants = optionsArg?.variants ? optionsArg.variants.filter(isNtkVariant) : await pickVariants();
    if (!variants?.length) return undefined;
    const dataset = optionsArg?.dataset && DATASET_IDS.includes(optionsArg.dataset) ? optionsArg.dataset : s.settings().dataset;
    const options = jobOptions(size, variants, dataset, optionsArg?.seed ?? 0);
    const cache = new NtkResultCache(ntkCacheDir());
    const key = ntkCacheKey(cell, options);
    const useCache = optionsArg?.useCache !== false;
    let result = useCache ? cache.get(key) : undefined;
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
        } catch (error) {
          s.log.warn(`NTK cache not written (${String(error)}); the result is shown anyway.`);
        }
      }
    }
    s.log.info(`NTK ${cached ? 'from cache' : `computed in ${result.seconds.toFixed(1)} s`}: ${formatArchString(cell)} (${size}, ${variants.join(',')})`);
    const uri = await s.reports.open(`NTK ${size} ${result.arch.slice(0, 40)}`, renderNtkReport(result, cached, s.benchmark.ready()));
    return { uri, result, cached };
  };
}
