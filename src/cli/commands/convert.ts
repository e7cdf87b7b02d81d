import { resolveArch } from '../args';
import type { CliCommand } from '../command';
import { CliError } from '../errors';

const TARGETS = ['string', 'code', 'index', 'naslib'] as const;
type Target = (typeof TARGETS)[number];

export const convertCommand: CliCommand = {
  name: 'convert',
  summary: 'convert an architecture between string, 6-digit code, index and NASLib tuple',
  usage: 'convert <arch|index|code|naslib> [--to string|code|index|naslib] [--json]',
  description:
    "Prints the cell in the requested encoding, or in all four when --to is omitted. The NASLib tuple uses NASLib's op order and edge order.",
  options: { to: { type: 'string' } },
  optionsHelp: [['--to FORMAT', 'one of string, code, index, naslib (default: all)']],
  examples: [
    'convert 334131 --to string',
    "convert '|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|' --to naslib",
  ],
  async run(ctx) {
    const to = ctx.values.to as string | undefined;
    if (to !== undefined && !(TARGETS as readonly string[]).includes(to))
      throw new CliError(`--to must be one of ${TARGETS.join(', ')}, got '${to}'.`);
    const bench = await ctx.benchmark();
    const arch = resolveArch(bench, ctx.positionals[0]);
    const all: Record<Target, string | number | readonly number[]> = {
      string: arch.archString,
      code: arch.code,
      index: arch.index,
      naslib: arch.naslib,
    };
    if (ctx.json) {
      ctx.out(JSON.stringify(to ? { [to]: all[to as Target] } : all));
      return;
    }
    const show = (t: Target) => (t === 'naslib' ? `(${arch.naslib.join(', ')})` : String(all[t]));
    if (to) ctx.out(show(to as Target));
    else for (const t of TARGETS) ctx.out(`${t.padEnd(7)} ${show(t)}`);
  },
};
