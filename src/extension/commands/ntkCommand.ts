import * as vscode from 'vscode';
import { NtkResultCache, ntkCacheKey } from '../../core/ntk/cache';
import { canonicalCell } from '../../core/ntk/canonical';
import { hasOwnKey } from '../../core/lookupTable';
import { NETWORK_SIZES, type NetworkSizeName } from '../../core/ntk/network';
import { ntkJobOptions, type NtkConfig } from '../../core/ntk/jobOptions';
import { computeNtkScores } from '../../core/ntk/pool';
import { isNtkVariant, NTK_VARIANTS, type NtkResult, type NtkVariant } from '../../core/ntk/scores';
import { ntkConfigOf } from '../../shared/settings';
import {
  CommandArgumentError,
  datasetArgument,
  integerArgument,
  ntkConfigArgument,
  optional,
} from '../../shared/commandArguments';
import { formatArchString } from '../../core/space/cell';
import type { DatasetId } from '../../core/space/cost';
import { renderNtkReport } from '../reports/ntkReport';
import type { ExtensionServices } from '../services';
import { withCancellableProgress } from './cancellableProgress';
import { cellFromArgumentOrAsk, jobOptionsFromSettings } from './cellArgument';

/**
 * What may be passed: a whole configuration (the hover card's link passes the one it looked stored results up
 * with), or some of its fields. To `robustNas.computeNtkScores` these only preselect the answers (the network size
 * and kernels are always asked: a link must not start minutes of work unasked); the internal
 * `robustNas.internal.computeNtkScores` (tests, scripts) uses them as given. Every field is checked.
 */
interface NtkArgument {
  config?: NtkConfig;
  size?: NetworkSizeName;
  variants?: NtkVariant[];
  dataset?: DatasetId;
  seed?: number;
  useCache?: boolean;
}

function checkedArgument(arg: unknown, configuredInputs: string): NtkArgument {
  // Nothing, or what a menu passes (the file's URI, the selected files): no options.
  if (arg === undefined || arg === null || arg instanceof vscode.Uri || Array.isArray(arg)) return {};
  if (typeof arg !== 'object')
    throw new CommandArgumentError('the NTK options must be an object such as { size, variants }');
  const a = arg as Record<string, unknown>;
  const own = (k: string) => (Object.prototype.hasOwnProperty.call(a, k) ? a[k] : undefined);
  return {
    config: optional(own('config'), (v) => ntkConfigArgument(v, configuredInputs)),
    size: optional(own('size'), (v) => {
      if (typeof v !== 'string' || !hasOwnKey(NETWORK_SIZES, v))
        throw new CommandArgumentError(`the NTK network size must be one of ${Object.keys(NETWORK_SIZES).join(', ')}`);
      return v;
    }),
    variants: optional(own('variants'), (v) => {
      if (!Array.isArray(v) || v.length === 0 || !v.every(isNtkVariant))
        throw new CommandArgumentError(`the NTK kernels must be a list of ${NTK_VARIANTS.join(', ')}`);
      return [...new Set(v as NtkVariant[])];
    }),
    dataset: optional(own('dataset'), (v) => datasetArgument(v, 'the NTK dataset')),
    seed: optional(own('seed'), (v) => integerArgument(v, 0, 2 ** 32 - 1, 'the NTK seed')),
    useCache: optional(own('useCache'), (v) => {
      if (typeof v !== 'boolean') throw new CommandArgumentError('useCache must be true or false');
      return v;
    }),
  };
}

/**
 * The configuration: the argument's (checked) or the `robustNas.ntk.*` settings', with the size and kernels asked
 * for (preselected from the argument, else the settings) unless `unattended`.
 */
