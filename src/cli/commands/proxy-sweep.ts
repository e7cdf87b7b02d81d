import {
  parseProxySelection,
  proxySweepOptions,
  UnknownProxyIdError,
  validProxyIds,
  defaultProxyIds,
} from '../../core/ntk/proxySweep';
import { proxyAttackNameOf } from '../../core/ntk/proxies/attacks';
import { stringOption } from '../args';
import type { CliCommand } from '../command';
import { CliError } from '../errors';
import { NTK_OPTIONS, NTK_OPTIONS_HELP, ntkOptionsFrom } from '../ntk/options';
import { zeroCostProxyIds } from '../ntk/zeroCostIds';
import { runSweepCommand, SWEEP_OPTIONS, SWEEP_OPTIONS_HELP } from '../ntk/sweepRunner';

// What is computed comes from --proxies, so the NTK flags that choose scores are not this command's.
const { variants: _variants, baselines: _baselines, ...SCORING_OPTIONS } = NTK_OPTIONS;
const SCORING_HELP = NTK_OPTIONS_HELP.filter(
  ([flag]) => !flag.startsWith('--variants') && !flag.startsWith('--baselines'),
);

export const proxySweepCommand: CliCommand = {
  name: 'proxy-sweep',
  summary:
    'every training-free proxy (NTK scores, KNAS, NASWOT, zero-cost proxies) of every class, resumable and shardable',
  usage:
    'proxy-sweep --out FILE [--proxies LIST] [--shard i/n] [--sample K | --top K --metric M] [--limit-seconds T] [ntk options]',
  description:
    'Computes the selected proxies of the 6,466 evaluated classes (or a seeded --sample, or the --top K by a benchmark metric) on one ' +
    'network per class, and appends one JSON line per class to --out: an NTK sweep file whose options also name the proxies, so ' +
    'resuming, --shard, `robust-nas ntk-merge`, progress with ETA and Ctrl-C work as for ntk-sweep, and a file of another selection or ' +
    'other options is refused with the settings that differ. `robust-nas corr FILE` prints the leaderboard of the result.',
  options: { ...SCORING_OPTIONS, ...SWEEP_OPTIONS, proxies: { type: 'string' } },
  optionsHelp: [
    [
      '--proxies LIST',
      'comma-separated proxy ids, or all. Default: the NTK kernels and baselines, every clean zero-cost proxy and ' +
        `the robust variants on the NTK's attack (with the default PGD 8/255: ${defaultProxyIds(zeroCostProxyIds(), 'pgd8').join(',')}); ` +
        'all adds the robust variants on the other three attacks, about twice the time per class ' +
        '(docs/proxy-leaderboard.md, measured by npm run bench:proxy-sweep). Valid: ' +
        `${validProxyIds(zeroCostProxyIds()).join(', ')}; ntk:<variant> computes every summary of that kernel`,
    ],
    ...SWEEP_OPTIONS_HELP,
    ...SCORING_HELP,
  ],
  examples: [
    'proxy-sweep --out proxies.jsonl',
    'proxy-sweep --out sample.jsonl --sample 500 --proxies ntk:clean,ntk:robust,ntk:naswot',
    'proxy-sweep --out shard-$SLURM_ARRAY_TASK_ID.jsonl --shard $SLURM_ARRAY_TASK_ID/32 --size full',
    'corr proxies.jsonl',
  ],
  async run(ctx) {
    const zeroCost = zeroCostProxyIds();
    const base = ntkOptionsFrom(ctx.values, { n: 32 });
    let selection;
    try {
      selection = parseProxySelection(
        stringOption(ctx.values, 'proxies') ?? defaultProxyIds(zeroCost, proxyAttackNameOf(base.attack)),
        zeroCost,
      );
    } catch (e) {
      if (e instanceof UnknownProxyIdError) throw new CliError(`--proxies: ${e.message}.`);
      throw e;
    }
    const options = proxySweepOptions(base, selection);
    const names = [
      ...selection.variants.map((v) => `ntk:${v}`),
      ...(selection.baselines ? ['ntk:knas', 'ntk:naswot'] : []),
      ...selection.zeroCost,
    ];
    return runSweepCommand(
      ctx,
      'proxy-sweep',
      options,
      `${names.length} proxies${selection.variants.length ? `, ${options.kernel} NTK` : ''}`,
    );
  },
};
