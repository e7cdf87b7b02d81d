import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { makeDirectorySync } from '../../core/files/directory';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { BenchmarkApi } from '../../core/benchmark/api';
import { METRIC_INFO } from '../../core/benchmark/metrics';
import { formatDuration } from '../../core/ntk/eta';
import { describeNtkJob, ntkJobOptions, type NtkConfig } from '../../core/ntk/jobOptions';
import { NtkPool, type NtkJobOptions } from '../../core/ntk/pool';
import { readSweepFile, SweepFileError, SweepWriter } from '../../core/ntk/sweepFile';
import { runSweep } from '../../core/ntk/sweepRun';
import {
  defaultSweepFileName,
  describeSweepScope,
  planSweep,
  selectSweepIndices,
  sweepHeader,
  type SweepPlan,
  type SweepScope,
} from '../../core/ntk/sweepScope';
import { Commands } from '../../shared/commands';
import { absolutePathArgument, ntkConfigArgument, optional, sweepScopeArgument } from '../../shared/commandArguments';
import { ntkConfigOf } from '../../shared/settings';
import type { ExtensionServices } from '../services';
import { jobOptionsFromSettings } from './cellArgument';
import { showSweepResultStatus } from '../ntkSweepStatus';

/**
 * What may be passed to NTK Sweep. To `robustNas.ntkSweep` (palette, links) the scope and file only preselect the
 * answers: it always asks which classes and which file. The internal `robustNas.internal.ntkSweep` (tests,
 * scripts) runs with them unasked, `scope` and `out` then required. Every field is checked (commandArguments.ts).
 */
export interface NtkSweepArgument {
  scope?: SweepScope;
  /** The results file (created or resumed); default: one named after the configuration in the extension's storage. */
  out?: string;
  /** The NTK configuration; default: the `robustNas.ntk.*` settings. Its inputs may only be the configured ones. */
  config?: NtkConfig;
}

/** The argument, checked: an object with optional scope, out and config, each valid. */
function checkedArgument(arg: unknown, classes: number, configuredInputs: string): NtkSweepArgument {
  if (arg === undefined || arg === null) return {};
  // The palette and menus pass nothing, or the clicked tree row / explorer file: not an argument of this command.
  if (typeof arg !== 'object' || Array.isArray(arg) || arg instanceof vscode.Uri || 'archString' in arg) return {};
  const a = arg as Record<string, unknown>;
  const own = (k: string) => (Object.prototype.hasOwnProperty.call(a, k) ? a[k] : undefined);
  return {
    scope: optional(own('scope'), (v) => sweepScopeArgument(v, classes)),
    out: optional(own('out'), (v) => absolutePathArgument(v, 'the sweep results file')),
    config: optional(own('config'), (v) => ntkConfigArgument(v, configuredInputs)),
  };
}

export interface NtkSweepOutcome {
  readonly out: string;
  /** Classes of the scope, those already in the file when this run started, and those this run computed. */
  readonly classes: number;
  readonly alreadyDone: number;
  readonly computed: number;
  readonly cancelled: boolean;
}

/**
 * Worker threads for a sweep: one architecture per worker (shared/notes/ntk-engine.md: scaling across cores is
 * perfect), all cores but one so the editor stays responsive, and at least 2.
 */
function sweepWorkers(): number {
  return Math.max(2, availableParallelism() - 1);
}

