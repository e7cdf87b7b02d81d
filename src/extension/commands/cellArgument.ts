import * as vscode from 'vscode';
import type { Cell } from '../../core/space/cell';
import { parseCellEncoding } from '../../core/space/encodings';
import { archTextFromArgument } from '../editor/archArgument';
import type { ExtensionServices } from '../services';

/**
 * The cell a command computes on: its argument's (hover link, CodeLens), else the selection or the architecture under
 * the cursor, else one the user types in an input box titled `title`. Undefined when the box is dismissed; an
 * encoding that does not parse throws the parser's sentence; an index is looked up in the benchmark.
 */
export async function cellFromArgumentOrAsk(
  s: ExtensionServices,
  archArg: unknown,
  title: string,
): Promise<Cell | undefined> {
  const source =
    archTextFromArgument(archArg) ??
    (await vscode.window
      .showInputBox({ title, prompt: 'Architecture string, index, op code or NASLib tuple' })
      .then((t) => (t?.trim() ? { text: t.trim() } : undefined)));
  if (!source) return undefined;
  const parsed = parseCellEncoding(source.text);
  if (!parsed.ok) throw new Error(parsed.errors[0].message);
  return parsed.kind === 'index' ? (await s.benchmark.get()).archOfIndex(parsed.index).cell : parsed.cell;
}

/**
 * Job options built from the `robustNas.ntk.*` configuration by `build` (ntkJobOptions, proxyJobOptions); what they
 * refuse (an input folder that is not there, a size out of range) is said with the setting to fix.
 */
export function jobOptionsFromSettings<T>(build: () => T, purpose = ''): T {
  try {
    return build();
  } catch (e) {
    throw new Error(
      `the NTK settings cannot be used${purpose}: ${(e as Error).message}. Fix robustNas.ntk.inputs in the settings.`,
    );
  }
}
