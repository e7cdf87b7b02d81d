import * as vscode from 'vscode';
import {
  addPinned,
  canonicalArchString,
  movePinned,
  removePinned,
  restorePinned,
  type ComparisonEdit,
} from './comparisonList';

const STATE_KEY = 'robustNas.comparison.pinned';

/**
 * The architectures pinned for comparison, in the user's order, persisted per workspace (workspaceState). The
 * Comparison tree and the comparison webview both render it and edit it through these methods.
 */
export class ComparisonStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<readonly string[]>();
  /** Fires with the new list after every change. */
  readonly onDidChange = this.changed.event;
  private pinned: readonly string[];

  constructor(private readonly memento: vscode.Memento) {
    this.pinned = restorePinned(memento.get(STATE_KEY));
  }

  /** Canonical architecture strings, first pinned first (or as reordered). */
  list(): readonly string[] {
    return this.pinned;
  }

  /**
   * Pins an architecture string (any spacing; stored canonical). Returns the canonical string, or throws an Error
   * whose message says what is wrong with the text.
   */
  async add(archString: string): Promise<string> {
    const c = canonicalArchString(archString);
    if (!c.ok) throw new Error(`Cannot add to the comparison: ${c.message}`);
    await this.apply(addPinned(this.pinned, c.archString));
    return c.archString;
  }

  async remove(archString: string): Promise<boolean> {
    return this.apply(removePinned(this.pinned, archString));
  }

  /** Moves by `delta` places (negative = up). */
  async move(archString: string, delta: number): Promise<boolean> {
    return this.apply(movePinned(this.pinned, archString, delta));
  }

  async clear(): Promise<boolean> {
    return this.apply({ list: [], changed: this.pinned.length > 0 });
  }

  private async apply(edit: ComparisonEdit): Promise<boolean> {
    if (!edit.changed) return false;
    this.pinned = edit.list;
    await this.memento.update(STATE_KEY, this.pinned);
    this.changed.fire(this.pinned);
    return true;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