async function configFor(s: ExtensionServices, arg: NtkArgument, unattended: boolean): Promise<NtkConfig | undefined> {
  const settings = s.settings();
  const base = arg.config ?? ntkConfigOf(settings);
  const wantedSize = arg.size ?? base.size;
  const wantedVariants = arg.variants ?? base.variants;
  const size = unattended ? wantedSize : await pickSize(wantedSize);
  if (!size) return undefined;
  const variants = unattended ? [...wantedVariants] : await pickVariants(wantedVariants);
  if (!variants?.length) return undefined;
  const dataset = arg.dataset ?? base.dataset ?? settings.dataset;
  // A size picked here replaces the configuration's channel overrides, which belong to its size.
  const sized = size === base.size ? base : { ...base, channels: undefined, cellsPerStage: undefined };
  return { ...sized, size, variants, dataset, seed: arg.seed ?? base.seed };
}

async function pickSize(configured: NetworkSizeName): Promise<NetworkSizeName | undefined> {
  const items = (Object.keys(NETWORK_SIZES) as NetworkSizeName[])
    .map((name) => ({
      label: name,
      size: name,
      description: `C=${NETWORK_SIZES[name].channels}, N=${NETWORK_SIZES[name].cellsPerStage}`,
      detail:
        name === 'proxy'
          ? 'Small network, seconds per cell: the usual training-free proxy'
          : "The benchmark's own network: minutes per cell on a laptop CPU",
    }))
    .sort((a, b) => Number(b.size === configured) - Number(a.size === configured));
  return (await vscode.window.showQuickPick(items, { title: 'NTK scores: network size' }))?.size;
}

async function pickVariants(configured: readonly NtkVariant[]): Promise<NtkVariant[] | undefined> {
  const items = NTK_VARIANTS.map((v) => ({ label: v, picked: configured.includes(v) }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'NTK scores: kernels (each attack adds to the time)',
    canPickMany: true,
  });
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
  return (archArg?: unknown, optionsArg?: unknown) => computeNtk(s, archArg, optionsArg, false);
}

/** `robustNas.internal.computeNtkScores`: Compute NTK Scores with the arguments as given, unasked (tests, scripts). */
export function computeNtkScoresUnattendedCommand(s: ExtensionServices) {
  return (archArg?: unknown, optionsArg?: unknown) => computeNtk(s, archArg, optionsArg, true);
}

async function computeNtk(
  s: ExtensionServices,
  archArg: unknown,
  rawOptions: unknown,
  unattended: boolean,
): Promise<{ uri: vscode.Uri; result: NtkResult; cached: boolean } | undefined> {
  const optionsArg = checkedArgument(rawOptions, s.settings().ntk.inputs);
  if (unattended && typeof archArg !== 'string')
    throw new CommandArgumentError('robustNas.internal.computeNtkScores needs the architecture as its first argument');
  const cell = await cellFromArgumentOrAsk(s, archArg, 'Compute NTK Scores');
  if (!cell) return undefined;
  const config = await configFor(s, optionsArg, unattended);
  if (!config) return undefined;
  const options = jobOptionsFromSettings(() => ntkJobOptions(config));
  const size =
    typeof options.size === 'string' ? options.size : `C=${options.size.channels} N=${options.size.cellsPerStage}`;
  const cache = new NtkResultCache(s.ntkResults.cacheDir);
  const key = ntkCacheKey(cell, options);
  const useCache = optionsArg.useCache !== false;
  // Stored results count too when they come from a sweep file of the same configuration.
  const representativeIndex = (() => {
    const r = s.benchmark.ready()?.resolve(cell);
    return r?.ok ? r.arch.representativeIndex : undefined;
  })();
  let result = useCache ? s.ntkResults.index.find(cell, representativeIndex, options)?.result : undefined;
  const cached = result !== undefined;
  if (!result) {
    result = await withCancellableProgress(`Robust NAS: NTK scores (${size} network)`, (signal, report) =>
      computeNtkScores(canonicalCell(cell), options, signal, report),
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
  s.log.info(
    `NTK ${cached ? 'from cache' : `computed in ${result.seconds.toFixed(1)} s`}: ${formatArchString(cell)} (${size}, ${options.variants.join(',')})`,
  );
  const uri = await s.reports.show(renderNtkReport(result, cached, s.benchmark.ready()));
  return { uri, result, cached };
}
