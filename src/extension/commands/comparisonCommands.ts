import * as vscode from 'vscode';
import { REVEAL_PINNED_COMMAND } from '../sidebar/comparisonTree';
import { archStringOf, archTextFromArgument } from '../editor/archArgument';
import type { ExtensionServices } from '../services';

/** The pinned string a tree-row command is about: a `{ archString }` row, or a string (tests, webview). */
function pinnedArgument(arg: unknown): string {
  const source = archTextFromArgument(arg);
  if (!source) throw new Error('No architecture given: run this command from a row of the Comparison view.');
  return source.text;
}

/**
 * Add to Comparison: from a hover link or CodeLens (a string argument), a tree row, or the editor (selection or
 * the architecture under the cursor). Returns the canonical string pinned.
 */
export function addToComparison(s: ExtensionServices) {
  return async (arg?: unknown): Promise<string | undefined> => {
    const source = archTextFromArgument(arg);
    if (!source) {
      void vscode.window.showWarningMessage(
        'Robust NAS: put the cursor on an architecture string, index, op code or NASLib tuple (or select one), then run Add to Comparison again.',
      );
      return undefined;
    }
    const archString = await archStringOf(source.text, () => s.benchmark.get());
    const before = s.comparison.list().length;
    const pinned = await s.comparison.add(archString);
    const added = s.comparison.list().length > before;
    s.log.info(`${added ? 'Pinned' : 'Already pinned'}: ${pinned}`);
    void vscode.window.setStatusBarMessage(`Robust NAS: ${added ? 'added to' : 'already in'} the comparison`, 3000);
    // Shown, not focused: focusing the view would close a palette or quick pick the pin came from.
    if (added) void vscode.commands.executeCommand(REVEAL_PINNED_COMMAND, pinned);
    return pinned;
  };
}

/** With several rows selected, VS Code passes the clicked row and then all selected rows: remove them all. */
export function removeFromComparison(s: ExtensionServices) {
  return async (arg?: unknown, selected?: unknown): Promise<boolean> => {
    const rows = Array.isArray(selected) && selected.length ? selected : [arg];
    let removed = false;
    for (const row of rows) removed = (await s.comparison.remove(pinnedArgument(row))) || removed;
    return removed;
  };
}

export function moveUpInComparison(s: ExtensionServices) {
  return (arg?: unknown) => s.comparison.move(pinnedArgument(arg), -1);
}

export function moveDownInComparison(s: ExtensionServices) {
  return (arg?: unknown) => s.comparison.move(pinnedArgument(arg), 1);
}

export function clearComparison(s: ExtensionServices) {
  return async (): Promise<boolean> => {
    const n = s.comparison.list().length;
    if (n === 0) return false;
    const answer = await vscode.window.showWarningMessage(
      `Remove all ${n} pinned architecture${n === 1 ? '' : 's'} from the comparison?`,
      { modal: true },
      'Clear',
    );
    return answer === 'Clear' ? s.comparison.clear() : false;
  };
}

/** For the end-to-end tests: the pinned list, canonical strings in order. */
export function getComparison(s: ExtensionServices) {
  return (): string[] => [...s.comparison.list()];
}
