import type { CliCommand } from '../command';
import { NTK_OPTIONS, NTK_OPTIONS_HELP, ntkOptionsFrom } from '../ntk/options';
import { runSweepCommand, SWEEP_OPTIONS, SWEEP_OPTIONS_HELP } from '../ntk/sweepRunner';

export const ntkSweepCommand: CliCommand = {
  name: 'ntk-sweep',
  summary: 'NTK scores of every isomorphism class (or a sample, or the top k), resumable and shardable',
  usage:
    'ntk-sweep --out FILE [--shard i/n] [--sample K | --top K --metric M] [--limit-seconds T] [ntk options] [--data DIR]',
  description:
    'Scores the 6,466 evaluated classes of NAS-RobBench-201 (or a seeded --sample of them, or the --top K by a benchmark metric) ' +
    'and appends one JSON line per class to --out. Re-running with the same --out resumes: classes already in the file are skipped, ' +
    'and a partial last line left by a crash is dropped. --shard i/n (0-based) takes every n-th class starting at i, so a Slurm array ' +
    'or a Kubernetes indexed Job can run the shards and `robust-nas ntk-merge` joins them. Progress with an ETA goes to stderr; ' +
    'Ctrl-C stops cleanly. The VS Code command "Robust NAS: NTK Sweep" writes and resumes the same files.',
  options: {
    ...NTK_OPTIONS,
    ...SWEEP_OPTIONS,
  },
  optionsHelp: [...SWEEP_OPTIONS_HELP, ...NTK_OPTIONS_HELP],
  examples: [
    'ntk-sweep --out ntk-proxy.jsonl --variants clean,robust,twice --n 16',
    'ntk-sweep --out shard-$SLURM_ARRAY_TASK_ID.jsonl --shard $SLURM_ARRAY_TASK_ID/32 --size full',
    'ntk-sweep --out sample.jsonl --sample 500 --kernel exact --n 8',
    'ntk-sweep --out robust-top.jsonl --top 100 --metric pgd@8 --dataset cifar100',
  ],
  async run(ctx) {
    const options = ntkOptionsFrom(ctx.values, { n: 32 });
    return runSweepCommand(ctx, 'ntk-sweep', options, options.kernel);
  },
};
