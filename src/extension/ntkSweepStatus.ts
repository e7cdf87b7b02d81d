import * as vscode from 'vscode';
import { Commands } from '../shared/commands';
import type { ExtensionServices } from './services';

/** Commands the item's tooltip links to (a trusted tooltip runs only these). */
const TOOLTIP_COMMANDS = [Commands.addNtkSweepToCharts, 'vscode.open', 'revealFileInOS'];

let item: vscode.StatusBarItem | undefined;

/**
 * The last NTK sweep's outcome in the status bar, after its notification (which VS Code hides within seconds, while
 * the user may be elsewhere): the classes done at a glance; a click shows the results in the correlation charts,
 * the tooltip repeats the whole message with links to open the file or its folder. Replaced by the next sweep.
 */
export function showSweepResultStatus(
  s: ExtensionServices,
  out: string,
  message: string,
  counts: string,
  cancelled: boolean,
): void {
  if (!item) {
    item = vscode.window.createStatusBarItem('robustNas.ntkSweepResult', vscode.StatusBarAlignment.Right, 99);
    item.name = 'Robust NAS: last NTK sweep';
    const created = item;
    s.context.subscriptions.push({
      dispose: () => {
        created.dispose();
        if (item === created) item = undefined;
      },
    });
  }
  const file = vscode.Uri.file(out);
  const link = (command: string, args: unknown[]) => `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
  item.text = `$(${cancelled ? 'debug-pause' : 'pass'}) NTK sweep ${cancelled ? 'cancelled' : 'done'}: ${counts}`;
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.isTrusted = { enabledCommands: TOOLTIP_COMMANDS };
  tooltip.appendText(`${message}\n\nFile: ${out}`);
  tooltip.appendMarkdown(
    `\n\n[Show in Charts](${link(Commands.addNtkSweepToCharts, [file.toJSON()])}) · [Open Results](${link('vscode.open', [file.toJSON()])}) · [Reveal File](${link('revealFileInOS', [file.toJSON()])})`,
  );
  item.tooltip = tooltip;
  item.command = { title: 'Show in Charts', command: Commands.addNtkSweepToCharts, arguments: [file] };
  item.accessibilityInformation = { label: message };
  item.show();
}
