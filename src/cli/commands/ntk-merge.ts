import { mergeSweepFiles, SweepFileError } from '../../core/ntk/sweepFile';
import { requiredOption } from '../args';
import type { CliCommand } from '../command';
import { CliError } from '../errors';

export const ntkMergeCommand: CliCommand = {
  name: 'ntk-merge',
  summary: 'join ntk-sweep shard files into one',
  usage: 'ntk-merge --out FILE SHARD...',
  description:
    'Checks that every shard was computed with the same options, joins their rows (one per class, sorted by index) and writes --out atomically.',
  options: { out: { type: 'string' } },
  optionsHelp: [['--out FILE', 'the merged sweep file']],
  examples: ['ntk-merge --out ntk-full.jsonl shard-*.jsonl'],
  async run(ctx) {
    const out = requiredOption(ctx.values, 'out');
    if (ctx.positionals.length === 0) throw new CliError('Missing shard files to merge.');
    try {
      const { classes, duplicates } = mergeSweepFiles(ctx.positionals, out);
      if (ctx.json) ctx.out(JSON.stringify({ out, classes, duplicates, shards: ctx.positionals.length }));
      else
        ctx.out(
          `merged ${ctx.positionals.length} files: ${classes} classes${duplicates ? ` (${duplicates} duplicate rows dropped)` : ''} -> ${out}`,
        );
    } catch (e) {
      if (e instanceof SweepFileError) throw new CliError(e.message);
      throw e;
    }
  },
};
