import { replaceNumbers } from '../../core/ntk/cache';
import { shutdownNtkPool } from '../../core/ntk/pool';
import type { CliCommand } from '../command';
import { formatNtkResult } from '../ntk/format';
import { NTK_OPTIONS, NTK_OPTIONS_HELP, ntkOptionsFrom } from '../ntk/options';
import { cellFromArgument, scoreCell, withInterrupt } from '../ntk/run';

export const ntkCommand: CliCommand = {
  name: 'ntk',
  summary: 'training-free NTK scores (clean, robust, cross, twice, joint) of one architecture',
  usage:
    'ntk <arch> [--size proxy|full] [--variants LIST] [--kernel fixed-bn|exact] [--attack pgd|fgsm --eps 8] [--inputs synthetic|cifar10:DIR] [--n 32] [--seed S] [--json]',
  description:
    "Computes the neural tangent kernel of NAS-Bench-201's network for the cell at initialisation, on clean inputs X and on " +
    "adversarial ones X' = attack(X) and X'' = attack(X') (Wu et al., ICLR 2024), and summarises each kernel (Frobenius norm, " +
    'trace, extreme eigenvalues, condition number). Runs on worker threads with WebAssembly SIMD; results are cached per ' +
    'isomorphism class and configuration (--no-cache to recompute). Without --inputs the images are seeded synthetic ones, and ' +
    'every output says so.',
  options: { ...NTK_OPTIONS, 'no-cache': { type: 'boolean' } },
  optionsHelp: [...NTK_OPTIONS_HELP, ['--no-cache', 'recompute even when a cached result exists']],
  examples: [
    "ntk '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|' --variants clean,robust,twice",
    'ntk 1462 --size full --kernel exact --attack fgsm --eps 3 --json',
    'ntk 333133 --inputs cifar10:~/data/cifar-10-batches-py --n 64 --baselines',
  ],
  async run(ctx) {
    const options = ntkOptionsFrom(ctx.values);
    const cell = await cellFromArgument(ctx, ctx.positionals[0]);
    try {
      const { result, cached } = await withInterrupt((signal) =>
        scoreCell(
          cell,
          options,
          ctx.values['no-cache'] !== true,
          signal,
          (p) => {
            if (!ctx.json && process.stderr.isTTY) process.stderr.write(`\r${p.stage} (${p.done}/${p.total})        `);
          },
          (message) => process.stderr.write(`${process.stderr.isTTY ? '\r' : ''}robust-nas ntk: warning: ${message}\n`),
        ),
      );
      if (!ctx.json && process.stderr.isTTY) process.stderr.write('\r' + ' '.repeat(60) + '\r');
      if (ctx.json) {
        ctx.out(JSON.stringify({ ...result, cached }, replaceNumbers, 2));
        return;
      }
      for (const line of formatNtkResult(result)) ctx.out(line);
      if (cached) ctx.out('  (from the cache; --no-cache recomputes)');
    } finally {
      await shutdownNtkPool();
    }
  },
};
