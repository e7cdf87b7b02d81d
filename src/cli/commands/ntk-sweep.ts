import { availableParallelism } from 'node:os';
import { NtkPool } from '../../core/ntk/pool';
import { canonicalCell } from '../../core/ntk/canonical';
import { parseShard, shardOf, SweepFileError, SweepWriter, type SweepHeader } from '../../core/ntk/sweepFile';
import { Rng } from '../../core/ntk/rng';
import { intOption, requiredOption, stringOption } from '../args';
import type { CliCommand } from '../command';
import { CliError, EXIT } from '../errors';
import { NTK_OPTIONS, NTK_OPTIONS_HELP, ntkOptionsFrom } from '../ntk/options';

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

export const ntkSweepCommand: CliCommand = {
  name: 'ntk-sweep',
  summary: 'NTK scores of every isomorphism class (or a sample), resumable and shardable',
  usage: 'ntk-sweep --out FILE [--shard i/n] [--sample K] [--limit-seconds T] [ntk options] [--data DIR]',
  description:
    'Scores the 6,466 evaluated classes of NAS-RobBench-201 (or a seeded --sample of them) and appends one JSON line per class ' +
    'to --out. Re-running with the same --out resumes: classes already in the file are skipped, and a partial last line left by ' +
    'a crash is dropped. --shard i/n (0-based) takes every n-th class starting at i, so a Slurm array or a Kubernetes indexed Job ' +
    'can run the shards and `robust-nas ntk-merge` joins them. Progress with an ETA goes to stderr; Ctrl-C stops cleanly.',
  options: { ...NTK_OPTIONS, out: { type: 'string' }, shard: { type: 'string' }, sample: { type: 'string' }, workers: { type: 'string' }, 'limit-seconds': { type: 'string' } },
  optionsHelp: [
    ['--out FILE', 'the JSON Lines results file (created, or resumed)'],
    ['--shard i/n', 'run shard i of n (0-based)'],
    ['--sample K', 'a seeded random sample of K classes instead of all 6,466 (the seed is --seed)'],
    ['--workers W', 'worker threads (default: one per core; with fewer workers than cores, each score also uses the spare cores)'],
    ['--limit-seconds T', 'stop cleanly after T seconds (resume later)'],
    ...NTK_OPTIONS_HELP,
  ],
  examples: [
    'ntk-sweep --out ntk-proxy.jsonl --variants clean,robust,twice --n 16',
    'ntk-sweep --out shard-$SLURM_ARRAY_TASK_ID.jsonl --shard $SLURM_ARRAY_TASK_ID/32 --size full',
    'ntk-sweep --out sample.jsonl --sample 500 --kernel exact --n 8',
  ],
  async run(ctx) {
    const out = requiredOption(ctx.values, 'out');
    const options = ntkOptionsFrom(ctx.values, { n: 32 });
    const shardText = stringOption(ctx.values, 'shard');
    let shard;
    try {
      shard = shardText === undefined ? undefined : parseShard(shardText);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    const sampleSize = ctx.values.sample === undefined ? undefined : intOption(ctx.values, 'sample', 0, 1, 6466);
    const workers = ctx.values.workers === undefined ? undefined : intOption(ctx.values, 'workers', 1, 1, 256);
    const limitSeconds = ctx.values['limit-seconds'] === undefined ? Infinity : intOption(ctx.values, 'limit-seconds', 0, 1);

    const bench = await ctx.benchmark();
    let indices = [...bench.evaluatedIndices];
    if (sampleSize !== undefined) {
      const rng = new Rng((options.seed ^ 0x2545f491) >>> 0);
      for (let i = 0; i < sampleSize; i++) {
        const j = i + rng.int(indices.length - i);
        [indices[i], indices[j]] = [indices[j], indices[i]];
      }
      indices = indices.slice(0, sampleSize).sort((a, b) => a - b);
    }
    if (shard) indices = shardOf(indices, shard.index, shard.count);
    const header: SweepHeader = { type: 'ntk-sweep', version: 1, config: { ...options, sample: sampleSize ?? null }, shard };
    let opened;
    try {
      opened = SweepWriter.open(out, header);
    } catch (e) {
      if (e instanceof SweepFileError) throw new CliError(e.message, [], EXIT.failure);
      throw e;
    }
    const { writer, done } = opened;
    const todo = indices.filter((i) => !done.has(i));
    process.stderr.write(`ntk-sweep: ${indices.length} classes${shard ? ` in shard ${shard.index}/${shard.count}` : ''}, ${indices.length - todo.length} already in ${out}, ${todo.length} to go` +
      ` (${options.kernel}, ${options.inputs.kind === 'synthetic' ? 'synthetic inputs' : options.inputs.dataset + ' inputs'})\n`);

    // One single-threaded worker per core scales best (shared/notes/ntk-engine.md); spare cores go to helper threads.
    const pool = new NtkPool({ workers, threadsPerWorker: workers ? Math.max(1, Math.floor(availableParallelism() / workers)) : 1 });
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    const started = performance.now();
    let finished = 0;
    let next = 0;
    let stopReason: string | undefined;
    const report = () => {
      const elapsed = (performance.now() - started) / 1000;
      const eta = finished ? (elapsed / finished) * (todo.length - finished) : Infinity;
      process.stderr.write(`${process.stderr.isTTY ? '\r' : ''}ntk-sweep: ${finished}/${todo.length} done, ${duration(elapsed)} elapsed, ETA ${duration(eta)}${process.stderr.isTTY ? '   ' : '\n'}`);
    };
    const lane = async () => {
      while (next < todo.length && !controller.signal.aborted) {
        if ((performance.now() - started) / 1000 > limitSeconds) {
          stopReason = `time limit of ${limitSeconds} s reached`;
          return;
        }
        const index = todo[next++];
        const result = await pool.compute(canonicalCell(bench.archOfIndex(index).cell), options, controller.signal);
        writer.append({ type: 'result', index, result });
        finished++;
        if (finished % 10 === 0 || finished === todo.length || process.stderr.isTTY) report();
      }
    };
    try {
      await Promise.all(Array.from({ length: pool.size }, lane));
    } catch (e) {
      if (!controller.signal.aborted) throw new CliError(`stopped: ${(e as Error).message}`, [`${finished} classes were saved to ${out}; re-run the same command to resume.`], EXIT.failure);
    } finally {
      process.off('SIGINT', onSigint);
      writer.close();
      await pool.close();
    }
    if (controller.signal.aborted) {
      process.stderr.write(`\nntk-sweep: cancelled; ${finished} classes saved to ${out}. Re-run the same command to resume.\n`);
      return EXIT.cancelled;
    }
    process.stderr.write(`\nntk-sweep: ${stopReason ? `${stopReason}; ` : ''}${finished} classes computed, ${done.size + finished}/${indices.length} in ${out}\n`);
    if (ctx.json) ctx.out(JSON.stringify({ out, classes: indices.length, done: done.size + finished, computed: finished }));
  },
};
