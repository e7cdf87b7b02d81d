import { availableParallelism } from 'node:os';
import { formatDuration } from '../../core/ntk/eta';
import { NtkInputError, NtkPool, type NtkJobOptions } from '../../core/ntk/pool';
import { parseShard, SweepFileError, SweepWriter } from '../../core/ntk/sweepFile';
import { runSweep } from '../../core/ntk/sweepRun';
import {
  planSweep,
  selectSweepIndices,
  SweepScopeError,
  sweepHeader,
  type SweepScope,
} from '../../core/ntk/sweepScope';
import { intOption, parseMetric, requiredOption, stringOption } from '../args';
import type { CommandContext } from '../command';
import { CliError, EXIT } from '../errors';

/** The options every sweep command (`ntk-sweep`, `proxy-sweep`) has besides what it computes. */
export const SWEEP_OPTIONS = {
  out: { type: 'string' },
  shard: { type: 'string' },
  sample: { type: 'string' },
  top: { type: 'string' },
  metric: { type: 'string' },
  workers: { type: 'string' },
  'limit-seconds': { type: 'string' },
} as const;

export const SWEEP_OPTIONS_HELP: readonly (readonly [string, string])[] = [
  ['--out FILE', 'the JSON Lines results file (created, or resumed)'],
  ['--shard i/n', 'run shard i of n (0-based)'],
  ['--sample K', 'a seeded random sample of K classes instead of all 6,466 (the seed is --seed)'],
  [
    '--top K --metric M',
    "the K best classes by benchmark metric M (e.g. pgd@8) on the inputs' dataset (--dataset, default cifar10)",
  ],
  [
    '--workers W',
    'worker threads (default: one per core; with fewer workers than cores, each score also uses the spare cores)',
  ],
  ['--limit-seconds T', 'stop cleanly after T seconds (resume later)'],
];

/**
 * Runs a sweep as `ntk-sweep` always has: scope and shard from the flags, the file opened (created, or resumed
 * after checking it was written with the same options), one row per class appended as the worker pool finishes
 * it, progress with an ETA on stderr, Ctrl-C or --limit-seconds stopping cleanly with every finished row kept.
 * `name` prefixes the progress lines.
 */
export async function runSweepCommand(
  ctx: CommandContext,
  name: string,
  options: NtkJobOptions,
  describe: string,
): Promise<number | void> {
  const out = requiredOption(ctx.values, 'out');
  const shardText = stringOption(ctx.values, 'shard');
  let shard;
  try {
    shard = shardText === undefined ? undefined : parseShard(shardText);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  if (ctx.values.sample !== undefined && ctx.values.top !== undefined)
    throw new CliError('--sample and --top exclude each other: pick one scope.');
  let scope: SweepScope = { kind: 'all' };
  if (ctx.values.sample !== undefined) scope = { kind: 'sample', k: intOption(ctx.values, 'sample', 0, 1, 6466) };
  if (ctx.values.top !== undefined) {
    const metric = stringOption(ctx.values, 'metric');
    if (metric === undefined)
      throw new CliError('--top K needs --metric M, the benchmark metric to rank by (e.g. pgd@8).');
    scope = {
      kind: 'top',
      k: intOption(ctx.values, 'top', 0, 1, 6466),
      dataset: options.inputs.dataset,
      metric: parseMetric(metric),
    };
  }
  const workers = ctx.values.workers === undefined ? undefined : intOption(ctx.values, 'workers', 1, 1, 256);
  const limitSeconds =
    ctx.values['limit-seconds'] === undefined ? Infinity : intOption(ctx.values, 'limit-seconds', 0, 1);

  const bench = await ctx.benchmark();
  let indices: number[];
  try {
    indices = selectSweepIndices(bench, scope, options.seed);
  } catch (e) {
    if (e instanceof SweepScopeError) throw new CliError(e.message);
    throw e;
  }
  let opened;
  try {
    opened = SweepWriter.open(out, sweepHeader(options, scope, shard));
  } catch (e) {
    if (e instanceof SweepFileError) throw new CliError(e.message, [], EXIT.failure);
    throw e;
  }
  const { writer, done } = opened;
  const plan = planSweep(indices, done, shard);
  process.stderr.write(
    `${name}: ${plan.indices.length} classes${shard ? ` in shard ${shard.index}/${shard.count}` : ''}, ${plan.done} already in ${out}, ${plan.todo.length} to go` +
      ` (${describe}, ${options.inputs.kind === 'synthetic' ? 'synthetic inputs' : options.inputs.dataset + ' inputs'})\n`,
  );

  // One single-threaded worker per core scales best (shared/notes/ntk-engine.md); spare cores go to helper threads.
  const pool = new NtkPool({
    workers,
    threadsPerWorker: workers ? Math.max(1, Math.floor(availableParallelism() / workers)) : 1,
  });
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let finished = 0;
  let outcome;
  try {
    outcome = await runSweep({
      bench,
      todo: plan.todo,
      options,
      pool,
      signal: controller.signal,
      limitSeconds,
      write: (row) => writer.append(row),
      onProgress: (p) => {
        finished = p.finished;
        if (p.finished % 10 === 0 || p.finished === p.todo || process.stderr.isTTY) {
          process.stderr.write(
            `${process.stderr.isTTY ? '\r' : ''}${name}: ${p.finished}/${p.todo} done, ${formatDuration(p.elapsedSeconds)} elapsed, ETA ${formatDuration(p.etaSeconds)}${process.stderr.isTTY ? '   ' : '\n'}`,
          );
        }
      },
    });
  } catch (e) {
    throw new CliError(
      `stopped: ${(e as Error).message}`,
      [`${finished} classes were saved to ${out}; re-run the same command to resume.`],
      e instanceof NtkInputError ? EXIT.usage : EXIT.failure,
    );
  } finally {
    process.off('SIGINT', onSigint);
    writer.close();
    await pool.close();
  }
  if (outcome.cancelled) {
    process.stderr.write(
      `\n${name}: cancelled; ${outcome.finished} classes saved to ${out}. Re-run the same command to resume.\n`,
    );
    return EXIT.cancelled;
  }
  process.stderr.write(
    `\n${name}: ${outcome.stopReason ? `${outcome.stopReason}; ` : ''}${outcome.finished} classes computed, ${plan.done + outcome.finished}/${plan.indices.length} in ${out}\n`,
  );
  if (ctx.json)
    ctx.out(
      JSON.stringify({
        out,
        classes: plan.indices.length,
        done: plan.done + outcome.finished,
        computed: outcome.finished,
      }),
    );
}
