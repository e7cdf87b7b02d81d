import { parseArgs } from 'node:util';
import { BenchmarkDataError } from '../core/benchmark/errors';
import { GLOBAL_OPTIONS, GLOBAL_OPTIONS_HELP, type CliCommand } from './command';
import { COMMANDS } from './commands';
import { makeContext } from './context';
import { CliError, EXIT } from './errors';

export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
}

function optionLines(pairs: readonly (readonly [string, string])[]): string[] {
  const w = Math.max(...pairs.map(([o]) => o.length));
  return pairs.map(([o, d]) => `  ${o.padEnd(w)}  ${d}`);
}

export function generalHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return (
    [
      'robust-nas: NAS-RobBench-201 robustness results for NAS-Bench-201 architectures',
      '',
      'usage: robust-nas <command> [options]',
      '',
      'commands:',
      ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
      '',
      'global options:',
      ...optionLines(GLOBAL_OPTIONS_HELP),
      '',
      "Run 'robust-nas <command> --help' for a command's options and examples.",
    ].join('\n') + '\n'
  );
}

export function commandHelp(c: CliCommand): string {
  return (
    [
      `usage: robust-nas ${c.usage}`,
      '',
      c.summary[0].toUpperCase() + c.summary.slice(1) + '.',
      c.description,
      '',
      'options:',
      ...optionLines([...c.optionsHelp, ...GLOBAL_OPTIONS_HELP]),
      ...(c.examples?.length ? ['', 'examples:', ...c.examples.map((e) => `  robust-nas ${e}`)] : []),
    ].join('\n') + '\n'
  );
}

/** Runs `robust-nas <argv>`; returns the exit code. Errors go to stderr, results to stdout. */
/** Splits off the command name; global options may come before it (`robust-nas --data DIR query 1`). */
function splitCommand(argv: readonly string[]): { name: string | undefined; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--data') i++;
    else if (!a.startsWith('-')) return { name: a, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { name: undefined, rest: [...argv] };
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const { name, rest } = splitCommand(argv);
  if (name === undefined || name === 'help') {
    const asked = argv.includes('--help') || argv.includes('-h') || name === 'help';
    (asked ? io.stdout : io.stderr)(generalHelp());
    return asked ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(
      `robust-nas: unknown command '${name}'. Commands: ${COMMANDS.map((c) => c.name).join(', ')}. See robust-nas --help.\n`,
    );
    return EXIT.usage;
  }
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: { ...GLOBAL_OPTIONS, ...command.options },
        allowPositionals: true,
        strict: true,
      });
    } catch (e) {
      throw new CliError((e as Error).message.replace(/^Unknown option/, 'Unknown option'));
    }
    if (parsed.values.help) {
      io.stdout(commandHelp(command));
      return EXIT.ok;
    }
    const ctx = makeContext(parsed.positionals, parsed.values, io.stdout, io.stderr);
    return (await command.run(ctx)) ?? EXIT.ok;
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr(
        [
          `robust-nas ${name}: ${e.message}`,
          ...e.details,
          ...(e.exitCode === EXIT.usage ? [`See robust-nas ${name} --help.`] : []),
        ].join('\n') + '\n',
      );
      return e.exitCode;
    }
    if (e instanceof BenchmarkDataError) {
      io.stderr(`robust-nas: cannot load NAS-RobBench-201: ${e.message}\n`);
      return e.kind === 'cancelled' ? EXIT.cancelled : EXIT.data;
    }
    io.stderr(`robust-nas ${name}: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.failure;
  }
}
