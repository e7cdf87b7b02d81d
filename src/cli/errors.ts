/** Exit codes of `robust-nas`: 0 success, 1 unexpected failure, 2 bad usage or input, 3 data unavailable/invalid, 130 cancelled. */
export const EXIT = { ok: 0, failure: 1, usage: 2, data: 3, cancelled: 130 } as const;

/** A mistake in how the CLI was called; printed without a stack trace, with a pointer to --help. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    /** Extra lines printed under the message (e.g. the caret display of a bad architecture string). */
    readonly details: readonly string[] = [],
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}
