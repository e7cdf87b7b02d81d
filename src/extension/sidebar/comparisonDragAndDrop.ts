import * as vscode from 'vscode';
import type { ComparisonStore } from '../comparison/comparisonStore';
import { archStringOf } from '../editor/archArgument';
import type { BenchmarkService } from '../benchmarkService';

/** Tree-internal drags carry the pinned strings under this MIME type (VS Code's `application/vnd.code.tree.<id>`). */
const PINNED_MIME = 'application/vnd.code.tree.robustnas.comparison';

interface DraggableNode {
  readonly kind: string;
  readonly archString?: string;
}

/**
 * Drag and drop in the Comparison view: drag a pinned row onto another to move it there; drop text dragged from an
 * editor (an architecture string, index, op code or NASLib tuple) to pin it.
 */
export class ComparisonDragAndDrop implements vscode.TreeDragAndDropController<DraggableNode> {
  readonly dragMimeTypes = [PINNED_MIME];
  readonly dropMimeTypes = [PINNED_MIME, 'text/plain'];

  constructor(
    private readonly store: ComparisonStore,
    private readonly benchmark: BenchmarkService,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  handleDrag(source: readonly DraggableNode[], data: vscode.DataTransfer): void {
    const pinned = source.filter((n) => n.kind === 'pinned' && n.archString).map((n) => n.archString as string);
    if (pinned.length) data.set(PINNED_MIME, new vscode.DataTransferItem(pinned));
  }

  async handleDrop(target: DraggableNode | undefined, data: vscode.DataTransfer): Promise<void> {
    const moved = data.get(PINNED_MIME)?.value as string[] | undefined;
    if (moved?.length) {
      const list = this.store.list();
      const to = target?.archString ? list.indexOf(target.archString) : list.length - 1;
      for (const archString of moved) {
        const from = this.store.list().indexOf(archString);
        if (from >= 0 && to >= 0) await this.store.move(archString, to - from);
      }
      return;
    }
    const text = (await data.get('text/plain')?.asString())?.trim().replace(/^['"]|['"]$/g, '');
    if (!text) return;
    try {
      await this.store.add(await archStringOf(text, () => this.benchmark.get()));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.warn(`Drop on the Comparison view ignored: ${message}`);
      void vscode.window.showWarningMessage(`Robust NAS: ${message}`);
    }
  }
}
