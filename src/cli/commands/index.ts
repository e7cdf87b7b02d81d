import type { CliCommand } from '../command';
import { convertCommand } from './convert';
import { corrCommand } from './corr';
import { exportCommand } from './export';
import { isoCommand } from './iso';
import { ntkCommand } from './ntk';
import { ntkMergeCommand } from './ntk-merge';
import { ntkSweepCommand } from './ntk-sweep';
import { paretoCommand } from './pareto';
import { proxiesCommand } from './proxies';
import { proxySweepCommand } from './proxy-sweep';
import { queryCommand } from './query';
import { searchCommand } from './search';
import { topCommand } from './top';

/** Every `robust-nas` subcommand, in the order `--help` lists them. Add a command: one file, one line here. */
export const COMMANDS: readonly CliCommand[] = [
  queryCommand,
  convertCommand,
  isoCommand,
  topCommand,
  paretoCommand,
  corrCommand,
  searchCommand,
  ntkCommand,
  ntkSweepCommand,
  proxySweepCommand,
  ntkMergeCommand,
  proxiesCommand,
  exportCommand,
];