async function pickScope(
  bench: BenchmarkApi,
  s: ExtensionServices,
  suggested?: SweepScope,
): Promise<SweepScope | undefined> {
  const { dataset, metric } = s.settings();
  const total = bench.evaluatedIndices.length;
  type Item = vscode.QuickPickItem & { scopeKind: SweepScope['kind'] };
  const items: Item[] = [
    {
      label: `$(list-flat) All ${total.toLocaleString('en-US')} classes`,
      detail: 'Every isomorphism class NAS-RobBench-201 evaluates: the full Figure-5 analysis.',
      scopeKind: 'all',
    },
    {
      label: '$(symbol-numeric) A seeded random sample of k classes…',
      detail:
        'The same k and seed (robustNas.ntk.seed) pick the same classes, here and in `robust-nas ntk-sweep --sample k`.',
      scopeKind: 'sample',
    },
    {
      label: `$(list-ordered) The top k by ${METRIC_INFO[metric].label} on ${dataset}…`,
      detail: 'The best classes by the configured benchmark metric and dataset (robustNas.metric, robustNas.dataset).',
      scopeKind: 'top',
    },
  ];
  // A suggested scope (an argument) comes first, so it is the focused answer; the user still chooses.
  if (suggested) items.sort((a, b) => Number(b.scopeKind === suggested.kind) - Number(a.scopeKind === suggested.kind));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'NTK Sweep: which classes',
    placeHolder: 'Choose the classes to score',
  });
  if (!picked) return undefined;
  if (picked.scopeKind === 'all') return { kind: 'all' };
  const suggestedK =
    suggested && suggested.kind === picked.scopeKind && 'k' in suggested ? String(suggested.k) : undefined;
  // Later steps of a wizard survive a click elsewhere (a refreshing chart, the editor): the answers given stay.
  const text = await vscode.window.showInputBox({
    ignoreFocusOut: true,
    title:
      picked.scopeKind === 'sample'
        ? 'NTK Sweep: sample size k'
        : `NTK Sweep: top k by ${METRIC_INFO[metric].label} on ${dataset}`,
    value: suggestedK ?? (picked.scopeKind === 'sample' ? '500' : '100'),
    validateInput: (v) =>
      /^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= total ? undefined : `A whole number from 1 to ${total}`,
  });
  if (!text) return undefined;
  const k = Number(text.trim());
  return picked.scopeKind === 'sample' ? { kind: 'sample', k } : { kind: 'top', k, dataset, metric };
}

/** "12 of 500 done" for an existing file of this sweep, "new" otherwise, "other settings" when it cannot be resumed. */
function fileStatus(
  file: string,
  header: ReturnType<typeof sweepHeader>,
  indices: readonly number[],
): { text: string; resumable: boolean } {
  if (!existsSync(file)) return { text: 'new file', resumable: true };
  try {
    const contents = readSweepFile(file);
    if (JSON.stringify(contents.header.config) !== JSON.stringify(header.config))
      return { text: 'written with other settings or classes', resumable: false };
    const plan = planSweep(indices, contents.rows);
    return { text: `${plan.done} of ${plan.indices.length} done, ${plan.todo.length} remain`, resumable: true };
  } catch (e) {
    return { text: (e as Error).message, resumable: false };
  }
}

async function pickOutput(
  s: ExtensionServices,
  options: NtkJobOptions,
  scope: SweepScope,
  indices: readonly number[],
  suggested?: string,
): Promise<string | undefined> {
  const storage = s.context.storageUri ?? s.context.globalStorageUri;
  const header = sweepHeader(options, scope);
  const defaultFile = join(storage.fsPath, 'ntk-sweeps', defaultSweepFileName(options, scope));
  type Item = vscode.QuickPickItem & { file?: string };
  const items: Item[] = [];
  const add = (file: string, label: string) => {
    const status = fileStatus(file, header, indices);
    if (status.resumable) items.push({ label, description: status.text, detail: file, file });
  };
  // A suggested file (an argument) is offered first, with its status; it is never written without this choice.
  if (suggested && suggested !== defaultFile) add(suggested, `$(file) ${basename(suggested)}`);
  add(defaultFile, '$(database) Default results file');
  for (const known of s.ntkResults.sweepFiles)
    if (known !== defaultFile && known !== suggested && existsSync(known)) add(known, `$(history) ${basename(known)}`);
  items.push({
    label: '$(new-file) Choose a file…',
    detail: 'A JSON Lines file anywhere; an existing sweep file of the same settings and classes is resumed.',
  });
  const picked = await vscode.window.showQuickPick(items, {
    ignoreFocusOut: true,
    title: 'NTK Sweep: results file',
    placeHolder: 'Where to append the results (existing files are resumed)',
  });
  if (!picked) return undefined;
  if (picked.file) return picked.file;
  // Sweep files live on disk (node:fs): a virtual workspace's folder is no place for them.
  const workspaceFolder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const folder = workspaceFolder?.scheme === 'file' ? workspaceFolder : storage;
  const uri = await vscode.window.showSaveDialog({
    title: 'NTK Sweep results file',
    defaultUri: vscode.Uri.joinPath(folder, defaultSweepFileName(options, scope)),
    filters: { 'NTK sweep (JSON Lines)': ['jsonl'] },
  });
  if (uri && uri.scheme !== 'file')
    throw new Error(
      `${uri.toString()} is not on this computer's disk; NTK sweep results are written to a local file. Choose one there.`,
    );
  return uri?.fsPath;
}

