import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXPORT_FILE_NAMES, exportSubjectOf, renderPytorchExport } from '../../core/export';
import { MACRO } from '../../core/space/cost';
import { datasetOption, intOption, resolveArch, stringOption } from '../args';
import type { CliCommand } from '../command';
import { CliError } from '../errors';

export const exportCommand: CliCommand = {
  name: 'export',
  summary:
    "write model.py and train.py: the cell as a PyTorch network plus NAS-RobBench-201's adversarial-training recipe",
  usage:
    'export <arch|index|code|naslib> [--dataset cifar10|cifar100|imagenet16-120] [--out DIR] [--channels C --cells N] [--force] [--json]',
  description:
    "Writes model.py, NAS-Bench-201's network for the cell in plain PyTorch (build_model(); state_dict keys exactly those of the " +
    "official TinyNetwork, so official weights load with strict=True), and train.py, NAS-RobBench-201's adversarial training " +
    "(PGD-7 at 8/255, SGD with a one-cycle schedule, 50 epochs, as the authors' main.py runs it) followed by the benchmark's " +
    'evaluation (clean, FGSM and PGD at 3/255 and 8/255, AutoAttack when installed). Both files open with the cell, its benchmark ' +
    'accuracies on the dataset and its parameters and FLOPs. Any member of an isomorphism class can be exported: the network is the ' +
    'cell as given, the header names the evaluated member whose results it shows. Existing files are never overwritten without --force.',
  options: {
    dataset: { type: 'string' },
    out: { type: 'string' },
    channels: { type: 'string' },
    cells: { type: 'string' },
    force: { type: 'boolean' },
  },
  optionsHelp: [
    [
      '--dataset D',
      'cifar10 (default), cifar100 or imagenet16-120: classes, input size, normalisation and the accuracies shown',
    ],
    ['--out DIR', 'folder for model.py and train.py (default: the current folder; created when missing)'],
    ['--channels C --cells N', `network size (default C=${MACRO.channels}, N=${MACRO.cellsPerStage}, the benchmark's)`],
    ['--force', 'overwrite model.py / train.py when they exist'],
  ],
  examples: [
    'export 1462 --dataset cifar100 --out ./cell-1462',
    "export '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|' --channels 8 --cells 1",
  ],
  async run(ctx) {
    const dataset = datasetOption(ctx.values, 'cifar10');
    const size = {
      channels: intOption(ctx.values, 'channels', MACRO.channels, 1, 1024),
      cellsPerStage: intOption(ctx.values, 'cells', MACRO.cellsPerStage, 1, 64),
    };
    const outDir = resolve(stringOption(ctx.values, 'out') ?? '.');
    const bench = await ctx.benchmark();
    const arch = resolveArch(bench, ctx.positionals[0]);
    const files = renderPytorchExport(exportSubjectOf(arch.cell, dataset, 'Robust NAS', bench, size));
    const paths = EXPORT_FILE_NAMES.map((name) => join(outDir, name));
    const existing = paths.filter((p) => existsSync(p));
    if (existing.length && ctx.values.force !== true) {
      throw new CliError(
        `${existing.join(' and ')} ${existing.length > 1 ? 'exist' : 'exists'}: nothing written. Pass --force to overwrite, or --out another folder.`,
      );
    }
    mkdirSync(outDir, { recursive: true });
    EXPORT_FILE_NAMES.forEach((name, i) => writeFileSync(paths[i], files[name]));
    if (ctx.json) {
      ctx.out(
        JSON.stringify({ index: arch.index, evaluatedIndex: arch.representativeIndex, dataset, ...size, files: paths }),
      );
      return;
    }
    ctx.out(`Wrote ${paths.join(' and ')}`);
    ctx.out(
      `  cell #${arch.index} (${arch.code}) on ${dataset}, C=${size.channels} N=${size.cellsPerStage}${arch.isRepresentative ? '' : `; results shown are those of the evaluated member #${arch.representativeIndex}`}`,
    );
    ctx.out(`  try it: cd ${outDir} && python train.py --smoke`);
  },
};
