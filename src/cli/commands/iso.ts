import { CELL_COUNT } from '../../core/space/cell';
import { deadEdges } from '../../core/space/deadEdges';
import { EDGES, edgeLabel } from '../../core/space/ops';
import { resolveArch } from '../args';
import type { CliCommand } from '../command';
import { CliError } from '../errors';
import { formatTable } from '../format/table';

export const isoCommand: CliCommand = {
  name: 'iso',
  summary: 'isomorphism class of an architecture (or of every index with --all)',
  usage: 'iso <arch|index|code|naslib> [--json] | iso --all --json',
  description:
    'Cells that compute the same function for every choice of weights form an isomorphism class; NAS-RobBench-201 trains one member per class ' +
    '(the smallest index) and points the others at it. Representatives here are computed from the cell structure and checked against the data.',
  options: { all: { type: 'boolean' } },
  optionsHelp: [['--all', 'every index 0..15624 with its representative (use with --json)']],
  examples: ['iso 421211', 'iso --all --json'],
  async run(ctx) {
    const bench = await ctx.benchmark();
    if (ctx.values.all) {
      if (ctx.positionals.length) throw new CliError('--all takes no architecture argument.');
      const representative = Array.from({ length: CELL_COUNT }, (_, i) => bench.representativeOf(i));
      if (ctx.json)
        ctx.out(JSON.stringify({ indices: CELL_COUNT, classes: bench.evaluatedIndices.length, representative }));
      else
        ctx.out(
          `${CELL_COUNT} indices in ${bench.evaluatedIndices.length} isomorphism classes; use --json for the index -> representative list.`,
        );
      return;
    }
    const arch = resolveArch(bench, ctx.positionals[0]);
    const members = bench.classMembersOf(arch.index).map((i) => bench.archOfIndex(i));
    const dead = deadEdges(arch.cell);
    if (ctx.json) {
      ctx.out(
        JSON.stringify(
          {
            index: arch.index,
            representativeIndex: arch.representativeIndex,
            isRepresentative: arch.isRepresentative,
            deadEdges: dead.map((d) => ({ edge: edgeLabel(EDGES[d.edge]), reason: d.reason })),
            members: members.map((m) => ({ index: m.index, code: m.code, string: m.archString })),
          },
          null,
          2,
        ),
      );
      return;
    }
    ctx.out(
      `index ${arch.index} (${arch.code}) belongs to the class of evaluated index ${arch.representativeIndex}: ${members.length} member${members.length === 1 ? '' : 's'}.`,
    );
    if (dead.length)
      ctx.out(
        `Edges that do not affect the output: ${dead.map((d) => `${edgeLabel(EDGES[d.edge])} (${d.reason})`).join(', ')}.`,
      );
    ctx.out();
    const rows = members.map((m) => [
      String(m.index),
      m.code,
      m.archString,
      m.index === arch.representativeIndex ? 'evaluated' : m.index === arch.index ? 'this' : '',
    ]);
    for (const line of formatTable(
      [{ header: 'index', align: 'right' }, { header: 'code' }, { header: 'string' }, { header: '' }],
      rows,
    ))
      ctx.out(line);
  },
};