/**
 * NTK Sweep: scores every class of a scope (all 6,466, a seeded sample of k, or the top k by a benchmark metric)
 * with the `robustNas.ntk.*` configuration on worker threads (never on the extension host's thread), appending one
 * row per class to a sweep file in the format of `robust-nas ntk-sweep --out` (src/core/ntk/sweepFile.ts: the
 * CLI can resume or merge it). Running it again on the same file skips the classes already there. Progress with
 * an ETA; Cancel terminates the workers at once, and every row already written stays. Args `[{ scope, out,
 * config }?]` preselect the answers and are checked; the command always asks which classes and which file (a
 * link must not start a sweep writing where it likes). Returns what was done.
 */
export function ntkSweepCommand(s: ExtensionServices) {
  return (arg?: unknown) => runNtkSweep(s, arg, false);
}

/** `robustNas.internal.ntkSweep`: NTK Sweep with `{ scope, out, config? }` as given, unasked (tests, scripts). */
export function ntkSweepUnattendedCommand(s: ExtensionServices) {
  return (arg?: unknown) => runNtkSweep(s, arg, true);
}

// Files with a sweep running in this window: a second run on one of them would append every class twice.
const running = new Set<string>();

async function runNtkSweep(
  s: ExtensionServices,
  rawArg: unknown,
  unattended: boolean,
): Promise<NtkSweepOutcome | undefined> {
  const bench = await s.benchmark.get();
  const settings = s.settings();
  const arg = checkedArgument(rawArg, bench.evaluatedIndices.length, settings.ntk.inputs);
  if (unattended && (!arg.scope || !arg.out))
    throw new Error('robustNas.internal.ntkSweep needs { scope, out } (robustNas.ntkSweep asks for them)');
  const config = arg.config ?? ntkConfigOf(settings);
  const options = jobOptionsFromSettings(() => ntkJobOptions(config));
  const scope = unattended ? arg.scope : await pickScope(bench, s, arg.scope);
  if (!scope) return undefined;
  const indices = selectSweepIndices(bench, scope, options.seed);
  const out = unattended ? arg.out : await pickOutput(s, options, scope, indices, arg.out);
  if (!out) return undefined;
  if (running.has(out))
    throw new Error(
      `an NTK sweep is already writing ${basename(out)}; wait for it or cancel it (its progress notification) before running another on the same file`,
    );
  running.add(out);
  try {
    return await sweepInto(s, bench, options, scope, indices, out);
  } finally {
    running.delete(out);
  }
}

/** Opens (or resumes) the results file and runs what remains of the scope. */
async function sweepInto(
  s: ExtensionServices,
  bench: BenchmarkApi,
  options: NtkJobOptions,
  scope: SweepScope,
  indices: number[],
  out: string,
): Promise<NtkSweepOutcome> {
  makeDirectorySync(dirname(out));
  let opened;
  try {
    opened = SweepWriter.open(out, sweepHeader(options, scope));
  } catch (e) {
    if (e instanceof SweepFileError)
      throw new Error(
        `${e.message.replace(/; use another --out file or the same options$/, '')}. Choose another results file, or the settings it was written with.`,
      );
    throw e;
  }
  const { writer, done } = opened;
  await s.ntkResults.rememberSweepFile(out);
  const plan = planSweep(indices, done);
  const what = `${describeSweepScope(scope, bench.evaluatedIndices.length)} (${describeNtkJob(options)})`;
  s.log.info(`NTK sweep of ${what} into ${out}: ${plan.done} already done, ${plan.todo.length} remain.`);
  if (plan.todo.length === 0) {
    writer.close();
    void summary(
      s,
      out,
      `NTK sweep: all ${plan.indices.length} classes are already in ${basename(out)}.`,
      `${plan.indices.length} of ${plan.indices.length} classes`,
    );
    return { out, classes: plan.indices.length, alreadyDone: plan.done, computed: 0, cancelled: false };
  }
  return runWithProgress(s, bench, options, plan, writer, out, what);
}

