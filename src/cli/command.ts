import type { ParseArgsConfig } from 'node:util';
import type { Benchmark } from '../core/benchmark/benchmark';

/** Options every subcommand accepts (parsed together with the subcommand's own). */
export const GLOBAL_OPTIONS = {
  data: { type: 'string' },
  json: { type: 'boolean' },
  offline: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const GLOBAL_OPTIONS_HELP = [
  [
    '--data DIR',
    'folder holding NAS-RobBench-201_html.json, acc.json and ops.json (else ROBUST_NAS_DATA, the cache, ../shared, download)',
  ],
  ['--offline', 'never download the data; fail if no local copy is found'],
  ['--json', 'machine-readable output on stdout'],
  ['-h, --help', 'this help'],
] as const;

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** What a subcommand gets to work with. */
export interface CommandContext {
  readonly positionals: readonly string[];
  readonly values: OptionValues;
  readonly json: boolean;
  /** Loads the benchmark once (from --data, the environment, the cache, ../shared or a download). */
  benchmark(): Promise<Benchmark>;
  /** Writes a line to stdout. */
  out(line?: string): void;
}

/**
 * One `robust-nas <name>` subcommand. Commands live one per file in src/cli/commands/ and are registered in the
 * list in src/cli/commands/index.ts; adding a command is a new file plus one line there.
 */
export interface CliCommand {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Synopsis after `robust-nas`, e.g. `query <arch|index|code> [--json]`. */
  readonly usage: string;
  /** Paragraphs shown by `--help` after the synopsis. */
  readonly description: string;
  /** The command's own options for util.parseArgs, and their help lines. */
  readonly options: NonNullable<ParseArgsConfig['options']>;
  readonly optionsHelp: readonly (readonly [string, string])[];
  /** Examples shown by `--help`. */
  readonly examples?: readonly string[];
  /** Exit code (0 when omitted). Throw CliError for user mistakes. */
  run(ctx: CommandContext): Promise<number | void>;
}
