/** A problem located in a line of user input (architecture parser and constraint parser errors have this shape). */
export interface LocatedProblem {
  readonly offset: number;
  readonly length: number;
  readonly message: string;
}

/**
 * The input echoed with a caret under each problem, compiler style:
 *
 *     |nor_conv_3x5~0|+|...
 *      ^~~~~~~~~~~~
 *     Unknown operation 'nor_conv_3x5': did you mean 'nor_conv_3x3'?
 */
export function caretLines(input: string, problems: readonly LocatedProblem[], indent = '  '): string[] {
  const lines: string[] = [];
  for (const p of problems) {
    const offset = Math.max(0, Math.min(p.offset, input.length));
    const marker = '^' + '~'.repeat(Math.max(0, Math.min(p.length, input.length - offset) - 1));
    lines.push(indent + input, indent + ' '.repeat(offset) + marker, indent + p.message);
  }
  return lines;
}