async function runWithProgress(
  s: ExtensionServices,
  bench: BenchmarkApi,
  options: NtkJobOptions,
  plan: SweepPlan,
  writer: SweepWriter,
  out: string,
  what: string,
): Promise<NtkSweepOutcome> {
  const pool = new NtkPool({ workers: sweepWorkers() });
  let finished = 0;
  let lastNotice = 0;
  try {
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Robust NAS: NTK Sweep', cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        // Closing the window (deactivation) cancels too: the rows written so far stay, and the next run resumes.
        const onDeactivate = { dispose: () => abort.abort() };
        s.context.subscriptions.push(onDeactivate);
        progress.report({
          message: `${plan.done ? `resuming: ${plan.done} of ${plan.indices.length} already done, ` : ''}${plan.todo.length} classes to go, ${pool.size} workers…`,
        });
        try {
          return await runSweep({
            bench,
            todo: plan.todo,
            options,
            pool,
            signal: abort.signal,
            write: (row) => writer.append(row),
            onProgress: (p) => {
              finished = p.finished;
              progress.report({
                increment: 100 / p.todo,
                message: `${plan.done + p.finished} of ${plan.indices.length} · ETA ${formatDuration(p.etaSeconds)} · ${formatDuration(p.elapsedSeconds)} elapsed`,
              });
              // The hover card re-reads the file anyway; tell the server at most once a second.
              if (Date.now() - lastNotice > 1000 || p.finished === p.todo) {
                lastNotice = Date.now();
                s.ntkResults.changed();
              }
            },
          });
        } finally {
          sub.dispose();
          const i = s.context.subscriptions.indexOf(onDeactivate);
          if (i >= 0) s.context.subscriptions.splice(i, 1);
        }
      },
    );
    s.ntkResults.changed();
    const total = `${plan.done + outcome.finished} of ${plan.indices.length}`;
    s.log.info(
      `NTK sweep of ${what} ${outcome.cancelled ? 'cancelled' : 'finished'}: ${outcome.finished} computed in ${formatDuration(outcome.elapsedSeconds)}, ${total} in ${out}.`,
    );
    if (outcome.cancelled) {
      void summary(
        s,
        out,
        `NTK sweep cancelled: ${outcome.finished} classes computed and saved (${total} in ${basename(out)}); ${plan.todo.length - outcome.finished} remain. Run NTK Sweep again on the same file to resume.`,
        `${total} classes`,
        true,
      );
    } else {
      // The configuration is in the log line above; the notification stays short enough to read at a glance.
      void summary(
        s,
        out,
        `NTK sweep done: ${outcome.finished} classes in ${formatDuration(outcome.elapsedSeconds)}; ${total} in ${basename(out)}.`,
        `${total} classes`,
      );
    }
    return {
      out,
      classes: plan.indices.length,
      alreadyDone: plan.done,
      computed: outcome.finished,
      cancelled: outcome.cancelled,
    };
  } catch (e) {
    s.ntkResults.changed();
    throw new Error(
      `NTK sweep stopped: ${(e as Error).message}. ${finished} classes computed in this run are saved in ${out}; run NTK Sweep again on it to resume.`,
    );
  } finally {
    writer.close();
    await pool.close();
  }
}

/**
 * The end-of-sweep notification with its actions (not awaited: the command returns while it is shown): the
 * results in the correlation charts' NTK vs accuracy view (Figure 5), the file itself, or its folder. The same stay in
 * the status bar after the notification is gone.
 */
async function summary(
  s: ExtensionServices,
  out: string,
  message: string,
  counts: string,
  cancelled = false,
): Promise<void> {
  // The toast hides itself within seconds; the status bar keeps the outcome and its actions reachable.
  showSweepResultStatus(s, out, message, counts, cancelled);
  const charts = 'Show in Charts';
  const open = 'Open Results';
  const reveal = 'Reveal File';
  const choice = await vscode.window.showInformationMessage(message, charts, open, reveal);
  if (choice === charts) await vscode.commands.executeCommand(Commands.addNtkSweepToCharts, vscode.Uri.file(out));
  else if (choice === open) await vscode.window.showTextDocument(vscode.Uri.file(out), { preview: false });
  else if (choice === reveal) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(out));
  s.log.debug(`NTK sweep summary shown for ${out}`);
}
