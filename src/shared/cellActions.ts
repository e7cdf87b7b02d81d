import type { NtkConfig } from '../core/ntk/jobOptions';
import { Commands, type CommandId } from './commands';

/** What an action of the hover card (or a CodeLens) needs to know about the cell it is shown for. */
export interface CellActionContext {
  /** Canonical architecture string. */
  readonly archString: string;
  /** NAS-Bench-201 index, when the benchmark data is loaded. */
  readonly index: number | undefined;
  /** The configured NTK settings (`robustNas.ntk.*`), when they can be used; the card's NTK link computes exactly these. */
  readonly ntkConfig: NtkConfig | undefined;
  /** True when stored NTK scores of this class exist for those settings. */
  readonly ntkStored: boolean;
}

export interface CellAction {
  readonly command: CommandId;
  /** The link's text on the hover card, or undefined to leave the action off the card for this cell. */
  readonly title: (c: CellActionContext) => string | undefined;
  /** The CodeLens title (CodeLenses are short); no CodeLens when undefined. */
  readonly lens?: string;
  readonly args: (c: CellActionContext) => unknown[];
}

/**
 * The actions under every hover card, in order (and the CodeLenses, for those with a `lens` title). Adding an
 * action is one line here: the client trusts the command in server Markdown from this list
 * (SERVER_MARKDOWN_COMMANDS), and the card and the CodeLenses pick it up.
 */
export const CELL_ACTIONS = [
  {
    command: Commands.computeNtkScores,
    title: (c) => (c.ntkStored ? 'NTK scores' : 'Compute NTK scores'),
    lens: 'NTK',
    args: (c) => (c.ntkConfig ? [c.archString, { config: c.ntkConfig }] : [c.archString]),
  },
  { command: Commands.addToComparison, title: () => 'Add to comparison', lens: 'Compare', args: (c) => [c.archString] },
  { command: Commands.showCellDiagram, title: () => 'Diagram', lens: 'Diagram', args: (c) => [c.archString] },
  // Without an encoding, Copy As asks which one (string, index, op code, NASLib tuple), each shown with its text.
  { command: Commands.copyAs, title: () => 'Copy...', args: (c) => [c.archString] },
  {
    command: Commands.exportPytorch,
    title: () => 'Export as PyTorch...',
    lens: 'PyTorch',
    args: (c) => [c.archString],
  },
  {
    command: Commands.showCellDetails,
    title: (c) => (c.index === undefined ? undefined : 'All datasets'),
    args: (c) => [c.archString],
  },
] as const satisfies readonly CellAction[];

/**
 * Every command the language server's Markdown links to: the card's actions and "Locate Benchmark Data..." in the
 * no-data paragraph. The client trusts exactly these in server Markdown
 * (`isTrusted: { enabledCommands }`), so a `command:` link to any other command (say one smuggled in through a sweep
 * file or a setting) does not run; the server's link builder accepts only these ids.
 */
export const SERVER_MARKDOWN_COMMANDS = [...new Set([...CELL_ACTIONS.map((a) => a.command), Commands.locateData])];

export type ServerMarkdownCommand = (typeof CELL_ACTIONS)[number]['command'] | typeof Commands.locateData;
